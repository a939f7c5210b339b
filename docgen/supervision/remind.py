"""督办事项催办单: one per item overdue and not done (and, if asked, per item due soon).

The order is the batch's: choose the items from the ledger, take the numbers
(under the reminder's own code) and record the reminders in one transaction,
render in worker processes with the batch's renderer, then write the
manifest and record the files' hashes. A reminder is keyed by its notice and
the day it is for, so running again for the same day issues nothing new; a
reminder numbered but never rendered (a crash) is rendered on the next run.

Grades, as offices grade them (三色督办): 提醒 for an item due within the
asked days, 催办 for an overdue one, 红头催办 (red head) for one overdue
longer than the meeting's threshold (default 30 days).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import naming
from docgen.fileio import atomic_write
from docgen.ledger.store import Ledger, LedgerError, Notice
from docgen.registry import Issued, Request

MANIFEST = "催办清单.csv"
FEEDBACK_CHARS = 60  # the last feedback, cut to two lines of the form's cell


@dataclass
class RemindOptions:
    as_of: dt.date
    outdir: Path
    registry: Path | None = None
    due_within: int | None = None  # also 提醒 for items due within this many days
    code: str | None = None  # else the meeting file's supervision.remind_code
    meeting_file: Path | None = None  # where remind_code / red_head_days / reply_days are read
    meeting: str | None = None  # only this meeting's notices (its name)
    red_head_days: int | None = None
    reply_days: int | None = None
    formats: tuple[str, ...] = ("pdf", "docx")
    jobs: int = 0
    ascii_names: bool = False
    progress: bool | None = False
    derive_code: bool = False  # no code given: the notices' series with 督 → 催 (the CLI does)
    contact: str | None = None
    phone: str | None = None


@dataclass
class Chosen:
    notice: Notice
    grade: str
    days_overdue: int


@dataclass
class RemindResult:
    as_of: dt.date
    issued: list[dict[str, Any]] = field(default_factory=list)  # the reminders rendered now
    already: list[str] = field(default_factory=list)  # numbers issued earlier for this day
    manifest: Path | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "issued": self.issued,
            "already": self.already,
            "manifest": str(self.manifest) if self.manifest else "",
            "seconds": round(self.seconds, 3),
        }


def grade_of(n: Notice, as_of: dt.date, red_head_days: int) -> str:
    days = n.days_overdue(as_of)
    if days > red_head_days:
        return "红头催办"
    return "催办" if days > 0 else "提醒"


def choose(
    notices: list[Notice], as_of: dt.date, due_within: int | None, red_head_days: int
) -> list[Chosen]:
    """Overdue and not done; with ``due_within``, also not done and due within that many days."""
    out = []
    for n in notices:
        if n.overdue(as_of) or (due_within is not None and n.due_within(as_of, due_within)):
            out.append(Chosen(n, grade_of(n, as_of, red_head_days), n.days_overdue(as_of)))
    return out


def _settings(opts: RemindOptions) -> tuple[str, int, int, str | None, str | None]:
    """(code, red-head days, reply days, contact, phone): options first, then the meeting file."""
    from docgen import loader
    from docgen.items import pop_settings

    code, red, reply = opts.code, opts.red_head_days, opts.reply_days
    contact, phone = opts.contact, opts.phone
    if opts.meeting_file is not None:
        raw = loader.read_data(opts.meeting_file)
        s = pop_settings(raw, str(opts.meeting_file))
        code = code or s.remind_code
        red = red or s.red_head_days
        reply = reply or s.reply_days
        contact, phone = contact or s.contact, phone or s.phone
    return code or "", red or 30, reply or 7, contact, phone


def series(notices: list[Notice], code: str, derive: bool) -> str:
    """The reminders' own number series: as given, else (``derive``) the notices' code with
    督 → 催 (高文联办督 → 高文联办催), the series the issue's example shows."""
    if code:
        return code
    import re

    first = next((n.number for n in notices), "")
    m = re.match(r"^(.+?)〔\d{4}〕", first)
    if not derive or not m:
        raise LedgerError(
            "催办单需要自己的编号代字：请指定代字（如 高文联办催），"
            "或指明会议文件并在其 supervision: 中填写 remind_code",
            remedy="code",
        )
    base = m.group(1)
    return (base[:-1] if base.endswith("督") else base) + "催"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= FEEDBACK_CHARS else text[: FEEDBACK_CHARS - 2] + "……"


