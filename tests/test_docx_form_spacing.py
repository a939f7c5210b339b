"""The .docx 督办单 and 催办单 spaced as the PDF (issue 18): at least 2 mm between the number/date
line and the red rule and between the rule and the table; 办理情况 with the PDF's six lines of
handwriting; one page, as the PDF. Measured on LibreOffice's render of the .docx beside the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from lo import soffice_convert
from pdfmeasure import MeasuredPDF
from test_docx import sample_supervision
from test_docx_vs_pdf import reminder

from docgen.fonts import resolve_fonts
from docgen.layout.meeting import FORM_BLANK_LINES, FORM_RULE_CLEAR
from docgen.pipeline import render_document
from docgen.spec import LINE_PITCH, Profile

FORMS = {"supervision": sample_supervision, "reminder": reminder}


@pytest.fixture(scope="module")
def rendered(soffice, fonts_conf, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name → (docgen's PDF, LibreOffice's PDF of the .docx)."""
    fonts = resolve_fonts(use_system=False)
    folder = tmp_path_factory.mktemp("forms")
    docx = []
    for name, make in FORMS.items():
        out = render_document(make(), ("pdf", "docx"), Profile(), fonts)
        (folder / f"{name}.pdf").write_bytes(out.files["pdf"])
        (folder / f"{name}.docx").write_bytes(out.files["docx"])
        docx.append(folder / f"{name}.docx")
    lo = soffice_convert(docx, folder / "lo", fonts_conf, soffice=soffice)
    return {name: (folder / f"{name}.pdf", pdf) for name, pdf in zip(FORMS, lo)}


def spacing(path: Path) -> tuple[float, float, float]:
    """(number line's glyphs → red rule's edge, red rule's edge → table's top border,
    height of the 办理情况 row in grid lines), in mm and lines, on page 1."""
    m = MeasuredPDF(path)
    red = next(r for r in m.rules(1) if r.color and r.color[0] > 200 and r.color[1] < 80)
    number = next(ln for ln in m.lines(1) if "〔" in ln.text and ln.bottom < red.y)
    black = sorted(
        (
            r
            for r in m.rules(1)
            if r.length > 100 and not (r.color and r.color[0] > 200 and r.color[1] < 80)
        ),
        key=lambda r: r.y,
    )
    table_top = next(r for r in black if r.y > red.y)
    label = next(ln for ln in m.lines(1) if ln.text.replace(" ", "") == "办理情况")
    above = max(r.y for r in black if r.y < label.top)
    below = min(r.y for r in black if r.y > label.bottom)
    return (
        red.y - red.width_mm / 2 - number.bottom,
        table_top.y - table_top.width_mm / 2 - (red.y + red.width_mm / 2),
        (below - above) / LINE_PITCH,
    )


@pytest.mark.parametrize("name", list(FORMS))
def test_the_docx_form_is_spaced_as_the_pdf(rendered, name: str) -> None:
    pdf, lo = rendered[name]
    assert MeasuredPDF(lo).pages == MeasuredPDF(pdf).pages == 1
    ours, theirs = spacing(pdf), spacing(lo)
    for measured in (ours, theirs):
        rule_gap, table_gap, _ = measured
        assert rule_gap >= FORM_RULE_CLEAR - 0.15, (name, measured)
        assert table_gap >= 2.0 - 0.15, (name, measured)
    if name == "supervision":  # room on the page: six lines of handwriting in both
        assert min(ours[2], theirs[2]) >= FORM_BLANK_LINES - 0.2, (ours, theirs)
    # The same places within a few tenths of a millimetre, the same rows (the 催办单's
    # page leaves its box four lines in the PDF, and so in the .docx).
    assert abs(ours[0] - theirs[0]) < 0.5 and abs(ours[1] - theirs[1]) < 0.5, (ours, theirs)
    assert round(ours[2]) == round(theirs[2]), (ours, theirs)
