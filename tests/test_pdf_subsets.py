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

from docgen.render.pdffonts import _SubsetMaker
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


def test_split_equals_reportlabs_split_string() -> None:
    """_split gives the pieces (and leaves the codes) reportlab's splitString gives, line by
    line, through new characters, repeated ones, no-break spaces and more than 256 codes."""
    from reportlab.pdfbase.ttfonts import TTFont

    from docgen.render.pdf import _split

    path = next(p for p in _faces() if p.name.startswith("FandolFang"))
    font = TTFont("test-split-fang", str(path))
    codes = sorted(c for c in font.face.charToGlyph if c > 0x4E00)[:600]
    rnd = random.Random(7)

    class Doc:  # reportlab keys a font's codes by document (weakly)
        pass

    theirs, ours = Doc(), Doc()
    for k in range(400):
        # Early lines bring new characters; later ones mostly repeat them.
        pool = codes[: min(len(codes), 40 + 2 * k)]
        text = "".join(chr(c) for c in rnd.choices(pool, k=rnd.randint(1, 30)))
        if k % 7 == 0:
            text += "\u00a0年\U0002a6a5"  # no-break space; a character the font lacks
        assert _split(font, text, ours) == font.splitString(text, theirs), k
    mine, reportlabs = font.state[ours], font.state[theirs]
    assert mine.assignments == reportlabs.assignments
    assert mine.subsets == reportlabs.subsets  # what each subset embeds, in code order
    assert mine.nextCode == reportlabs.nextCode
    assert len(mine.subsets) > 1
