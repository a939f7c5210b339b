"""The ledger follows the item list: `batch --resume` after the table changed names each
notice withdrawn or superseded, marks it 已撤销 with reason and date, moves its files to
已撤销/, and `list`, `remind` and `report` stop chasing it. A second batch of the same
meeting in the other --per mode is refused unless --force, naming what exists."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.ledger.store import Ledger
from docgen.registry import Registry

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CODE = "高文联办督"


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    return src / "meeting-2025-1.yaml"


def batch(meeting: Path, out: Path, reg: Path, *extra: str) -> int:
    args = ["batch", "--meeting", str(meeting), "-o", str(out), "--registry", str(reg)]
    return main([*args, "--quiet", "--format", "pdf", "--jobs", "1", "--no-minutes", *extra])


def issued(reg: Path) -> dict[str, str]:
    """item key → number, every supervision number ever taken."""
    with Registry(reg) as r:
        return {str(i.item_key): i.number for i in r.list(CODE, 2025)}


def edit_items(meeting: Path, drop: str, relead: tuple[str, str]) -> None:
    table = meeting.with_name("agreed-items-2025-1.csv")
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows = [r for r in rows if r[0] != drop]
    for r in rows:
        if r[0] == relead[0]:
            r[2] = relead[1]
    with table.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def listed(reg: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    capsys.readouterr()
    assert main(["supervise", "list", "--registry", str(reg), "--json"]) == 0
    return {n["number"] for n in json.loads(capsys.readouterr().out)["notices"]}


def test_resume_after_the_list_changed_withdraws_what_it_dropped(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, reg = tmp_path / "out", tmp_path / "r.sqlite3"
    assert batch(meeting, out, reg, "--new-registry") == 0
    before = issued(reg)
    six = next(n for k, n in before.items() if k.endswith("|6|市文物局"))
    seven = next(n for k, n in before.items() if k.endswith("|7|市民族宗教局"))
    edit_items(meeting, drop="6", relead=("7", "市文物局"))
    capsys.readouterr()
    assert batch(meeting, out, reg, "--resume") == 0
    said = "".join(capsys.readouterr())
    after = issued(reg)
    new_seven = next(n for k, n in after.items() if k.endswith("|7|市文物局"))
    assert f"{six}（市文物局）" in said and "第6项已从事项表中删除" in said
    assert f"{seven}（市民族宗教局）" in said and "第7项的牵头单位已改为市文物局" in said
    assert new_seven in said
    # Files moved out of the way, the list and the manifest without them.
    for number, unit in ((six, "市文物局"), (seven, "市民族宗教局")):
        name = f"督办单-{number}-{unit}.pdf"
        assert not (out / name).exists()
        assert (out / "已撤销" / name).stat().st_size > 10_000
    manifest = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    assert six not in manifest and seven not in manifest and new_seven in manifest
    assert listed(reg, capsys) == set(after.values()) - {six, seven}
    with Ledger(reg) as led:
        event = led.history(six)["events"][-1]
        assert event["new_value"] == "已撤销" and "删除" in str(event["reason"])
        assert event["date"]
        event = led.history(seven)["events"][-1]
        assert new_seven in str(event["reason"])
    # Reminders and the report no longer chase them.
    rem = tmp_path / "催办"
    args = ["supervise", "remind", "--as-of", "2026-06-30", "-o", str(rem), "--format", "pdf"]
    assert main([*args, "--registry", str(reg), "--code", "高文联办催"]) == 0
    reminded = (rem / "催办清单.csv").read_text(encoding="utf-8-sig")
    assert six not in reminded and seven not in reminded and new_seven in reminded
    # Resumed again with the same list: nothing more withdrawn, nothing said.
    capsys.readouterr()
    assert batch(meeting, out, reg, "--resume") == 0
    assert "已撤销" not in "".join(capsys.readouterr())


def test_the_other_per_mode_is_refused_unless_forced(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = tmp_path / "r.sqlite3"
    assert batch(meeting, tmp_path / "a", reg, "--new-registry") == 0
    by_item = issued(reg)
    capsys.readouterr()
    assert batch(meeting, tmp_path / "b", reg, "--per", "unit") == 2
    err = capsys.readouterr().err
    assert f"{CODE}〔2025〕1号" in err and "--force" in err and "Traceback" not in err
    assert issued(reg) == by_item
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
    assert batch(meeting, tmp_path / "b", reg, "--per", "unit", "--force") == 0
    by_unit = {k: n for k, n in issued(reg).items() if "|unit|" in k}
    assert len(by_unit) == 13  # one per lead unit (item 9 has two)
    assert listed(reg, capsys) == set(by_unit.values())
