"""The ruler is checked before anything is measured with it.

Each test draws with reportlab's canvas at positions known exactly, then reads
them back through tests/pdfmeasure.py. Lengths are stated from GB/T 9704
(pitch 225/22 mm = 28.99 pt, block 28 mm left, 37 mm top), not read from
the code under test.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lo import soffice_convert
from pdfmeasure import MeasuredPDF, block_ok, body_line_pitches, page_number_value
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

REPO = Path(__file__).resolve().parent.parent
PT = 72 / 25.4  # points per mm
PAGE_H = 297.0
EXACT = 0.05  # mm: how close a drawn position must be measured


def _font() -> tuple[str, bool]:
    """A TTF from the repo's fonts/, else DejaVu Sans, else built-in Helvetica.

    Returns (reportlab font name, whether it has CJK glyphs).
    """
    candidates = sorted((REPO / "fonts").glob("**/*.ttf")) + sorted(
        Path("/usr/share/fonts").glob("**/DejaVuSans.ttf")
    )
    for path in candidates:
        try:
            font = TTFont("SelfTest", str(path))
        except Exception:
            continue
        pdfmetrics.registerFont(font)
        cmap = font.face.charToGlyph
        return "SelfTest", all(ord(c) in cmap for c in "高平市年月日—")
    return "Helvetica", False


FONT, CJK = _font()
NAME = "高平市人民政府办公室" if CJK else "Gaoping Office"
DATE = "2025年7月7日" if CJK else "2025-07-07"


def _y(top_mm: float) -> float:
    """Millimetres from the page top → reportlab's bottom-up points."""
    return (PAGE_H - top_mm) * PT


