"""督办 as plain functions: plain inputs (paths, strings, dates), plain outputs (dicts, lists).

The CLI (docgen/cli_supervise.py) and the web page's 督办台账 both call these;
neither reaches into the ledger itself. Errors are raised as
``LedgerError`` (one Chinese line: usage or state) or ``InputError`` (a list
of problems naming file, row and field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docgen.ledger.schema import STATUSES
from docgen.ledger.store import Ledger, LedgerError, Notice
from docgen.supervision.totals import counts

# What `--status` accepts besides the four stored statuses: the computed ones.
STATUS_FILTERS = (*STATUSES, "逾期", "未办结")
_STATUS_ALIASES = {
    "issued": "已发出",
    "signed": "已签收",
    "in-progress": "办理中",
    "done": "已办结",
    "overdue": "逾期",
    "open": "未办结",
    "发出": "已发出",
    "签收": "已签收",
    "办结": "已办结",
    "逾期未办结": "逾期",
}


def status_filter(text: str | None) -> str | None:
    """The status a user typed, normalised; LedgerError naming the choices if unknown."""
    if not text:
        return None
    value = _STATUS_ALIASES.get(text.strip().lower(), text.strip())
    if value not in STATUS_FILTERS:
        raise LedgerError(f"状态“{text}”应为 {'、'.join(STATUS_FILTERS)} 之一", remedy="status")
    return value


def select(notices: list[Notice], as_of: dt.date, status: str | None = None) -> list[Notice]:
    if status is None:
        return notices
    if status == "逾期":
        return [n for n in notices if n.overdue(as_of)]
    if status == "未办结":
        return [n for n in notices if not n.done]
    return [n for n in notices if n.status == status]


def list_notices(
    registry: str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    unit: str | None = None,
    status: str | None = None,
    meeting: str | None = None,
) -> dict[str, Any]:
    """Every notice matching the filters, with overdue computed for ``as_of``, and the counts."""
    as_of = as_of or dt.date.today()
    wanted = status_filter(status)
    stored = wanted if wanted in STATUSES else None
    with Ledger.existing(registry) as ledger:
        rows = ledger.notices(meeting=meeting, unit=unit, status=stored)
    rows = select(rows, as_of, wanted)
    return {
        "as_of": as_of.isoformat(),
        "registry": str(Path(registry) if registry else ""),
        "notices": [n.as_dict(as_of) for n in rows],
        "counts": counts(rows, as_of),
    }


def notice_history(number: str, registry: str | Path | None = None) -> dict[str, Any]:
    """One notice and everything that happened to it, as plain data."""
    with Ledger.existing(registry) as ledger:
        found = ledger.find(number)
        if found is None:
            raise LedgerError(f"编号“{number}”不在台账中（没有发过这份督办单）；请核对编号")
        history = ledger.history(number)
    return {"notice": found.as_dict(dt.date.today()), **history}


# --- feedback ------------------------------------------------------------------------


def _recorded(r: Any) -> dict[str, Any]:
    return {
        "file": r.file,
        "recorded": r.entries,
        "duplicates": r.duplicates,
        "closed": list(r.closed),
        "notes": list(r.notes),
        "already": r.already,
        "problems": [],
    }


def record_feedback(
    paths: Sequence[str | Path], registry: str | Path | None = None, *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Record each file in its own transaction: all of a file or none of it.

    One result per file, in order; a file with problems records nothing and
    lists them (file, row, field) under "problems", the others go ahead.
    """
    from docgen.problems import InputError
    from docgen.supervision.feedback import digest, read_entries

    today = today or dt.date.today()
    out: list[dict[str, Any]] = []
    with Ledger.existing(registry) as ledger:
        for raw in paths:
            path = Path(raw)
            try:
                data = path.read_bytes()
            except OSError as exc:
                out.append(_failed(str(path), f"错误：{path}：无法读取（{exc.strerror}）"))
                continue
            seen = ledger.source_seen(digest(data))
            if seen:  # the same content again: said, not read again
                out.append({**_recorded(_Empty(str(path))), "already": seen})
                continue
            try:
                source, entries = read_entries(path, today)
                result = ledger.record_feedback(
                    entries, source=source, file=str(path), digest=digest(data)
                )
            except InputError as exc:
                out.append(_failed(str(path), *(str(p) for p in exc.problems)))
                continue
            out.append(_recorded(result))
    return out


class _Empty:
    def __init__(self, file: str) -> None:
        self.file, self.entries, self.duplicates = file, 0, 0
        self.closed: list[str] = []
        self.notes: list[str] = []
        self.already = ""


def _failed(file: str, *problems: str) -> dict[str, Any]:
    return {**_recorded(_Empty(file)), "problems": list(problems)}


