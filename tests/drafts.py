"""Drafts typed the ways offices type them, built with python-docx (and as text), for the importer tests.

Each builder returns the draft's path; the matching EXPECTED_* mapping is
what the import must give, field by field.
"""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

# --- a 请示 without a head --------------------------------------------------------------

REQUEST_BODY = [
    "我中心负责全市文物保护单位的日常管理。根据《中华人民共和国文物保护法》和省、晋城市有关要求，结合我市实际，现将申请文物保护专项资金有关事项请示如下：",
    "一、基本情况",
    "我市现有各级文物保护单位128处，其中全国重点文物保护单位11处。部分古建筑年久失修，存在较大安全隐患，亟需抢救性保护。",
    "二、资金需求",
    "（一）保护修缮。对羊头山石窟、清梦观等5处文物建筑实施抢险加固，需资金320万元。",
    "（二）安全防范。为12处文物保护单位安装视频监控和防火设施，需资金85万元。",
    "三、有关建议",
    "建议市财政将上述资金列入2026年度预算，分两批拨付，我中心将严格按照专项资金管理办法使用，确保专款专用。",
    "妥否，请批示。",
]
REQUEST_TITLE = "高平市文物保护中心关于申请2026年度文物保护专项资金的请示"
REQUEST_ATTACH_1 = "高平市2026年度文物保护修缮项目说明"
REQUEST_ATTACH_2 = "高平市文物保护专项资金预算表"
REQUEST_ATTACH_1_BODY = [
    "一、羊头山石窟抢险加固工程",
    "主要对石窟崖体裂隙进行灌浆加固，对窟檐进行修缮，工期6个月。",
    "二、清梦观三清殿屋面修缮工程",
    "主要对屋面进行揭顶补漏，更换糟朽椽望，工期4个月。",
]
REQUEST_TABLE = [
    ["序号", "项目名称", "资金（万元）", "备注"],
    ["1", "羊头山石窟抢险加固", "180", "抢险"],
    ["2", "清梦观三清殿屋面修缮", "140", "修缮"],
    ["3", "文物安全防范设施", "85", "安防"],
]

EXPECTED_REQUEST = {
    "kind": "request",
    "issuer": ["高平市文物保护中心"],
    "title": REQUEST_TITLE,
    "recipients": ["高平市人民政府"],
    "body": REQUEST_BODY,
    "date": "2025-09-22",
    "note": "联系人：王晓燕，电话：0356-5220000",
    "attachments": [
        {"title": REQUEST_ATTACH_1, "body": REQUEST_ATTACH_1_BODY},
        {"title": REQUEST_ATTACH_2, "table": REQUEST_TABLE},
    ],
}