def _pdf(path: Path, draw) -> MeasuredPDF:
    c = canvas.Canvas(str(path), pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return MeasuredPDF.open(path)


def test_glyph_position_size_font_colour(tmp_path):
    def draw(c):
        c.setFont(FONT, 16)
        c.setFillColorRGB(1, 0, 0)
        c.drawString(50 * PT, _y(100), "H")

    pdf = _pdf(tmp_path / "glyph.pdf", draw)
    assert pdf.pages == 1
    assert pdf.page_sizes[0] == pytest.approx((210, 297), abs=0.1)
    (g,) = pdf.glyphs(1)
    assert g.text == "H"
    assert g.x0 == pytest.approx(50, abs=EXACT)
    assert g.baseline == pytest.approx(100, abs=EXACT)
    assert g.size_pt == pytest.approx(16, abs=0.01)
    assert g.font.endswith(("SelfTest", "Helvetica")) or "+" not in g.font
    assert "+" not in g.font
    assert g.color == (255, 0, 0)
    # The box is font metrics around the baseline, not ink: 1 em tall.
    assert g.bottom - g.top == pytest.approx(16 / PT, abs=0.01)
    assert g.top < g.baseline <= g.bottom
    assert pdf.missing_glyphs() == 0


def test_baseline_survives_a_transformed_page(tmp_path):
    """The baseline comes from the rendering matrix (CTM included), not the raw Td."""

    def draw(c):
        c.translate(10 * PT, 20 * PT)
        c.scale(0.5, 0.5)
        c.setFont(FONT, 32)  # 16 pt on the page
        # drawn at x = 10 + 2*40/2 ... in page terms: x 50 mm, y from bottom 20 + 177/... mm
        c.drawString(80 * PT, (PAGE_H - 120 - 20) * 2 * PT, "H")

    g = _pdf(tmp_path / "ctm.pdf", draw).glyphs(1)[0]
    assert g.x0 == pytest.approx(50, abs=EXACT)
    assert g.baseline == pytest.approx(120, abs=EXACT)
    assert g.size_pt == pytest.approx(16, abs=0.01)


def test_red_rule_width_position_and_colour(tmp_path):
    def draw(c):
        c.setStrokeColorRGB(1, 0, 0)
        c.setLineWidth(0.35 * PT)
        c.line(28 * PT, _y(80), 184 * PT, _y(80))
        c.setStrokeColorRGB(0, 0, 0)
        c.setLineWidth(0.25 * PT)
        c.line(28 * PT, _y(90), 184 * PT, _y(90))
        # a rule drawn as a thin filled rectangle, 0.8 mm tall, centred on y = 100
        c.setFillColorRGB(1, 0, 0)
        c.rect(20 * PT, _y(100.4), 170 * PT, 0.8 * PT, stroke=0, fill=1)
        # a box that is not a rule
        c.rect(40 * PT, _y(150), 30 * PT, 20 * PT, stroke=1, fill=0)

    rules = _pdf(tmp_path / "rule.pdf", draw).rules(1)
    assert len(rules) == 3
    red, thin, bar = rules
    assert red.y == pytest.approx(80, abs=EXACT)
    assert red.width_mm == pytest.approx(0.35, abs=0.005)
    assert red.color == (255, 0, 0)
    assert (red.x0, red.x1) == pytest.approx((28, 184), abs=EXACT)
    assert red.length == pytest.approx(156, abs=EXACT)
    assert thin.y == pytest.approx(90, abs=EXACT)
    assert thin.width_mm == pytest.approx(0.25, abs=0.005)
    assert thin.color == (0, 0, 0)
    assert bar.y == pytest.approx(100, abs=EXACT)
    assert bar.width_mm == pytest.approx(0.8, abs=0.005)
    assert bar.color == (255, 0, 0)
    assert (bar.x0, bar.x1) == pytest.approx((20, 190), abs=EXACT)


def test_rule_width_on_a_scaled_page_and_duplicates(tmp_path):
    def draw(c):
        c.saveState()
        c.scale(0.5, 0.5)
        c.setLineWidth(0.7 * PT)  # 0.35 mm on the page
        c.line(56 * PT, _y(250) * 2, 368 * PT, _y(250) * 2)
        c.restoreState()
        for _ in range(2):  # painted twice, as LibreOffice does with borders
            c.line(28 * PT, _y(262), 184 * PT, _y(262))

    rules = _pdf(tmp_path / "scaled.pdf", draw).rules(1)
    assert len(rules) == 2
    assert rules[0].width_mm == pytest.approx(0.35, abs=0.005)
    assert (rules[0].x0, rules[0].x1, rules[0].y) == pytest.approx((28, 184, 250), abs=EXACT)
    assert rules[1].y == pytest.approx(262, abs=EXACT)


def test_line_pitch_of_the_grid(tmp_path):
    """Two 3号 lines 28.99 pt apart measure 225/22 = 10.227 mm."""
    first = 37 + 12  # any baseline inside the block

    def draw(c):
        c.setFont(FONT, 16)
        c.drawString(28 * PT, _y(first), "AAAA")
        c.drawString(28 * PT, _y(first) - 28.99, "BBBB")

    pdf = _pdf(tmp_path / "pitch.pdf", draw)
    lines = pdf.lines(1)
    assert [ln.text for ln in lines] == ["AAAA", "BBBB"]
    assert pdf.body_line_pitches(1) == pytest.approx([225 / 22], abs=0.005)
    assert body_line_pitches(pdf, 1) == pdf.body_line_pitches(1)
    assert lines[0].x0 == pytest.approx(28, abs=EXACT)
    assert lines[0].size == pytest.approx(16)
    assert lines[0].color == (0, 0, 0)
    assert lines[0].fonts and all("+" not in f for f in lines[0].fonts)
    assert all(block_ok(ln) for ln in lines)


def test_rows_split_into_segments_at_wide_gaps(tmp_path):
    def draw(c):
        c.setFont(FONT, 16)
        c.drawString(28 * PT, _y(200), NAME)
        c.drawString(140 * PT, _y(200), DATE)
        c.drawString(28 * PT, _y(220), "A B  C")  # spaces are not gaps

    pdf = _pdf(tmp_path / "seg.pdf", draw)
    rows = pdf.rows(1)
    assert len(rows) == 2
    assert [s.text for s in rows[0].segments] == [NAME, DATE]
    assert rows[0].text == f"{NAME} {DATE}"
    assert [ln.text for ln in pdf.lines(1)] == [NAME, DATE, "A B  C"]
    assert pdf.segments(1) == pdf.lines(1)
    name, date = pdf.lines(1)[:2]
    assert name.baseline == date.baseline == pytest.approx(200, abs=EXACT)
    assert date.x0 == pytest.approx(140, abs=EXACT)
    assert pdf.text() == f"{NAME} {DATE}\nA B  C"


def test_page_numbers_outside_the_block_and_block_check(tmp_path):
    dash = "—" if (CJK or FONT != "Helvetica") else "-"

    def draw(c):
        c.setFont(FONT, 14)
        c.drawString(150 * PT, _y(262 + 7 + 4), f"{dash} 1 {dash}")  # below the block
        c.drawString(40 * PT, _y(150), f"{dash} 9 {dash}")  # inside: not a page number
        c.setFont(FONT, 16)
        c.drawString(20 * PT, _y(60), "outside left")

    pdf = _pdf(tmp_path / "num.pdf", draw)
    nums = pdf.page_number_lines()
    assert [page_number_value(n) for n in nums] == [1]
    assert nums[0].page == 1 and nums[0].top > 262
    outside = [ln for ln in pdf.lines(1) if ln.text == "outside left"][0]
    assert not block_ok(outside)
    assert pdf.missing_glyphs() == 0


def test_images_in_mm(tmp_path):
    from PIL import Image as PILImage
    from reportlab.lib.utils import ImageReader

    png = tmp_path / "dot.png"
    PILImage.new("RGB", (4, 4), (255, 0, 0)).save(png)

    def draw(c):
        c.drawImage(ImageReader(str(png)), 100 * PT, _y(150), 42 * PT, 42 * PT)

    (im,) = _pdf(tmp_path / "img.pdf", draw).images(1)
    assert (im.x0, im.top, im.width, im.height) == pytest.approx((100, 108, 42, 42), abs=EXACT)


def test_libreoffice_converts_a_docx_and_it_measures(tmp_path, soffice):
    """A python-docx page with the 公文 margins, converted by LibreOffice."""
    from docx import Document
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance = sec.footer_distance = Mm(10)
    for text in ("First line of the block", "Second line", "Third line"):
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28.95)
        run = p.add_run(text)
        run.font.size = Pt(16)
    border = OxmlElement("w:pBdr")  # a red 1 pt rule under the last paragraph
    bottom = OxmlElement("w:bottom")
    for key, val in {"val": "single", "sz": "8", "space": "1", "color": "FF0000"}.items():
        bottom.set(qn(f"w:{key}"), val)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)
    docx_path = tmp_path / "tiny.docx"
    doc.save(docx_path)

    t0 = time.monotonic()
    (out,) = soffice_convert([docx_path], tmp_path / "pdf", None, soffice=soffice)
    print(f"LibreOffice converted 1 file in {time.monotonic() - t0:.2f} s")

    pdf = MeasuredPDF.open(out)
    assert pdf.pages == 1
    assert pdf.page_sizes[0] == pytest.approx((210, 297), abs=0.1)
    lines = pdf.lines(1)
    assert [ln.text for ln in lines] == ["First line of the block", "Second line", "Third line"]
    assert all(ln.size == pytest.approx(16, abs=0.05) for ln in lines)
    assert all(ln.x0 == pytest.approx(28, abs=0.5) for ln in lines)  # side bearing only
    # Exact spacing of 28.95 pt puts baselines 28.95 pt = 10.213 mm apart.
    assert pdf.body_line_pitches(1) == pytest.approx([28.95 / PT] * 2, abs=0.05)
    # The first baseline lies in the block's first grid line (37 .. 37 + 225/22 mm).
    assert 37 < lines[0].baseline <= 37 + 225 / 22
    # (With LibreOffice's embedded DejaVu, pdfminer sees no descent: box bottom == baseline.)
    assert lines[0].top >= 37 - 0.5
    assert all(block_ok(ln) for ln in lines)
    assert pdf.missing_glyphs() == 0
    # LibreOffice paints the border twice; it is measured as one 1 pt red rule.
    (rule,) = pdf.rules(1)
    assert rule.color == (255, 0, 0)
    assert rule.width_mm == pytest.approx(25.4 / 72, abs=0.01)
    assert (rule.x0, rule.x1) == pytest.approx((28, 184), abs=0.1)
    assert lines[2].baseline < rule.y < lines[2].baseline + 225 / 22
