"""One output-path policy for every command that writes, checked by one table.

A folder means "inside it"; an existing file is kept and the new one saved as
name-2 unless --force; the extension is the format's; a place that cannot be
written (a special file system, a path through a file, a name too long) is
one Chinese line, exit 1, nothing written and no number taken.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from svhelp import copy_of

from docgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
LETTER = SAMPLES / "letter-gaoping-18.yaml"
DRAFT = ROOT / "tests" / "data" / "seed-gaoping-18.txt"


@dataclass
class Env:
    tmp: Path
    reg: Path  # a register holding the sample batch
    meeting: Path
    letter: Path  # a private copy (check --fix reads it)


@dataclass(frozen=True)
class Command:
    name: str
    ext: str  # the format's extension; "" for commands that write into a folder
    args: Callable[[Env, str], list[str]]
    finds: str = "*"  # the glob that finds what it wrote inside a folder


COMMANDS = [
    Command("render", ".pdf", lambda e, o: ["render", str(LETTER), "-o", o], "*.pdf"),
    Command("import", ".yaml", lambda e, o: ["import", str(DRAFT), "-o", o], "*.yaml"),
    Command(
        "import --report",
        ".txt",
        lambda e, o: ["import", str(DRAFT), "-o", str(e.tmp / "ok.yaml"), "--report", o],
        "*.txt",
    ),
    Command(
        "check --fix", ".yaml", lambda e, o: ["check", str(e.letter), "--fix", "-o", o], "*.yaml"
    ),
    Command(
        "batch",
        "",
        lambda e, o: [
            "batch",
            "--meeting",
            str(e.meeting),
            "-o",
            o,
            "--registry",
            str(e.tmp / "new.sqlite3"),
            "--new-registry",
            "--format",
            "pdf",
            "--jobs",
            "1",
            "--quiet",
            "--no-minutes",
        ],  # fmt: skip
        "督办单-*.pdf",
    ),
    Command(
        "supervise remind",
        "",
        lambda e, o: [
            "supervise",
            "remind",
            "--as-of",
            "2025-10-08",
            "-o",
            o,
            "--registry",
            str(e.reg),
            "--code",
            "高文联办催",
            "--format",
            "pdf",
            "--jobs",
            "1",
        ],  # fmt: skip
        "催办单-*.pdf",
    ),
    Command(
        "supervise report",
        ".pdf",
        lambda e, o: [
            "supervise",
            "report",
            "--as-of",
            "2025-10-08",
            "-o",
            o,
            "--registry",
            str(e.reg),
        ],
        "*.pdf",
    ),
    Command(
        "supervise export",
        ".xlsx",
        lambda e, o: ["supervise", "export", "-o", o, "--registry", str(e.reg)],
        "*.xlsx",
    ),
]
IDS = [c.name for c in COMMANDS]


@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Env:
    meeting, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path / "reg")
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    letter = tmp_path / "letter" / "letter.yaml"
    letter.parent.mkdir()
    shutil.copy(LETTER, letter)
    shutil.copy(SAMPLES / "member-units.yaml", letter.parent / "member-units.yaml")
    work = tmp_path / "work"
    work.mkdir()
    return Env(work, reg, src / "meeting-2025-1.yaml", letter)


def numbers_taken(env: Env) -> int:
    total = 0
    for reg in (env.reg, env.tmp / "new.sqlite3"):
        if reg.exists():
            db = sqlite3.connect(reg)
            total += db.execute("SELECT COUNT(*) FROM issued").fetchone()[0]
            db.close()
    return total


def listing(env: Env) -> list[str]:
    return sorted(
        str(p.relative_to(env.tmp)) for p in env.tmp.rglob("*") if p.name != "new.sqlite3"
    )


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert "Traceback" not in err and len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("case", ["special file system", "under a file", "name too long"])
@pytest.mark.parametrize("cmd", COMMANDS, ids=IDS)
def test_an_unwritable_place_is_one_line_exit_1_nothing_written(
    env: Env, capsys: pytest.CaptureFixture[str], cmd: Command, case: str
) -> None:
    blocker = env.tmp / "a-file"
    blocker.write_bytes(b"keep")
    name = "输出" + cmd.ext
    target = {
        "special file system": Path("/proc/docgen-out") / name,
        "under a file": blocker / name,
        "name too long": env.tmp / ("名" * 100 + cmd.ext),
    }[case]
    before, taken = listing(env), numbers_taken(env)
    capsys.readouterr()
    assert main(cmd.args(env, str(target))) == 1
    line = one_line(capsys)
    assert line.startswith("错误：") and "Error" not in line, line
    assert listing(env) == before
    assert numbers_taken(env) == taken
    assert blocker.read_bytes() == b"keep"


@pytest.mark.parametrize("cmd", COMMANDS, ids=IDS)
def test_a_folder_means_inside_it(env: Env, cmd: Command) -> None:
    folder = env.tmp / "out"
    folder.mkdir()
    assert main(cmd.args(env, str(folder))) == 0
    made = list(folder.glob(cmd.finds))
    assert made and all(p.stat().st_size > 100 for p in made), made
    assert sorted(p.name for p in env.tmp.iterdir()) == sorted(
        {"out", "ok.yaml", "new.sqlite3"} & {p.name for p in env.tmp.iterdir()}
    )


@pytest.mark.parametrize(
    "cmd", [c for c in COMMANDS if c.ext], ids=[c.name for c in COMMANDS if c.ext]
)
def test_an_existing_file_is_kept_and_the_new_one_saved_as_2(
    env: Env, capsys: pytest.CaptureFixture[str], cmd: Command
) -> None:
    existing = env.tmp / f"已有{cmd.ext}"
    existing.write_bytes(b"keep")
    assert main(cmd.args(env, str(existing))) == 0
    assert existing.read_bytes() == b"keep"
    fresh = env.tmp / f"已有-2{cmd.ext}"
    assert fresh.stat().st_size > 100
    assert "已有-2" in capsys.readouterr().err  # said, not silent
    assert main([*cmd.args(env, str(existing)), "--force"]) == 0
    assert existing.read_bytes() != b"keep"


@pytest.mark.parametrize(
    "cmd", [c for c in COMMANDS if c.ext], ids=[c.name for c in COMMANDS if c.ext]
)
def test_a_foreign_extension_is_refused(
    env: Env, capsys: pytest.CaptureFixture[str], cmd: Command
) -> None:
    target = env.tmp / "out.doc"
    before, taken = listing(env), numbers_taken(env)
    assert main(cmd.args(env, str(target))) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert listing(env) == before and numbers_taken(env) == taken


@pytest.mark.parametrize(
    "cmd", [c for c in COMMANDS if not c.ext], ids=[c.name for c in COMMANDS if not c.ext]
)
def test_a_folder_command_given_an_existing_file_is_one_line(
    env: Env, capsys: pytest.CaptureFixture[str], cmd: Command
) -> None:
    existing = env.tmp / "out.pdf"
    existing.write_bytes(b"keep")
    taken = numbers_taken(env)
    assert main(cmd.args(env, str(existing))) == 1
    one_line(capsys)
    assert existing.read_bytes() == b"keep" and numbers_taken(env) == taken


def test_the_table_covers_every_command_that_writes() -> None:
    assert os.path.basename(__file__)  # the list above is the one place to add a new command
    assert {c.name.split()[0] for c in COMMANDS} >= {
        "render",
        "import",
        "check",
        "batch",
        "supervise",
    }
