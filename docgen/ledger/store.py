"""The ledger (督办台账): every notice, what came back, what the office decided.

It lives in the number register's SQLite file and writes under the same lock
(``BEGIN IMMEDIATE``), so a number, the notice it numbers and the feedback on
it are never out of step, and two processes writing at once are serialised
rather than one overwriting the other. Every write is one transaction: all
of a feedback file or none of it.

Overdue is never stored: it depends on the day one asks (``as_of``), so it is
computed from the current deadline whenever a notice is read.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from docgen.errors import DocgenError
from docgen.ledger import schema
from docgen.ledger.schema import DONE, IN_PROGRESS, ISSUED, SIGNED, STATUSES, now
from docgen.registry import Issued, Registry, RegistryError, default_path

# The three groups a 督办情况通报 counts: they add up to the total.
GROUP_DONE, GROUP_OPEN, GROUP_OVERDUE = "已办结", "正在办理", "逾期未办结"
GROUPS = (GROUP_DONE, GROUP_OPEN, GROUP_OVERDUE)
SOON_DAYS = 7  # `list` marks items due within a week


class LedgerError(DocgenError):
    """The ledger refused or cannot be opened; one Chinese line for the user."""


@lru_cache(maxsize=4096)  # a ledger's dates repeat (deadlines, days of feedback)
def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Notice:
    """One 督办单 as the ledger knows it today."""

    id: int
    number: str
    meeting: str
    minutes_ref: str
    item_seqs: str
    unit: str
    matter: str
    support: str
    requirement: str
    deadline: dt.date | None  # the one that governs: extended or original
    original_deadline: dt.date | None
    issued_on: dt.date | None
    office: str
    contact: str
    phone: str
    status: str
    signed_by: str
    signed_on: dt.date | None
    last_feedback: str = ""
    last_feedback_on: dt.date | None = None
    reminders: int = 0
    last_grade: str = ""
    files: dict[str, str] = field(default_factory=dict)  # file name → SHA-256, from the register

    @property
    def done(self) -> bool:
        return self.status == DONE

    def days_overdue(self, as_of: dt.date) -> int:
        """Days past the governing deadline (0 when not overdue or done)."""
        if self.done or self.deadline is None:
            return 0
        return max(0, (as_of - self.deadline).days)

    def overdue(self, as_of: dt.date) -> bool:
        return self.days_overdue(as_of) > 0

    def due_within(self, as_of: dt.date, days: int) -> bool:
        """Not done, not yet overdue, and due in at most ``days`` days."""
        if self.done or self.deadline is None:
            return False
        return 0 <= (self.deadline - as_of).days <= days

    def group(self, as_of: dt.date) -> str:
        return self.standing(as_of)[0]

    def standing(self, as_of: dt.date) -> tuple[str, int]:
        """(group, days overdue) in one call: a 10,000-notice report asks both of each."""
        late = self.days_overdue(as_of)
        if self.done:
            return GROUP_DONE, late
        return (GROUP_OVERDUE if late > 0 else GROUP_OPEN), late

    def as_dict(self, as_of: dt.date) -> dict[str, object]:
        """Plain data (ISO dates, Chinese status names) for JSON and the web page."""
        # Not dataclasses.asdict: it deep-copies every value, a third of `list`'s time.
        out: dict[str, object] = {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in vars(self).items()
        }
        out["files"] = dict(self.files)
        out.update(
            overdue=self.overdue(as_of),
            days_overdue=self.days_overdue(as_of),
            due_soon=self.due_within(as_of, SOON_DAYS),
            group=self.group(as_of),
        )
        return out


@dataclass(frozen=True)
class NoticeRecord:
    """What the batch knows of a notice when it issues it."""

    issued: Issued
    meeting: str
    minutes_ref: str
    item_seqs: str
    unit: str
    matter: str
    support: str = ""
    requirement: str = ""
    deadline: dt.date | None = None
    issued_on: dt.date | None = None
    office: str = ""
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Entry:
    """One piece of feedback on one notice, before it is recorded."""

    number: str
    text: str
    date: dt.date
    done: bool = False
    signed_by: str = ""
    signed_on: dt.date | None = None
    row: int | None = None  # the sheet row it came from, for messages
    note: str = ""  # other columns of the row, kept as said
    unit: str = ""  # the unit printed on a returned form, checked against the ledger
    matter: str = ""  # a returned form's 督办事项 and its source row, checked likewise
    source: str = ""


@dataclass
class Recorded:
    """What one feedback source changed."""

    file: str
    entries: int = 0  # new feedback rows
    duplicates: int = 0  # already recorded, left alone
    closed: list[str] = field(default_factory=list)  # numbers now 已办结
    notes: list[str] = field(default_factory=list)
    already: str = ""  # the whole file was recorded before (when)


# A notice as a returned form is checked against it (crosscheck.form_mismatch).
_FORM_COLUMNS = (
    "n.id, n.unit, n.issued_on, n.status, n.signed_by,"
    " n.number, n.matter, n.meeting, n.minutes_ref, n.item_seqs,"
    " (SELECT reason FROM withdrawn w WHERE w.notice_id = n.id)"
)

_SELECT = """
SELECT n.id, n.number, n.meeting, n.minutes_ref, n.item_seqs, n.unit, n.matter, n.support,
       n.requirement, n.deadline, n.original_deadline, n.issued_on, n.office, n.contact,
       n.phone, n.status, n.signed_by, n.signed_on,
       f.text, f.date,
       (SELECT COUNT(*) FROM reminders r WHERE r.notice_id = n.id),
       (SELECT r.grade FROM reminders r WHERE r.notice_id = n.id ORDER BY r.as_of DESC, r.id DESC
        LIMIT 1),
       (SELECT i.files FROM issued i WHERE i.id = n.issued_id)
