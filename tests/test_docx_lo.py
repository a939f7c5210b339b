""".docx files rendered by a real LibreOffice, with the bundled fonts, and measured like the PDF.

All documents go through one soffice call (start-up dominates). Positions are
in mm from the page's top-left; the block is 28–184 × 37–262 mm.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from lo import soffice_convert
from pdfmeasure import MeasuredPDF, block_ok, page_number_value
from test_docx import all_docs, render

from docgen.decide.decisions import decide
from docgen.fonts import bundled_ink_top
from docgen.render.docx import ooxml as ox
from docgen.spec import (
    LETTER_BOTTOM_LINE_FROM_BOTTOM,
    LETTER_LINE_LENGTH,
    LETTER_MARK_TOP,
    MARK_TOP_IN_BLOCK,
    FontRole,
    Profile,
)

PROFILE = Profile()
LEFT, TOP, RIGHT, BOTTOM = 28.0, 37.0, 184.0, 262.0
PITCH = ox.twips_to_mm(ox.LINE_TWIPS)  # 10.213 mm
FIRST_BASELINE = TOP + ox.EXACT_BASELINE * PITCH  # baseline of the block's first line
# LibreOffice 7.4 reads w:overflowPunct inverted (writerfilter maps val=0 to
# "hanging punctuation on", and then leaves the hung mark off the page). The
# .docx writes val=1, which LibreOffice reads as "no hanging": no closing mark
# may stand past the block's edge, and none is dropped (test_docx_vs_pdf.py).
HANGING: set[str] = set()


@pytest.fixture(scope="module")
def measured(soffice, fonts_conf, tmp_path_factory) -> dict[str, MeasuredPDF]:
    folder = tmp_path_factory.mktemp("docx-lo")
    paths = []
    for name, doc in all_docs().items():
        p = folder / f"{name}.docx"
        p.write_bytes(render(doc))
        paths.append(p)
    pdfs = soffice_convert(paths, folder / "pdf", fonts_conf, soffice=soffice)
    return {p.stem: MeasuredPDF.open(pdf) for p, pdf in zip(paths, pdfs)}


def em_top(line) -> float:
    """Top of the em box from the baseline (font-independent: CJK em boxes sit 0.88 em above it)."""
    return line.baseline - ox.EM_ASCENT * line.glyphs[0].em


def body_rows(pdf: MeasuredPDF, page: int):
    """Text rows inside the block (page numbers excluded)."""
    return [r for r in pdf.rows(page) if TOP - 1 < r.baseline < BOTTOM + 1]


def cells(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text if c.strip())


def strip_hanging(line) -> tuple[str, float]:
    """A line's text and right edge without a closing mark hung past the block's edge."""
    ink = line.ink
    if ink and ink[-1].text in HANGING and ink[-1].x1 > RIGHT + 0.5:
        return "".join(g.text for g in ink[:-1]), ink[-2].x1 if len(ink) > 1 else line.x0
    return "".join(g.text for g in ink), line.x1


# --- the grid ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["letter", "request", "minutes"])
def test_lines_sit_on_the_22_line_grid(measured, name):
    pdf = measured[name]
    for page in range(2, pdf.pages + 1):
        rows = [r for r in body_rows(pdf, page) if abs(r.size - 16) < 0.3]
        for r in rows:
            k = (r.baseline - FIRST_BASELINE) / PITCH
            assert abs(k - round(k)) < 0.1, (name, page, r.text)
            assert 0 <= round(k) <= 21, (name, page, r.text)


def test_full_pages_hold_22_lines(measured):
    """The letter's attachment runs over several pages: its full pages have 22 lines."""
    pdf = measured["letter"]
    full = 0
    for page in range(2, pdf.pages):
        rows = body_rows(pdf, page)
        if len(rows) == 22:
            full += 1
            pitches = [b.baseline - a.baseline for a, b in zip(rows, rows[1:])]
            assert all(abs(p - PITCH) < 0.05 for p in pitches if p < 1.5 * PITCH)
            assert rows[-1].bottom <= BOTTOM + 0.5
    assert full >= 1


@pytest.mark.parametrize("name", ["letter", "request", "minutes", "supervision"])
def test_at_most_28_characters_and_full_lines_reach_the_edge(measured, name):
    pdf = measured[name]
    reaching = 0
    for page in range(1, pdf.pages + 1):
        for line in pdf.lines(page):
            if abs(line.size - 16) > 0.3 or not (TOP < line.baseline < BOTTOM + 1):
                continue
            text, right = strip_hanging(line)
            assert cells(text) <= 28, (name, page, line.text)
            assert right <= RIGHT + 0.5, (name, page, line.text)
            if cells(text) >= 26 and right > RIGHT - 1.0:
                reaching += 1
    if name != "supervision":
        assert reaching >= 3, name


