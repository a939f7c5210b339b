"""The PDF writer's font objects and file layout are reportlab's, byte for byte.

render/pdffonts.py writes each font subset's four objects as bytes (and
remembers a batch's recurring ones); render/pdfsave.py puts the file
together. Documents are saved both ways, everything else alike (render/pdf.py's
_tuned_save), and compared whole: several fonts, more than 256 characters
of one font (two subsets), a character past the BMP, and the same subsets
again under other object numbers (the memo's key).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import pytest
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from docgen.render.pdf import _tuned_save
from docgen.render.pdffonts import _REPORTLAB_ADD_OBJECTS, remember_subsets
from docgen.render.pdfsave import _REPORTLAB_FORMAT
from docgen.resources import fonts_dir

FONTS = sorted(fonts_dir().glob("*/*.ttf"))


def _font(path_start: str, name: str) -> TTFont:
    path = next(p for p in FONTS if p.name.startswith(path_start))
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    remember_subsets(font)
    return font


def _pdf(lines: list[tuple[TTFont, str]], *, ours: bool) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1, pageCompression=1)
    canvas.setTitle("督办单")
    for k, (font, text) in enumerate(lines):
        canvas.setFont(font.fontName, 12)
        canvas.drawString(20, 800 - 14 * (k % 50), text)
        if k % 50 == 49:
            canvas.showPage()
    with _tuned_save():
        if not ours:  # reportlab's own, everything else as render_pdf saves
            TTFont.addObjects = _REPORTLAB_ADD_OBJECTS
            pdfdoc.PDFDocument.format = _REPORTLAB_FORMAT
        canvas.save()
    return buf.getvalue()


def _text(font: TTFont, rnd: random.Random, pool: int, size: int) -> str:
    codes = sorted(c for c in font.face.charToGlyph if c > 0x4E00)[:pool]
    return "".join(chr(c) for c in rnd.choices(codes, k=size))


@pytest.fixture(scope="module")
def fonts() -> dict[str, TTFont]:
    return {
        "fang": _font("FandolFang", "test-objects-fang"),
        "song": _font("FandolSong", "test-objects-song"),
        "kai": _font("LXGWWenKai", "test-objects-kai"),
    }


def test_one_page_like_a_notice(fonts: dict[str, TTFont]) -> None:
    rnd = random.Random(3)
    lines = [(fonts["song"], "— 1 —"), (fonts["kai"], "议定事项督办单")]
    lines += [(fonts["fang"], _text(fonts["fang"], rnd, 150, 28)) for _ in range(20)]
    assert _pdf(lines, ours=True) == _pdf(lines, ours=False)


def test_two_subsets_and_a_character_past_the_bmp(fonts: dict[str, TTFont]) -> None:
    rnd = random.Random(5)
    fang = fonts["fang"]
    lines = [(fang, _text(fang, rnd, 700, 28) + "\U0002a6a5A1") for _ in range(120)]
    lines.append((fonts["kai"], "𠇔" + _text(fonts["kai"], rnd, 50, 10)))
    ours = _pdf(lines, ours=True)
    assert b"/F2+1" in ours  # a second 256-code subset of the FangSong font (F1: Helvetica)
    assert ours == _pdf(lines, ours=False)


@pytest.mark.parametrize("order", [0, 1])
def test_recurring_subsets_under_other_numbers(fonts: dict[str, TTFont], order: int) -> None:
    """The same title and page-number subsets in document after document (remembered),
    and then in another order, so their objects get other numbers."""
    rnd = random.Random(11 + order)
    fixed: list[tuple[TTFont, str]] = [(fonts["kai"], "议定事项督办单"), (fonts["song"], "— 1 —")]
    for k in range(3):
        body = [(fonts["fang"], _text(fonts["fang"], rnd, 200, 28)) for _ in range(5)]
        lines = fixed + body if (k + order) % 2 == 0 else body + fixed[::-1]
        assert _pdf(lines, ours=True) == _pdf(lines, ours=False), k


def test_recurring_subsets_one_page_later(fonts: dict[str, TTFont]) -> None:
    """The same subsets under the same names, numbered one later: a page more before them."""
    fixed: list[tuple[TTFont, str]] = [(fonts["kai"], "议定事项督办单"), (fonts["song"], "— 1 —")]
    for pages in (1, 2, 1):
        lines = fixed + [(fonts["song"], "— 1 —")] * (50 * pages - 2)
        assert _pdf(lines, ours=True) == _pdf(lines, ours=False), pages


def test_reportlabs_own_functions_are_back_after_a_save(fonts: dict[str, TTFont]) -> None:
    saved: list[Callable[..., object]] = [TTFont.addObjects, pdfdoc.PDFDocument.format]
    _pdf([(fonts["fang"], "联席会议")], ours=True)
    assert [TTFont.addObjects, pdfdoc.PDFDocument.format] == saved
    assert saved == [_REPORTLAB_ADD_OBJECTS, _REPORTLAB_FORMAT]
