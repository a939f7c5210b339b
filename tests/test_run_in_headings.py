"""The run-in heading rule, one for every kind (issue 18), measured on the PDF and the .docx.

The heading's phrase, from 一、 to the first 。 or ： outside brackets, is set
in the level's font (黑体 for 一、, 楷体 for （一）); the rest of the paragraph
in 仿宋. A numbered paragraph of one sentence is all 仿宋. The same in a 函 and
in a 纪要's agreed items, and the .docx marks the same characters.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pdfmeasure import MeasuredPDF
from test_pdf_edges import letter, minutes

from docgen.fonts import resolve_fonts
from docgen.loader import build
from docgen.pipeline import render_document
from docgen.spec import Profile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEI, FANG = "NotoSansCJKsc", "FandolFang"


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


def _fonts_of(m: MeasuredPDF, text: str) -> str:
    """The PDF's font of each character of ``text`` (H 黑体, F 仿宋, K 楷体), found in order."""
    glyphs = [g for g in m.glyphs() if not g.is_space]
    flat = "".join(g.text for g in glyphs)
    start = flat.index(text[:12])
    out = ""
    for g in glyphs[start : start + len(text)]:
        out += "H" if HEI in g.font else "F" if FANG in g.font else "K"
    return out


def _docx_heading_chars(docx: bytes) -> str:
    """The characters the .docx sets in a heading character style (Heading1Char …)."""
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    out = ""
    for r in etree.fromstring(xml).iter(f"{W}r"):
        style = r.find(f"{W}rPr/{W}rStyle")
        if style is not None and style.get(f"{W}val", "").startswith("Heading"):
            out += "".join(t.text or "" for t in r.iter(f"{W}t"))
    return out


def test_letter_and_minutes_follow_one_rule(tmp_path: Path, fonts) -> None:
    phrase = "一、保护对象："
    rest = "全市各级文物保护单位和尚未核定公布为文物保护单位的不可移动文物。"
    sentence = "二、各成员单位按照职责分工落实文物安全责任（牵头单位：市文物局）。"
    function_letter = letter(body=[phrase + rest, sentence])
    item = {"序号": 3, "议定事项": "文物安全：" + rest, "牵头单位": "市公安局"}
    meeting = minutes(items=[*minutes()["items"], item])
    for data, para in ((function_letter, phrase + rest), (meeting, "三、文物安全：" + rest)):
        out = render_document(build(data), ("pdf", "docx"), Profile(), fonts)
        path = tmp_path / "out.pdf"
        path.write_bytes(out.files["pdf"])
        m = MeasuredPDF.open(path)
        head = para.index("：") + 1
        assert _fonts_of(m, para) == "H" * head + "F" * (len(para) - head), para
        assert _docx_heading_chars(out.files["docx"]) == para[:head]
    # A numbered sentence (a colon only inside brackets) is all 仿宋, in both files.
    out = render_document(build(letter(body=[sentence])), ("pdf", "docx"), Profile(), fonts)
    path.write_bytes(out.files["pdf"])
    assert set(_fonts_of(MeasuredPDF.open(path), sentence)) == {"F"}
    assert _docx_heading_chars(out.files["docx"]) == ""


def test_form_keeps_red_and_black_apart(tmp_path: Path, fonts) -> None:
    """督办单: 2 mm between the number/date line and the red rule, and between the rule
    and the table's top border (issue 18: they were 0.6 and 0.4 mm); one page."""
    import pymupdf
    from test_pdf_edges import supervision

    out = render_document(build(supervision()), ("pdf",), Profile(), fonts)
    doc = pymupdf.open(stream=out.files["pdf"], filetype="pdf")
    assert len(doc) == 1
    page = doc[0]
    mm = 72 / 25.4
    number = next(
        ln
        for b in page.get_text("rawdict")["blocks"]
        for ln in b.get("lines", [])
        if "〔" in "".join(c["c"] for sp in ln["spans"] for c in sp["chars"])
    )
    red = [d for d in page.get_drawings() if d.get("color") == (1.0, 0.0, 0.0)]
    rule = min(red, key=lambda d: d["rect"].y0)
    half = rule["width"] / 2
    black = [
        d["rect"].y0
        for d in page.get_drawings()
        if d.get("color") == (0.0, 0.0, 0.0) and d["rect"].y0 > rule["rect"].y0
    ]
    top_of_table = min(black)
    assert (rule["rect"].y0 - half - number["bbox"][3]) / mm >= 2.0 - 0.01
    assert (top_of_table - rule["rect"].y0 - half) / mm >= 2.0 - 0.01


@pytest.mark.parametrize("where", ["model", "profile"])
def test_unsealed_body_signs_per_7_3_5_2(tmp_path: Path, fonts, where: str) -> None:
    """A body without a seal (the joint meeting): name two characters in from the right,
    the date below starting two characters right of the name's first (issue 18)."""
    from test_pdf_edges import supervision

    data = supervision(sealed=False) if where == "model" else supervision()
    profile = Profile(sealed=False) if where == "profile" else Profile()
    out = render_document(build(data), ("pdf",), profile, fonts)
    path = tmp_path / "out.pdf"
    path.write_bytes(out.files["pdf"])
    m = MeasuredPDF.open(path)
    lines = m.lines(1)
    name = next(ln for ln in lines if ln.text.strip() == data["office"] and ln.size < 17)
    date = next(ln for ln in lines if ln.baseline > name.baseline and "年" in ln.text)
    cell = 156 / 28
    assert abs(name.x1 - (184.0 - 2 * cell)) < 0.3
    assert abs(date.x0 - (name.x0 + 2 * cell)) < 0.3