def reminder_doc(
    c: Chosen,
    number: str,
    as_of: dt.date,
    reply_by: dt.date,
    red_head_days: int,
    contact: str | None,
    phone: str | None,
) -> Any:
    from docgen.models.meeting import Reminder

    n = c.notice
    return Reminder.model_validate(
        {
            "office": n.office or "联席会议办公室",
            "number": number,
            "grade": c.grade,
            "unit": n.unit,
            "original_number": n.number,
            "original_date": n.issued_on or as_of,
            "meeting": n.meeting,
            "minutes_ref": n.minutes_ref,
            "item_seqs": n.item_seqs,
            "matter": n.matter or "（见原督办单）",
            "deadline": n.deadline,
            "days_overdue": c.days_overdue,
            "red_after_days": red_head_days,
            "last_feedback": _short(n.last_feedback),
            "last_feedback_date": n.last_feedback_on,
            "reply_by": reply_by,
            "contact": n.contact or contact or "联席会议办公室",
            "phone": n.phone or phone or "—",
            "date": as_of,
        }
    )


def stem(number: str, unit: str, ascii_names: bool) -> str:
    if ascii_names:
        return naming.safe(f"cuiban-{naming.ascii_slug(number)}-{naming.ascii_slug(unit)}")
    return naming.safe(f"催办单-{number}-{unit}")


def run_remind(opts: RemindOptions, log: Callable[[str], None] | None = None) -> RemindResult:
    import time

    t0 = time.perf_counter()
    say = log or (lambda _m: None)
    code, red_days, reply_days, contact, phone = _settings(opts)
    as_of = opts.as_of
    result = RemindResult(as_of)
    with Ledger.existing(opts.registry) as ledger:
        notices = ledger.notices(meeting=opts.meeting)
        code = series(notices, code, opts.derive_code)
        chosen = choose(notices, as_of, opts.due_within, red_days)
        today = ledger.reminded(as_of)  # notice id → reminder number already issued
        unrendered = ledger.unrendered_reminders(as_of)  # numbered, never written (a crash)
        fresh = [c for c in chosen if c.notice.id not in today]
        result.already = sorted(
            (num for nid, num in today.items() if num not in unrendered),
            key=lambda s: (len(s), s),
        )
        redo = [c for c in chosen if today.get(c.notice.id) in unrendered]
        if not fresh and not redo:
            return result
        requests = [
            Request(
                "reminder",
                title="督办事项催办单",
                unit=c.notice.unit,
                date=as_of.isoformat(),
                item_key=f"催办|{c.notice.number}|{as_of.isoformat()}",
            )
            for c in fresh
        ]

        def record(db: Any, numbers: list[Issued]) -> None:
            Ledger.record_reminders(
                db,
                [
                    (
                        c.notice.id,
                        iss,
                        c.grade,
                        c.days_overdue,
                        c.notice.deadline.isoformat() if c.notice.deadline else "",
                        (as_of + dt.timedelta(days=reply_days)).isoformat(),
                        as_of.isoformat(),
                    )
                    for c, iss in zip(fresh, numbers)
                ],
            )

        numbers = ledger.registry.allocate(code, as_of.year, requests, then=record) if fresh else []
    todo = [(c, iss.number) for c, iss in zip(fresh, numbers)]
    todo += [(c, today[c.notice.id]) for c in redo]
    reply_by = as_of + dt.timedelta(days=reply_days)
    rows = _render(opts, todo, as_of, reply_by, red_days, contact, phone, say)
    result.issued = rows
    result.manifest = opts.outdir / MANIFEST
    atomic_write(result.manifest, _manifest(rows, result.manifest))
    with Ledger.existing(opts.registry) as ledger:
        ledger.record_reminder_files({r["number"]: r["files"] for r in rows})
    result.seconds = time.perf_counter() - t0
    return result


