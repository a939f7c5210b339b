"""fonts/ttfcut.py cuts a TrueType font to the very bytes fontTools' subsetter writes.

Every font a batch may cut (the bundled ones, and the installed ones resolve
finds) is cut both ways to many character sets, and the files compared byte
for byte; a font outside what ttfcut knows must be cut by fontTools.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from docgen.fonts import scan
from docgen.fonts.sfnt import read_faces, unicode_cmap
from docgen.fonts.subset import _cut_fonttools, _cut_name, _cut_one
from docgen.fonts.ttfcut import cut_truetype
from docgen.resources import fonts_dir

# LXGW WenKai draws these five from components (¨ ´ ˊ − ∕): the cut must keep the
# components and renumber them. Brackets bring their mirrors (fontTools' bidi closure).
COMPOSED = "\u00a8\u00b4\u02ca\u2212\u2215"
PUNCTUATION = "，。、：；（）〔〕《》“”‘’—…！？()[]{}<>«»"


def _char_sets(cmap: dict[int, int], seed: int) -> list[str]:
    """Character sets to cut a face to: empty, ASCII, the batch's kind, random draws of what
    the font has (runs of neighbours too: cmap segments), with characters it lacks."""
    rng = random.Random(seed)
    have = sorted(cmap)
    start = rng.randrange(len(have))
    sets = [
        "",
        " ",
        "".join(chr(c) for c in range(0x20, 0x7F)),
        PUNCTUATION + COMPOSED + "0123456789—" + "关于督办落实会议议定事项的通知",
        "".join(chr(c) for c in have[start : start + 400]),
        "".join(chr(c) for c in rng.sample(have, min(700, len(have)))),
        "".join(chr(c) for c in rng.sample(have, min(60, len(have)))) + "\U0001f600\uffff\u0378",
    ]
    return sets


def _faces() -> list[tuple[Path, int]]:
    bundled = [(p, f.index) for p in sorted(fonts_dir().rglob("*.ttf")) for f in read_faces(p)]
    installed = sorted(
        {(f.path, f.index) for f in scan.installed_faces() if f.path.suffix == ".ttf"}
    )
    return bundled + installed


@pytest.mark.parametrize("path,index", _faces(), ids=lambda v: getattr(v, "name", str(v)))
def test_cut_is_fonttools_cut_byte_for_byte(path: Path, index: int, tmp_path: Path) -> None:
    cmap = unicode_cmap(path, index)
    bundled = fonts_dir() in path.parents
    sets = _char_sets(cmap, seed=sum(path.name.encode()) + index)
    fast_cuts = 0
    for k, chars in enumerate(sets):
        ps = _cut_name(f"{path.stem}-{index}-{k}")
        fast = cut_truetype(path, index, chars, ps)
        _cut_fonttools(path, index, chars, tmp_path / f"{k}.ttf", ps)
        if fast is not None:
            assert fast == (tmp_path / f"{k}.ttf").read_bytes(), (path.name, k)
            fast_cuts += 1
    if bundled:  # every bundled font is within what ttfcut knows
        assert fast_cuts == len(sets)


def test_bundled_composites_and_mirrors_are_cut_alike(tmp_path: Path) -> None:
    """LXGW's composite glyphs keep their components, renumbered; "(" brings ")"."""
    from fontTools.ttLib import TTFont

    path = fonts_dir() / "lxgw-wenkai/LXGWWenKai-Regular.ttf"
    out = tmp_path / "cut.ttf"
    _cut_one(path, 0, COMPOSED + "(", out)
    assert out.read_bytes() == _reference(path, COMPOSED + "(", tmp_path / "ref.ttf", "cut")
    font = TTFont(str(out))
    glyf, cmap = font["glyf"], font.getBestCmap()
    composite = [n for n in font.getGlyphOrder() if glyf[n].isComposite()]
    assert len(composite) == 4  # ¨, ´ (also ˊ), −, ∕
    for name in composite:
        for part in glyf[name].getComponentNames(glyf):
            assert part in font.getGlyphOrder()
    assert ord(")") in cmap and ord("(") in cmap


