"""Feedback from a table, a returned form and the phone; the office's reopen and extend;
files refused whole with file, row and field named; two processes at once lose nothing."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from svhelp import copy_of

from docgen.cli import main
from docgen.ledger.store import Ledger

ROOT = Path(__file__).resolve().parent.parent
HEADER = "编号,办理情况,是否办结,反馈日期,填报人\n"


@pytest.fixture
def batch(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> tuple[Path, Path]:
    """(output folder of the sample batch, a private copy of its register)."""
    _, out, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    return out, reg


def feed(reg: Path, *args: str) -> int:
    return main(["supervise", "feedback", "--registry", str(reg), *args])


def state(reg: Path) -> dict[str, tuple[str, str]]:
    with Ledger(reg) as led:
        return {n.number: (n.status, n.last_feedback) for n in led.notices()}


def feedback_rows(reg: Path) -> int:
    db = sqlite3.connect(reg)
    try:
        return int(db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
    finally:
        db.close()


def csv_file(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def fill_form(
    src: Path, dest: Path, text: str, sign: str | None = None, unit: str | None = None
) -> Path:
    """What a unit does with the notice it got: types into the 办理情况 cell (python-docx)."""
    from docx import Document

    doc = Document(str(src))
    for row in doc.tables[0].rows:
        label = "".join(row.cells[0].text.split())
        if label == "办理情况":
            row.cells[1].paragraphs[0].text = text
        elif label == "签收人及日期" and sign is not None:
            row.cells[1].paragraphs[0].text = sign
        elif label == "承办单位" and unit is not None:
            row.cells[1].paragraphs[0].text = unit
    doc.save(str(dest))
    return dest


N3, N4, N12 = "高文联办督〔2025〕3号", "高文联办督〔2025〕4号", "高文联办督〔2025〕12号"


def test_a_table_records_every_row_and_closes_what_the_office_marked(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reg = batch
    table = csv_file(
        tmp_path / "反馈.csv",
        f"{N4},经费已全部落实到位,是,2025-09-02,张晋红",
        f"{N3},已完成80%的检查,否,2025年9月20日,",
    )
    assert feed(reg, str(table)) == 0
    assert "记录反馈 2 条" in capsys.readouterr().out
    s = state(reg)
    assert s[N4] == ("已办结", "经费已全部落实到位")
    assert s[N3] == ("办理中", "已完成80%的检查")
    assert s[N12][0] == "已发出"
    with Ledger(reg) as led:
        fb = led.history(N4)["feedback"][0]
    assert fb["note"] == "填报人：张晋红" and fb["source_file"] == str(table)
    assert len(fb["source_hash"]) == 64 and fb["row"] == 2
    # The same file again: recorded once; a longer copy adds only its new row.
    before = feedback_rows(reg)
    assert feed(reg, str(table)) == 0
    assert "记录过" in capsys.readouterr().out
    assert feedback_rows(reg) == before and state(reg) == s
    longer = shutil.copy(table, tmp_path / "反馈2.csv")
    with open(longer, "a", encoding="utf-8") as fh:
        fh.write(f"{N12},征求意见稿已报送,否,2025-09-14,\n")
    assert feed(reg, str(longer)) == 0
    assert "记录反馈 1 条，2 条此前已记录" in capsys.readouterr().out
    assert feedback_rows(reg) == before + 1 and state(reg)[N12][0] == "办理中"


def test_a_returned_form_is_matched_by_its_printed_number(
    batch: tuple[Path, Path], tmp_path: Path
) -> None:
    out, reg = batch
    src = next(out.glob(f"督办单-{N12}-*.docx"))
    form = fill_form(
        src,
        tmp_path / "交回.docx",
        "已起草征求意见稿，9月10日报联席会议办公室。",
        "签收人：郭晓东　签收日期：2025年7月25日",
    )
    assert feed(reg, str(form), "--date", "2025-09-10") == 0
    with Ledger(reg) as led:
        n = led.find(N12)
        fb = led.history(N12)["feedback"]
    assert n is not None and n.status == "办理中" and n.signed_by == "郭晓东"
    assert n.signed_on == dt.date(2025, 7, 25)
    assert n.last_feedback == "已起草征求意见稿，9月10日报联席会议办公室。"
    assert fb[0]["source"] == "form" and fb[0]["date"] == "2025-09-10"


def test_a_form_whose_unit_disagrees_is_refused(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, reg = batch
    src = next(out.glob(f"督办单-{N12}-*.docx"))
    form = fill_form(src, tmp_path / "交回.docx", "已办理", unit="市公安局")
    assert feed(reg, str(form)) == 1
    err = capsys.readouterr().err
    assert str(form) in err and "承办单位" in err and "市委党校" in err
    assert feedback_rows(reg) == 0


def test_an_unknown_number_refuses_the_whole_file(
    batch: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, reg = batch
    table = csv_file(
        tmp_path / "反馈.csv",
        f"{N4},经费已落实,是,2025-09-02,",
        "高文联办督〔2025〕99号,已办理,否,2025-09-03,",
    )
    assert feed(reg, str(table)) == 1
    err = capsys.readouterr().err
    assert str(table) in err and "第3行" in err and "编号" in err and "99号" in err
    assert "Traceback" not in err
    assert feedback_rows(reg) == 0 and state(reg)[N4][0] == "已发出"


@pytest.mark.parametrize(
    ("row", "where"),
    [
        (f"{N4},,否,2025-09-02,", ("第2行", "办理情况")),
        (f"{N4},已办理,否,2025-07-01,", ("第2行", "反馈日期", "早于")),
        (f"{N4},已办理,也许,2025-09-02,", ("第2行", "是否办结")),
        (f"{N4},已办理,否,九月,", ("第2行", "反馈日期")),
    ],
)
def test_bad_rows_name_file_row_and_field(
    batch: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    row: str,
    where: tuple[str, ...],
) -> None:
    _, reg = batch
    table = csv_file(tmp_path / "反馈.csv", row)
    assert feed(reg, str(table)) == 1
    err = capsys.readouterr().err
    for piece in (str(table), *where):
        assert piece in err, piece
    assert feedback_rows(reg) == 0


def test_an_xlsx_table_is_read_like_a_csv(batch: tuple[Path, Path], tmp_path: Path) -> None:
    from openpyxl import Workbook

    _, reg = batch
    wb = Workbook()
    ws = wb.active
    ws.append(["各单位反馈汇总"])  # a title row above the header, as offices make them
    ws.append(["编号", "办理情况", "是否办结", "反馈日期"])
    ws.append([N4, "已落实", "是", dt.datetime(2025, 9, 2)])
    wb.save(tmp_path / "反馈.xlsx")
    assert feed(reg, str(tmp_path / "反馈.xlsx")) == 0
    assert state(reg)[N4] == ("已办结", "已落实")


def test_phone_feedback_reopen_and_extend(
    batch: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, reg = batch
    args = ["--number", N3, "--text", "检查已全部完成", "--done", "--date", "2025-09-29"]
    assert feed(reg, *args) == 0
    assert feed(reg, *args) == 0  # the same call noted twice
    assert "记录过" in capsys.readouterr().out
    assert feedback_rows(reg) == 1 and state(reg)[N3][0] == "已办结"
    base = ["supervise", "reopen", N3, "--registry", str(reg)]
    assert main([*base, "--reason", "领导批示：整改情况需现场复核", "--date", "2025-10-02"]) == 0
    assert state(reg)[N3][0] == "办理中"
    assert main(["supervise", "extend", N3, "--to", "2025-11-30", "--reason", "经召集人批准延期",
                 "--registry", str(reg)]) == 0  # fmt: skip
    with Ledger(reg) as led:
        n = led.find(N3)
        events = led.history(N3)["events"]
    assert n is not None and n.deadline == dt.date(2025, 11, 30)
    assert n.original_deadline == dt.date(2025, 9, 30)
    assert not n.overdue(dt.date(2025, 10, 8))  # the new deadline governs
    assert [e["kind"] for e in events] == ["status", "reopen", "extend"]
    assert events[-1]["old_value"] == "2025-09-30" and "批准" in events[-1]["reason"]
    capsys.readouterr()
    assert main(["supervise", "reopen", N4, "--reason", "x", "--registry", str(reg)]) == 2
    assert "未办结" in capsys.readouterr().err
    assert main(["supervise", "extend", "高文联办督〔2025〕99号", "--to", "2026-01-01",
                 "--reason", "x", "--registry", str(reg)]) == 2  # fmt: skip


def test_two_processes_at_once_lose_no_update(batch: tuple[Path, Path], tmp_path: Path) -> None:
    """Two real `docgen supervise feedback` processes, each feeding files on every notice."""
    _, reg = batch
    with Ledger(reg) as led:
        numbers = [n.number for n in led.notices()]
    files: dict[str, list[str]] = {"a": [], "b": []}
    for who in files:
        for k in range(6):
            rows = [f"{n},{who}第{k}次反馈：{n},否,2025-09-{10 + k},{who}" for n in numbers]
            files[who].append(str(csv_file(tmp_path / f"{who}{k}.csv", *rows)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "docgen", "supervise", "feedback", "--registry", str(reg), *fs],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for fs in files.values()
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert feedback_rows(reg) == 2 * 6 * len(numbers)
    assert {s for s, _ in state(reg).values()} == {"办理中"}
    db = sqlite3.connect(reg)
    sources = db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    db.close()
    assert sources == 12
