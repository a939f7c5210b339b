"""Killed and interrupted batches, with real processes: no worker outlives the main
process, Ctrl+C is one Chinese line, nothing half-written or temporary stays behind."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def write_batch(folder: Path, n: int) -> Path:
    units = [
        u["name"]
        for u in yaml.safe_load((SAMPLES / "member-units.yaml").read_text("utf-8"))["units"]
    ]
    (folder / "member-units.yaml").write_bytes((SAMPLES / "member-units.yaml").read_bytes())
    with (folder / "items.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "议定事项", "牵头单位", "配合单位", "完成时限", "督办要求"])
        for i in range(1, n + 1):
            w.writerow(
                [
                    i,
                    f"落实文物保护第{i}项工作任务，按期报送进展",
                    units[i % len(units)],
                    "",
                    "2025-12-31",
                    "",
                ]
            )
    meeting = yaml.safe_load((SAMPLES / "meeting-2025-1.yaml").read_text("utf-8"))
    meeting["items_file"] = "items.csv"
    (folder / "meeting.yaml").write_text(yaml.safe_dump(meeting, allow_unicode=True), "utf-8")
    return folder / "meeting.yaml"


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                out.add(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(tmp_path: Path, n: int, *extra: str) -> tuple[subprocess.Popen, Path, Path]:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    meeting = write_batch(src, n)
    out, reg = tmp_path / "out", tmp_path / "r.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DOCGEN_NO_SYSTEM_FONTS": "1",
        "TMPDIR": str(tmp_path / "tmp"),
    }
    (tmp_path / "tmp").mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "docgen", "batch", "--meeting", str(meeting), "-o", str(out)]
    cmd += ["--registry", str(reg), "--new-registry", "--jobs", "2", "--quiet", *extra]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    return proc, out, reg


def wait_for_workers(proc: subprocess.Popen, out: Path, timeout: float = 60) -> set[int]:
    """The pool's workers, once some documents are written (rendering is under way)."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        workers = children(proc.pid)
        if (
            len(workers) >= 2
            and out.is_dir()
            and sum(1 for p in out.iterdir() if p.suffix == ".docx") >= 3
        ):
            return workers
        if proc.poll() is not None:
            pytest.fail(f"the batch ended before it could be interrupted: {proc.stderr.read()}")
        time.sleep(0.05)
    pytest.fail("the batch never started rendering")


def test_workers_end_within_5_seconds_of_the_main_process_being_killed(tmp_path: Path) -> None:
    proc, out, _ = start(tmp_path, 600)
    workers = wait_for_workers(proc, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    t0 = time.time()
    while time.time() - t0 < 5 and any(alive(w) for w in workers):
        time.sleep(0.05)
    left = [w for w in workers if alive(w)]
    for w in left:  # do not leave them running after a failure either
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived the killed main process"


def test_next_run_cleans_what_a_killed_run_left_and_resume_completes(tmp_path: Path) -> None:
    proc, out, reg = start(tmp_path, 300)
    wait_for_workers(proc, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(1)
    tmp = tmp_path / "tmp"
    (out / ".督办单-假的.docx.abcd1234.tmp").write_bytes(b"")  # as a kill mid-write leaves
    proc2, _, _ = start(tmp_path, 300, "--resume")
    stdout, stderr = proc2.communicate(timeout=300)
    assert proc2.returncode == 0, stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not [p for p in tmp.iterdir() if p.name.startswith("docgen-fonts-")]
    names = {
        row["文件名"]
        for row in csv.DictReader((out / "manifest.csv").read_text("utf-8-sig").splitlines())
    }
    on_disk = {p.name for p in out.iterdir() if p.suffix in (".pdf", ".docx")}
    assert names == on_disk and len(on_disk) == 2 * 301


def test_ctrl_c_is_one_chinese_line_and_leaves_no_temp_files(tmp_path: Path) -> None:
    proc, out, _ = start(tmp_path, 600)
    workers = wait_for_workers(proc, out)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    lines = [x for x in stderr.strip().splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert "中断" in lines[0] and "--resume" in lines[0]
    time.sleep(0.5)
    assert not [w for w in workers if alive(w)]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("docgen-fonts-")]


def test_sigterm_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    proc, out, _ = start(tmp_path, 600)
    wait_for_workers(proc, out)
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in stderr, stderr
    assert not [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("docgen-fonts-")]


def test_stale_fonts_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    from docgen.lifeline import clean_stale_tempdirs

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"docgen-fonts-{dead.pid}-x1").mkdir()
    (tmp_path / f"docgen-fonts-{os.getpid()}-x2").mkdir()  # a live run's: kept
    (tmp_path / "other").mkdir()
    assert clean_stale_tempdirs(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"docgen-fonts-{os.getpid()}-x2", "other"]
    )
    assert tempfile.gettempdir()


def test_an_interrupt_a_library_swallowed_still_stops_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl+C raises KeyboardInterrupt anywhere, and a bare ``except:`` in a library can
    swallow it; the handler also notes it, and the batch stops at its next step."""
    from docgen import lifeline
    from docgen.cli import main

    meeting = write_batch(tmp_path, 40)
    out = tmp_path / "out"
    lifeline.note_interrupt()  # as the handler does, its KeyboardInterrupt then lost
    try:
        code = main(
            ["batch", "--meeting", str(meeting), "-o", str(out), "--registry",
             str(tmp_path / "r.sqlite3"), "--new-registry", "--jobs", "1", "--quiet"]
        )  # fmt: skip
    finally:
        lifeline._INTERRUPTED.clear()
    assert code == 130
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "中断" in said[0] and "--resume" in said[0]
    assert not list(out.glob("督办单-*.pdf"))
