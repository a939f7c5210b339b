"""The ledger: the batch records its notices, `supervise list` counts them, the schema upgrades
in place, a damaged or newer file is refused untouched, and the export's workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from svhelp import copy_of, issued_batch, notices_by_deadline

from docgen.cli import main
from docgen.ledger import schema
from docgen.ledger.store import Ledger, LedgerError, Notice

AS_OF = dt.date(2025, 10, 8)  # after the deadlines of items 3, 4, 7, 8, 12 (and 10 is 7 days off)


@pytest.fixture
def reg(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)[2]


def listed(reg: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    capsys.readouterr()
    assert main(["supervise", "list", "--registry", str(reg), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_batch_records_every_notice_with_its_item(reg: Path) -> None:
    expected = notices_by_deadline()
    with Ledger(reg) as led:
        notices = led.notices()
    assert len(notices) == len(expected) == 13
    assert sorted((n.unit, n.deadline) for n in notices) == sorted(expected)
    first = next(n for n in notices if n.number == "高文联办督〔2025〕1号")
    assert first.unit == "市公安局" and first.item_seqs == "1"
    assert first.matter.startswith("组织开展打击文物犯罪专项行动")
    assert first.status == "已发出" and first.issued_on == dt.date(2025, 7, 22)
    assert first.meeting == "高平市文物保护工作联席会议第一次全体会议"
    assert any(name.endswith(".pdf") for name in first.files)
    # Read without Notice.__init__ (ledger._notice): every field set, in order, and the
    # notice equal to one made the ordinary way.
    assert list(vars(first)) == [f.name for f in dataclasses.fields(Notice)]
    assert Notice(**vars(first)) == first


def test_list_counts_overdue_as_counted_independently(
    reg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = listed(reg, capsys, "--as-of", AS_OF.isoformat())
    overdue = [u for u, d in notices_by_deadline() if d < AS_OF]
    soon = [u for u, d in notices_by_deadline() if AS_OF <= d <= AS_OF + dt.timedelta(days=7)]
    c = data["counts"]
    assert c["total"] == 13 and c["overdue"] == len(overdue) == 5
    assert c["due_soon"] == len(soon) and c["by_status"]["已发出"] == 13
    assert sum(c["by_group"].values()) == 13
    assert sorted(n["unit"] for n in data["notices"] if n["overdue"]) == sorted(overdue)
    only = listed(reg, capsys, "--as-of", AS_OF.isoformat(), "--status", "逾期")
    assert len(only["notices"]) == 5
    unit = listed(reg, capsys, "--unit", "市公安局")
    assert [n["number"] for n in unit["notices"]] == ["高文联办督〔2025〕1号"]


def test_list_table_marks_overdue_and_soon(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["supervise", "list", "--registry", str(reg), "--as-of", AS_OF.isoformat()]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "高文联办督〔2025〕4号" in ln)
    assert f"逾期{(AS_OF - dt.date(2025, 8, 31)).days}天" in line
    soon = next(ln for ln in out.splitlines() if "高文联办督〔2025〕11号" in ln)  # 市教育局, 10-15
    assert "临期7天" in soon
    assert "按承办单位" in out and "共 13 项" in out


def test_list_refuses_an_unknown_status(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["supervise", "list", "--registry", str(reg), "--status", "催办中"]) == 2
    err = capsys.readouterr().err
    assert "--status" in err and "已办结" in err and "Traceback" not in err


# --- the schema --------------------------------------------------------------------

_V1 = """
CREATE TABLE issued (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, year INTEGER NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1), number TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
    item_key TEXT, file_hash TEXT NOT NULL DEFAULT '', files TEXT NOT NULL DEFAULT '{}',
    issued_at TEXT NOT NULL, UNIQUE (code, year, seq)
);
CREATE UNIQUE INDEX issued_item ON issued (code, year, item_key) WHERE item_key IS NOT NULL;
"""


def _old_register(path: Path) -> None:
    """A register as docgen wrote it before the ledger: version 0, the issued table only."""
    db = sqlite3.connect(path)
    db.executescript(_V1)
    for seq, unit in ((1, "市公安局"), (2, "市财政局")):
        db.execute(
            "INSERT INTO issued (code, year, seq, number, kind, unit, date, item_key, issued_at)"
            " VALUES ('高文联办督', 2025, ?, ?, 'supervision', ?, '2025-07-22', ?, '2025-07-22')",
            (seq, f"高文联办督〔2025〕{seq}号", unit, f"某会议|第1期|{seq}|{unit}"),
        )
    db.commit()
    db.close()


def test_an_older_register_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_register(path)
    with Ledger(path) as led:
        assert led.backup is not None and led.backup.parent == tmp_path
        notices = led.notices()
        numbers = [i.number for i in led.registry.list()]
    # The copy is the register as it was: old version, its numbers, no ledger tables.
    old = sqlite3.connect(led.backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 0
    assert old.execute("SELECT COUNT(*) FROM issued").fetchone()[0] == 2
    tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"issued"}
    old.close()
    assert numbers == ["高文联办督〔2025〕1号", "高文联办督〔2025〕2号"]
    assert [(n.number, n.unit, n.meeting, n.item_seqs) for n in notices] == [
        ("高文联办督〔2025〕1号", "市公安局", "某会议", "1"),
        ("高文联办督〔2025〕2号", "市财政局", "某会议", "2"),
    ]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    db.close()
    with Ledger(path) as led:  # opened again: nothing more to do, no second backup
        assert led.backup is None
    assert len(list(tmp_path.glob("old.sqlite3.v1-backup-*"))) == 1


def test_a_damaged_register_is_refused_and_left_alone(
    reg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(reg.read_bytes())
    data[4096:8192] = b"\x00garbage" * 512  # a page of the tables overwritten
    reg.write_bytes(bytes(data))
    before = reg.read_bytes()
    assert main(["supervise", "list", "--registry", str(reg)]) == 2
    err = capsys.readouterr().err
    assert str(reg) in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert reg.read_bytes() == before


def test_a_register_from_a_newer_docgen_is_refused(reg: Path) -> None:
    db = sqlite3.connect(reg)
    db.execute("PRAGMA user_version = 9")
    db.commit()
    db.close()
    before = reg.read_bytes()
    with pytest.raises(LedgerError, match="更新版本"):
        Ledger(reg)
    assert reg.read_bytes() == before


# --- the workbook ------------------------------------------------------------------


def test_batch_workbook_is_the_export_workbook(tmp_path_factory: pytest.TempPathFactory) -> None:
    from openpyxl import load_workbook

    _, out, _ = issued_batch(tmp_path_factory.getbasetemp() / "sv-batch")
    wb = load_workbook(out / "督办台账.xlsx")
    assert wb.sheetnames == ["高平市文物保护工作联席会议第一次全体会议"[:31], "汇总"]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "B3" and ws.auto_filter.ref == "A2:S15"
    header = [c.value for c in ws[2]]
    assert header[:3] == ["编号", "承办单位", "议定事项序号"] and "状态" in header
    status = header.index("状态") + 1
    assert {ws.cell(r, status).value for r in range(3, 16)} == {"已发出"}
    assert ws.cell(3, status).fill.fgColor.rgb.endswith("EDEDED")
    assert len(wb["汇总"]._charts) == 1


def _parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts, but its creation and save times."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("rows_at_once", [128, 4])
def test_batch_workbook_made_while_rendering_is_the_one_read_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_at_once: int
) -> None:
    """The batch adds each notice's row as its files are recorded (a few rows at a time here,
    a resumed batch's kept notices first): the workbook is the one workbook_bytes makes from
    the ledger once everything is done, part for part."""
    import docgen.batch.run as run
    from docgen.ledger.workbook import workbook_bytes

    monkeypatch.setattr(run._Recorder, "EVERY", rows_at_once)
    meeting, out, reg = copy_of(tmp_path.parent / "sv-batch-feed", tmp_path / "run")
    run = tmp_path / "run" / "out"
    shutil.copytree(out, run)
    for kept in sorted(run.glob("督办单-*.pdf"))[::3]:
        kept.unlink()  # rendered again; the others are kept as they are
    (run / "督办台账.xlsx").unlink()
    code = main(["batch", "--meeting", str(meeting), "-o", str(run), "--registry", str(reg),
                 "--resume", "--quiet", "--jobs", "2"])  # fmt: skip
    assert code == 0
    title = "高平市文物保护工作联席会议第一次全体会议"
    with Ledger(reg) as ledger:
        notices = ledger.notices(meeting=title)
        day = notices[0].issued_on
        expected = workbook_bytes(notices, day, title=f"{title}议定事项督办台账")
    assert len(notices) == 13
    assert _parts((run / "督办台账.xlsx").read_bytes()) == _parts(expected)


def test_a_missing_register_is_named_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.sqlite3"
    assert main(["supervise", "list", "--registry", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "--registry" in err and "Traceback" not in err
    assert not path.exists()


def test_a_read_only_older_register_is_refused_without_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite3"
    _old_register(path)
    path.chmod(0o444)
    before = path.read_bytes()
    assert main(["supervise", "list", "--registry", str(path)]) == 2
    err = capsys.readouterr().err
    assert "只读" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite3"]
    assert path.read_bytes() == before
