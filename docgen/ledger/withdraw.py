"""The ledger follows the item list: notices whose item is gone are withdrawn, not forgotten.

A batch is resumed after the meeting's table changed: an item deleted, or
given to another lead unit. The notice issued for it is still in the ledger
as 已发出 and its files still in the folder, while the manifest and the
workbook no longer show it; `remind` would go on chasing a unit for an item
that is not theirs. Here each such notice is found by its item key, named
with the reason, marked 已撤销 (a ``withdrawn`` row and a status event, in
the same transaction as the batch's numbers), and from then on left out of
every list, reminder and report. A notice whose item comes back is
reinstated under its own number.

A second batch of the same meeting in the other ``--per`` mode would issue a
second notice for every item: refused unless forced, naming what exists;
forced, the other mode's notices are withdrawn as superseded.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docgen.ledger.schema import WITHDRAWN, now
from docgen.registry import CONTENT_KEY

UNIT_KEY = "unit"  # the third part of a per-unit item key: meeting|minutes|unit|单位


@dataclass(frozen=True)
class Withdrawal:
    """One notice of this meeting that the current item list no longer has."""

    notice_id: int
    number: str
    unit: str
    key: str
    reason: str
    files: tuple[str, ...]  # its files' names as recorded (moved to 已撤销/ by the batch)
    replaced_by: tuple[str, ...] = ()  # the item keys of the notices taking it over


def _prefix(meeting: str, minutes_ref: str) -> str:
    return f"{meeting}|{minutes_ref}|"


def _issued(db: sqlite3.Connection, meeting: str, minutes_ref: str) -> list[tuple]:
    """(notice id, number, unit, item key, files) of this meeting's notices not yet withdrawn."""
    prefix = _prefix(meeting, minutes_ref)
    rows = db.execute(
        "SELECT n.id, i.number, i.unit, i.item_key, i.files FROM issued i"
        " JOIN notices n ON n.issued_id = i.id"
        " WHERE i.kind = 'supervision' AND substr(i.item_key, 1, ?) = ?"
        " AND n.id NOT IN (SELECT notice_id FROM withdrawn) ORDER BY i.seq",
        (len(prefix), prefix),
    ).fetchall()
    return [tuple(r) for r in rows]


def _mode(key: str, prefix: str) -> str:
    return "unit" if key[len(prefix) :].split("|", 1)[0] == UNIT_KEY else "item"


def other_mode(db: sqlite3.Connection, meeting: str, minutes_ref: str, per: str) -> list[tuple]:
    """This meeting's notices issued in the other --per mode: (id, number, unit, key, files)."""
    prefix = _prefix(meeting, minutes_ref)
    return [r for r in _issued(db, meeting, minutes_ref) if _mode(str(r[3]), prefix) != per]


def changed(
    db: sqlite3.Connection,
    meeting: str,
    minutes_ref: str,
    per: str,
    leads: dict[int, list[str]],
    keys: Iterable[str],
    *,
    force: bool = False,
) -> list[Withdrawal]:
    """Notices of this meeting whose item key the current plan no longer has, with why.

    ``leads`` is the current table: 序号 → its lead units; ``keys`` the item
    keys the batch will number. With ``force``, the other mode's notices are
    included, as superseded by this batch.
    """
    prefix = _prefix(meeting, minutes_ref)
    current = set(keys)
    out = []
    for nid, number, unit, key, files in _issued(db, meeting, minutes_ref):
        key = str(key)
        if key in current:
            continue
        parts = key[len(prefix) :].split("|")
        if _mode(key, prefix) != per:
            if not force:
                continue  # refused by the caller (other_mode) before this is asked
            by = "单位" if per == "unit" else "议定事项"
            reason, seqs = f"本次会议改为按{by}发督办单", None
        elif per == "unit":
            reason, seqs = f"{unit}已不再牵头本次会议的议定事项", None
        else:
            seq = int(parts[0]) if parts[0].isdigit() else -1
            if seq not in leads:
                reason, seqs = f"议定事项第{seq}项已从事项表中删除", None
            else:
                now_lead = "、".join(leads[seq])
                reason, seqs = f"议定事项第{seq}项的牵头单位已改为{now_lead}", seq
        replaced = tuple(
            k for k in current if seqs is not None and k.startswith(f"{prefix}{seqs}|")
        )
        names = tuple(n for n in json.loads(files or "{}") if n != CONTENT_KEY)
        out.append(Withdrawal(int(nid), str(number), str(unit), key, reason, names, replaced))
    return out


