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
from docgen.supervision.span import check_as_of, check_not_future
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
    check_as_of(rows, as_of, issuing=False)
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
    paths: Sequence[str | Path],
    registry: str | Path | None = None,
    *,
    today: dt.date | None = None,
    future: str = "refuse",
) -> list[dict[str, Any]]:
    """Record each file in its own transaction: all of a file or none of it.

    One result per file, in order; a file with problems records nothing and
    lists them (file, row, field) under "problems", the others go ahead.
    Feedback dated after ``today`` stops its file, or with ``future`` "warn"
    is recorded with a note (the meeting file's supervision: future_feedback).
    """
    from docgen.problems import InputError, errors
    from docgen.supervision.feedback import digest, future_dates, read_entries

    today = _recording_day(today, future)
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
                source, entries, notes = read_entries(path, today)
                notes += future_dates(entries, today, str(path), future)
                if errors(notes):
                    raise InputError(errors(notes))
                result = ledger.record_feedback(
                    entries, source=source, file=str(path), digest=digest(data)
                )
            except InputError as exc:
                out.append(_failed(str(path), *(str(p) for p in exc.problems)))
                continue
            result.notes += [str(p) for p in notes]
            out.append(_recorded(result))
    return out


def _recording_day(date: dt.date | None, future: str) -> dt.date:
    """The day feedback is recorded on: today, or a past day given with --date."""
    today = dt.date.today()
    if date is None:
        return today
    if date > today and future != "warn":
        check_not_future(date, "反馈日期")
    return date


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
    future: str = "refuse",
) -> dict[str, Any]:
    """Feedback taken by phone. The same call recorded twice is recorded once."""
    from docgen.ledger.store import Entry
    from docgen.problems import InputError, Problem
    from docgen.supervision.feedback import digest

    date = _recording_day(date, future)
    if not text.strip():
        raise InputError(
            [Problem("办理情况为空：请写明单位反馈的办理情况", field="办理情况", remedy="text")]
        )
    entry = Entry(number.strip(), text.strip(), date, done, signed_by=signed_by)
    key = digest(f"phone|{entry.number}|{entry.text}|{int(done)}|{date.isoformat()}".encode())
    with Ledger.existing(registry) as ledger:
        result = ledger.record_feedback([entry], source="phone", file="电话记录", digest=key)
    if date > dt.date.today():  # recorded only when the office chose "warn"
        result.notes.append(f"反馈日期 {date.isoformat()} 晚于今天；已按会议文件的设置照常记录")
    return _recorded(result)


def reopen(
    number: str, reason: str, *, date: dt.date | None = None, registry: str | Path | None = None
) -> dict[str, Any]:
    """A leader's further instruction: the closed item is in progress again."""
    if not reason.strip():
        raise LedgerError("请写明重新办理的原因（如领导批示）", remedy="reason")
    date = date or dt.date.today()
    check_not_future(date, "重新办理日期")
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
    check_not_future(date, "批准日期")
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
    (the same counts as `list_notices` for the same day and meeting). The
    targets are checked before the number is taken; a 通报 numbered by a run
    stopped before writing it is written first, beside the targets ("resumed").
    """
    from docgen import outputs
    from docgen.supervision.circular import make_circular

    outputs.require_writable([Path(p) for p in targets.values()])
    resumed = _resume_reports(as_of, meeting, targets, registry)
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
    written = _write_report(str(doc.number), files, targets, registry)
    return {
        "as_of": as_of.isoformat(),
        "number": str(doc.number),
        "title": doc.title,
        "files": {fmt: str(p) for fmt, p in written.items()},
        "counts": c,
        "notes": notes,
        "resumed": resumed,
    }


def _write_report(
    number: str,
    files: dict[str, bytes],
    targets: Mapping[str, str | Path],
    registry: str | Path | None,
) -> dict[str, Path]:
    """Each file written atomically, then recorded: the number is complete."""
    import hashlib

    from docgen.fileio import atomic_write
    from docgen.supervision.circular import record_written

    written = {fmt: Path(targets[fmt]) for fmt in files}
    for fmt, data in files.items():
        atomic_write(written[fmt], data)
    record_written(
        Path(registry) if registry else None,
        number,
        {written[f].name: hashlib.sha256(d).hexdigest() for f, d in files.items()},
    )
    return written


def _resume_reports(
    as_of: dt.date,
    meeting: str | None,
    targets: Mapping[str, str | Path],
    registry: str | Path | None,
) -> list[str]:
    """通报 numbered by a stopped run (other than this one), written beside ``targets``."""
    from docgen import naming
    from docgen.supervision.circular import make_circular, pending_reports

    reg = Path(registry) if registry else None
    folder = Path(next(iter(targets.values()))).parent
    out: list[str] = []
    for number, code, day, mtg in pending_reports(reg):
        if day == as_of and mtg == meeting:
            continue  # this run's own number: written below
        _doc, files, _notes, _c = make_circular(
            day, registry=reg, meeting=mtg, code=code, formats=tuple(targets)
        )
        stem = naming.safe(f"督办情况通报-{number}")
        paths = {fmt: folder / f"{stem}.{fmt}" for fmt in files}
        out += [str(p) for p in _write_report(number, files, paths, registry).values()]
    return out


def export(
    output: str | Path,
    registry: str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    meeting: str | None = None,
) -> dict[str, Any]:
    """督办台账.xlsx of the whole ledger (or one meeting): one sheet per meeting and 汇总."""
    from docgen import outputs
    from docgen.fileio import atomic_write
    from docgen.ledger.workbook import workbook_bytes

    outputs.require_writable([Path(output)])
    as_of = as_of or dt.date.today()
    with Ledger.existing(registry) as ledger:
        rows = ledger.notices(meeting=meeting)
    check_as_of(rows, as_of, issuing=False)
    atomic_write(Path(output), workbook_bytes(rows, as_of))
    return {
        "as_of": as_of.isoformat(),
        "file": str(output),
        "meetings": sorted({n.meeting for n in rows}),
        "counts": counts(rows, as_of),
    }
