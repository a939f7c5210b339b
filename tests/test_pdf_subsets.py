"""The PDF writer's font subsets are reportlab's, byte for byte (render/pdf.py's _SubsetMaker).

docgen cuts each document's TrueType subsets with its own copy of reportlab's
makeSubset that reads the font's tables once; a subset that differed in a
single byte would change every PDF. Random subsets of every bundled font (and
a batch-style cut font) are cut both ways and compared.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts

from docgen.render.pdf import _SubsetMaker
from docgen.resources import fonts_dir

BUNDLED = sorted(fonts_dir().glob("*/*.ttf"))


def _faces() -> list[Path]:
    assert BUNDLED, "no bundled fonts"
    return BUNDLED


def _composites(face: ttfonts.TTFontFace) -> list[int]:
    """Code points whose glyph is composite (made of other glyphs)."""
    glyf = bytes(face.get_table("glyf"))
    out = []
    for code, gid in face.charToGlyph.items():
        start, end = face.glyphPos[gid], face.glyphPos[gid + 1]
        if end - start > 2 and struct.unpack_from(">h", glyf, start)[0] < 0:
            out.append(code)
    return out


@pytest.mark.parametrize("path", _faces(), ids=lambda p: p.name)
def test_subsets_equal_reportlabs(path: Path) -> None:
    face = ttfonts.TTFontFace(str(path))
    maker = _SubsetMaker(face)
    codes = sorted(face.charToGlyph)
    rnd = random.Random(path.name)
    composite = _composites(face)
    subsets = [[0x20], [0x20, 0x4E00, 0x10FFFF]]  # one code the font lacks → glyph 0
    for size in (1, 2, 37, 150, 255):
        sub = rnd.sample(codes, size)
        subsets.append(sub)
        if composite:
            subsets.append(sub[: size // 2] + rnd.sample(composite, min(len(composite), 20)))
    for sub in subsets:
        assert maker(sub) == face.makeSubset(sub), (path.name, sub[:5])


def test_composite_glyphs_are_covered() -> None:
    """At least one bundled font has composite glyphs, so their remapping is compared above."""
    assert any(_composites(ttfonts.TTFontFace(str(p))) for p in _faces())