FROM notices n
LEFT JOIN feedback f ON f.id = (
    SELECT g.id FROM feedback g WHERE g.notice_id = n.id ORDER BY g.date DESC, g.id DESC LIMIT 1)
"""


def _notice(r: Sequence[object]) -> Notice:
    """A row of _SELECT as a Notice.

    Not Notice(...): a frozen dataclass's __init__ sets its 23 fields one at a
    time through object.__setattr__, a third of reading 10,000 notices; the
    instance's __dict__ is set at once instead (no __post_init__ to run;
    tests/test_supervise_ledger.py checks every field is set, in order).
    """
    notice = _new_object(Notice)
    _set_slot(
        notice,
        "__dict__",
        {
            "id": int(r[0]),  # type: ignore[call-overload]
            "number": str(r[1]),
            "meeting": str(r[2]),
            "minutes_ref": str(r[3]),
            "item_seqs": str(r[4]),
            "unit": str(r[5]),
            "matter": str(r[6]),
            "support": str(r[7]),
            "requirement": str(r[8]),
            "deadline": _date(r[9]),
            "original_deadline": _date(r[10]),
            "issued_on": _date(r[11] or None),
            "office": str(r[12]),
            "contact": str(r[13]),
            "phone": str(r[14]),
            "status": str(r[15]),
            "signed_by": str(r[16]),
            "signed_on": _date(r[17]),
            "last_feedback": str(r[18] or ""),
            "last_feedback_on": _date(r[19]),
            "reminders": int(r[20] or 0),  # type: ignore[call-overload]
            "last_grade": str(r[21] or ""),
            "files": _files(r[22]),
        },
    )
    return notice


def _files(text: object) -> dict[str, str]:
    """The issued files' hashes (JSON); none recorded is the common case, and needs no parser."""
    return json.loads(str(text)) if text and text != "{}" else {}


_new_object = object.__new__
_set_slot = object.__setattr__


