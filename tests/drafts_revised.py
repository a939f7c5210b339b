"""A 函 back from 核稿 in Word: tracked changes (修订), a comment (批注), fields, content controls.

Built with python-docx, the revisions written as Word writes them (w:ins,
w:del with w:delText, w:moveFrom/w:moveTo, a deleted paragraph mark), the
comment through python-docx's comments part. EXPECTED_REVISED is the text
as Word shows it after 接受所有修订.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = f'xmlns:w="{W}"'
_WHO = 'w:author="核稿人" w:date="2025-09-20T10:00:00Z"'

REVISED_BODY = [
    "根据省文物局通知要求，经研究，决定在全市范围内开展文物消防安全专项检查。现将有关事项函告如下：",
    "一、检查范围为全市各级文物保护单位和尚未核定公布为文物保护单位的不可移动文物。",
    "二、请各单位于2025年10月31日前将自查情况报送市文物保护中心。",
    "三、联系人：王晓燕，电话：0356-5220000。",
]
EXPECTED_REVISED = {
    "kind": "letter",
    "issuer": ["高平市文物保护中心"],
    "number": "高文保函〔2025〕9号",
    "title": "高平市文物保护中心关于开展全市文物消防安全专项检查的函",
    "recipients": ["各乡（镇）人民政府", "市直有关单位"],
    "body": REVISED_BODY,
    "date": "2025-09-22",
}
REVISIONS = 6  # two insertions, two deletions, one move (from and to), one deleted paragraph
COMMENTS = 1


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _ins(n: int, text: str) -> str:
    return f'<w:ins w:id="{n}" {_WHO}>{_r(text)}</w:ins>'


def _del(n: int, text: str) -> str:
    return f'<w:del w:id="{n}" {_WHO}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def _para(doc: Document, inner: str, *, mark_deleted: int | None = None):  # noqa: ANN202
    """A paragraph from run-level XML; ``mark_deleted``: the id of a deletion of its mark."""
    p = doc.add_paragraph()
    ppr = ""
    if mark_deleted is not None:
        ppr = f'<w:pPr><w:rPr><w:del w:id="{mark_deleted}" {_WHO}/></w:rPr></w:pPr>'
    xml = f"<w:p {_NS}>{ppr}{inner}</w:p>"
    new = etree.fromstring(xml)
    p._p.getparent().replace(p._p, new)
    return new


def _content_control(inner: str, placeholder: bool = False) -> str:
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    return f'<w:sdt><w:sdtPr><w:alias w:val="标题"/>{shown}</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'


def letter_with_revisions(folder: Path) -> Path:
    doc = Document()
    mark = doc.add_paragraph("高平市文物保护中心")
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The number from a document property field (what an office template fills in).
    _para(
        doc,
        f'<w:fldSimple w:instr=" DOCPROPERTY 文号 \\* MERGEFORMAT ">{_r("高文保函〔2025〕9号")}</w:fldSimple>',
    )
    # The title in a block-level content control; a second one still shows its prompt.
    body = doc.element.body
    title = etree.fromstring(
        f"<w:sdt {_NS}><w:sdtPr/><w:sdtContent>"
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
        f"{_r('高平市文物保护中心关于开展全市文物消防安全专项检查的函')}</w:p>"
        "</w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, title)
    prompt = etree.fromstring(
        f"<w:sdt {_NS}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        f"<w:p>{_r('单击或点击此处输入文字。')}</w:p></w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, prompt)
    # Recipients in a run-level content control.
    _para(doc, _content_control(_r("各乡（镇）人民政府、市直有关单位")) + _r("："))
    # 1: an insertion, a deletion, and a comment on the first words.
    first = _para(
        doc,
        _r("根据省文物局通知要求，")
        + _ins(1, "经研究，")
        + _r("决定在全市范围内")
        + _del(2, "尽快")
        + _r("开展文物消防安全专项检查。现将有关事项函告如下："),
    )
    # 2: a paragraph whose mark was deleted runs into the next.
    _para(doc, _r("一、检查范围为全市各级文物保护单位"), mark_deleted=3)
    _para(doc, _r("和尚未核定公布为文物保护单位的不可移动文物。"))
    # A paragraph deleted whole (its text and its mark).
    _para(doc, _del(4, "（此段删去：检查时间另行通知。）"), mark_deleted=4)
    # 3: text moved within the paragraph: moved-from dropped, moved-to kept.
    _para(
        doc,
        _r("二、请各单位")
        + f'<w:moveFrom w:id="5" {_WHO}>{_r("将自查情况报送市文物保护中心")}</w:moveFrom>'
        + _r("于2025年10月31日前")
        + f'<w:moveTo w:id="6" {_WHO}>{_r("将自查情况报送市文物保护中心")}</w:moveTo>'
        + _r("。"),
    )
    _para(doc, _r("三、联系人：王晓燕，电话：") + _ins(7, "0356-") + _r("5220000。"))
    sig = doc.add_paragraph("高平市文物保护中心")
    sig.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # The date as a DATE field: its code is not text, its shown result is.
    date = _para(
        doc,
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _r("2025年9月22日")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    date.insert(0, etree.fromstring(f'<w:pPr {_NS}><w:jc w:val="right"/></w:pPr>'))
    path = folder / "函-修订.docx"
    doc.save(path)
    # The comment, added through python-docx on the first body paragraph's first run.
    doc = Document(path)
    para = next(p for p in doc.paragraphs if p.text.startswith("根据"))
    doc.add_comment(para.runs[0], text="“通知”请写全称。", author="核稿人", initials="HG")
    doc.save(path)
    assert first is not None
    return path
