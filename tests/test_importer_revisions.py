"""A Word draft back from 核稿: tracked changes accepted, comments dropped, and the report says so;
fields, text boxes and content controls read as the text they show."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import drafts_revised
import pymupdf
import pytest
from docx import Document
from lxml import etree

from docgen.fonts import resolve_fonts
from docgen.importer import DraftError, import_draft
from docgen.pipeline import load_checked, render_document
from docgen.spec import Profile

ROOT = Path(__file__).resolve().parent.parent
SAID = f"接受了 {drafts_revised.REVISIONS} 处修订，删去 {drafts_revised.COMMENTS} 条批注"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_revisions_accepted_and_comments_dropped(tmp_path: Path) -> None:
    path = drafts_revised.letter_with_revisions(tmp_path)
    result = import_draft(path)
    data = result.model_dict()
    for key, want in drafts_revised.EXPECTED_REVISED.items():
        assert data[key] == want, key
    for key in ("note", "cc", "attachments", "signers"):
        assert not data.get(key), key
    report = result.report
    assert (report.revisions, report.comments) == (
        drafts_revised.REVISIONS,
        drafts_revised.COMMENTS,
    )
    assert any(n.startswith(SAID) for n in report.notes)
    text = report.to_text()
    for gone in ("尽快", "此段删去", "单击或点击此处", "请写全称", "DATE", "DOCPROPERTY"):
        assert gone not in text and gone not in result.yaml(), gone
    assert result.report.as_dict()["revisions"] == drafts_revised.REVISIONS
    assert f"# 草稿中的修订与批注：{SAID}" in result.yaml()  # said in the model file too


def test_the_command_says_so_and_keep_revisions_refuses(tmp_path: Path) -> None:
    path = drafts_revised.letter_with_revisions(tmp_path)
    out = tmp_path / "函.yaml"
    proc = run("import", str(path), "-o", str(out), "--keep-revisions")
    assert proc.returncode == 1 and not out.exists()
    assert "有 6 处修订尚未处理" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("import", str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert SAID in proc.stdout
    # A draft without revisions imports with the option as without it.
    plain = tmp_path / "无修订.docx"
    doc = Document()
    for line in ("高平市文物保护中心关于测试的函", "市文物局：", "正文。", "2025年9月22日"):
        doc.add_paragraph(line)
    doc.save(plain)
    assert import_draft(plain, keep_revisions=True).report.revisions == 0
    with pytest.raises(DraftError, match="修订"):
        import_draft(path, keep_revisions=True)


def test_rendered_revised_draft_prints_the_accepted_text(tmp_path: Path) -> None:
    path = drafts_revised.letter_with_revisions(tmp_path)
    doc, warnings = load_checked(path)
    assert any(SAID in w.message for w in warnings)
    fonts = resolve_fonts(use_system=False)
    result = render_document(doc, ("pdf",), Profile(), fonts, base_dir=tmp_path)
    pdf = tmp_path / "函.pdf"
    pdf.write_bytes(result.files["pdf"])
    with pymupdf.open(pdf) as d:
        text = re.sub(r"\s+", "", "".join(p.get_text() for p in d))
    expected = drafts_revised.EXPECTED_REVISED
    for line in [expected["title"], *expected["body"], expected["number"]]:
        assert re.sub(r"\s+", "", line) in text, line
    assert "尽快" not in text and "单击或点击" not in text


_TABLE = f"""<w:tbl xmlns:w="{drafts_revised.W}"><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>
<w:tr><w:tc><w:p><w:r><w:t>单位</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>时间</w:t></w:r></w:p></w:tc></w:tr>
<w:sdt><w:sdtPr/><w:sdtContent><w:tr>
  <w:tc><w:p><w:r><w:t>米山镇</w:t></w:r></w:p></w:tc>
  <w:tc><w:p><w:moveFrom w:id="1" w:author="a"><w:r><w:t>旧</w:t></w:r></w:moveFrom><w:r><w:t>10月9日</w:t></w:r></w:p></w:tc>
</w:tr></w:sdtContent></w:sdt>
<w:tr><w:trPr><w:del w:id="2" w:author="a"/></w:trPr>
  <w:tc><w:p><w:del w:id="3" w:author="a"><w:r><w:delText>寺庄镇</w:delText></w:r></w:del></w:p></w:tc>
  <w:tc><w:p><w:del w:id="4" w:author="a"><w:r><w:delText>10月10日</w:delText></w:r></w:del></w:p></w:tc>
</w:tr></w:tbl>"""


def test_tables_in_content_controls_and_with_revisions(tmp_path: Path) -> None:
    from docgen.importer.read_docx import read_docx

    doc = Document()
    doc.add_paragraph("高平市文物保护中心关于测试的函")
    body = doc.element.body
    sdt = etree.fromstring(f'<w:sdt xmlns:w="{drafts_revised.W}"><w:sdtPr/><w:sdtContent/></w:sdt>')
    sdt[1].append(etree.fromstring(_TABLE))
    body.insert(len(body) - 1, sdt)
    path = tmp_path / "表格.docx"
    doc.save(path)
    draft = read_docx(path.read_bytes(), path.name)
    tables = [p.table for p in draft.paras if p.table is not None]
    assert len(tables) == 1 and tables[0].rows == [["单位", "时间"], ["米山镇", "10月9日"]]
    assert draft.revisions == 3  # the moved-from text and the two deleted cells


def test_each_paragraph_is_listed_once_in_the_report(tmp_path: Path) -> None:
    doc = Document()
    for line in ("高平市文物保护中心关于测试的函", "市文物局：", "正文如下："):
        doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=2)
    for r, row in enumerate([["单位", "时间"], ["米山镇", "10月9日"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("高平市文物保护中心")
    doc.add_paragraph("2025年9月22日")
    path = tmp_path / "表格.docx"
    doc.save(path)
    report = import_draft(path).report
    wheres = [p.where for p in report.paragraphs]
    assert len(wheres) == len(set(wheres)) == 6
    assert report.to_text().count("第4段　表格") == 1
