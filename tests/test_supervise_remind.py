"""Reminders (督办事项催办单) after feedback on the sample batch: how many, which grade, the
form as the 督办单's form is measured, nothing new on a second run, the grade kept."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from pdfmeasure import MeasuredPDF
from svhelp import copy_of, notices_by_deadline

from docgen.cli import main

LEFT, TOP, RIGHT, BOTTOM = 28.0, 37.0, 184.0, 262.0
RED = (255, 0, 0)
AS_OF = dt.date(2025, 10, 8)
N4 = "高文联办督〔2025〕4号"  # 市财政局, due 2025-08-31: 38 days late on AS_OF → red head
N3 = "高文联办督〔2025〕3号"  # 市消防救援大队, due 2025-09-30


@pytest.fixture
def reg(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)[2]


def remind(reg: Path, out: Path, *extra: str) -> int:
    return main(
        ["supervise", "remind", "--as-of", AS_OF.isoformat(), "-o", str(out),
         "--registry", str(reg), "--code", "高文联办催", *extra]
    )  # fmt: skip


def tree(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_one_reminder_per_overdue_item_not_done(
    reg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The finance bureau reports its item done: no reminder for it, although it is late.
    table = tmp_path / "反馈.csv"
    table.write_text(
        f"编号,办理情况,是否办结,反馈日期\n{N3},检查已完成八成,否,2025-09-25\n"
        "高文联办督〔2025〕7号,已全部整改到位,是,2025-09-28\n",
        encoding="utf-8",
    )
    assert main(["supervise", "feedback", str(table), "--registry", str(reg)]) == 0
    out = tmp_path / "催办"
    assert remind(reg, out) == 0
    # Counted independently: the sample table's deadlines, less the one closed above.
    late = [(u, d) for u, d in notices_by_deadline() if d < AS_OF]
    expected = len(late) - 1
    with (out / "催办清单.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    numbers = {r["编号"] for r in rows}
    assert len(numbers) == expected == 4
    assert "高文联办督〔2025〕7号" not in {r["原督办单"] for r in rows}
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(list(out.glob("*.docx"))) == expected
    by_notice = {r["原督办单"]: r for r in rows}
    assert by_notice[N4]["催办等级"] == "红头催办" and by_notice[N4]["逾期天数"] == "38"
    assert by_notice[N3]["催办等级"] == "催办"
    for r in rows:
        assert hashlib.sha256((out / r["文件名"]).read_bytes()).hexdigest() == r["SHA-256"]

    # Each reminder measured as the 督办单's form is: one page, ruled, inside the block.
    for pdf in pdfs:
        m = MeasuredPDF.open(pdf)
        assert m.pages == 1 and m.missing_glyphs() == 0
        black = [r for r in m.rules(1) if r.color != RED]
        assert len(black) >= 4
        for r in black:
            assert LEFT - 0.2 <= r.x0 and r.x1 <= RIGHT + 0.2
        for ln in m.lines(1):
            if not ln.text.startswith("—"):
                assert LEFT - 0.5 <= ln.x0 and ln.x1 <= RIGHT + 0.5, ln.text
                assert TOP - 0.5 <= ln.top and ln.bottom <= BOTTOM + 0.5, ln.text
    red_head = MeasuredPDF.open(next(out.glob("*市财政局.pdf")))
    text = "".join(ln.text for ln in red_head.rows())
    for piece in ("督办事项催办单", N4, "2025年7月22日", "已逾期38日", "红头催办", "逾期超过30日",
                  "2025年10月15日前", "常丽萍", "办理情况"):  # fmt: skip
        assert piece in text, piece
    assert any(r.color == RED for r in red_head.rules(1))  # the red head and its red line
    plain = MeasuredPDF.open(next(out.glob("*市消防救援大队.pdf")))
    assert not any(r.color == RED for r in plain.rules(1))  # 催办: the same form, head in black
    assert "检查已完成八成" in "".join(ln.text for ln in plain.rows())

    # The grade is kept in the ledger; a second run for the day issues nothing and says so.
    db = sqlite3.connect(reg)
    grades = dict(db.execute("SELECT number, grade FROM reminders").fetchall())
    db.close()
    assert grades == {r["编号"]: r["催办等级"] for r in rows}
    before = tree(out)
    capsys.readouterr()
    assert remind(reg, out) == 0
    assert "没有需要新发的催办单" in capsys.readouterr().out
    assert tree(out) == before
    assert remind(reg, tmp_path / "again") == 0
    assert not (tmp_path / "again").exists()


def test_due_soon_gets_a_reminder_graded_tixing(reg: Path, tmp_path: Path) -> None:
    out = tmp_path / "提醒"
    assert remind(reg, out, "--due-within", "7", "--format", "pdf") == 0
    with (out / "催办清单.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    soon = [u for u, d in notices_by_deadline() if AS_OF <= d <= AS_OF + dt.timedelta(days=7)]
    assert sorted(r["承办单位"] for r in rows if r["催办等级"] == "提醒") == sorted(soon)
    m = MeasuredPDF.open(next(out.glob("*市教育局.pdf")))
    assert "尚余7日" in "".join(ln.text for ln in m.rows())


def test_a_returned_reminder_counts_as_feedback_on_its_notice(reg: Path, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "催办"
    assert remind(reg, out, "--format", "docx") == 0
    src = next(out.glob("*市财政局.docx"))
    doc = Document(str(src))
    for row in doc.tables[0].rows:
        if "".join(row.cells[0].text.split()) == "办理情况":
            row.cells[1].paragraphs[0].text = "余下经费已于10月10日拨付"
    doc.save(str(tmp_path / "交回.docx"))
    args = ["supervise", "feedback", str(tmp_path / "交回.docx"), "--registry", str(reg)]
    assert main([*args, "--date", "2025-10-11"]) == 0
    db = sqlite3.connect(reg)
    row = db.execute(
        "SELECT n.number, n.status, f.text FROM feedback f JOIN notices n ON n.id = f.notice_id"
    ).fetchone()
    db.close()
    assert row == (N4, "办理中", "余下经费已于10月10日拨付")


def test_without_a_code_the_series_follows_the_notices(reg: Path, tmp_path: Path) -> None:
    """高文联办督 → 高文联办催, as the issue's example numbers them."""
    args = ["supervise", "remind", "--as-of", "2025-10-08", "-o", str(tmp_path / "x")]
    assert main([*args, "--registry", str(reg), "--format", "docx"]) == 0
    with (tmp_path / "x" / "催办清单.csv").open(encoding="utf-8-sig") as fh:
        numbers = sorted(r["编号"] for r in csv.DictReader(fh))
    assert numbers[0].startswith("高文联办催〔2025〕")


