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

from docgen import naming, outputs
from docgen.fileio import atomic_write
from docgen.ledger.store import Ledger, LedgerError, Notice
from docgen.registry import Issued, Request
from docgen.supervision.span import check_as_of, check_days

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
    resumed: list[dict[str, Any]] = field(default_factory=list)  # an interrupted run's, written now
    already: list[str] = field(default_factory=list)  # numbers issued earlier for this day
    notes: list[str] = field(default_factory=list)  # 说明 lines: a name taken, a layout note
    manifest: Path | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "issued": self.issued,
            "resumed": self.resumed,
            "already": self.already,
            "manifest": str(self.manifest) if self.manifest else "",
            "seconds": round(self.seconds, 3),
            "notes": self.notes,
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
    code, red_days, reply_days, contact, phone = _settings(opts)
    as_of = opts.as_of
    result = RemindResult(as_of)
    say = log or result.notes.append  # said by the caller (the CLI prints them)
    with Ledger.existing(opts.registry) as ledger:
        notices = ledger.notices(meeting=opts.meeting)
        check_as_of(notices, as_of, issuing=True)  # before a number is taken
        check_days(opts.due_within, "--due-within")
        check_days(reply_days, "催办反馈天数")
        code = series(notices, code, opts.derive_code)
        chosen = choose(notices, as_of, opts.due_within, red_days)
        today = ledger.reminded(as_of)  # notice id → reminder number already issued
        # Numbered by a run that was stopped before their files were written, any day:
        # written now, each as it was, before (and instead of) a new number for its notice.
        pending = pending_reminders(ledger)
        waiting = {p.notice.id for p in pending}
        fresh = [c for c in chosen if c.notice.id not in today and c.notice.id not in waiting]
        unwritten = {p.number for p in pending}
        result.already = sorted(
            (num for nid, num in today.items() if num not in unwritten),
            key=lambda s: (len(s), s),
        )
        if not fresh and not pending:
            return result
        # Every file this run will write, checked before the first number is taken.
        names = [
            stem("X" * len(code) + "〔0000〕000000号", c.notice.unit, opts.ascii_names)
            for c in fresh
        ]
        names += [stem(p.number, p.notice.unit, opts.ascii_names) for p in pending]
        outputs.require_writable(
            [opts.outdir / MANIFEST]
            + [opts.outdir / f"{n}.{fmt}" for n in names for fmt in opts.formats]
        )
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
    if pending:  # a run was stopped: its half-written temporary files go first
        from docgen.lifeline import clean_partial_files

        for name in clean_partial_files(opts.outdir):
            say(f"说明：已删除上次中断留下的半截临时文件 {name}")
    for (day, reply_on), group in _by_day(pending).items():
        redo = [(p.chosen, p.number) for p in group]
        result.resumed += _render(opts, redo, day, reply_on, red_days, contact, phone, say, False)
    if result.resumed:
        _recorded(opts, result.resumed)  # the interrupted run's files, complete first
    todo = [(c, iss.number) for c, iss in zip(fresh, numbers)]
    reply_by = as_of + dt.timedelta(days=reply_days)
    rows = _render(opts, todo, as_of, reply_by, red_days, contact, phone, say) if todo else []
    result.issued = rows
    result.manifest = opts.outdir / MANIFEST
    _recorded(opts, rows)
    result.seconds = time.perf_counter() - t0
    return result


def _recorded(opts: RemindOptions, rows: list[dict[str, Any]]) -> None:
    """The list, then the files' hashes in the ledger: from now on these numbers are done."""
    manifest = opts.outdir / MANIFEST
    atomic_write(manifest, _manifest(rows, manifest))
    with Ledger.existing(opts.registry) as ledger:
        ledger.record_reminder_files({r["number"]: r["files"] for r in rows})


@dataclass
class Pending:
    """A reminder whose number was taken but whose files were never recorded."""

    number: str
    chosen: Chosen
    as_of: dt.date
    reply_by: dt.date

    @property
    def notice(self) -> Notice:
        return self.chosen.notice


