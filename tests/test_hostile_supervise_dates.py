"""Careless input to 督办, round 3: dates no ledger can speak of, feedback from the
future, hidden rows, a table's limits named for the table, a form edited to
pass for another notice. Each refused (or noted) before anything is numbered,
written or recorded, in one Chinese line without a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from svhelp import SAMPLES, copy_of

from docgen.cli import main
from docgen.ledger.store import Ledger

N3, N12 = "高文联办督〔2025〕3号", "高文联办督〔2025〕12号"
HEADER = "编号,办理情况,是否办结,反馈日期\n"


@pytest.fixture
def batch(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> tuple[Path, Path]:
    _, out, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    return out, reg


def count(reg: Path, table: str) -> int:
    db = sqlite3.connect(reg)
    try:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        db.close()


def feed(reg: Path, *args: str) -> int:
    return main(["supervise", "feedback", "--registry", str(reg), *args])


def one_line(err: str) -> None:
    assert "Traceback" not in err and "Error" not in err, err
    assert err.strip() and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("as_of", ["9999-12-31", "1900-01-01", "2025-07-01"])
@pytest.mark.parametrize("command", ["remind", "report"])
def test_as_of_outside_the_ledger_takes_no_number(
    batch: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    as_of: str,
) -> None:
    """2025-07-01 is before the first notice (2025-07-22); 9999 used to overflow."""
    _, reg = batch
    issued = count(reg, "issued")
    out = tmp_path / ("催办" if command == "remind" else "通报.pdf")
    args = ["supervise", command, "--as-of", as_of, "-o", str(out), "--registry", str(reg)]
    extra = ["--code", "高文联办催", "--format", "pdf"] if command == "remind" else []
    assert main([*args, *extra]) == 2
    err = capsys.readouterr().err
    one_line(err)
    assert "截至日期" in err
    assert count(reg, "issued") == issued
    assert not out.exists()


@pytest.mark.parametrize("command", ["list", "export"])
def test_views_refuse_a_date_beyond_a_year_ahead(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    _, reg = batch
    args = ["supervise", command, "--as-of", "9999-12-31", "--registry", str(reg)]
    if command == "export":
        args += ["-o", str(tmp_path / "台账.xlsx")]
    assert main(args) == 2
    one_line(capsys.readouterr().err)
    assert not (tmp_path / "台账.xlsx").exists()


def test_feedback_dated_after_today_is_refused(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reg = batch
    table = tmp_path / "反馈.csv"
    table.write_text(HEADER + f"{N3},已完成检查,否,2099-09-02\n", encoding="utf-8")
    assert feed(reg, str(table)) == 1
    err = capsys.readouterr().err
    assert "2099-09-02 晚于今天" in err and "第2行" in err and "Traceback" not in err
    assert count(reg, "feedback") == 0
    # --date after today (the day it is recorded), by phone or for an extension
    assert feed(reg, "--number", N3, "--text", "已完成", "--date", "2099-01-01") == 2
    one_line(capsys.readouterr().err)
    extend = ["supervise", "extend", N3, "--to", "2025-12-31", "--reason", "经批准"]
    assert main([*extend, "--date", "2099-01-01", "--registry", str(reg)]) == 2
    one_line(capsys.readouterr().err)
    assert count(reg, "feedback") == 0 and count(reg, "events") == 0


def test_the_office_may_choose_to_be_warned_instead(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reg = batch
    meeting = tmp_path / "meeting.yaml"
    text = (SAMPLES / "meeting-2025-1.yaml").read_text(encoding="utf-8")
    meeting.write_text(text + "  未来日期反馈: 提醒\n", encoding="utf-8")
    table = tmp_path / "反馈.csv"
    table.write_text(HEADER + f"{N3},已完成检查,否,2099-09-02\n", encoding="utf-8")
    assert feed(reg, str(table), "--meeting", str(meeting)) == 0
    assert "2099-09-02 晚于今天" in capsys.readouterr().err
    assert count(reg, "feedback") == 1


def test_a_hidden_row_of_a_feedback_workbook_is_skipped_as_the_batch_skips_it(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    _, reg = batch
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "办理情况", "是否办结", "反馈日期"])
    ws.append([N3, "已完成检查", "否", "2025-09-02"])
    ws.append([N12, "草稿，不报", "是", "2025-09-03"])
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "反馈.xlsx")
    assert feed(reg, str(tmp_path / "反馈.xlsx")) == 0
    err = capsys.readouterr().err
    assert "第3行" in err and "隐藏行" in err
    with Ledger(reg) as led:
        assert led.find(N12).status == "已发出"  # type: ignore[union-attr]
        assert led.find(N3).status == "办理中"  # type: ignore[union-attr]


def test_a_feedback_table_too_large_is_named_a_feedback_table(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reg = batch
    table = tmp_path / "反馈.csv"
    rows = "".join(f"{N3},第{i}次,否,2025-09-02\n" for i in range(5001))
    table.write_text(HEADER + rows, encoding="utf-8")
    assert feed(reg, str(table)) == 1
    err = capsys.readouterr().err
    assert "反馈表最多 5000 行" in err and "议定事项" not in err


def test_a_form_edited_to_pass_for_another_notice_is_refused(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """N12's form with 编号 and 承办单位 typed over as N3's: 督办事项 and 来源 still say N12."""
    from docx import Document

    out, reg = batch
    with Ledger(reg) as led:
        n3 = led.find(N3)
    assert n3 is not None
    doc = Document(str(next(out.glob(f"督办单-{N12}-*.docx"))))
    for p in doc.paragraphs:
        if N12 in p.text:
            for run in p.runs:
                run.text = run.text.replace(N12, N3).replace("12号", "3号")
    for row in doc.tables[0].rows:
        label = "".join(row.cells[0].text.split())
        if label == "办理情况":
            row.cells[1].paragraphs[0].text = "已办理"
        elif label == "承办单位":
            row.cells[1].paragraphs[0].text = n3.unit
    doc.save(str(tmp_path / "交回.docx"))
    assert feed(reg, str(tmp_path / "交回.docx"), "--date", "2025-09-10") == 1
    err = capsys.readouterr().err
    assert "督办事项" in err and "督办事项来源" in err and N3 in err
    assert count(reg, "feedback") == 0
