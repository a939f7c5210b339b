"""The ledger's tables in the register's database, their version, and the upgrade.

The version is SQLite's ``PRAGMA user_version``: 0 or 1 is the register as it
was before the ledger (the ``issued`` table only), 2 adds the ledger, 3 the
notices withdrawn when the item list changed (``withdrawn``). An
older database is upgraded in place, inside one write transaction, after a
copy of it has been written beside it (``registry.sqlite3.v1-backup-…``),
so a failed or unwanted upgrade can always be undone by hand. A database
from a newer docgen is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

VERSION = 3

STATUSES = ("已发出", "已签收", "办理中", "已办结")
# Not a stored status: a notice withdrawn (its item deleted or given to another unit)
# has a row in ``withdrawn`` and a status event to this; the ledger then stops chasing it.
WITHDRAWN = "已撤销"
ISSUED, SIGNED, IN_PROGRESS, DONE = STATUSES
GRADES = ("提醒", "催办", "红头催办")

_TABLES = f"""
CREATE TABLE IF NOT EXISTS notices (
    id                INTEGER PRIMARY KEY,
    issued_id         INTEGER UNIQUE REFERENCES issued (id),
    number            TEXT    NOT NULL UNIQUE,
    meeting           TEXT    NOT NULL DEFAULT '',
    minutes_ref       TEXT    NOT NULL DEFAULT '',
    item_seqs         TEXT    NOT NULL DEFAULT '',
    unit              TEXT    NOT NULL DEFAULT '',
    matter            TEXT    NOT NULL DEFAULT '',
    support           TEXT    NOT NULL DEFAULT '',
    requirement       TEXT    NOT NULL DEFAULT '',
    deadline          TEXT,
    original_deadline TEXT,
    issued_on         TEXT    NOT NULL DEFAULT '',
    office            TEXT    NOT NULL DEFAULT '',
    contact           TEXT    NOT NULL DEFAULT '',
    phone             TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT '{ISSUED}'
                      CHECK (status IN ({", ".join(f"'{s}'" for s in STATUSES)})),
    signed_by         TEXT    NOT NULL DEFAULT '',
    signed_on         TEXT,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS notices_meeting ON notices (meeting);
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (id),
    date        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    signed_by   TEXT    NOT NULL DEFAULT '',
    signed_on   TEXT,
    source      TEXT    NOT NULL,
    source_file TEXT    NOT NULL DEFAULT '',
    source_hash TEXT    NOT NULL DEFAULT '',
    row         INTEGER,
    note        TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL,
    UNIQUE (notice_id, date, text, done)
);
CREATE INDEX IF NOT EXISTS feedback_notice ON feedback (notice_id, date);
CREATE TABLE IF NOT EXISTS sources (
    hash        TEXT PRIMARY KEY,
    file        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    entries     INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (id),
    kind        TEXT    NOT NULL,
    date        TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    old_value   TEXT    NOT NULL DEFAULT '',
    new_value   TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS events_notice ON events (notice_id);
CREATE TABLE IF NOT EXISTS reminders (
    id           INTEGER PRIMARY KEY,
    notice_id    INTEGER NOT NULL REFERENCES notices (id),
    issued_id    INTEGER UNIQUE REFERENCES issued (id),
    number       TEXT    NOT NULL UNIQUE,
    as_of        TEXT    NOT NULL,
    grade        TEXT    NOT NULL CHECK (grade IN ({", ".join(f"'{g}'" for g in GRADES)})),
    days_overdue INTEGER NOT NULL,
    deadline     TEXT,
    reply_by     TEXT    NOT NULL,
    files        TEXT    NOT NULL DEFAULT '{{}}',
    recorded_at  TEXT    NOT NULL,
    UNIQUE (notice_id, as_of)
);
CREATE INDEX IF NOT EXISTS reminders_notice ON reminders (notice_id);
CREATE TABLE IF NOT EXISTS withdrawn (
    notice_id     INTEGER PRIMARY KEY REFERENCES notices (id),
    date          TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    superseded_by TEXT    NOT NULL DEFAULT '',
    recorded_at   TEXT    NOT NULL
);
"""


class SchemaError(Exception):
    """The database cannot be used as a ledger; the message is for the user."""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _has_rows(db: sqlite3.Connection) -> bool:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return any(db.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables)


def backup(db: sqlite3.Connection, path: Path, old: int) -> Path:
    """A consistent copy beside the database (SQLite's online backup), never over another."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{max(old, 1)}-backup-{stamp}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.name}.v{max(old, 1)}-backup-{stamp}-{n}")
        n += 1
    copy = sqlite3.connect(str(target))
    try:
        db.backup(copy)
    finally:
        copy.close()
    return target


def _newer(path: Path, found: int) -> SchemaError:
    return SchemaError(
        f"台账 {path} 由更新版本的 docgen 建立（格式版本 {found}，本程序支持 {VERSION}）；"
        "请升级 docgen 后再用，文件未作任何改动"
    )


def refuse_newer(path: Path) -> None:
    """Read the version without writing (read-only URI); unreadable files are left to the register.

    A newer register is refused, and so is an older one that is read-only.
    """
    if not path.is_file():
        return
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = version(db)
        finally:
            db.close()
    except sqlite3.Error:
        return
    if found > VERSION:
        raise _newer(path, found)
    if found < VERSION:  # to be upgraded: refused now if it may not be, before anything touches it
        _refuse_read_only(path, found)


def ensure(db: sqlite3.Connection, path: Path, begin: object) -> Path | None:
    """Bring the database to VERSION; returns the backup written, if any.

    ``begin`` is the register's write-transaction context manager factory, so
    the upgrade holds the same lock as number allocation: two processes
    opening an old database at once upgrade it once.
    """
    current = version(db)
    if current == VERSION:
        return None
    if current > VERSION:
        raise _newer(path, current)
    _refuse_read_only(path, current)
    saved = backup(db, path, current) if _has_rows(db) else None
    try:
        with begin() as tx:  # type: ignore[operator]
            if version(tx) >= VERSION:  # another process upgraded it meanwhile
                return saved
            for statement in _TABLES.split(";"):
                if statement.strip():
                    tx.execute(statement)
            _backfill(tx)
            tx.execute(f"PRAGMA user_version = {VERSION}")
    except BaseException:
        if saved is not None:  # nothing was upgraded: the copy would only mislead
            saved.unlink(missing_ok=True)
        raise
    return saved


def _refuse_read_only(path: Path, current: int) -> None:
    """An older register that may not be written is refused before its backup is made.

    The mode bits are read as well as access(): a file made read-only on
    purpose stays so even for an administrator, who access() lets write.
    """
    if not path.is_file():
        return
    if os.access(path, os.W_OK) and path.stat().st_mode & stat.S_IWUSR:
        return
    raise SchemaError(
        f"台账 {path} 是只读文件，而它的格式（版本 {current}）需要升级为版本 {VERSION} 才能使用；"
        "请取消只读后再用，文件未作改动"
    )


def _backfill(db: sqlite3.Connection) -> None:
    """Notices issued before the ledger existed: what the register knows of them.

    The register kept the number, unit, date and item key (meeting | minutes
    | item | unit); the matter and deadline were never stored, so they stay
    empty until the batch is resumed (``docgen batch --resume``), which fills
    them in from the meeting's table.
    """
    stamp = now()
    rows = db.execute(
        "SELECT id, number, unit, date, item_key FROM issued WHERE kind = 'supervision'"
        " AND id NOT IN (SELECT issued_id FROM notices WHERE issued_id IS NOT NULL)"
    ).fetchall()
    for issued_id, number, unit, date, key in rows:
        parts = (key or "").split("|")
        meeting = parts[0] if len(parts) == 4 else ""
        minutes_ref = parts[1] if len(parts) == 4 else ""
        seqs = parts[2] if len(parts) == 4 and parts[2] != "unit" else ""
        db.execute(
            "INSERT OR IGNORE INTO notices (issued_id, number, meeting, minutes_ref, item_seqs,"
            " unit, issued_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (issued_id, number, meeting, minutes_ref, seqs, unit, date, stamp),
        )
