"""The register of issued numbers (SQLite): a number is never given out twice.

One row per issued number. Allocation happens inside ``BEGIN IMMEDIATE``,
which takes SQLite's write lock before reading the current maximum, so two
batches running at the same time are serialised and each gets a contiguous
block; ``UNIQUE(code, year, seq)`` is the last line of defence should
anything bypass that. An item key (meeting | minutes | item | unit) ties a
number to what it was issued for, so a resumed batch reuses it instead of
taking a fresh one.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.fileio import temp_beside

NEW_FILE_GRACE_S = 2.0  # how long a 0-byte file may be a register being created (see below)
BUSY_TIMEOUT_S = 60.0  # a large batch holds the lock for milliseconds; waiting is cheap

_SCHEMA = """
CREATE TABLE IF NOT EXISTS issued (
    id        INTEGER PRIMARY KEY,
    code      TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    number    TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    title     TEXT    NOT NULL DEFAULT '',
    unit      TEXT    NOT NULL DEFAULT '',
    date      TEXT    NOT NULL DEFAULT '',
    item_key  TEXT,
    file_hash TEXT    NOT NULL DEFAULT '',
    files     TEXT    NOT NULL DEFAULT '{}',
    issued_at TEXT    NOT NULL,
    UNIQUE (code, year, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS issued_item ON issued (code, year, item_key)
    WHERE item_key IS NOT NULL;
"""
# Why a number was taken by hand (a document made elsewhere). A table of its own, made
# on first use: a register without it is unchanged, and older docgen versions ignore it.
_NOTES = """
CREATE TABLE IF NOT EXISTS notes (
    issued_id INTEGER PRIMARY KEY REFERENCES issued (id),
    note      TEXT    NOT NULL
)
"""


class RegistryError(DocgenError):
    """The register refused: a number or item already issued, or the file is unusable."""


def _said(exc: sqlite3.Error) -> str:
    """SQLite's reason, in Chinese where it is one the office can act on."""
    text = str(exc)
    known = {
        "database is locked": "正被另一个程序占用，请稍后再试",
        "readonly database": "只读，无法登记",
        "unable to open database file": "无法打开（路径不存在或没有权限）",
        "disk I/O error": "读写出错（磁盘或网络盘故障）",
        "database or disk is full": "磁盘已满",
        "malformed": "数据页损坏",
        "not a database": "文件内容不是数据库",
        "attempt to write": "只读，无法登记",
    }
    for key, said in known.items():
        if key in text:
            return said
    return "出错"


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> str:
    return (
        f"文号登记簿 {path} 已损坏（{_said(exc)}），未做任何改动；"
        "请从备份恢复该文件，或联系技术人员修复后再用"
    )


def format_number(code: str, year: int, seq: int) -> str:
    return f"{code}〔{year}〕{seq}号"


def default_path() -> Path:
    """DOCGEN_REGISTRY, else the user's data folder (resources.user_data_dir)."""
    env = os.environ.get("DOCGEN_REGISTRY")
    if env:
        return Path(env).expanduser()
    from docgen.resources import user_data_dir

    return user_data_dir() / "registry.sqlite3"


@dataclass(frozen=True)
class Request:
    """What a number is wanted for."""

    kind: str
    title: str = ""
    unit: str = ""
    date: str = ""
    item_key: str | None = None


@dataclass(frozen=True)
class Issued:
    id: int
    code: str
    year: int
    seq: int
    number: str
    kind: str
    title: str
    unit: str
    date: str
    item_key: str | None
    file_hash: str
    files: dict[str, str]
    issued_at: str
    reused: bool = False
    content_hash: str = ""  # what the files were rendered from (batch --resume compares it)


CONTENT_KEY = "#content"  # stored with the file hashes, so both are written in one update


_COLUMNS = (
    "id, code, year, seq, number, kind, title, unit, date, item_key, file_hash, files, issued_at"
)


_KEYS_AT_ONCE = 500  # well under SQLite's oldest limit of 999 parameters a query


def _row(r: Sequence[Any], reused: bool = False) -> Issued:
    files = json.loads(str(r[11]) or "{}")
    content = files.pop(CONTENT_KEY, "")
    return Issued(
        id=int(r[0]),
        code=str(r[1]),
        year=int(r[2]),
        seq=int(r[3]),
        number=str(r[4]),
        kind=str(r[5]),
        title=str(r[6]),
        unit=str(r[7]),
        date=str(r[8]),
        item_key=None if r[9] is None else str(r[9]),
        file_hash=str(r[10]),
        files=files,
        issued_at=str(r[12]),
        reused=reused,
        content_hash=str(content),
    )


# Marks a file as docgen's register (PRAGMA application_id), so a foreign SQLite
# database is never taken for one. Registers made before the mark are recognised
# by their ``issued`` table and marked on first open.
APPLICATION_ID = 0x44474E52  # "DGNR"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class Registry:
    """The register at ``path`` (default: the user's data folder).

    A file is created only at the default location or when ``create`` is
    given: a mistyped ``--registry`` must not start a second register that
    hands out 1号 again. An empty, foreign or damaged file is refused in
    Chinese and never written to.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = False):
        self.path = Path(path) if path else default_path()
        may_create = create or path is None or self.path == default_path()
        self._db = self._open(may_create)

    def _open(self, may_create: bool) -> sqlite3.Connection:
        path = self.path
        if path.is_dir():
            raise RegistryError(
                f"文号登记簿 {path} 是一个文件夹，不是登记簿文件；请改正登记簿的位置",
                remedy="registry",
            )
        new = not path.exists()
        if new and not may_create:
            raise RegistryError(
                f"文号登记簿 {path} 不存在；若路径写错请改正，"
                "确需新建一个登记簿请指明新建（新登记簿会从 1 号重新编号）",
                remedy="new-registry",
            )
        if new:
            self._create(path)
        self._refuse_foreign_file(path)
        try:
            # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE).
            db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise RegistryError(f"文号登记簿 {path} 无法打开：{_said(exc)}") from exc
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            marked = self._check_existing(db)
            self._db = db
            if not marked:
                # A register made by an older docgen: its missing parts and its mark, once.
                # (An up-to-date one is not written to on open: no transaction, no fsync.)
                with self._write() as w:
                    # Statement by statement: executescript() would commit the transaction.
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            w.execute(statement)
                    w.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except RegistryError:
            db.close()
            raise
        except sqlite3.OperationalError as exc:
            db.close()
            raise RegistryError(f"文号登记簿 {path} 无法使用：{_said(exc)}") from exc
        except sqlite3.DatabaseError as exc:
            db.close()
            raise RegistryError(_damaged(path, exc)) from exc
        return db

    @staticmethod
    def _create(path: Path) -> None:
        """A complete empty register appears at ``path`` at once, or not at all.

        Built beside it and linked into place: a register is never an empty file
        in the middle of being made (which is what a damaged one looks like), and
        two batches creating it at the same moment end up with the same one.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RegistryError(
                f"文号登记簿的文件夹 {path.parent} 无法创建（{exc.strerror}）"
            ) from exc
        tmp: Path | None = None
        try:
            # A name of its own per call (mkstemp), not per process: the web server's
            # threads may create the same register at once and must not share a file.
            fd, tmp_name = temp_beside(path)
            os.close(fd)
            tmp = Path(tmp_name)
            db = sqlite3.connect(tmp_name, isolation_level=None)
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            finally:
                db.close()
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process or thread made it first: use theirs
            except OSError:  # pragma: no cover - file systems without hard links
                if not path.exists():
                    os.replace(tmp, path)
        except (OSError, sqlite3.Error) as exc:
            raise RegistryError(
                f"文号登记簿 {path} 无法新建（没有写入权限、路径无效或磁盘已满）"
            ) from exc
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """SQLite's errors during use, said in Chinese (a register can break while open)."""
        try:
            yield
        except sqlite3.IntegrityError as exc:  # pragma: no cover - guarded by the lock
            raise RegistryError(f"文号重复，已拒绝：{exc}") from exc
        except sqlite3.OperationalError as exc:
            raise RegistryError(f"文号登记簿 {self.path} 忙或不可写：{_said(exc)}") from exc
        except sqlite3.DatabaseError as exc:
            raise RegistryError(_damaged(self.path, exc)) from exc

    @staticmethod
    def _refuse_foreign_file(path: Path) -> None:
        """An existing file must be an SQLite database; an empty one is never taken for new.

        SQLite creates a new file empty and writes its first page on the first
        commit, so a register another process is creating this instant is
        briefly 0 bytes: wait a moment for it before calling it empty.
        """
        deadline = time.monotonic() + NEW_FILE_GRACE_S
        while True:
            try:
                with path.open("rb") as fh:
                    head = fh.read(len(_SQLITE_MAGIC))
            except OSError as exc:
                raise RegistryError(f"文号登记簿 {path} 无法读取（{exc.strerror}）") from exc
            if head or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if not head:
            raise RegistryError(
                f"文号登记簿 {path} 是空文件（0 字节），不是登记簿；"
                "请从备份恢复，或改正登记簿的位置，指向原来的登记簿（不会把它当作新登记簿从 1 号编起）",
                remedy="registry",
            )
        if head != _SQLITE_MAGIC:
            raise RegistryError(
                f"文件 {path} 不是文号登记簿（不是 SQLite 数据库）；请改正登记簿的位置，该文件未被改动",
                remedy="registry",
            )

    @staticmethod
    def _check_existing(db: sqlite3.Connection) -> bool:
        """A readable, undamaged docgen register; raises RegistryError (or DatabaseError).

        True when it carries docgen's mark (made by this version's _create or marked before).
        """
        app_id = int(db.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id != APPLICATION_ID and (app_id != 0 or "issued" not in tables):
            raise RegistryError(
                "该文件是别的程序的 SQLite 数据库，不是文号登记簿；请改正登记簿的位置，该文件未被改动",
                remedy="registry",
            )
        bad = [r[0] for r in db.execute("PRAGMA quick_check")]
        if bad != ["ok"]:
            raise sqlite3.DatabaseError("; ".join(str(b) for b in bad[:3]))
        return app_id == APPLICATION_ID

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection, for the ledger (docgen.supervision) in the same file."""
        return self._db

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """The register's write transaction, for the ledger to write under the same lock."""
        return self._write()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the database's write lock from its start."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            with suppress(sqlite3.Error):  # a damaged file may refuse even the rollback
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- reading -----------------------------------------------------------------

    def next_seq(self, code: str, year: int) -> int:
        with self._guarded():
            return self._next_seq(code, year)

    def _next_seq(self, code: str, year: int) -> int:
        row = self._db.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM issued WHERE code = ? AND year = ?", (code, year)
        ).fetchone()
        return int(row[0])

    def list(self, code: str | None = None, year: int | None = None) -> list[Issued]:
        sql = f"SELECT {_COLUMNS} FROM issued WHERE 1=1"
        args: builtins.list[str | int] = []
        if code:
            sql += " AND code = ?"
            args.append(code)
        if year:
            sql += " AND year = ?"
            args.append(year)
        sql += " ORDER BY code, year, seq"
        with self._guarded():
            return [_row(r) for r in self._db.execute(sql, args)]

    def by_keys(self, code: str, year: int, keys: Iterable[str]) -> dict[str, Issued]:
        """The numbers already issued for these item keys (a query a few hundred keys at a
        time: a batch asks for a thousand before it numbers)."""
        out: dict[str, Issued] = {}
        wanted = list(dict.fromkeys(keys))
        for i in range(0, len(wanted), _KEYS_AT_ONCE):
            some = wanted[i : i + _KEYS_AT_ONCE]
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM issued WHERE code = ? AND year = ?"
                f" AND item_key IN ({', '.join('?' * len(some))})",
                (code, year, *some),
            )
            for r in rows:  # one at most a key (the issued_item index)
                issued = _row(r)
                out[str(issued.item_key)] = issued
        return {key: out[key] for key in wanted if key in out}

    # --- writing -----------------------------------------------------------------

    def allocate(
        self,
        code: str,
        year: int,
        requests: Sequence[Request],
        *,
        reuse: bool = False,
        then: Callable[[sqlite3.Connection, builtins.list[Issued]], None] | None = None,
    ) -> builtins.list[Issued]:
        """Numbers for the requests, in order, in one transaction.

        A request whose item key already holds a number gets that number back
        when ``reuse`` (a resumed batch); without it the whole allocation is
        refused, because issuing a second notice for the same item is the
        mistake the register exists to prevent. ``then`` runs inside the same
        transaction with the numbers (the ledger records its notices there), so
        numbers and what they were issued for commit together or not at all.
        """
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        keys = [r.item_key for r in requests if r.item_key]
        if len(keys) != len(set(keys)):
            raise RegistryError("同一批次中有重复的事项键，无法分配文号")
        with self._guarded(), self._write() as db:
            existing = self.by_keys(code, year, keys)
            if existing and not reuse:
                shown = "；".join(
                    f"{e.number}（{e.unit}，{e.issued_at[:10]}）"
                    for e in list(existing.values())[:5]
                )
                more = f" 等 {len(existing)} 个" if len(existing) > 5 else ""
                raise RegistryError(
                    f"这些事项已经发过督办单：{shown}{more}；可继续上次的批次，沿用原文号，不会重复编号",
                    remedy="resume",
                )
            seq = self._next_seq(code, year)
            out: builtins.list[Issued] = []
            for req in requests:
                if req.item_key and req.item_key in existing:
                    out.append(replace(existing[req.item_key], reused=True))
                    continue
                number = format_number(code, year, seq)
                cur = db.execute(
                    "INSERT INTO issued (code, year, seq, number, kind, title, unit, date,"
                    " item_key, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        code,
                        year,
                        seq,
                        number,
                        req.kind,
                        req.title,
                        req.unit,
                        req.date,
                        req.item_key,
                        now,
                    ),
                )
                out.append(
                    Issued(
                        int(cur.lastrowid or 0),
                        code,
                        year,
                        seq,
                        number,
                        req.kind,
                        req.title,
                        req.unit,
                        req.date,
                        req.item_key,
                        "",
                        {},
                        now,
                    )
                )
                seq += 1
            if then is not None:
                then(db, out)
            return out

    def take(self, code: str, year: int, request: Request) -> Issued:
        return self.allocate(code, year, [request])[0]

    def reserve(self, code: str, year: int, request: Request, note: str) -> Issued:
        """The next number, taken for a document made elsewhere; the reason is kept with it."""

        def keep(db: sqlite3.Connection, issued: builtins.list[Issued]) -> None:
            db.execute(_NOTES)
            db.execute("INSERT INTO notes (issued_id, note) VALUES (?, ?)", (issued[0].id, note))

        return self.allocate(code, year, [request], then=keep)[0]

    def notes(self) -> dict[int, str]:
        """Row id → the reason a number was reserved (empty when none ever was)."""
        with self._guarded():
            found = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notes'"
            ).fetchone()
            if not found:
                return {}
            return {
                int(i): str(n) for i, n in self._db.execute("SELECT issued_id, note FROM notes")
            }

    def record_files(self, updates: Iterable[tuple[int, str, dict[str, str]]]) -> None:
        """Store (row id, main file hash, {file name: sha256}) once the files are written."""
        with self._guarded(), self._write() as db:
            db.executemany(
                "UPDATE issued SET file_hash = ?, files = ? WHERE id = ?",
                [(h, json.dumps(f, ensure_ascii=False), i) for i, h, f in updates],
            )
