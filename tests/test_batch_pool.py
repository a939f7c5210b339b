"""The render pool started at the beginning of a batch: same files as rendering in one process.

The workers start before the input is read, cut the fonts while the main
process numbers (to characters read before the numbers are taken), and report
what they did for ``--timing``. None of that may change a byte: the PDFs of a
two-worker batch are compared with those of ``--jobs 1`` (reportlab's invariant
mode: no dates), and the characters the early cut uses with those of the
numbered documents.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab import rl_config

from docgen.batch import BatchOptions
from docgen.batch.plan import plan_batch
from docgen.batch.pool import batch_chars
from docgen.cli import main
from docgen.context import resolve_context
from docgen.text.docnumber import DocNumber

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "member-units.yaml", "agreed-items-2025-1.csv"):
        shutil.copy(SAMPLES / name, src / name)
    return src / "meeting-2025-1.yaml"


def _hashes(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.pdf"))}


def test_two_workers_write_the_bytes_one_process_writes(
    meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # No dates, a fixed document ID: for workers started fresh (the variable) and for this
    # process and forked workers, whose reportlab may have read the variable before.
    monkeypatch.setenv("RL_invariant", "1")
    monkeypatch.setattr(rl_config, "invariant", 1)
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code = main(
            ["batch", "--meeting", str(meeting), "-o", str(out), "--quiet", "--format", "pdf"]
            + ["--jobs", jobs, "--timing", "--registry", str(tmp_path / f"r{jobs}.sqlite3")]
            + ["--new-registry"]
        )
        assert code == 0
        outs[jobs] = out
    err = capsys.readouterr().err
    one, two = _hashes(outs["1"]), _hashes(outs["2"])
    assert len(one) > 5 and one == two
    with (outs["2"] / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        listed = {r["文件名"]: r["SHA-256"] for r in csv.DictReader(fh)}
    assert listed == two
    # --timing: the main process's phases, then a line per worker with what it did.
    assert "各阶段用时（秒）：check" in err and "fonts (wait)" in err
    assert "主进程 CPU（秒）：start" in err
    workers = [line for line in err.splitlines() if line.strip().startswith("工作进程")]
    assert len(workers) == 2
    assert sum(int(line.split("（")[1].split(" 份")[0]) for line in workers) == len(two)
    assert any("裁字体" in line for line in workers)


def test_early_cut_characters_are_the_numbered_documents(meeting: Path, tmp_path: Path) -> None:
    """The workers cut the fonts to characters read with stand-in numbers; the real numbers
    (the same code and year, other digits) draw no character the cut lacks or drops."""
    opts = BatchOptions(meeting=meeting, outdir=tmp_path / "out")
    plan = plan_batch(opts)
    profile = resolve_context().profile
    before = batch_chars([j.doc for j in plan.jobs], profile)
    for k, job in enumerate(plan.jobs):
        if job.kind == "supervision":
            number = DocNumber(code=plan.code, year=plan.year, seq=9870 + 13 * k)
            job.doc = job.doc.model_copy(update={"number": number})
    assert batch_chars([j.doc for j in plan.jobs], profile) == before


def test_a_font_is_cut_only_when_a_document_draws_with_it(
    meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fonts the sample notice draws with are cut before rendering, any other where a
    document first draws with it (the 纪要's 黑体 headings), none that nothing draws with;
    each once. Measured on the PDFs: the cut fonts made are the ones they embed."""
    from docgen.fonts.subset import Cut

    made: list[str] = []
    cut_run = Cut.run

    def counted(self: Cut) -> None:
        if not self.out.exists():
            made.append(self.out.name)
        cut_run(self)

    monkeypatch.setattr(Cut, "run", counted)
    for minutes in (False, True):
        made.clear()
        out = tmp_path / f"out-{minutes}"
        code = main(
            ["batch", "--meeting", str(meeting), "-o", str(out), "--quiet", "--format", "pdf"]
            + ["--jobs", "1", "--registry", str(tmp_path / f"r-{minutes}.sqlite3")]
            + ["--new-registry"]
            + ([] if minutes else ["--no-minutes"])
        )
        assert code == 0
        embedded = {
            name.decode()
            for pdf in out.glob("*.pdf")
            for name in re.findall(rb"/BaseFont /[A-Z]{6}\+DGcut-([^\s/]+)", pdf.read_bytes())
        }
        stems = [name.removesuffix(".ttf") for name in made]
        assert len(stems) == len(set(stems))  # each font cut once
        assert {s.replace("LXGW", "").replace("Source", "").strip("-") for s in stems} == embedded
        assert len(stems) < 5 or minutes  # notices alone never draw with all five fonts


def test_openpyxl_loads_without_numpy_and_numpy_still_imports() -> None:
    pytest.importorskip("numpy")
    code = (
        "import sys\n"
        "from docgen.excel import load_openpyxl\n"
        "load_openpyxl()\n"
        "assert 'openpyxl' in sys.modules and 'numpy' not in sys.modules\n"
        "import numpy\n"
        "print(numpy.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "numpy"


def test_the_batch_command_ends_at_once_with_everything_said_and_written(meeting: Path) -> None:
    """The real command leaves without the interpreter's teardown (cli._leave): what it
    printed to a pipe is all there, and every file it listed is complete on disk."""
    out = meeting.parent / "out"
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "batch", "--meeting", str(meeting), "-o", str(out),
         "--registry", str(meeting.parent / "r.sqlite3"), "--new-registry", "--quiet",
         "--timing", "--format", "pdf"],
        capture_output=True, text=True, cwd=meeting.parent, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = done.stdout.splitlines()
    assert said[0].startswith("已生成 14 份文档") and said[-1].startswith("清单：manifest.csv")
    assert "各阶段用时" in done.stderr and "工作进程 2" in done.stderr
    with (out / "manifest.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 14  # the 纪要 and 13 督办单
    for row in rows:
        data = (out / row["文件名"]).read_bytes()
        assert len(data) == int(row["字节数"]) and data.endswith(b"%%EOF\n")
        assert hashlib.sha256(data).hexdigest() == row["SHA-256"]
    assert (out / "督办台账.xlsx").stat().st_size > 5000
    assert not list(out.glob(".*.tmp"))


def test_a_failed_proofreading_is_said_and_the_numbered_notices_are_made(
    meeting: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --strict the 核稿 only informs, and the numbers are taken without waiting for
    it: a 核稿 that fails is said in one line, and the notices are made all the same."""
    import docgen.batch.run as run

    def broken(*args: object) -> None:
        raise RuntimeError("核稿出错")

    monkeypatch.setattr(run, "_find", broken)
    out = meeting.parent / "out"
    code = main(["batch", "--meeting", str(meeting), "-o", str(out), "--registry",
                 str(meeting.parent / "r.sqlite3"), "--new-registry", "--quiet", "--jobs", "1",
                 "--format", "pdf"])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "核稿时出现内部错误" in err and "文件照常生成" in err and "Traceback" not in err
    assert len(list(out.glob("督办单-*.pdf"))) == 13