def _render(
    opts: RemindOptions,
    todo: list[tuple[Chosen, str]],
    as_of: dt.date,
    reply_by: dt.date,
    red_days: int,
    contact: str | None,
    phone: str | None,
    say: Callable[[str], None],
) -> list[dict[str, Any]]:
    """The batch's render pool (worker processes, fonts cut once), over the reminders."""
    from docgen.batch.jobs import Job, JobResult
    from docgen.batch.pool import PoolOptions, batch_chars, render_all
    from docgen.context import resolve_context

    ctx = resolve_context()
    profile, fonts = ctx.profile, ctx.fonts
    jobs = []
    by_key: dict[str, Chosen] = {}
    for c, number in todo:
        doc = reminder_doc(c, number, as_of, reply_by, red_days, contact, phone)
        key = number  # unique: the register never gives a number twice
        by_key[key] = c
        jobs.append(
            Job(
                key=key,
                kind="reminder",
                doc=doc,
                stem=stem(number, c.notice.unit, opts.ascii_names),
                unit=c.notice.unit,
            )
        )
    opts.outdir.mkdir(parents=True, exist_ok=True)
    pool_opts = PoolOptions(
        outdir=opts.outdir,
        base_dir=opts.outdir,  # reminders hold no relative paths
        formats=opts.formats,
        jobs=opts.jobs,
        progress=opts.progress,
    )
    results: dict[str, JobResult] = {}
    cut_dir: list[Path] = []

    def pdf_fonts() -> Any:
        from docgen.fonts import subset_fontset
        from docgen.lifeline import fonts_tempdir

        folder = fonts_tempdir()  # named with our pid: a killed run's is removed next time
        cut_dir.append(folder)
        return subset_fontset(fonts, batch_chars([j.doc for j in jobs], profile), folder)

    def done(batch: list[JobResult]) -> None:
        for r in batch:
            results[r.key] = r
            for note in r.notes:
                say(f"说明：{r.key}：{note}")

    try:
        render_all(jobs, pool_opts, profile, fonts, pdf_fonts, done)
    finally:
        for folder in cut_dir:
            shutil.rmtree(folder, ignore_errors=True)
    rows = []
    for job in jobs:
        c = by_key[job.key]
        r = results[job.key]
        rows.append(
            {
                "number": job.key,
                "notice": c.notice.number,
                "unit": c.notice.unit,
                "grade": c.grade,
                "days_overdue": c.days_overdue,
                "deadline": c.notice.deadline.isoformat() if c.notice.deadline else "",
                "reply_by": reply_by.isoformat(),
                "files": {f.name: f.sha256 for f in r.files.values()},
                "sizes": {f.name: f.size for f in r.files.values()},
            }
        )
    return rows


MANIFEST_COLUMNS = (
    "编号",
    "原督办单",
    "承办单位",
    "催办等级",
    "逾期天数",
    "完成时限",
    "反馈时限",
    "文件名",
    "字节数",
    "SHA-256",
)


def _manifest(rows: list[dict[str, Any]], path: Path) -> bytes:
    """This run's reminders, after the rows an earlier run wrote to the same folder."""
    from docgen.cells import csv_row

    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(MANIFEST_COLUMNS)
    ours = {r["number"] for r in rows}
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for old in reader:
                if old and old[0] not in ours:
                    w.writerow(old)
    for r in rows:
        for name, sha in sorted(r["files"].items(), key=lambda kv: not kv[0].endswith(".pdf")):
            w.writerow(
                csv_row(
                    [
                        r["number"],
                        r["notice"],
                        r["unit"],
                        r["grade"],
                        r["days_overdue"],
                        r["deadline"],
                        r["reply_by"],
                        name,
                        r["sizes"][name],
                        sha,
                    ]
                )
            )
    return buf.getvalue().encode("utf-8-sig")
