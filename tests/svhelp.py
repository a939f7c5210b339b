"""The sample meeting's batch, issued once per test session, for the 督办 tests.

Each test gets its own copy of the register (and of the output folder when it
writes there), so tests never see each other's feedback or reminders.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from docgen.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CODE = "高文联办督"
_CACHE: dict[str, Path] = {}


def issued_batch(base: Path) -> tuple[Path, Path, Path]:
    """(meeting yaml, output folder, register) of the sample batch, made once."""
    if "reg" not in _CACHE:
        src = base / "in"
        src.mkdir(parents=True)
        for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
            shutil.copy(SAMPLES / name, src / name)
        reg, out = base / "r.sqlite3", base / "out"
        code = main(
            ["batch", "--meeting", str(src / "meeting-2025-1.yaml"), "-o", str(out),
             "--registry", str(reg), "--new-registry", "--quiet"]
        )  # fmt: skip
        assert code == 0
        _CACHE.update(meeting=src / "meeting-2025-1.yaml", out=out, reg=reg)
    return _CACHE["meeting"], _CACHE["out"], _CACHE["reg"]


def copy_of(base: Path, dest: Path) -> tuple[Path, Path, Path]:
    meeting, out, reg = issued_batch(base)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(reg, dest / "r.sqlite3")
    return meeting, out, dest / "r.sqlite3"


def table_rows() -> list[dict[str, str]]:
    """The sample's agreed items, read with the csv module (not docgen), for independent counts."""
    with (SAMPLES / "agreed-items-2025-1.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def deadline_of(text: str) -> dt.date:
    for sep in ("-", "/"):
        if sep in text:
            y, m, d = (int(x) for x in text.split(sep))
            return dt.date(y, m, d)
    y, rest = text.split("年")
    m, rest = rest.split("月")
    return dt.date(int(y), int(m), int(rest.rstrip("日")))


def notices_by_deadline() -> list[tuple[str, dt.date]]:
    """(lead unit, deadline) of every notice: one per lead unit of each item."""
    out = []
    for row in table_rows():
        for unit in row["牵头单位"].split("、"):
            out.append((unit, deadline_of(row["完成时限"])))
    return out