def _page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _right(doc: Document, text: str) -> None:
    doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _center(doc: Document, text: str):  # noqa: ANN202
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _header_row(table) -> None:  # noqa: ANN001
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def request_without_head(folder: Path) -> Path:
    """A 请示 typed without a head: space indents, a manual line break, half-width punctuation,
    the signature and date pushed right with spaces, two attachments on new pages, one a table."""
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("高平市文物保护中心关于申请2026年度")
    run.add_break()  # Shift+Enter inside the title
    title.add_run("文物保护专项资金的请示")
    doc.add_paragraph("高平市人民政府:")
    # Half-width punctuation and space indents, as typed.
    doc.add_paragraph(
        "    我中心负责全市文物保护单位的日常管理。根据《中华人民共和国文物保护法》和省、晋城市有关要求,结合我市实际,现将申请文物保护专项资金有关事项请示如下:"
    )
    doc.add_paragraph("    一、基本情况")
    p = doc.add_paragraph(
        "　　我市现有各级文物保护单位128处，其中全国重点文物保护单位11处。部分古建筑年久失修，"
    )
    p.runs[0].add_break()  # a manual line break in the middle of a sentence
    p.add_run("存在较大安全隐患，亟需抢救性保护。")
    doc.add_paragraph("\t二、资金需求")
    doc.add_paragraph(
        "    (一)保护修缮。对羊头山石窟、清梦观等5处文物建筑实施抢险加固,需资金320万元。"
    )
    doc.add_paragraph("    (二)安全防范。为12处文物保护单位安装视频监控和防火设施,需资金85万元。")
    doc.add_paragraph("    三、有关建议")
    doc.add_paragraph(
        "    建议市财政将上述资金列入2026年度预算,分两批拨付,我中心将严格按照专项资金管理办法使用,确保专款专用。"
    )
    doc.add_paragraph("    妥否,请批示。")
    doc.add_paragraph("")
    doc.add_paragraph(f"    附件:1.{REQUEST_ATTACH_1}")
    doc.add_paragraph(f"         2.{REQUEST_ATTACH_2}")
    doc.add_paragraph("")
    doc.add_paragraph(" " * 36 + "高平市文物保护中心")
    doc.add_paragraph(" " * 38 + "2025年9月22日")
    doc.add_paragraph("    (联系人:王晓燕,电话:0356-5220000)")
    _page_break(doc)
    doc.add_paragraph("附件1")
    _center(doc, REQUEST_ATTACH_1)
    for para in REQUEST_ATTACH_1_BODY:
        doc.add_paragraph("    " + para)
    _page_break(doc)
    doc.add_paragraph("附件2")
    _center(doc, REQUEST_ATTACH_2)
    table = doc.add_table(rows=len(REQUEST_TABLE), cols=len(REQUEST_TABLE[0]))
    for r, row in enumerate(REQUEST_TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    _header_row(table)
    path = folder / "请示-无版头.docx"
    doc.save(path)
    return path


# --- a 函 on an old letterhead --------------------------------------------------------------

LETTERHEAD_BODY = [
    "你局《关于商请协助开展文物安全联合检查的函》收悉。经研究，现将有关事项函复如下：",
    "一、同意派员参加全市文物安全联合检查，我办已指定综合科具体负责对接。",
    "二、请你局于检查前三日将检查方案和日程安排送我办，以便统筹安排。",
    "特此函复。",
]
EXPECTED_LETTERHEAD = {
    "kind": "letter",
    "issuer": ["高平市人民政府办公室"],
    "number": "高政办函〔2025〕32号",
    "title": "高平市人民政府办公室关于同意参加全市文物安全联合检查的复函",
    "recipients": ["高平市文物局"],
    "body": LETTERHEAD_BODY,
    "date": "2025-09-22",
    "note": "此件公开发布",
    "cc": ["市委办公室", "市人大常委会办公室", "市政协办公室"],
    "printer": "高平市人民政府办公室",
    "print_date": "2025-09-23",
}


def letter_on_old_letterhead(folder: Path) -> Path:
    """A 函 typed on last year's letterhead: red mark, English name, a rule, the number in [ ]."""
    doc = Document()
    mark = _center(doc, "")
    run = mark.add_run("高平市人民政府办公室")
    run.font.color.rgb = RGBColor(0xFF, 0, 0)
    _center(doc, "GAOPING MUNICIPAL PEOPLE'S GOVERNMENT OFFICE")
    _center(doc, "━━━━━━━━━━━━━━━━━━━━━━━━━━━━")
    _right(doc, "高政办函[2025]32号")
    doc.add_paragraph("")
    _center(doc, "高平市人民政府办公室关于同意参加")
    _center(doc, "全市文物安全联合检查的复函")
    doc.add_paragraph("高平市文物局：")
    for para in LETTERHEAD_BODY:
        doc.add_paragraph("　　" + para)
    _right(doc, "高平市人民政府办公室")
    _right(doc, "二〇二五年九月二十二日")
    doc.add_paragraph("　　（此件公开发布）")
    doc.add_paragraph("")
    doc.add_paragraph("抄送：市委办公室，市人大常委会办公室，市政协办公室。")
    doc.add_paragraph("高平市人民政府办公室　　　　　　　　2025年9月23日印发")
    path = folder / "函-旧版头.docx"
    doc.save(path)
    return path


# --- a 函 whose headings are Word's automatic numbering -----------------------------------------

NUMBERED_BODY = [
    "为做好国庆节期间文物安全工作，现将有关事项函告如下：",
    "一、加强安全巡查",
    "（一）重点部位",
    "对全国重点文物保护单位每日巡查不少于两次。",
    "（二）一般部位",
    "对其他文物保护单位每周巡查不少于一次。",
    "二、落实值班制度",
    "1.节日期间实行24小时值班。",
    "2.值班人员须保持通讯畅通。",
    "三、及时报告情况",
    "发现险情立即报告，不得迟报、漏报。",
]
EXPECTED_NUMBERED = {
    "kind": "letter",
    "issuer": ["高平市文物保护中心"],
    "number": "高文保函〔2025〕7号",
    "title": "高平市文物保护中心关于做好国庆节期间文物安全工作的函",
    "recipients": ["各乡（镇）人民政府", "各街道办事处"],
    "body": NUMBERED_BODY,
    "date": "2025-09-22",
}

_NUMBERING_XML = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>"""


def _numbered(doc: Document, text: str, level: int, num_id: str = "90") -> None:
    p = doc.add_paragraph(text, style="Heading 1" if level == 0 else None)
    ppr = p._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(nid)
    ppr.append(num_pr)


def letter_with_word_numbering(folder: Path) -> Path:
    """A 函 whose 一、 （一） 1. labels are Word's automatic numbering, not text."""
    from lxml import etree

    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, etree.fromstring(_NUMBERING_XML))
    num = etree.fromstring(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
        '<w:abstractNumId w:val="90"/></w:num>'
    )
    numbering.append(num)
    _center(doc, "高平市文物保护中心")
    _right(doc, "高文保函〔2025〕7号")
    _center(doc, "高平市文物保护中心关于做好国庆节期间文物安全工作的函")
    doc.add_paragraph("各乡（镇）人民政府、各街道办事处：")
    doc.add_paragraph(NUMBERED_BODY[0])
    _numbered(doc, "加强安全巡查", 0)
    _numbered(doc, "重点部位", 1)
    doc.add_paragraph(NUMBERED_BODY[3])
    _numbered(doc, "一般部位", 1)
    doc.add_paragraph(NUMBERED_BODY[5])
    _numbered(doc, "落实值班制度", 0)
    _numbered(doc, "节日期间实行24小时值班。", 2)
    _numbered(doc, "值班人员须保持通讯畅通。", 2)
    _numbered(doc, "及时报告情况", 0)
    doc.add_paragraph(NUMBERED_BODY[10])
    _right(doc, "高平市文物保护中心")
    _right(doc, "2025-09-22")
    path = folder / "函-自动编号.docx"
    doc.save(path)
    return path