def pending_reminders(ledger: Ledger) -> list[Pending]:
    """Every reminder numbered and never written (the run was stopped), oldest first."""
    rows = ledger.registry.db.execute(
        "SELECT notice_id, number, as_of, grade, days_overdue, reply_by FROM reminders"
        " WHERE files = '{}' ORDER BY as_of, id"
    ).fetchall()
    if not rows:
        return []
    by_id = {n.id: n for n in ledger.notices()}
    return [
        Pending(
            str(number),
            Chosen(by_id[nid], str(grade), int(days)),
            dt.date.fromisoformat(str(as_of)),
            dt.date.fromisoformat(str(reply_by)),
        )
        for nid, number, as_of, grade, days, reply_by in rows
        if nid in by_id
    ]


def _by_day(pending: list[Pending]) -> dict[tuple[dt.date, dt.date], list[Pending]]:
    out: dict[tuple[dt.date, dt.date], list[Pending]] = {}
    for p in pending:
        out.setdefault((p.as_of, p.reply_by), []).append(p)
    return out


def _render(
    opts: RemindOptions,
    todo: list[tuple[Chosen, str]],
    as_of: dt.date,
    reply_by: dt.date,
    red_days: int,
    contact: str | None,
    phone: str | None,
    say: Callable[[str], None],
    fresh: bool = True,
) -> list[dict[str, Any]]:
    """The batch's render pool (worker processes, fonts cut once), over the reminders.

    A fresh reminder never replaces a file already in the folder (another
    register's, of the same name): it is saved as name-2. A resumed one
    (``fresh`` False) is written over its own half-finished run's file.
    """
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
        name = stem(number, c.notice.unit, opts.ascii_names)
        if fresh:
            name = _free_stem(opts.outdir, name, opts.formats, say)
        jobs.append(Job(key=key, kind="reminder", doc=doc, stem=name, unit=c.notice.unit))
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

    def row(key: str) -> dict[str, Any]:
        c, r = by_key[key], results[key]
        return {
            "number": key,
            "notice": c.notice.number,
            "unit": c.notice.unit,
            "grade": c.grade,
            "days_overdue": c.days_overdue,
            "deadline": c.notice.deadline.isoformat() if c.notice.deadline else "",
            "reply_by": reply_by.isoformat(),
            "files": {f.name: f.sha256 for f in r.files.values()},
            "sizes": {f.name: f.size for f in r.files.values()},
        }

    try:
        render_all(jobs, pool_opts, profile, fonts, pdf_fonts, done)
    except KeyboardInterrupt:
        # Ctrl+C (or a stop): what is written is listed and recorded; the rest stay pending.
        finished = [row(j.key) for j in jobs if j.key in results]
        if finished:
            _recorded(opts, finished)
        raise KeyboardInterrupt(
            f"已中断（Ctrl+C）：已写好并登记 {len(finished)} 份催办单；其余 {len(jobs) - len(finished)}"
            " 份的文号已登记，下次运行 docgen supervise remind 时按原日期、原文号补发；"
            "没有留下写了一半的文件"
        ) from None
    finally:
        for folder in cut_dir:
            shutil.rmtree(folder, ignore_errors=True)
    return [row(j.key) for j in jobs]


def _free_stem(
    folder: Path, name: str, formats: tuple[str, ...], say: Callable[[str], None]
) -> str:
    """``name``, or name-2… when a file of that name (in any of the formats) is there."""
    taken = [folder / f"{name}.{fmt}" for fmt in formats if (folder / f"{name}.{fmt}").exists()]
    if not taken:
        return name
    n = 2
    while any((folder / f"{name}-{n}.{fmt}").exists() for fmt in formats):
        n += 1
    say(f"说明：{taken[0]} 已存在，未覆盖，另存为 {name}-{n}.{formats[0]}")
    return f"{name}-{n}"


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
    # An earlier run's rows stay, but for the files written now (a folder may hold
    # another register's reminders of the same number: their rows stay too).
    ours = {name for r in rows for name in r["files"]}
    name_at = MANIFEST_COLUMNS.index("文件名")
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for old in reader:
                if len(old) > name_at and old[name_at] not in ours:
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
