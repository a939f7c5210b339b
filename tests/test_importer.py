"""Drafts in: each draft typed the way offices type it imports field by field as expected."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import drafts
import pytest

from docgen import loader
from docgen.importer import DraftError, import_draft

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed-gaoping-18.txt"
SAMPLES = ROOT / "samples"


def table_rows(body: list) -> list[list[str]]:
    """The cells of the table in a body, whether the model holds it as a table or as rows of text."""
    tables = [item for item in body if isinstance(item, dict)]
    if tables:
        item = tables[0].get("table", tables[0])
        return item["rows"]
    return [line.split("　") for line in body]


def assert_imports_as(data: dict, expected: dict) -> None:
    for key, want in expected.items():
        if key == "attachments":
            got = data.get("attachments", [])
            assert len(got) == len(want), f"{len(got)} attachments"
            for n, (g, w) in enumerate(zip(got, want), 1):
                assert g["title"] == w["title"], f"attachment {n} title"
                if "table" in w:
                    assert table_rows(g["body"]) == w["table"], f"attachment {n} table cells"
                else:
                    assert g["body"] == w["body"], f"attachment {n} body"
            continue
        got = data.get(key)
        if hasattr(got, "isoformat"):
            got = got.isoformat()
        if key == "body":
            assert len(got) == len(want), f"body has {len(got)} paragraphs: {got}"
            for k, (g, w) in enumerate(zip(got, want), 1):
                assert g == w, f"body[{k}]"
        else:
            assert got == want, f"{key}: {got!r}"
    for key in ("number", "signers", "note", "cc", "attachments"):
        if key not in expected:
            assert not data.get(key), f"{key} should be empty, is {data.get(key)!r}"


# --- the seed --------------------------------------------------------------------------------


def test_seed_imports_as_the_sample_letter() -> None:
    from docgen.proof import fix_text, load_units

    result = import_draft(SEED)
    got = loader.build(result.model_dict()).model_dump()
    want = loader.load(SAMPLES / "letter-gaoping-18.yaml").model_dump()
    # The seed names one member unit by an alias (市发展改革和科技局); the sample uses the
    # register's name, as `docgen check --fix` writes it. Everything else is as typed.
    units = load_units(SAMPLES / "letter-gaoping-18.yaml")
    seed_body = got["attachments"][0]["body"]
    fixed = [fix_text(p, units=units)[0] for p in seed_body]
    assert sum(a != b for a, b in zip(seed_body, fixed)) == 1
    got["attachments"][0]["body"] = fixed
    assert got == want
    report = result.report
    assert report.kind == "letter"
    assert report.part("title").where == "第7行"
    assert report.part("attachment_list").found
    # The hard wrap across a page seam (…调整成员 / 单位，…) was joined and said so.
    joined = [p for p in report.paragraphs if "合并" in p.note]
    assert len(joined) == 4
    # The traditional 學 the PDF's text layer gave is said in the report.
    assert any("學" in n for n in report.notes)


# --- the four kinds of draft --------------------------------------------------------------------


def test_request_without_head(tmp_path: Path) -> None:
    result = import_draft(drafts.request_without_head(tmp_path))
    assert_imports_as(result.data, drafts.EXPECTED_REQUEST)
    assert result.data.get("signers") is None and result.data.get("number") is None
    gaps = [g.field for g in result.report.gaps]
    assert gaps == ["number", "signers"]
    title = [p for p in result.report.paragraphs if p.role == "标题"]
    assert len(title) == 2  # two lines of one paragraph, joined
    manual = [p for p in result.report.paragraphs if "换行符" in p.note]
    assert [p.where for p in manual] == ["第5段"]


def test_letter_on_old_letterhead(tmp_path: Path) -> None:
    result = import_draft(drafts.letter_on_old_letterhead(tmp_path))
    assert_imports_as(result.data, drafts.EXPECTED_LETTERHEAD)
    roles = {p.where: p.role for p in result.report.paragraphs}
    assert roles["第2段"].startswith("旧版头英文名")
    assert roles["第3段"].startswith("版头分隔线")
    assert any("已规范为" in n for n in result.report.notes)  # [2025] → 〔2025〕


def test_letter_with_word_numbering(tmp_path: Path) -> None:
    result = import_draft(drafts.letter_with_word_numbering(tmp_path))
    assert_imports_as(result.data, drafts.EXPECTED_NUMBERED)
    roles = [p.role for p in result.report.paragraphs if p.field.startswith("body")]
    assert (
        roles.count("一级标题") == 3
        and roles.count("二级标题") == 2
        and roles.count("三级标题") == 2
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_letter_pasted_from_pdf(tmp_path: Path, encoding: str) -> None:
    result = import_draft(drafts.letter_pasted_from_pdf(tmp_path, encoding))
    assert_imports_as(result.data, drafts.EXPECTED_PASTED)
    roles = [p.role for p in result.report.paragraphs]
    assert roles.count("页码（已删除）") == 2
    assert roles.count("页眉（已删除）") == 1


def test_pdf_text_pasted_into_word(tmp_path: Path) -> None:
    result = import_draft(drafts.letter_pasted_into_word(tmp_path))
    assert_imports_as(result.data, drafts.EXPECTED_PASTED)


def test_every_paragraph_has_a_role(tmp_path: Path) -> None:
    for build in (drafts.request_without_head, drafts.letter_on_old_letterhead):
        path = build(tmp_path)
        result = import_draft(path)
        from docx import Document

        typed = sum(1 for p in Document(path).paragraphs if p.text.strip())
        reported = {p.where for p in result.report.paragraphs if p.role != "表格"}
        assert len(reported) == typed
        assert all(p.role for p in result.report.paragraphs)
        assert not result.report.unplaced


def test_text_after_the_date_is_kept_and_reported(tmp_path: Path) -> None:
    lines = drafts.pasted_from_pdf_lines() + ["", "请各单位于10月8日前反馈联系人名单。"]
    path = tmp_path / "tail.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = import_draft(path)
    assert result.data["body"][-1] == "请各单位于10月8日前反馈联系人名单。"
    assert [p.text for p in result.report.unplaced] == ["请各单位于10月8日前反馈联系人名单。"]
    assert "未能识别的段落 1 个" in result.report.to_text()


def test_markdown_draft(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "# 高平市文物保护中心关于报送文物安全检查情况的函",
            "",
            "市文物局：",
            "",
            "根据工作安排，现将**检查情况**函告如下：",
            "",
            "## 一、基本情况",
            "",
            "| 序号 | 单位 | 问题数 |",
            "| --- | --- | --- |",
            "| 1 | 米山镇 | 3 |",
            "| 2 | 寺庄镇 | 2 |",
            "",
            "高平市文物保护中心",
            "",
            "2025年9月22日",
        ]
    )
    path = tmp_path / "函.md"
    path.write_text(text, encoding="utf-8")
    result = import_draft(path)
    assert result.data["title"] == "高平市文物保护中心关于报送文物安全检查情况的函"
    body = result.data["body"]
    assert body[:2] == ["根据工作安排，现将检查情况函告如下：", "一、基本情况"]
    assert table_rows(body[2:]) == [
        ["序号", "单位", "问题数"],
        ["1", "米山镇", "3"],
        ["2", "寺庄镇", "2"],
    ]


def test_kind_from_title_or_option(tmp_path: Path) -> None:
    path = drafts.request_without_head(tmp_path)
    assert import_draft(path).report.kind == "request"
    assert import_draft(path, kind="letter").report.kind == "letter"
    filled = import_draft(path, fill={"number": "高文保发〔2025〕30号", "signers": ["李志刚"]})
    assert filled.data["number"] == "高文保发〔2025〕30号" and filled.data["signers"] == ["李志刚"]
    assert not filled.report.gaps


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,data,words",
    [
        ("旧.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
        ("旧.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".docx"),
        ("加密.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "加密"),
        ("坏.docx", b"PK\x03\x04 this is not a zip", "损坏"),
        ("空.txt", b"", "空"),
        ("空白.docx", b"", "空"),
        ("无标题.txt", "经研究，同意你单位的意见。请按有关规定办理。\n".encode(), "标题"),
    ],
)
def test_bad_drafts_exit_1_and_write_nothing(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    with pytest.raises(DraftError, match=words):
        import_draft(src)
    out = tmp_path / "out.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "docgen", "import", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert words in proc.stderr and name in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not out.exists()


def test_empty_docx_has_no_title(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "空文档.docx"
    Document().save(path)
    with pytest.raises(DraftError, match="空"):
        import_draft(path)


# --- the command ---------------------------------------------------------------------------


def docgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd
    )


def test_import_writes_a_commented_model_file(tmp_path: Path) -> None:
    out = tmp_path / "函.yaml"
    proc = docgen("import", str(SEED), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "✓ 标题（title）" in proc.stdout and "第7行" in proc.stdout
    text = out.read_text(encoding="utf-8")
    assert "# 标题：第7行" in text and "# 发文字号：第5行" in text and "# 附注：第21行" in text
    model = loader.load(out).model_dump()
    assert model == loader.build(import_draft(SEED).model_dict()).model_dump()
    assert model["title"] == loader.load(SAMPLES / "letter-gaoping-18.yaml").title
    check = docgen("check", str(out))
    assert check.returncode == 0, check.stderr


def test_gaps_are_reported_by_check_and_filled_by_options(tmp_path: Path) -> None:
    draft = drafts.request_without_head(tmp_path)
    proc = docgen("check", str(draft))
    assert proc.returncode == 1
    assert "发文字号" in proc.stderr and "--number" in proc.stderr
    assert "签发人" in proc.stderr and "--signer" in proc.stderr
    assert str(draft) in proc.stderr
    # The YAML the import writes marks the gaps, and check reports the signer as missing.
    out = tmp_path / "请示.yaml"
    assert docgen("import", str(draft), "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "# 缺：发文字号" in text and "# 缺：签发人" in text
    assert docgen("check", str(out)).returncode == 1
    filled = docgen("check", str(draft), "--number", "高文保发〔2025〕30号", "--signer", "李志刚")
    assert filled.returncode == 0, filled.stderr


def test_import_never_overwrites_silently(tmp_path: Path) -> None:
    out = tmp_path / "函.yaml"
    out.write_text("kind: letter\n", encoding="utf-8")
    proc = docgen("import", str(SEED), "-o", str(out))
    assert proc.returncode == 0
    assert out.read_text(encoding="utf-8") == "kind: letter\n"
    assert (tmp_path / "函-2.yaml").exists()


def test_report_as_json(tmp_path: Path) -> None:
    import json

    report = tmp_path / "报告.json"
    proc = docgen("import", str(SEED), "-o", str(tmp_path / "x.yaml"), "--report", str(report))
    assert proc.returncode == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["kind"] == "letter" and data["gaps"] == []
    assert {p["field"] for p in data["parts"]} >= {"title", "number", "date", "attachments"}
    assert re.search(r"第\d+行", data["paragraphs"][0]["where"])


# --- letterheads and colophons laid out the other ways Word allows ------------------------------


def _letter_body(doc) -> None:  # noqa: ANN001
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_paragraph("高政办函〔2025〕32号").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(drafts.EXPECTED_LETTERHEAD["title"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("高平市文物局：")
    for para in drafts.LETTERHEAD_BODY:
        doc.add_paragraph("　　" + para)
    doc.add_paragraph("高平市人民政府办公室").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("2025年9月22日").alignment = WD_ALIGN_PARAGRAPH.RIGHT


def test_letterhead_in_the_page_header_and_colophon_in_a_table(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "高平市人民政府办公室"
    _letter_body(doc)
    table = doc.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "抄送：市委办公室，市人大常委会办公室，市政协办公室。"
    table.cell(1, 0).text = "高平市人民政府办公室　　　　2025年9月23日印发"
    path = tmp_path / "页眉版头.docx"
    doc.save(path)
    result = import_draft(path)
    expected = {k: v for k, v in drafts.EXPECTED_LETTERHEAD.items() if k != "note"}
    assert_imports_as(result.data, expected)
    assert result.report.part("issuer").where == "页眉"


def test_letterhead_laid_out_in_a_table(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "高平市人民政府办公室"
    _letter_body(doc)
    path = tmp_path / "表格版头.docx"
    doc.save(path)
    result = import_draft(path)
    assert result.data["issuer"] == ["高平市人民政府办公室"]
    assert result.data["title"] == drafts.EXPECTED_LETTERHEAD["title"]
    assert result.data["body"] == drafts.LETTERHEAD_BODY


def test_images_are_reported_not_imported(tmp_path: Path) -> None:
    from docx import Document
    from PIL import Image

    png = tmp_path / "seal.png"
    Image.new("RGB", (40, 40), (255, 0, 0)).save(png)
    doc = Document()
    _letter_body(doc)
    doc.add_paragraph().add_run().add_picture(str(png))
    path = tmp_path / "带图片.docx"
    doc.save(path)
    result = import_draft(path)
    assert result.data["body"] == drafts.LETTERHEAD_BODY
    assert [p.role for p in result.report.images] == ["图片（未导入）"]
    assert "有图片，未导入" in result.report.to_text()


def test_minutes_draft(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "高平市文物保护工作联席会议纪要",
            "第1期",
            "高平市文物保护工作联席会议办公室                2025年7月21日",
            "",
            "高平市文物保护工作联席会议第一次全体会议纪要",
            "    2025年7月18日上午，市政府副市长赵志刚主持召开联席会议第一次全体会议。",
            "    会议指出，各成员单位要按照职责分工，主动担当、密切配合。",
            "    出席：市人民政府 赵志刚；市文物保护中心 郭晓东、常丽萍",
            "    请假：晋城市生态环境局高平分局 冯志勇",
        ]
    )
    path = tmp_path / "纪要.txt"
    path.write_text(text, encoding="utf-8")
    result = import_draft(path)
    model = loader.build(result.model_dict())
    assert model.kind == "minutes" and model.issue_no == 1
    assert model.mark == "高平市文物保护工作联席会议纪要"
    assert model.meeting == "高平市文物保护工作联席会议第一次全体会议"
    assert model.compiler == "高平市文物保护工作联席会议办公室"
    assert model.date.isoformat() == "2025-07-21"
    assert len(model.body) == 2
    assert [a.text() for a in model.present] == [
        "市人民政府　赵志刚",
        "市文物保护中心　郭晓东、常丽萍",
    ]
    assert [a.unit for a in model.absent] == ["晋城市生态环境局高平分局"]


# --- tables ----------------------------------------------------------------------------------


def test_word_table_with_merged_cells(tmp_path: Path) -> None:
    from docx import Document

    from docgen.importer.read_docx import read_docx
    from docgen.importer.tables import table_item

    doc = Document()
    table = doc.add_table(rows=4, cols=3)
    texts = [
        ["类别", "项目", "资金（万元）"],
        ["修缮", "羊头山石窟", "180"],
        ["", "清梦观", "140"],
        ["合计", "", "320"],
    ]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # 修缮 spans two rows
    table.cell(3, 0).merge(table.cell(3, 1))  # 合计 spans two columns
    path = tmp_path / "合并单元格.docx"
    doc.save(path)
    read = read_docx(path.read_bytes(), path.name)
    t = next(p.table for p in read.paras if p.table is not None)
    assert t.rows == [
        ["类别", "项目", "资金（万元）"],
        ["修缮", "羊头山石窟", "180"],
        ["清梦观", "140"],
        ["合计", "320"],
    ]
    assert t.spans == {(1, 0): (2, 1), (3, 0): (1, 2)}
    item = table_item(t)
    if item is not None:  # the table model is on main: the item validates and keeps the merges
        from docgen.models.tables import TableItem

        model = TableItem.model_validate(item)
        assert model.table.columns == 3
        assert [
            (c.row, c.col, c.rowspan, c.colspan)
            for c in model.table.cells
            if c.cell.text in ("修缮", "合计")
        ] == [
            (1, 0, 2, 1),
            (3, 0, 1, 2),
        ]


def test_pasted_text_table_by_tabs_and_an_unrecognised_one(tmp_path: Path) -> None:
    lines = drafts.pasted_from_pdf_lines()
    at = next(k for k, line in enumerate(lines) if line.strip().startswith("三、工作要求"))
    table = ["序号\t单位\t检查时间", "1\t米山镇\t10月9日", "2\t寺庄镇\t10月10日"]
    broken = ["序号  单位  检查时间", "1  米山镇"]
    path = tmp_path / "带表格.txt"
    path.write_text("\n".join(lines[:at] + table + broken + lines[at:]), encoding="utf-8")
    result = import_draft(path)
    body = result.data["body"]
    rows = table_rows([b for b in body if isinstance(b, dict)] or body[7:10])
    assert rows == [
        ["序号", "单位", "检查时间"],
        ["1", "米山镇", "10月9日"],
        ["2", "寺庄镇", "10月10日"],
    ]
    text = result.report.to_text()
    assert "疑似表格" in text  # the lines that do not line up stay paragraphs, and are said


def test_title_broken_after_the_issuer_name_is_one_title(tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    for line in ("高平市文物保护中心", "关于申请2026年度文物保护专项资金的请示"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("高平市人民政府：")
    doc.add_paragraph("　　" + drafts.REQUEST_BODY[0])
    doc.add_paragraph("高平市文物保护中心").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("2025年9月22日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = tmp_path / "标题两行.docx"
    doc.save(path)
    data = import_draft(path).data
    assert data["title"] == drafts.REQUEST_TITLE
    assert data["issuer"] == ["高平市文物保护中心"] and data["body"] == drafts.REQUEST_BODY[:1]


_TEXT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">
<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
<w:p><w:r><w:rPr><w:color w:val="FF0000"/><w:sz w:val="72"/></w:rPr><w:t>高平市人民政府办公室</w:t></w:r></w:p>
</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
<w:p><w:r><w:t>高平市人民政府办公室</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def test_letterhead_in_a_text_box(tmp_path: Path) -> None:
    from docx import Document
    from lxml import etree

    doc = Document()
    anchor = doc.add_paragraph()
    anchor._p.append(etree.fromstring(_TEXT_BOX))
    _letter_body(doc)
    path = tmp_path / "文本框版头.docx"
    doc.save(path)
    result = import_draft(path)
    assert result.data["issuer"] == ["高平市人民政府办公室"]  # read once, not twice
    assert result.data["number"] == "高政办函〔2025〕32号"
    assert result.data["body"] == drafts.LETTERHEAD_BODY
    assert not result.report.images  # a text box is no picture


@pytest.mark.parametrize(
    "build",
    [
        drafts.request_without_head,
        drafts.letter_on_old_letterhead,
        drafts.letter_with_word_numbering,
    ],
)
def test_the_yaml_file_holds_exactly_the_import(tmp_path: Path, build) -> None:
    draft = build(tmp_path)
    out = tmp_path / "导入.yaml"
    proc = docgen("import", str(draft), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (
        loader.load(out).model_dump() == loader.build(import_draft(draft).model_dict()).model_dump()
    )
    comments = [
        line
        for line in out.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("#")
    ]
    assert any("标题：第" in c for c in comments) and any("正文：第" in c for c in comments)


def test_numbering_linked_to_heading_styles(tmp_path: Path) -> None:
    """Headings numbered through their styles (the numPr on Heading 1/2, the levels naming
    the styles), as an office template does it: the level comes from the style."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from lxml import etree

    doc = Document()
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = doc.part.numbering_part.element
    numbering.insert(
        0,
        etree.fromstring(
            f'<w:abstractNum {ns} w:abstractNumId="91">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:pStyle w:val="Heading2"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        etree.fromstring(f'<w:num {ns} w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
    )
    for name in ("Heading 1", "Heading 2"):
        ppr = doc.styles[name].element.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        nid = OxmlElement("w:numId")
        nid.set(qn("w:val"), "91")
        num_pr.append(nid)
        ppr.append(num_pr)
    doc.add_paragraph("高平市文物保护中心关于做好国庆节期间文物安全工作的函")
    doc.add_paragraph("各乡（镇）人民政府：")
    doc.add_paragraph("现将有关事项函告如下：")
    doc.add_paragraph("加强安全巡查", style="Heading 1")
    doc.add_paragraph("重点部位", style="Heading 2")
    doc.add_paragraph("每日巡查不少于两次。")
    doc.add_paragraph("一般部位", style="Heading 2")
    doc.add_paragraph("落实值班制度", style="Heading 1")
    doc.add_paragraph("节日期间实行24小时值班。")
    doc.add_paragraph("高平市文物保护中心")
    doc.add_paragraph("2025年9月22日")
    path = tmp_path / "样式编号.docx"
    doc.save(path)
    body = import_draft(path).data["body"]
    assert body == [
        "现将有关事项函告如下：",
        "一、加强安全巡查",
        "（一）重点部位",
        "每日巡查不少于两次。",
        "（二）一般部位",
        "二、落实值班制度",
        "节日期间实行24小时值班。",
    ]


def test_page_header_text_that_is_no_letterhead_is_left_out_and_said(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "内部资料 注意保存"
    _letter_body(doc)
    path = tmp_path / "页眉非版头.docx"
    doc.save(path)
    result = import_draft(path)
    assert result.data["title"] == drafts.EXPECTED_LETTERHEAD["title"]
    assert any("内部资料" in n for n in result.report.notes)