class Ledger:
    """The ledger over an open register; use as a context manager."""

    def __init__(self, path: str | Path | None = None, *, create: bool = False):
        # Refuse a newer ledger before the register's own opening writes to it.
        try:
            schema.refuse_newer(Path(path) if path else default_path())
        except schema.SchemaError as exc:
            raise LedgerError(str(exc)) from exc
        try:
            self.registry = Registry(path, create=create)
        except RegistryError as exc:
            raise LedgerError(str(exc)) from exc
        self.path = self.registry.path
        try:
            self.backup = schema.ensure(self.registry.db, self.path, self.registry.transaction)
        except schema.SchemaError as exc:
            self.registry.close()
            raise LedgerError(str(exc)) from exc
        except sqlite3.Error as exc:
            self.registry.close()
            raise LedgerError(f"台账 {self.path} 无法使用（{exc}）；文件未作改动") from exc

    @classmethod
    def existing(cls, path: str | Path | None) -> Ledger:
        """The ledger of a register the batch made: `supervise` never starts a new one.

        (The register's own advice for a missing file, to create one, is the
        batch's; here the user has only given the wrong register.)
        """
        if path is not None and not Path(path).exists():
            raise LedgerError(
                f"台账 {path} 不存在；请指向 docgen batch 发督办单时用的登记簿文件",
                remedy="registry",
            )
        return cls(path)

    def close(self) -> None:
        self.registry.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the register's write lock; busy or broken → LedgerError."""
        try:
            with self.registry.transaction() as db:
                yield db
        except sqlite3.Error as exc:
            raise LedgerError(f"台账 {self.path} 忙或不可写（{exc}）；本次未记录任何内容") from exc

    # --- reading ------------------------------------------------------------------

    def notices(
        self,
        *,
        meeting: str | None = None,
        unit: str | None = None,
        status: str | None = None,
        numbers: Iterable[str] | None = None,
    ) -> list[Notice]:
        # A withdrawn notice (its item deleted or reassigned) is no longer chased.
        sql, args = _SELECT + " WHERE n.id NOT IN (SELECT notice_id FROM withdrawn)", []
        if meeting:
            sql += " AND n.meeting = ?"
            args.append(meeting)
        if unit:
            sql += " AND n.unit = ?"
            args.append(unit)
        if status:
            sql += " AND n.status = ?"
            args.append(status)
        if numbers is not None:
            wanted = list(numbers)
            sql += f" AND n.number IN ({', '.join('?' * len(wanted))})"
            args.extend(wanted)
        sql += " ORDER BY n.issued_on, n.id"
        try:
            return [_notice(r) for r in self.registry.db.execute(sql, args)]
        except sqlite3.Error as exc:
            raise LedgerError(f"台账 {self.path} 无法读取（{exc}）") from exc

    def find(self, number: str) -> Notice | None:
        found = self.notices(numbers=[number])
        return found[0] if found else None

    def history(self, number: str) -> dict[str, list[dict[str, object]]]:
        """A notice's feedback, decisions and reminders, oldest first, as plain data."""
        db = self.registry.db
        row = db.execute("SELECT id FROM notices WHERE number = ?", (number,)).fetchone()
        if not row:
            return {"feedback": [], "events": [], "reminders": []}
        nid = row[0]

        def rows(sql: str) -> list[dict[str, object]]:
            cur = db.execute(sql, (nid,))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur]

        return {
            "feedback": rows(
                "SELECT date, text, done, signed_by, signed_on, source, source_file, source_hash,"
                " row, note, recorded_at FROM feedback WHERE notice_id = ? ORDER BY date, id"
            ),
            "events": rows(
                "SELECT kind, date, reason, old_value, new_value, recorded_at FROM events"
                " WHERE notice_id = ? ORDER BY id"
            ),
            "reminders": rows(
                "SELECT number, as_of, grade, days_overdue, deadline, reply_by, files FROM"
                " reminders WHERE notice_id = ? ORDER BY as_of, id"
            ),
        }

    def meetings(self) -> list[str]:
        return [
            str(r[0])
            for r in self.registry.db.execute(
                "SELECT meeting FROM notices GROUP BY meeting ORDER BY MIN(id)"
            )
        ]

    # --- the batch ----------------------------------------------------------------

    @staticmethod
    def record_notices(db: sqlite3.Connection, records: Iterable[NoticeRecord]) -> None:
        """Inside the batch's allocation transaction: one row per newly numbered notice.

        A resumed batch meets its own rows again and leaves them alone, except
        that rows backfilled from an older register get their matter and
        deadline now.
        """
        stamp = now()
        db.executemany(
            "INSERT INTO notices (issued_id, number, meeting, minutes_ref, item_seqs, unit,"
            " matter, support, requirement, deadline, original_deadline, issued_on, office,"
            " contact, phone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (number) DO UPDATE SET matter = excluded.matter,"
            " support = excluded.support, requirement = excluded.requirement,"
            " deadline = excluded.deadline, original_deadline = excluded.original_deadline,"
            " office = excluded.office, contact = excluded.contact, phone = excluded.phone,"
            " updated_at = excluded.updated_at WHERE notices.matter = ''",
            [
                (
                    r.issued.id,
                    r.issued.number,
                    r.meeting,
                    r.minutes_ref,
                    r.item_seqs,
                    r.unit,
                    r.matter,
                    r.support,
                    r.requirement,
                    r.deadline.isoformat() if r.deadline else None,
                    r.deadline.isoformat() if r.deadline else None,
                    (r.issued_on or dt.date.today()).isoformat(),
                    r.office,
                    r.contact,
                    r.phone,
                    stamp,
                )
                for r in records
            ],
        )

    @staticmethod
    def revise_notices(db: sqlite3.Connection, records: Iterable[NoticeRecord]) -> None:
        """A resumed batch re-renders a notice whose item was corrected (same number):
        the ledger then says what the new notice says."""
        stamp = now()
        db.executemany(
            "UPDATE notices SET matter = ?, support = ?, requirement = ?, deadline = ?,"
            " original_deadline = ?, contact = ?, phone = ?, updated_at = ? WHERE number = ?",
            [
                (
                    r.matter,
                    r.support,
                    r.requirement,
                    r.deadline.isoformat() if r.deadline else None,
                    r.deadline.isoformat() if r.deadline else None,
                    r.contact,
                    r.phone,
                    stamp,
                    r.issued.number,
                )
                for r in records
            ],
        )

    # --- feedback -----------------------------------------------------------------

    def source_seen(self, digest: str) -> str | None:
        """When a file with this content was recorded, or None."""
        row = self.registry.db.execute(
            "SELECT recorded_at FROM sources WHERE hash = ?", (digest,)
        ).fetchone()
        return str(row[0]) if row else None

    def record_feedback(
        self, entries: Sequence[Entry], *, source: str, file: str, digest: str
    ) -> Recorded:
        """All entries of one source in one transaction; checked inside it, so a
        number issued or closed by another process a moment ago is seen."""
        from docgen.ledger.crosscheck import OnForm, form_mismatch
        from docgen.problems import InputError, Problem

        result = Recorded(file)
        stamp = now()
        with self.write() as db:
            seen = db.execute("SELECT recorded_at FROM sources WHERE hash = ?", (digest,))
            when = seen.fetchone()
            if when:
                result.already = str(when[0])
                return result
            problems: list[Problem] = []
            by_number: dict[str, tuple] = {}
            for e in entries:
                if e.number not in by_number:
                    row = (
                        db.execute(
                            f"SELECT {_FORM_COLUMNS} FROM notices n WHERE number = ?",
                            (e.number,),
                        ).fetchone()
                        or db.execute(
                            # A returned 催办单 carries the reminder's number: its notice answers.
                            f"SELECT {_FORM_COLUMNS} FROM reminders r"
                            " JOIN notices n ON n.id = r.notice_id WHERE r.number = ?",
                            (e.number,),
                        ).fetchone()
                    )
                    if row:
                        by_number[e.number] = row
                n = by_number.get(e.number)
                if n is None:
                    problems.append(
                        Problem(
                            f"编号“{e.number}”不在台账中（没有发过这份督办单或催办单）；请核对编号",
                            field="编号",
                            file=file,
                            row=e.row,
                        )
                    )
                    continue
                issued_on = _date(n[2] or None)
                if issued_on and e.date < issued_on:
                    problems.append(
                        Problem(
                            f"反馈日期 {e.date.isoformat()} 早于督办单 {e.number} 的发出日期"
                            f" {issued_on.isoformat()}；请核对日期",
                            field="反馈日期",
                            file=file,
                            row=e.row,
                        )
                    )
                if e.signed_on and issued_on and e.signed_on < issued_on:
                    problems.append(
                        Problem(
                            f"签收日期 {e.signed_on.isoformat()} 早于督办单的发出日期"
                            f" {issued_on.isoformat()}；请核对日期",
                            field="签收人及日期",
                            file=file,
                            row=e.row,
                        )
                    )
                if e.unit and e.unit != n[1]:
                    problems.append(
                        Problem(
                            f"表上的承办单位“{e.unit}”与台账中 {e.number} 的承办单位“{n[1]}”不一致",
                            field="承办单位",
                            file=file,
                            row=e.row,
                        )
                    )
                number, matter, meeting, minutes_ref, seqs, withdrawn = n[5:11]
                on_form = OnForm(e.matter, e.source, e.row)
                problems += form_mismatch(
                    on_form, number, matter, meeting, minutes_ref, seqs, withdrawn, file
                )
            if problems:
                raise InputError(problems)  # rolls the transaction back: nothing recorded
            for e in entries:
                nid, _unit, _on, status, signed_by, *_ = by_number[e.number]
                cur = db.execute(
                    "INSERT OR IGNORE INTO feedback (notice_id, date, text, done, signed_by,"
                    " signed_on, source, source_file, source_hash, row, note, recorded_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        nid,
                        e.date.isoformat(),
                        e.text,
                        int(e.done),
                        e.signed_by,
                        e.signed_on.isoformat() if e.signed_on else None,
                        source,
                        file,
                        digest,
                        e.row,
                        e.note,
                        stamp,
                    ),
                )
                if not cur.rowcount:
                    result.duplicates += 1
                    continue
                result.entries += 1
                new = status
                if e.done:
                    new = DONE
                elif status in (ISSUED, SIGNED):
                    new = IN_PROGRESS
                elif status == DONE:
                    result.notes.append(
                        f"{e.number} 已办结，新的办理情况已记入历史，状态不变；"
                        "需要继续办理请用 docgen supervise reopen"
                    )
                if e.signed_by and not signed_by:
                    db.execute(
                        "UPDATE notices SET signed_by = ?, signed_on = ? WHERE id = ?",
                        (e.signed_by, e.signed_on.isoformat() if e.signed_on else None, nid),
                    )
                    signed_by = e.signed_by
                if new != status:
                    db.execute(
                        "UPDATE notices SET status = ?, updated_at = ? WHERE id = ?",
                        (new, stamp, nid),
                    )
                    db.execute(
                        "INSERT INTO events (notice_id, kind, date, reason, old_value, new_value,"
                        " recorded_at) VALUES (?, 'status', ?, ?, ?, ?, ?)",
                        (nid, e.date.isoformat(), f"反馈（{source}）", status, new, stamp),
                    )
                    if new == DONE:
                        result.closed.append(e.number)
                by_number[e.number] = (nid, _unit, _on, new, signed_by)
            db.execute(
                "INSERT INTO sources (hash, file, kind, entries, recorded_at) VALUES (?, ?, ?, ?, ?)",
                (digest, file, source, len(entries), stamp),
            )
        return result

    # --- the office's decisions ---------------------------------------------------

    def _one(self, db: sqlite3.Connection, number: str) -> tuple:
        row = db.execute(
            "SELECT id, status, deadline, original_deadline FROM notices WHERE number = ?",
            (number,),
        ).fetchone()
        if not row:
            raise LedgerError(f"编号“{number}”不在台账中（没有发过这份督办单）；请核对编号")
        return row

    def reopen(self, number: str, reason: str, date: dt.date) -> Notice:
        """A leader's further instruction: a closed item is in progress again."""
        stamp = now()
        with self.write() as db:
            nid, status, _d, _o = self._one(db, number)
            if status != DONE:
                raise LedgerError(f"{number} 当前状态为“{status}”，未办结，无需重新打开")
            db.execute(
                "UPDATE notices SET status = ?, updated_at = ? WHERE id = ?",
                (IN_PROGRESS, stamp, nid),
            )
            db.execute(
                "INSERT INTO events (notice_id, kind, date, reason, old_value, new_value,"
                " recorded_at) VALUES (?, 'reopen', ?, ?, ?, ?, ?)",
                (nid, date.isoformat(), reason, status, IN_PROGRESS, stamp),
            )
        found = self.find(number)
        assert found
        return found

    def extend(self, number: str, to: dt.date, reason: str, date: dt.date) -> Notice:
        """An approved extension: the new deadline governs, the old stays in the history."""
        stamp = now()
        with self.write() as db:
            nid, status, deadline, _orig = self._one(db, number)
            if status == DONE:
                raise LedgerError(f"{number} 已办结，不能延期；需要继续办理请先 reopen")
            if deadline and to <= dt.date.fromisoformat(deadline):
                raise LedgerError(
                    f"新的完成时限 {to.isoformat()} 应晚于现在的完成时限 {deadline}（延期只能向后）"
                )
            db.execute(
                "UPDATE notices SET deadline = ?, updated_at = ? WHERE id = ?",
                (to.isoformat(), stamp, nid),
            )
            db.execute(
                "INSERT INTO events (notice_id, kind, date, reason, old_value, new_value,"
                " recorded_at) VALUES (?, 'extend', ?, ?, ?, ?, ?)",
                (nid, date.isoformat(), reason, deadline or "", to.isoformat(), stamp),
            )
        found = self.find(number)
        assert found
        return found

    # --- reminders ----------------------------------------------------------------

    def reminded(self, as_of: dt.date) -> dict[int, str]:
        """notice id → reminder number, for reminders already issued for this day."""
        return {
            int(r[0]): str(r[1])
            for r in self.registry.db.execute(
                "SELECT notice_id, number FROM reminders WHERE as_of = ?", (as_of.isoformat(),)
            )
        }

    @staticmethod
    def record_reminders(
        db: sqlite3.Connection, rows: Iterable[tuple[int, Issued, str, int, str, str, str]]
    ) -> None:
        """(notice id, issued number, grade, days overdue, deadline, reply-by, as-of)."""
        stamp = now()
        db.executemany(
            "INSERT OR IGNORE INTO reminders (notice_id, issued_id, number, as_of, grade,"
            " days_overdue, deadline, reply_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (nid, iss.id, iss.number, as_of, grade, days, deadline or None, reply_by, stamp)
                for nid, iss, grade, days, deadline, reply_by, as_of in rows
            ],
        )

    def record_reminder_files(self, files: dict[str, dict[str, str]]) -> None:
        """reminder number → {file name: sha256}, once the files are on disk."""
        with self.write() as db:
            db.executemany(
                "UPDATE reminders SET files = ? WHERE number = ?",
                [(json.dumps(f, ensure_ascii=False), n) for n, f in files.items()],
            )


__all__ = [
    "GROUPS",
    "STATUSES",
    "Entry",
    "Ledger",
    "LedgerError",
    "Notice",
    "NoticeRecord",
    "Recorded",
]