def record(
    db: sqlite3.Connection,
    withdrawals: list[Withdrawal],
    date: str,
    numbers: dict[str, str],
    keys: Iterable[str],
) -> None:
    """Inside the batch's allocation transaction: each withdrawal, and each notice reinstated.

    ``numbers`` maps the batch's item keys to their numbers (who supersedes whom).
    """
    stamp = now()
    for w in withdrawals:
        by = "、".join(numbers[k] for k in w.replaced_by if k in numbers)
        cur = db.execute(
            "INSERT OR IGNORE INTO withdrawn (notice_id, date, reason, superseded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (w.notice_id, date, w.reason, by, stamp),
        )
        if cur.rowcount:
            _event(db, w.notice_id, date, w.reason + (f"，由 {by} 取代" if by else ""), stamp, True)
    # An item back in the table (its lead unit changed back): its notice is chased again.
    wanted = set(keys)
    rows = db.execute(
        "SELECT w.notice_id, i.item_key FROM withdrawn w JOIN notices n ON n.id = w.notice_id"
        " JOIN issued i ON i.id = n.issued_id"
    ).fetchall()  # the withdrawn are few: matched here, not with a thousand-key IN (…)
    for nid, key in rows:
        if key not in wanted:
            continue
        db.execute("DELETE FROM withdrawn WHERE notice_id = ?", (nid,))
        _event(db, int(nid), date, "议定事项已恢复，督办单重新有效", stamp, False)


def _event(
    db: sqlite3.Connection, nid: int, date: str, reason: str, stamp: str, withdrawn: bool
) -> None:
    status = db.execute("SELECT status FROM notices WHERE id = ?", (nid,)).fetchone()[0]
    old, new = (status, WITHDRAWN) if withdrawn else (WITHDRAWN, status)
    db.execute(
        "INSERT INTO events (notice_id, kind, date, reason, old_value, new_value, recorded_at)"
        " VALUES (?, 'status', ?, ?, ?, ?, ?)",
        (nid, date, reason, old, new, stamp),
    )


# --- for the batch: found before numbering, moved and said after ------------------------


def find(
    registry: Path | None,
    meeting: str,
    minutes_ref: str,
    per: str,
    leads: dict[int, list[str]],
    keys: list[str],
    *,
    force: bool,
) -> list[Withdrawal]:
    """The withdrawals a batch makes; LedgerError when the other --per mode exists unforced."""
    from docgen.ledger.store import Ledger, LedgerError

    if registry is not None and not registry.exists():
        return []  # a new register: nothing issued yet
    with Ledger(registry) as ledger:
        db = ledger.registry.db
        other = other_mode(db, meeting, minutes_ref, per)
        if other and not force:
            shown = "、".join(f"{r[1]}（{r[2]}）" for r in other[:5])
            more = f" 等 {len(other)} 份" if len(other) > 5 else ""
            mode = "单位" if per == "item" else "议定事项"
            now = "单位" if per == "unit" else "议定事项"
            raise LedgerError(
                f"本次会议已按{mode}发过督办单：{shown}{more}；再按{now}发会重复督办"
                "（改发时原督办单将标为已撤销）",
                remedy="force",
            )
        return changed(db, meeting, minutes_ref, per, leads, keys, force=force)


FOLDER = "已撤销"


def move_files(outdir: Path, withdrawals: list[Withdrawal]) -> set[str]:
    """A withdrawn notice's files go to 已撤销/ beside the others (never over a file there);
    returns the numbers whose files were here and moved."""
    from docgen.outputs import free_path

    moved = set()
    for w in withdrawals:
        for name in w.files:
            src = outdir / name
            if src.is_file():
                dest = outdir / FOLDER
                dest.mkdir(exist_ok=True)
                os.replace(src, free_path(dest / name, force=False))
                moved.add(w.number)
    return moved


def said(w: Withdrawal, numbers: dict[str, str], moved: bool) -> str:
    by = "、".join(numbers[k] for k in w.replaced_by if k in numbers)
    moved_to = f"；文件已移入 {FOLDER}/" if moved else ""
    return (
        f"已撤销 {w.number}（{w.unit}）：{w.reason}" + (f"，由 {by} 取代" if by else "") + moved_to
    )