def record_phone_feedback(
    number: str,
    text: str,
    *,
    done: bool = False,
    date: dt.date | None = None,
    signed_by: str = "",
    registry: str | Path | None = None,
) -> dict[str, Any]:
    """Feedback taken by phone. The same call recorded twice is recorded once."""
    from docgen.ledger.store import Entry
    from docgen.problems import InputError, Problem
    from docgen.supervision.feedback import digest

    date = date or dt.date.today()
    if not text.strip():
        raise InputError(
            [Problem("办理情况为空：请写明单位反馈的办理情况", field="办理情况", remedy="text")]
        )
    entry = Entry(number.strip(), text.strip(), date, done, signed_by=signed_by)
    key = digest(f"phone|{entry.number}|{entry.text}|{int(done)}|{date.isoformat()}".encode())
    with Ledger.existing(registry) as ledger:
        result = ledger.record_feedback([entry], source="phone", file="电话记录", digest=key)
    return _recorded(result)


def reopen(
    number: str, reason: str, *, date: dt.date | None = None, registry: str | Path | None = None
) -> dict[str, Any]:
    """A leader's further instruction: the closed item is in progress again."""
    if not reason.strip():
        raise LedgerError("请写明重新办理的原因（如领导批示）", remedy="reason")
    date = date or dt.date.today()
    with Ledger.existing(registry) as ledger:
        return ledger.reopen(number.strip(), reason.strip(), date).as_dict(date)


def extend(
    number: str,
    to: dt.date,
    reason: str,
    *,
    date: dt.date | None = None,
    registry: str | Path | None = None,
) -> dict[str, Any]:
    """An approved extension: the new deadline governs; the original stays in the history."""
    if not reason.strip():
        raise LedgerError("请写明延期的理由和批准情况", remedy="reason")
    date = date or dt.date.today()
    with Ledger.existing(registry) as ledger:
        return ledger.extend(number.strip(), to, reason.strip(), date).as_dict(date)


# --- reminders -----------------------------------------------------------------------


def remind(
    as_of: dt.date,
    outdir: str | Path,
    registry: str | Path | None = None,
    *,
    due_within: int | None = None,
    code: str | None = None,
    meeting_file: str | Path | None = None,
    meeting: str | None = None,
    formats: tuple[str, ...] = ("pdf", "docx"),
    jobs: int = 0,
    ascii_names: bool = False,
    derive_code: bool = False,
) -> dict[str, Any]:
    """One 督办事项催办单 per item overdue and not done (and due within ``due_within`` days).

    Without ``code`` (or the meeting file's remind_code) it is an error, unless
    ``derive_code``: then the notices' series with 督 → 催 (高文联办催).

    Returns the reminders rendered now ("issued") and the numbers already issued
    for this day ("already"): a second run for the same day issues nothing.
    """
    from docgen.supervision.remind import RemindOptions, run_remind

    opts = RemindOptions(
        as_of=as_of,
        outdir=Path(outdir),
        registry=Path(registry) if registry else None,
        due_within=due_within,
        code=code,
        meeting_file=Path(meeting_file) if meeting_file else None,
        meeting=meeting,
        formats=formats,
        jobs=jobs,
        ascii_names=ascii_names,
        derive_code=derive_code,
    )
    return run_remind(opts).as_dict()


# --- the report and the export ----------------------------------------------------------


def report(
    as_of: dt.date,
    targets: Mapping[str, str | Path],
    registry: str | Path | None = None,
    *,
    meeting: str | None = None,
    code: str | None = None,
    issuer: str | None = None,
    recipients: list[str] | None = None,
    every: bool = False,
) -> dict[str, Any]:
    """The 督办情况通报 written to ``targets`` ({"pdf": path, "docx": path}), atomically.

    Returns the files written, its number and title, and the totals it states
    (the same counts as `list_notices` for the same day and meeting).
    """
    from docgen.fileio import atomic_write
    from docgen.supervision.circular import make_circular

    doc, files, notes, c = make_circular(
        as_of,
        registry=Path(registry) if registry else None,
        meeting=meeting,
        code=code,
        issuer=issuer,
        recipients=recipients,
        formats=tuple(targets),
        every=every,
    )
    for fmt, data in files.items():
        atomic_write(Path(targets[fmt]), data)
    return {
        "as_of": as_of.isoformat(),
        "number": str(doc.number),
        "title": doc.title,
        "files": {fmt: str(targets[fmt]) for fmt in files},
        "counts": c,
        "notes": notes,
    }


def export(
    output: str | Path,
    registry: str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    meeting: str | None = None,
) -> dict[str, Any]:
    """督办台账.xlsx of the whole ledger (or one meeting): one sheet per meeting and 汇总."""
    from docgen.fileio import atomic_write
    from docgen.ledger.workbook import workbook_bytes

    as_of = as_of or dt.date.today()
    with Ledger.existing(registry) as ledger:
        rows = ledger.notices(meeting=meeting)
    atomic_write(Path(output), workbook_bytes(rows, as_of))
    return {
        "as_of": as_of.isoformat(),
        "file": str(output),
        "meetings": sorted({n.meeting for n in rows}),
        "counts": counts(rows, as_of),
    }