@pytest.mark.parametrize("name", ["letter", "request", "minutes", "supervision"])
def test_text_inside_the_block(measured, name):
    pdf = measured[name]
    numbers = {id(x) for x in pdf.page_number_lines()}
    for line in pdf.lines():
        if id(line) in numbers:
            continue
        if name == "letter" and line.page == 1 and line.color == (255, 0, 0):
            continue  # the letter's mark sits 30 mm from the paper's top, above the block
        text, right = strip_hanging(line)
        ok = block_ok(line) or (right <= RIGHT + 0.5 and line.x0 >= LEFT - 0.5)
        # Vertical extent from the em box (the font descriptor's box varies by font).
        top = em_top(line)
        bottom = line.baseline + ox.EM_DESCENT * line.glyphs[0].em
        assert ok and top >= TOP - 0.5 and bottom <= BOTTOM + 0.5, (name, line.text)


# --- page numbers -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["letter", "request", "minutes"])
def test_page_numbers_by_parity(measured, name):
    pdf = measured[name]
    one = 14 * 25.4 / 72
    seen = {}
    for line in pdf.page_number_lines():
        n = page_number_value(line)
        assert n == line.page
        seen[n] = line
        # The dashes' ink top (not the em box's) 7 mm below the block [7.5].
        ink = bundled_ink_top(FontRole.SONGTI, "—")
        assert abs(line.baseline - ink * one - (BOTTOM + 7)) < 0.3, line
        if n % 2:
            assert abs(line.x1 - (RIGHT - one)) < 0.8, line
        else:
            assert abs(line.x0 - (LEFT + one)) < 0.8, line
    expected = set(range(1, pdf.pages + 1))
    if name == "letter":
        expected.discard(1)  # the letter format's first page carries no number
    assert set(seen) == expected


# --- the head and the rules ------------------------------------------------------------


def red_rules(pdf: MeasuredPDF, page: int = 1):
    return [r for r in pdf.rules(page) if r.color == (255, 0, 0)]


def test_file_format_head(measured):
    pdf = measured["request"]
    mark = next(r for r in pdf.rows(1) if r.color == (255, 0, 0))
    assert mark.text.replace(" ", "") == "高平市文物保护中心文件"
    assert abs(em_top(mark) - (TOP + MARK_TOP_IN_BLOCK)) < 1.0
    assert abs(mark.center - (LEFT + RIGHT) / 2) < 1.0
    number = next(ln for ln in pdf.lines(1) if "高文保发" in ln.text)
    assert abs(number.x0 - (LEFT + 156 / 28)) < 0.6  # one character in, on the signer's line
    signer = next(ln for ln in pdf.lines(1) if "李志刚" in ln.text)
    assert abs(signer.x1 - (RIGHT - 156 / 28)) < 1.0  # one character in from the right
    (sep,) = red_rules(pdf)
    glyph_bottom = number.baseline + ox.EM_DESCENT * number.glyphs[0].em
    assert abs(sep.y - (glyph_bottom + 4)) < 0.6
    assert abs(sep.length - 156) < 0.3 and abs(sep.x0 - LEFT) < 0.3


def test_letter_head_and_double_lines(measured):
    pdf = measured["letter"]
    mark = next(r for r in pdf.rows(1) if r.color == (255, 0, 0))
    assert abs(em_top(mark) - LETTER_MARK_TOP) < 1.0
    rules = sorted(red_rules(pdf), key=lambda r: r.y)
    assert len(rules) == 4
    for r in rules:
        assert abs(r.length - LETTER_LINE_LENGTH) < 0.3 and abs(r.x0 - 20) < 0.3
    mark_bottom = em_top(mark) + mark.glyphs[0].em
    top_thick, top_thin, bottom_thin, bottom_thick = rules
    assert top_thick.width_mm > top_thin.width_mm  # thick over thin
    assert abs(top_thick.y - top_thick.width_mm / 2 - (mark_bottom + 4)) < 1.0
    assert bottom_thick.width_mm > bottom_thin.width_mm  # thin over thick
    assert (
        abs(bottom_thick.y + bottom_thick.width_mm / 2 - (297 - LETTER_BOTTOM_LINE_FROM_BOTTOM))
        < 0.3
    )
    number = next(ln for ln in pdf.lines(1) if "高政办函" in ln.text)
    assert abs(number.x1 - RIGHT) < 0.6  # flush right
    assert not red_rules(pdf, 2)  # the double lines are on page 1 only


@pytest.mark.parametrize("name", ["letter", "request", "minutes"])
def test_title_breaks_match_decisions(measured, name):
    doc = all_docs()[name]
    d = decide(doc, PROFILE)
    rows = [r.text.replace(" ", "") for r in measured[name].rows(1) if abs(r.size - 22) < 0.3]
    assert rows == d.title_lines


