"""A reminder number is never taken without its document: real processes, stopped at
random moments (Ctrl+C to the process group, or kill -9), then the next day's run.

After each pair of runs the ledger's reminder numbers and the reminder PDFs in
the folder are the same set, and the run that completed the interrupted one
says so ("上次中断，补发 N 份").
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from svhelp import copy_of

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")


def _remind(reg: Path, out: Path, as_of: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "supervise", "remind", "--as-of", as_of,
         "-o", str(out), "--registry", str(reg), "--code", "高文联办催",
         "--format", "pdf", "--jobs", "1"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=True,  # its own group: Ctrl+C reaches the workers too, as in a console
    )  # fmt: skip


def _numbers(reg: Path) -> dict[str, str]:
    db = sqlite3.connect(reg)
    try:
        return {str(n): str(f) for n, f in db.execute("SELECT number, files FROM reminders")}
    finally:
        db.close()


def _pdfs(out: Path) -> set[str]:
    names = {p.name for p in out.glob("*.pdf")} if out.exists() else set()
    return {n.removeprefix("催办单-").rsplit("-", 1)[0] for n in names}


def test_interrupted_runs_leave_numbers_equal_to_files(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("DOCGEN_KILL_SEED", time.time())))
    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    out = tmp_path / "催办"
    days = ["2025-10-08", "2025-10-09", "2025-10-10", "2025-10-13"]
    resumed = 0
    for k, (stopped_on, next_day) in enumerate(zip(days[::2], days[1::2])):
        proc = _remind(reg, out, stopped_on)
        time.sleep(rng.uniform(0.4, 3.5))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT if k % 2 == 0 else signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        done = _remind(reg, out, next_day)
        said, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        assert "Traceback" not in err, err
        numbers = _numbers(reg)
        assert all(json.loads(f) for f in numbers.values()), "a number without its files"
        assert set(numbers) == _pdfs(out), (said, err)
        if "上次中断，补发" in said:
            resumed += 1
    # Each number written once: no name-2 copies of a reminder.
    assert not list(out.glob("*-2.pdf"))
    print(f"补发 after {resumed} of 2 interruptions")


def unwritable(tmp_path: Path, where: str, name: str, long_name: str) -> Path:
    """An output place that cannot be written: on /proc, under a file (a.pdf), or too long."""
    blocker = tmp_path / "a.pdf"
    blocker.write_text("")
    return {
        "proc": Path("/proc/docgen-out") / name,
        "under-a-file": blocker / name,
        "long-name": tmp_path / long_name,
    }[where]


@pytest.mark.parametrize("where", ["proc", "under-a-file", "long-name"])
def test_an_unwritable_place_takes_no_reminder_number(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    from docgen.cli import main

    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    out = unwritable(tmp_path, where, "催办", "长" * 90)
    before = _numbers(reg)
    args = ["supervise", "remind", "--as-of", "2025-10-08", "-o", str(out)]
    assert main([*args, "--registry", str(reg), "--code", "高文联办催"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert _numbers(reg) == before
    assert not os.path.exists(out) or not any(out.iterdir())


def _reports(reg: Path) -> dict[str, dict[str, str]]:
    db = sqlite3.connect(reg)
    try:
        rows = db.execute("SELECT number, files FROM issued WHERE kind = 'circular'")
        return {str(n): json.loads(f) for n, f in rows}
    finally:
        db.close()


def test_an_interrupted_report_is_written_by_the_next(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("DOCGEN_KILL_SEED", time.time())))
    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    out = tmp_path / "通报"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for k, day in enumerate(["2025-10-08", "2025-10-09", "2025-10-10"]):
        args = [sys.executable, "-m", "docgen", "supervise", "report", "--as-of", day,
                "-o", str(out) + "/", "--registry", str(reg)]  # fmt: skip
        proc = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            encoding="utf-8", start_new_session=True,
        )  # fmt: skip
        if k < 2:  # the last one runs to the end
            time.sleep(rng.uniform(0.3, 3.0))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT if k == 0 else signal.SIGKILL)
        said, err = proc.communicate(timeout=300)
        assert "Traceback" not in err, err
    assert proc.returncode == 0, err
    reports = _reports(reg)
    assert reports and all("待写出" not in files for files in reports.values()), reports
    for number, files in reports.items():
        assert files, f"{number} has no file"
        for name in files:
            assert (out / name).stat().st_size > 10_000, (number, name)


@pytest.mark.parametrize("where", ["proc", "under-a-file", "long-name"])
def test_an_unwritable_place_takes_no_report_number(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    from docgen.cli import main

    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    out = unwritable(tmp_path, where, "通报.pdf", "长" * 100 + ".pdf")
    args = ["supervise", "report", "--as-of", "2025-10-08", "-o", str(out)]
    assert main([*args, "--registry", str(reg)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert _reports(reg) == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "r.sqlite3"]  # nothing else


def test_report_into_a_folder_and_a_foreign_extension(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docgen.cli import main

    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)
    folder = tmp_path / "通报"
    folder.mkdir()
    args = ["supervise", "report", "--as-of", "2025-10-08", "--registry", str(reg), "-o"]
    assert main([*args, str(folder)]) == 0
    assert [p.suffix for p in folder.iterdir()] == [".pdf"]
    assert not (tmp_path / "通报.pdf").exists()
    assert main([*args, str(tmp_path / "rep.txt")]) == 2
    assert ".pdf、.docx 或 .ofd" in capsys.readouterr().err
    assert not list(tmp_path.glob("rep*"))


def test_remind_never_replaces_same_named_reminders_or_their_list(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two registers (say, last year's copy) remind into one folder: both sets kept."""
    import csv
    import hashlib

    from docgen.cli import main

    base = tmp_path_factory.getbasetemp() / "sv-batch"
    _, _, first = copy_of(base, tmp_path / "a")
    _, _, second = copy_of(base, tmp_path / "b")
    out = tmp_path / "催办"
    args = ["supervise", "remind", "--as-of", "2025-10-08", "-o", str(out), "--format", "pdf"]
    assert main([*args, "--registry", str(first), "--code", "高文联办催"]) == 0
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("*.pdf")}
    capsys.readouterr()
    assert main([*args, "--registry", str(second), "--code", "高文联办催"]) == 0
    assert "未覆盖" in capsys.readouterr().err
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("*.pdf")}
    assert {k: after[k] for k in before} == before  # the first register's files untouched
    assert len(after) == 2 * len(before)
    with (out / "催办清单.csv").open(encoding="utf-8-sig") as fh:
        listed = [r["文件名"] for r in csv.DictReader(fh)]
    assert sorted(listed) == sorted(after)