# --- a 函 pasted from a PDF: hard wraps, page numbers, a running head ----------------------------------

PASTED_BODY = [
    "根据省文物局《关于开展全省文物消防安全专项检查的通知》要求，为切实加强我市文物建筑消防安全管理，有效防范和遏制火灾事故发生，经研究，决定在全市范围内开展文物消防安全专项检查。现将有关事项函告如下：",
    "一、检查范围",
    "全市各级文物保护单位、尚未核定公布为文物保护单位的不可移动文物、博物馆和纪念馆，重点是古建筑类文物和利用文物建筑开办的宗教活动场所。",
    "二、检查内容",
    "（一）消防安全责任制落实情况，包括消防安全责任人、管理人是否明确，消防安全制度是否健全，日常防火巡查是否落实。",
    "（二）消防设施器材配备情况，包括灭火器、消防水源、室外消火栓的配置和完好有效情况。",
    "（三）用火用电管理情况，重点检查文物建筑内是否违规使用明火、私拉乱接电线和使用大功率电器。",
    "三、工作要求",
    "各单位要高度重视，认真组织自查，于2025年10月31日前将自查情况报送市文物保护中心。对检查中发现的问题，要建立台账，明确整改责任和时限，确保整改到位。",
]
EXPECTED_PASTED = {
    "kind": "letter",
    "issuer": ["高平市文物保护中心"],
    "number": "高文保函〔2025〕9号",
    "title": "高平市文物保护中心关于开展全市文物消防安全专项检查的函",
    "recipients": ["各乡（镇）人民政府", "市直有关单位"],
    "body": PASTED_BODY,
    "date": "2025-09-22",
}


def cells(text: str) -> float:
    """A text's width on the page: a Chinese character one cell, a half-width digit or letter half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def wrap(text: str, width: float = 28, first: float | None = None) -> list[str]:
    """Lines as a PDF sets them: each filled up to ``width`` cells (``first`` for the first line),
    so a line of half-width digits holds more characters than a line of Chinese."""
    lines = [""]
    for ch in text:
        limit = first if first is not None and len(lines) == 1 else width
        if cells(lines[-1] + ch) > limit:
            lines.append("")
        lines[-1] += ch
    return lines


def pasted_from_pdf_lines() -> list[str]:
    """The 函 as a PDF viewer's copy gives it: 28-character lines, spaces between Chinese and digits,
    a running head and page numbers between the pages."""
    lines = [
        "高平市文物保护中心",
        "",
        "高文保函〔2025〕9 号",
        "",
        "高平市文物保护中心关于开展全市文物消防",
        "安全专项检查的函",
        "",
        "各乡（镇）人民政府、市直有关单位：",
    ]
    for para in PASTED_BODY:
        first, *rest = wrap(para, 28, first=26)
        lines.append("  " + first)
        lines += rest
    # Break the body over two pages the way a PDF does.
    cut = 16
    page_end = ["", "— 1 —", "", "高文保函〔2025〕9 号", ""]
    lines = lines[:cut] + page_end + lines[cut:]
    lines += [
        "",
        "                          高平市文物保护中心",
        "                          2025 年 9 月 22 日",
        "",
        "— 2 —",
    ]
    # The PDF's text layer put a space between Chinese text and digits.
    return [ln.replace("2025年10月31日", "2025 年 10 月 31 日") for ln in lines]


def letter_pasted_from_pdf(folder: Path, encoding: str = "utf-8") -> Path:
    path = folder / f"函-PDF粘贴-{encoding}.txt"
    path.write_bytes("\r\n".join(pasted_from_pdf_lines()).encode(encoding))
    return path


def letter_pasted_into_word(folder: Path) -> Path:
    """The same PDF text pasted into Word: one paragraph per PDF line."""
    doc = Document()
    for line in pasted_from_pdf_lines():
        doc.add_paragraph(line)
    path = folder / "函-PDF粘贴.docx"
    doc.save(path)
    return path


def expected(mapping: dict) -> dict:
    return copy.deepcopy(mapping)