def test_colophon_on_the_block_bottom(measured):
    pdf = measured["request"]
    last = pdf.pages
    black = [r for r in pdf.rules(last) if r.color in ((0, 0, 0), None) and r.length > 150]
    assert len(black) == 3
    assert abs(black[-1].y - BOTTOM) < 0.4  # the last thick line on the block's bottom edge
    assert black[0].width_mm > black[1].width_mm < black[-1].width_mm  # thick, thin, thick
    printed = next(ln for ln in pdf.lines(last) if "印发" in ln.text)
    assert printed.bottom <= BOTTOM and printed.bottom > BOTTOM - PITCH
    cc = next(ln for ln in pdf.lines(last) if ln.text.startswith("抄送"))
    assert abs(cc.x0 - (LEFT + 14 * 25.4 / 72)) < 0.6


@pytest.mark.parametrize("name", ["supervision", "supervision_long"])
def test_supervision_fits_one_page(measured, name):
    pdf = measured[name]
    assert pdf.pages == 1
    assert any("督办单" in r.text for r in pdf.rows(1))
    assert len(red_rules(pdf)) == 1


def test_same_page_count_as_the_pdf(measured):
    """The PDF docgen renders and LibreOffice's render of the .docx have as many pages."""
    try:
        from docgen.fonts import resolve_fonts
        from docgen.pipeline import render_document
    except ImportError as exc:  # pragma: no cover - the PDF side not installed
        pytest.skip(f"PDF renderer unavailable: {exc}")
    fonts = resolve_fonts(use_system=False)
    differences = {}
    for name, doc in all_docs().items():
        out = render_document(doc, ("pdf",), PROFILE, fonts)
        if out.pages != measured[name].pages:
            differences[name] = (out.pages, measured[name].pages)
    assert not differences, f"pages (PDF, LibreOffice .docx): {differences}"


def test_special_characters_survive_libreoffice(soffice, fonts_conf, tmp_path: Path):
    from test_docx import NASTY, load_sample

    doc = load_sample("letter-gaoping-18.yaml")
    doc.body = [NASTY]
    path = tmp_path / "nasty.docx"
    path.write_bytes(render(doc))
    (pdf,) = soffice_convert([path], tmp_path / "pdf", fonts_conf, soffice=soffice)
    text = MeasuredPDF.open(pdf).text().replace(" ", "")
    assert NASTY.replace(" ", "") in text


def test_joint_issue_mark_in_libreoffice(soffice, fonts_conf, tmp_path: Path):
    from test_docx import load_sample

    doc = load_sample("request-gaoping-wenbao-25.yaml")
    doc.issuer = ["高平市文物保护中心", "高平市文物局"]
    path = tmp_path / "joint.docx"
    path.write_bytes(render(doc))
    (pdf,) = soffice_convert([path], tmp_path / "pdf", fonts_conf, soffice=soffice)
    m = MeasuredPDF.open(pdf)
    red = [ln for ln in m.lines(1) if ln.color == (255, 0, 0)]
    texts = [ln.text.replace(" ", "") for ln in red]
    assert texts[0] == "高平市文物保护中心" and "高平市文物局" in texts and "文件" in texts
    first = red[0]
    assert abs(em_top(first) - (TOP + MARK_TOP_IN_BLOCK)) < 1.0
    lead = next(ln for ln in red if ln.text.replace(" ", "") == "高平市文物局")
    assert abs(lead.x0 - first.x0) < 0.5 and abs(lead.x1 - first.x1) < 0.5  # spread alike
    suffix = next(ln for ln in red if ln.text.replace(" ", "") == "文件")
    middle = (em_top(first) + lead.baseline + 0.12 * lead.glyphs[0].em) / 2
    assert abs((em_top(suffix) + suffix.baseline) / 2 - middle) < 1.5


def test_seal_over_name_and_date(soffice, fonts_conf, tmp_path: Path):
    """The seal is centred over the date, pressing on name and date a little below its centre."""
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from test_docx import load_sample

    seal = tmp_path / "seal.png"
    im = PILImage.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((5, 5, 395, 395), outline=(255, 0, 0, 255), width=12)
    im.save(seal)
    doc = load_sample("letter-gaoping-18.yaml")
    doc.signature.seal_image = str(seal)
    path = tmp_path / "sealed.docx"
    path.write_bytes(render(doc))
    (pdf,) = soffice_convert([path], tmp_path / "pdf", fonts_conf, soffice=soffice)
    m = MeasuredPDF.open(pdf)
    (img,) = m.images(1)
    assert abs(img.width - PROFILE.seal_diameter) < 0.5
    name = next(
        ln
        for ln in m.lines(1)
        if ln.text.replace(" ", "") == "高平市人民政府办公室" and abs(ln.size - 16) < 0.3
    )
    date = next(ln for ln in m.lines(1) if ln.text.replace(" ", "") == "2025年7月7日")
    assert abs((img.x0 + img.x1) / 2 - name.center) < 1.0
    middle = (img.top + img.bottom) / 2
    assert name.baseline > middle - 2 and date.baseline > middle  # slightly below the centre
    assert img.top < name.top and img.bottom > date.baseline
