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