def test_the_meeting_file_sets_code_and_threshold(reg: Path, tmp_path: Path) -> None:
    from svhelp import SAMPLES

    meeting = tmp_path / "meeting.yaml"
    text = (SAMPLES / "meeting-2025-1.yaml").read_text(encoding="utf-8")
    meeting.write_text(
        text + "  remind_code: 高文联办督催\n  red_head_days: 60\n", encoding="utf-8"
    )
    for name in ("agreed-items-2025-1.csv", "member-units.yaml"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    args = ["supervise", "remind", "--as-of", AS_OF.isoformat(), "-o", str(tmp_path / "x")]
    assert main([*args, "--meeting", str(meeting), "--registry", str(reg), "--format", "docx"]) == 0
    with (tmp_path / "x" / "催办清单.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["编号"].startswith("高文联办督催〔2025〕") for r in rows)
    assert {r["催办等级"] for r in rows} == {"催办"}  # 38 days late is below 60: no red head


@pytest.mark.usefixtures("soffice")
def test_reminder_docx_is_one_page_in_libreoffice(
    reg: Path, tmp_path: Path, fonts_conf: Path
) -> None:
    from lo import soffice_convert

    out = tmp_path / "催办"
    assert remind(reg, out, "--format", "docx") == 0
    docx = sorted(out.glob("*.docx"))
    for pdf in soffice_convert(docx, tmp_path / "lo", fonts_conf):
        m = MeasuredPDF.open(pdf)
        assert m.pages == 1, pdf.name
        assert any("督办事项催办单" in r.text for r in m.rows(1))