def _reference(path: Path, chars: str, out: Path, stem: str) -> bytes:
    _cut_fonttools(path, 0, chars, out, _cut_name(stem))
    return out.read_bytes()


def _tiny_font(tmp_path: Path, *, cff: bool = False, extra_table: str = "") -> Path:
    """A font of two glyphs ("A" and space), TrueType or CFF, maybe with a table of its own."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    names = (".notdef", "A", "space")
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(list(names))
    fb.setupCharacterMap({0x41: "A", 0x20: "space"})
    pens: dict[str, Any] = {
        n: T2CharStringPen(1000, None) if cff else TTGlyphPen(None) for n in names
    }
    pen = pens["A"]
    pen.moveTo((100, 0))
    pen.lineTo((500, 700))
    pen.lineTo((900, 0))
    pen.closePath()
    if cff:
        charstrings = {n: p.getCharString() for n, p in pens.items()}
        fb.setupCFF("Tiny", {"FullName": "Tiny"}, charstrings, {})
    else:
        fb.setupGlyf({n: p.glyph() for n, p in pens.items()})
    fb.setupHorizontalMetrics({n: (1000, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular", "psName": "Tiny-Regular"})
    fb.setupOS2()
    fb.setupPost()
    if extra_table:
        table = newTable(extra_table)
        table.data = b"\0\0\0\1"
        fb.font[extra_table] = table
    path = tmp_path / ("tiny.otf" if cff else "tiny.ttf")
    fb.save(str(path))
    return path


def test_tiny_truetype_font_is_cut_here(tmp_path: Path) -> None:
    path = _tiny_font(tmp_path)
    assert cut_truetype(path, 0, "A", "DGcut-tiny") is not None
    out = tmp_path / "cut.ttf"
    _cut_one(path, 0, "A", out, stem="tiny")
    assert out.read_bytes() == _reference(path, "A", tmp_path / "ref.ttf", "tiny")


@pytest.mark.parametrize("kind", ["cff", "unknown table"])
def test_font_outside_ttfcut_is_cut_by_fonttools(kind: str, tmp_path: Path) -> None:
    """CFF outlines, or a table ttfcut has no rule for: fontTools cuts it, to its own bytes."""
    if kind == "cff":
        path = _tiny_font(tmp_path, cff=True)
    else:
        path = _tiny_font(tmp_path, extra_table="zTab")
    assert cut_truetype(path, 0, "A", "DGcut-tiny") is None
    out = tmp_path / "cut.ttf"
    _cut_one(path, 0, "A", out, stem="tiny")
    assert out.read_bytes() == _reference(path, "A", tmp_path / "ref.ttf", "tiny")
    from fontTools.ttLib import TTFont

    font = TTFont(str(out))
    assert set(font.getBestCmap()) == {0x41}
    assert font["name"].getDebugName(6) == "DGcut-tiny"


def test_face_of_a_collection_is_cut_like_fonttools(tmp_path: Path) -> None:
    """A TTC's second face (SimSun ships as one): its own tables, its own sfnt version."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection

    one = _tiny_font(tmp_path)
    (tmp_path / "two").mkdir()
    two = _tiny_font(tmp_path / "two")
    second = TTFont(str(two))
    second["name"].setName("Tiny Two", 1, 3, 1, 0x409)
    collection = TTCollection()
    collection.fonts = [TTFont(str(one)), second]
    path = tmp_path / "tiny.ttc"
    collection.save(str(path))
    fast = cut_truetype(path, 1, "A ", "DGcut-two")
    assert fast is not None
    _cut_fonttools(path, 1, "A ", tmp_path / "ref.ttf", "DGcut-two")
    assert fast == (tmp_path / "ref.ttf").read_bytes()
