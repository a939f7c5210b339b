"""One list of agreed items → the 纪要 and every 督办单, in parallel, with a ledger.

The order of a run is the point of this module:

1. read and check everything (meeting, every row, unit names, settings);
   nothing is written and no number is taken if anything is wrong;
2. refuse an output folder that already holds a batch, unless resuming;
3. take the numbers from the register, in one transaction;
4. render in worker processes, each file written atomically;
5. write manifest.csv and 督办台账.xlsx (and the zip) last, from the hashes
   of what is on disk, so they always describe complete files.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import gc
import hashlib
import io
import multiprocessing
import os
import shutil
import signal
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from docgen import lifeline, loader, naming, rules
from docgen.cells import csv_row
from docgen.fileio import atomic_write, temp_beside
from docgen.items import SupervisionSettings, attach_items, pop_settings
from docgen.models.meeting import AgreedItem, Minutes, Supervision
from docgen.problems import InputError, Problem, errors, warnings
from docgen.registry import (
    CONTENT_KEY,
    Issued,
    Registry,
    RegistryError,
    Request,
    format_number,
)


class BatchRefused(Exception):
    """The run would overwrite or re-issue something; said in Chinese, nothing was written."""


class Interrupted(KeyboardInterrupt):
    """Ctrl+C during rendering; the message says what is done and how to go on."""


def _reason(exc: BaseException) -> str:
    """Why rendering stopped, in words an office can act on (never an exception's English)."""
    import errno
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, BrokenProcessPool):
        return "并行生成的进程意外退出，多为内存不足；可加 --jobs 1 重试"
    if isinstance(exc, OSError):
        said = {
            errno.ENOSPC: "磁盘已满",
            errno.EACCES: "输出文件夹没有写入权限",
            errno.EROFS: "输出位置只读",
            errno.ENAMETOOLONG: "文件名过长",
        }.get(exc.errno or 0, "读写文件出错")
        return f"{said}：{exc.filename}" if exc.filename else said
    if isinstance(exc, MemoryError):
        return "内存不足"
    return "排版时出现内部错误，请把输入文件交技术人员检查"


@dataclass
class BatchOptions:
    meeting: Path
    outdir: Path
    items: Path | None = None  # overrides the meeting's items_file / items
    per: str = "item"  # "item": one notice per lead unit per item; "unit": one per unit
    formats: tuple[str, ...] = ("pdf", "docx")
    ascii_names: bool = False
    zip: bool = False
    skip_invalid: bool = False
    resume: bool = False
    registry: Path | None = None
    new_registry: bool = False  # create the register at ``registry`` if it does not exist
    jobs: int = 0  # 0 → one per CPU core
    code: str | None = None
    contact: str | None = None
    phone: str | None = None
    date: dt.date | None = None
    minutes: bool = True  # also render the 纪要
    profile: Path | None = None
    fonts: list[str] = field(default_factory=list)  # ROLE=FILE, as render's --font
    template: Path | None = None
    progress: bool | None = None  # None → only when stderr is a terminal
    cut_fonts: bool = True  # cut each font to the batch's characters once (fonts.subset_fontset)
    strict: bool = False  # 核稿 findings stop the batch
    on_progress: Callable[[int, int], None] | None = None  # (done, total): the web's progress bar


@dataclass
class Job:
    """One document to render and the file names it gets."""

    key: str
    kind: str  # "minutes" / "supervision"
    doc: Any
    stem: str
    items: list[AgreedItem] = field(default_factory=list)
    unit: str = ""
    issued: Issued | None = None
    content: str = ""  # content_hash(): what the files say, for --resume

    def names(self, formats: Iterable[str]) -> dict[str, str]:
        return {fmt: f"{self.stem}.{fmt}" for fmt in formats}


@dataclass
class FileResult:
    name: str
    sha256: str
    size: int


@dataclass
class JobResult:
    key: str
    files: dict[str, FileResult]
    pages: int = 0
    notes: list[str] = field(default_factory=list)
    skipped: bool = False  # resumed: the file on disk already matched its recorded hash


@dataclass
class BatchResult:
    outdir: Path
    jobs: list[Job]
    results: dict[str, JobResult]
    warnings: list[Problem]
    seconds: float
    rendered: int
    skipped: int
    manifest: Path
    ledger: Path
    archive: Path | None = None
    phases: dict[str, float] = field(default_factory=dict)  # seconds per stage, for benchmarks

    @property
    def notices(self) -> list[Job]:
        return [j for j in self.jobs if j.kind == "supervision"]


# --- 1. reading and checking -------------------------------------------------------


@dataclass
class Plan:
    minutes: Minutes
    settings: SupervisionSettings
    code: str
    year: int
    date: dt.date
    jobs: list[Job]
    warnings: list[Problem]


def prepare(opts: BatchOptions) -> Plan:
    """Everything checked, nothing written; raises InputError listing every error."""
    meeting = opts.meeting
    file = str(meeting)
    raw = loader.read_data(meeting)
    settings = pop_settings(raw, file)
    if raw.get("kind", raw.get("类型")) is None:
        raw["kind"] = "minutes"  # the meeting file of a batch is a 纪要 by definition
    doc = loader.build(raw, file)
    if not isinstance(doc, Minutes):
        raise InputError(
            [
                Problem(
                    "--meeting 应为纪要（kind: minutes）的会议文件", field="kind（类型）", file=file
                )
            ]
        )
    problems = rules.check(doc, raw, file)
    if opts.items is not None:
        # The table on the command line wins over what the YAML names or lists.
        doc.items, doc.items_file = [], str(opts.items.resolve())
    problems += attach_items(doc, meeting, settings, skip_invalid=opts.skip_invalid)
    if not doc.items and not errors(problems):
        problems.append(
            Problem(
                "没有可督办的议定事项：请在会议文件中填写 items_file 或 items，或在命令行给出表格",
                field="items（议定事项）",
                file=file,
            )
        )
    code = opts.code or settings.code
    contact = opts.contact or settings.contact
    phone = opts.phone or settings.phone
    for value, key, flag in (
        (code, "code（代字）", "--code"),
        (contact, "contact（联系人）", "--contact"),
        (phone, "phone（联系电话）", "--phone"),
    ):
        if not value:
            problems.append(
                Problem(
                    f"督办单需要此项：请在会议文件的 supervision: 中填写，或用 {flag} 指定",
                    field=f"supervision.{key}",
                    file=file,
                )
            )
    if errors(problems):
        raise InputError(errors(problems) + warnings(problems))
    assert code and contact and phone
    date = opts.date or settings.date or doc.date
    minutes_ref = settings.minutes_ref or (str(doc.number) if doc.number else f"第{doc.issue_no}期")
    office = settings.office or doc.compiler

    def notice(unit: str, items: list[AgreedItem], number: str) -> Supervision:
        data: dict[str, Any] = {
            "office": office,
            "number": number,
            "unit": unit,
            "meeting": doc.meeting,
            "minutes_ref": minutes_ref,
            "items": items,
            "contact": contact,
            "phone": phone,
            "date": date,
            "feedback_by": settings.feedback_by,
        }
        if settings.form_title:
            data["form_title"] = settings.form_title
        return Supervision.model_validate(data)

    jobs: list[Job] = []
    if opts.minutes:
        stem = naming.minutes_stem(doc.mark, doc.issue_no, ascii_names=opts.ascii_names)
        jobs.append(Job(key="minutes", kind="minutes", doc=doc, stem=stem, items=list(doc.items)))
    groups: list[tuple[str, str, list[AgreedItem]]] = []
    if opts.per == "unit":
        by_unit: dict[str, list[AgreedItem]] = {}
        for item in doc.items:
            for unit in item.lead:
                by_unit.setdefault(unit, []).append(item)
        groups = [(f"{doc.meeting}|{minutes_ref}|unit|{u}", u, its) for u, its in by_unit.items()]
    else:
        groups = [
            (f"{doc.meeting}|{minutes_ref}|{item.seq}|{unit}", unit, [item])
            for item in doc.items
            for unit in item.lead
        ]
    # Validate every notice now with a stand-in number, so a model error stops the
    # run before any number is taken. The real number replaces it after allocation.
    stand_in = format_number(code, date.year, 1)
    failures: list[Problem] = []
    for key, unit, its in groups:
        try:
            model = notice(unit, its, stand_in)
        except ValidationError as exc:
            failures += [
                Problem(
                    f"督办单无法生成：{p.message}", field=f"督办单（{unit}）.{p.field}", file=file
                )
                for p in loader.translate_errors(exc, Supervision, file)
            ]
            continue
        except ValueError as exc:  # DocNumberError: already Chinese
            failures.append(Problem(f"督办单无法生成：{exc}", field=f"督办单（{unit}）", file=file))
            continue
        jobs.append(Job(key=key, kind="supervision", doc=model, stem="", items=its, unit=unit))
    if failures:
        raise InputError(failures)
    return Plan(doc, settings, code, date.year, date, jobs, warnings(problems))


# --- 2. the output folder ----------------------------------------------------------


def _previous_hashes(outdir: Path) -> dict[str, str]:
    """file name → SHA-256 from an earlier run's manifest (empty if none)."""
    path = outdir / naming.MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["文件名"]: r["SHA-256"] for r in csv.DictReader(fh) if r.get("文件名")}


def _precheck(plan: Plan, opts: BatchOptions) -> None:
    """What would fail after the numbers are taken, found before: the template, the output
    folder, and the file names (bytes per name, and one file per document)."""
    from docgen import outputs

    if opts.template is not None:
        if not opts.template.is_file():
            raise BatchRefused(f"找不到 Word 模板 {opts.template}（--template）")
        from docgen.render.docx import check_template

        formats = dict.fromkeys(j.doc.format for j in plan.jobs)
        problems = [p for fmt in formats for p in check_template(opts.template, fmt)]
        if problems:
            raise InputError(problems)
    problem = outputs.folder_problem(opts.outdir)
    if problem:
        raise BatchRefused(problem)
    # The real numbers are not known yet: stand-ins as long as any this year will be.
    stems: dict[str, str] = {}
    for i, job in enumerate(plan.jobs):
        stem = job.stem
        if job.kind == "supervision":
            number = format_number(plan.code, plan.year, 10_000 + i)
            stem = naming.notice_stem(number, job.unit, ascii_names=opts.ascii_names)
        for name in (f"{stem}.{fmt}" for fmt in opts.formats):
            too_long = naming.name_problem(name)
            if too_long:
                raise BatchRefused(f"{too_long}；请缩短 --code（代字）或单位名称")
            if name in stems:
                raise BatchRefused(
                    f"两份文件会同名（{name}），后一份会覆盖前一份：代字或单位名称过长，"
                    "文件名截断后相同；请缩短 --code（代字）"
                )
            stems[name] = job.key


def _previous_contents(outdir: Path) -> dict[str, str]:
    """file name → content hash from an earlier run's manifest (empty if none or older)."""
    path = outdir / naming.MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["文件名"]: r.get("内容哈希") or "" for r in csv.DictReader(fh) if r.get("文件名")}


def content_hash(job: Job) -> str:
    """What a document says, without its number: equal hashes, equal documents."""
    # pydantic's own JSON (in Rust, field order fixed by the model): cheap at a thousand notices.
    data = job.doc.model_dump_json(exclude={"number"})
    return hashlib.sha256(f"{job.kind}|{job.unit}|{data}".encode()).hexdigest()[:32]


def _refuse_existing(outdir: Path, plan: Plan, opts: BatchOptions) -> None:
    if not outdir.exists():
        return
    if not outdir.is_dir():
        raise BatchRefused(f"输出位置 {outdir} 已存在且不是文件夹")
    ours = {
        naming.MANIFEST,
        naming.ledger_name(opts.ascii_names),
        naming.zip_name(opts.ascii_names),
    }
    ours |= {n for j in plan.jobs if j.kind == "minutes" for n in j.names(opts.formats).values()}
    prefix = "duban-" if opts.ascii_names else "督办单-"
    found = sorted(p.name for p in outdir.iterdir() if p.name in ours or p.name.startswith(prefix))
    if found:
        shown = "、".join(found[:5]) + (f" 等 {len(found)} 个文件" if len(found) > 5 else "")
        raise BatchRefused(
            f"输出文件夹 {outdir} 中已有上次生成的文件（{shown}）；"
            "继续上次的批次请加 --resume（沿用已发文号，跳过已完成的文件），"
            "或换一个输出文件夹"
        )


def _check_names(plan: Plan, opts: BatchOptions, stand_in: str | None = None) -> None:
    """Every file name valid on Windows and every path within the limit, or refuse.

    Run before numbers are taken with a stand-in number as wide as any real
    one (a too-deep output folder then costs no number), and after.
    """
    try:
        for job in plan.jobs:
            stem = job.stem
            if stand_in is not None and job.kind == "supervision":
                stem = naming.notice_stem(stand_in, job.unit, ascii_names=opts.ascii_names)
            for fmt in opts.formats:
                naming.check_path(opts.outdir / f"{stem}.{fmt}")
        for name in (naming.MANIFEST, naming.ledger_name(opts.ascii_names)):
            naming.check_path(opts.outdir / name)
    except naming.UnsafeName as exc:
        raise BatchRefused(str(exc)) from exc


# --- 4. rendering ------------------------------------------------------------------

_WORKER: dict[str, Any] = {}
START_METHOD_ENV = "DOCGEN_MP_START"


def start_method() -> str:
    """The worker pool's start method: ``$DOCGEN_MP_START``, else fork where there is one.

    Windows has only spawn (macOS prefers it), so every worker must get what it
    needs from the pool initializer and the pickled arguments, never from
    memory a fork copied; CI runs the batch tests a second time with
    ``DOCGEN_MP_START=spawn`` to prove it. Fork stays the default where it
    exists: workers start in milliseconds with the parent's imports loaded.
    """
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if not wanted:
        return "fork" if "fork" in available else "spawn"
    if wanted not in available:
        raise BatchRefused(
            f"环境变量 {START_METHOD_ENV}={wanted} 无效：本机可用 {'、'.join(available)}"
        )
    return wanted


def _worker_init(
    profile: Any,
    template: Path | None,
    base_dir: Path,
    outdir: Path,
    pool: bool = False,
    formats: tuple[str, ...] = (),
) -> None:
    """Once per worker process: keep the context every chunk needs, load what it will use.

    A spawned worker starts from a bare interpreter: importing the renderers
    here, while the parent is still cutting fonts, keeps that cost off the
    first chunk. Under fork these imports are already loaded and cost nothing.
    """
    _WORKER.update(profile=profile, template=template, base_dir=base_dir, outdir=outdir)
    if pool:
        # A worker ends with the main process (even kill -9), and leaves Ctrl+C to it:
        # the main process stops the pool and prints one line, not one traceback a worker.
        lifeline.watch_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        import docgen.pipeline  # noqa: F401

        if "pdf" in formats:
            import docgen.render.pdf  # noqa: F401
        if "docx" in formats:
            import docgen.render.docx  # noqa: F401
        if "ofd" in formats:
            import docgen.render.ofd  # noqa: F401
        # Rendering makes many short-lived objects and few cycles: collecting less often,
        # and never scanning what is loaded by now, measured 4-7 % faster here
        # at the same peak memory. Only in pool workers: a caller's process is left alone.
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_rendered(path: Path, data: bytes) -> None:
    """Temp file + rename, as fileio.atomic_write, but without a per-file fsync.

    An fsync per file cost 2-3 ms here, a quarter of a notice's whole budget;
    run_batch instead flushes the file system once (os.sync) before writing
    the manifest, so the manifest never lists a file that is not on disk.
    """
    naming.check_name(path.name)  # the batch checked its paths up front; this catches the rest
    fd, tmp = temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render_chunk(
    chunk: list[tuple[str, Any, dict[str, str]]], formats: tuple[str, ...], fonts: Any
) -> list[JobResult]:
    from docgen.pipeline import render_document

    w = _WORKER
    if "pdf" in formats:
        from docgen.fonts import register_reportlab

        register_reportlab(fonts)  # a no-op after the worker's first PDF chunk
    out = []
    for key, doc, names in chunk:
        r = render_document(
            doc, formats, w["profile"], fonts, template=w["template"], base_dir=w["base_dir"]
        )
        files = {}
        for fmt, data in r.files.items():
            _write_rendered(w["outdir"] / names[fmt], data)
            files[fmt] = FileResult(names[fmt], _sha256(data), len(data))
        out.append(JobResult(key, files, r.pages, list(r.notes)))
    return out


def batch_chars(docs: Iterable[Any], profile: Any) -> str:
    """Every character the batch can draw: model text, shared decisions, and the layout's own labels.

    The fonts are cut to this set once, so it must be complete: anything the
    layout adds by itself (form labels, 第N期, page-number dashes) is taken
    from the source of the modules that draw, rather than listed by hand.
    """
    from docgen.decisions import decide

    chars: set[str] = set(map(chr, range(0x20, 0x7F)))
    chars |= set(
        "　—－–·、，。；：？！“”‘’（）《》〔〕【】…０１２３４５６７８９年月日第期号页〇一二三四五六七八九十百千零"
    )

    def walk(value: Any) -> None:
        if isinstance(value, str):
            chars.update(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple, set)):
            for v in value:
                walk(v)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            walk(dataclasses.asdict(value))
        elif value is not None:
            chars.update(str(value))

    seen_kinds: set[str] = set()
    for doc in docs:
        walk(doc.model_dump())  # python mode: numbers and dates fall to str()
        # What decide() adds is digits and the literals of decisions.py (read below);
        # running it once per kind, not per document, keeps this pass cheap.
        if doc.kind not in seen_kinds:
            seen_kinds.add(doc.kind)
            walk(decide(doc, profile))
    package = Path(__file__).parent
    for folder in ("layout", "render", "text"):
        for src in (package / folder).glob("*.py"):
            chars.update(c for c in src.read_text(encoding="utf-8") if ord(c) > 0x7F)
    for src in (package / "decisions.py", package / "spec.py"):
        if src.exists():
            chars.update(c for c in src.read_text(encoding="utf-8") if ord(c) > 0x7F)
    return "".join(sorted(c for c in chars if c.isprintable() or c == "\u3000"))


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Progress:
    """A single stderr line rewritten in place; silent when stderr is not a terminal."""

    def __init__(
        self,
        total: int,
        enabled: bool | None,
        hook: Callable[[int, int], None] | None = None,
    ):
        self.total, self.done, self.t0 = total, 0, time.perf_counter()
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.hook = hook
        self._last = 0.0
        if hook:
            hook(0, total)

    def add(self, n: int) -> None:
        self.done += n
        if self.hook:
            self.hook(self.done, self.total)
        now = time.perf_counter()
        if self.enabled and (now - self._last > 0.1 or self.done == self.total):
            self._last = now
            rate = self.done / max(now - self.t0, 1e-6)
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            bar = "█" * filled + "·" * (width - filled)
            sys.stderr.write(f"\r生成 {bar} {self.done}/{self.total} 份（{rate:.0f} 份/秒）")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _render_all(
    work: list[Job],
    opts: BatchOptions,
    profile: Any,
    fonts: Any,
    pdf_fonts: Callable[[], Any],
    on_done: Callable[[list[JobResult]], None],
) -> None:
    """Render every job; ``pdf_fonts()`` gives the (cut) fonts for the PDFs.

    With a pool, the .docx files (which need no font files) are submitted
    first and the fonts are cut in this process meanwhile, so the one-off
    cutting overlaps with work instead of delaying the start.
    """
    base_dir = opts.meeting.parent
    formats = opts.formats
    payload = [(j.key, j.doc, j.names(formats)) for j in work]
    jobs = opts.jobs or os.cpu_count() or 1
    progress = Progress(len(payload), opts.progress, opts.on_progress)
    partial: dict[str, JobResult] = {}

    def collect(results: list[JobResult]) -> None:
        """A job is done when all its formats are; only then is it reported."""
        complete = []
        for r in results:
            have = partial.get(r.key)
            if have is not None:
                have.files.update(r.files)
                have.pages = have.pages or r.pages
                have.notes += r.notes
                r = have
            if set(r.files) == set(formats):
                partial.pop(r.key, None)
                complete.append(r)
            else:
                partial[r.key] = r
        if complete:
            on_done(complete)
            progress.add(len(complete))

    try:
        if jobs <= 1 or len(payload) <= 2:
            _worker_init(profile, opts.template, base_dir, opts.outdir)
            render_fonts = pdf_fonts() if {"pdf", "ofd"} & set(formats) else fonts
            for chunk in _chunks(payload, 8):
                lifeline.check_interrupt()
                collect(_render_chunk(chunk, formats, render_fonts))
            return
        # Chunks amortise the pickling round trip; small enough to keep both cores busy to the end.
        size = max(1, min(16, len(payload) // (jobs * 8)))
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(start_method()),
            initializer=_worker_init,
            initargs=(profile, opts.template, base_dir, opts.outdir, True, formats),
        ) as pool:
            pending = set()
            try:  # Ctrl+C or a failure at any point here stops the workers at once
                if "docx" in formats:
                    pending |= {
                        pool.submit(_render_chunk, c, ("docx",), fonts)
                        for c in _chunks(payload, size)
                    }
                # The PDF and the OFD drawn from one page plan, laid out once, with the cut fonts.
                planned = tuple(f for f in formats if f in ("pdf", "ofd"))
                if planned:
                    cut = pdf_fonts()  # runs here while the workers write .docx files
                    lifeline.check_interrupt()
                    pending |= {
                        pool.submit(_render_chunk, c, planned, cut) for c in _chunks(payload, size)
                    }
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    lifeline.check_interrupt()
                    for fut in finished:
                        collect(fut.result())
            except BaseException:
                _stop_pool(pool)
                raise
    finally:
        progress.close()


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Interrupted or failed: end the workers now instead of waiting for their chunks."""
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()


# --- 5. manifest, ledger, zip ------------------------------------------------------

MANIFEST_COLUMNS = (
    "类别",
    "编号",
    "承办单位",
    "议定事项序号",
    "格式",
    "文件名",
    "字节数",
    "SHA-256",
    "内容哈希",  # of the item content the file was rendered from (--resume re-renders on change)
)


def _seqs(items: list[AgreedItem]) -> str:
    return "、".join(str(i.seq) for i in items)


def manifest_bytes(jobs: list[Job], results: dict[str, JobResult]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(csv_row(MANIFEST_COLUMNS))
    for job in jobs:
        res = results[job.key]
        label = "纪要" if job.kind == "minutes" else "督办单"
        number = job.issued.number if job.issued else ""
        for fmt, f in sorted(res.files.items(), key=lambda kv: kv[0] != "pdf"):
            w.writerow(
                csv_row(
                    [
                        label,
                        number,
                        job.unit,
                        _seqs(job.items),
                        fmt,
                        f.name,
                        f.size,
                        f.sha256,
                        job.content,
                    ]
                )
            )
    # UTF-8 with BOM: Excel on Chinese Windows opens it as UTF-8 only with the BOM.
    return buf.getvalue().encode("utf-8-sig")


def notice_records(
    plan: Plan, notices: list[Job], numbers: list[Issued], *, reused: bool = False
) -> list[Any]:
    """What the ledger keeps of each newly numbered notice (a resumed one is already there);
    ``reused``: instead, those of resumed notices (whose item was corrected)."""
    from docgen.supervision.ledger import NoticeRecord

    out = []
    for job, number in zip(notices, numbers):
        if number.reused != reused:
            continue
        items = job.items
        several = len(items) > 1
        deadlines = [i.deadline for i in items if i.deadline]
        out.append(
            NoticeRecord(
                issued=number,
                meeting=plan.minutes.meeting,
                minutes_ref=job.doc.minutes_ref,
                item_seqs=_seqs(items),
                unit=job.unit,
                matter="\n".join(
                    f"{k}.{i.matter}" if several else i.matter for k, i in enumerate(items, 1)
                ),
                support="、".join(dict.fromkeys(u for i in items for u in i.support)),
                requirement="\n".join(i.requirement or "" for i in items).strip(),
                # One notice for several items answers by the earliest of their deadlines.
                deadline=min(deadlines) if deadlines else None,
                issued_on=plan.date,
                office=job.doc.office,
                contact=job.doc.contact,
                phone=job.doc.phone,
            )
        )
    return out


def ledger_bytes(registry: Path | None, plan: Plan, notices: list[Job]) -> bytes:
    """督办台账.xlsx of this batch: the same workbook as `docgen supervise export`, over
    the notices just issued, read back from the ledger with their file hashes."""
    from docgen.supervision.export import workbook_bytes
    from docgen.supervision.ledger import Ledger

    wanted = {j.issued.number for j in notices if j.issued}
    with Ledger(registry) as ledger:
        rows = [n for n in ledger.notices(meeting=plan.minutes.meeting) if n.number in wanted]
    return workbook_bytes(rows, plan.date, title=f"{plan.minutes.meeting}议定事项督办台账")


def _write_zip(outdir: Path, names: list[str], archive: Path) -> None:
    """Stream the files into a temporary zip beside the target, then rename it into place."""
    fd, tmp = temp_beside(archive)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for name in names:
                # PDF and .docx are compressed already; deflating them again only costs time.
                method = (
                    zipfile.ZIP_DEFLATED if name.endswith((".csv", ".xlsx")) else zipfile.ZIP_STORED
                )
                zf.write(outdir / name, arcname=name, compress_type=method)
        os.replace(tmp, archive)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the whole run -----------------------------------------------------------------


def _proofread(plan: Plan, opts: BatchOptions) -> None:
    """核稿 of the meeting text and the agreed items, printed before anything is laid out."""
    from docgen.proof.cli import report
    from docgen.spec import load_profile
    from docgen.units import find_registry

    allow = load_profile(opts.profile).allow_chars if opts.profile else ""
    # The member list the batch itself uses (supervision: 成员单位名录, else beside the meeting).
    units = find_registry(opts.meeting.parent, plan.settings.units_file)
    report(plan.minutes, opts.meeting, units_file=units, allow_chars=allow, strict=opts.strict)


def run_batch(opts: BatchOptions, log: Callable[[str], None] | None = None) -> BatchResult:
    t0 = time.perf_counter()
    phases: dict[str, float] = {}
    mark = [t0]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - mark[0]
        mark[0] = now

    say = log or (lambda _msg: None)
    start_method()  # a wrong DOCGEN_MP_START stops the run before anything is done
    plan = prepare(opts)
    for w in plan.warnings:  # before the long part, so skipped rows are seen at once
        say(str(w))
    _proofread(plan, opts)
    lap("check")
    outdir = opts.outdir
    # What killed runs left behind: fonts folders in the temp directory, half-written files.
    lifeline.clean_stale_tempdirs()
    if outdir.is_dir():
        for name in lifeline.clean_partial_files(outdir):
            say(f"说明：已删除上次中断留下的半截临时文件 {name}")
    if not opts.resume:
        _refuse_existing(outdir, plan, opts)
    _check_names(plan, opts, stand_in=format_number(plan.code, plan.year, 99999))
    previous = _previous_hashes(outdir) if opts.resume else {}

    from argparse import Namespace

    from docgen.cli import load_context  # the profile and fonts, resolved as `render` does

    profile, fonts = load_context(Namespace(profile=opts.profile, font=list(opts.fonts)))
    # Characters no font has would print blank: refused before any number is taken. The
    # 纪要 holds every item and unit; one notice adds the settings (contact, office…).
    from docgen.pipeline import fit_problems, glyph_problems

    notices_sample = [j.doc for j in plan.jobs if j.kind == "supervision"][:1]
    blank = [
        p
        for d in [plan.minutes, *notices_sample]
        for p in glyph_problems(d, fonts, str(opts.meeting))
    ]
    # And what would be drawn outside the block (a long 督办机关 in the signature…).
    blank = blank or [p for d in notices_sample for p in fit_problems(d, fonts, str(opts.meeting))]
    if blank:
        raise InputError(blank)

    _precheck(plan, opts)

    notices = [j for j in plan.jobs if j.kind == "supervision"]
    requests = [
        Request(
            "supervision",
            title=j.doc.form_title,
            unit=j.unit,
            date=plan.date.isoformat(),
            item_key=j.key,
        )
        for j in notices
    ]
    from docgen.supervision.ledger import Ledger, LedgerError

    for job in plan.jobs:
        job.content = content_hash(job)

    def record(db: Any, numbers: list[Issued]) -> None:
        # In the allocation's transaction: a number and its ledger row commit together.
        Ledger.record_notices(db, notice_records(plan, notices, numbers))
        # A resumed notice whose item was corrected is re-rendered under its number:
        # its ledger row takes the corrected text at the same moment.
        changed = [
            (j, n) for j, n in zip(notices, numbers) if n.reused and n.content_hash != j.content
        ]
        if changed:
            Ledger.revise_notices(
                db,
                notice_records(plan, [j for j, _ in changed], [n for _, n in changed], reused=True),
            )

    try:
        with Ledger(opts.registry, create=opts.new_registry) as ledger:
            issued = ledger.registry.allocate(
                plan.code, plan.year, requests, reuse=opts.resume, then=record
            )
    except (RegistryError, LedgerError) as exc:
        raise BatchRefused(str(exc)) from exc
    for job, number in zip(notices, issued):
        job.issued = number
        job.doc = job.doc.model_copy(update={"number": _doc_number(number.number)})
        job.stem = naming.notice_stem(number.number, job.unit, ascii_names=opts.ascii_names)
        if number.reused:
            previous.update(number.files)
    _check_names(plan, opts)  # the real numbers: never longer than the stand-in
    outdir.mkdir(parents=True, exist_ok=True)

    # Resume: a job whose every file is on disk with its recorded hash, rendered from the
    # same content, is not rendered again; one whose item was corrected is, under its number.
    results: dict[str, JobResult] = {}
    work: list[Job] = []
    contents = _previous_contents(outdir) if opts.resume else {}
    for job in plan.jobs:
        names = job.names(opts.formats)
        recorded = (job.issued.content_hash if job.issued else "") or next(
            (contents[n] for n in names.values() if n in contents), ""
        )
        done: dict[str, FileResult] = {}
        for fmt, name in names.items():
            path = outdir / name
            if name in previous and path.is_file():
                data = path.read_bytes()
                if _sha256(data) == previous[name]:
                    done[fmt] = FileResult(name, previous[name], len(data))
        if len(done) == len(names) and recorded == job.content:
            results[job.key] = JobResult(job.key, done, skipped=True)
        else:
            if done and recorded != job.content:
                number = f"（文号不变：{job.issued.number}）" if job.issued else ""
                say(f"说明：{job.stem}：内容已更改，重新生成{number}")
            work.append(job)

    lap("number")
    subset_dir: Path | None = None

    def pdf_fonts() -> Any:
        """The fonts cut to the batch's characters, once (fonts.subset_fontset)."""
        nonlocal subset_dir
        if not opts.cut_fonts:
            return fonts
        from docgen.fonts import subset_fontset

        t = time.perf_counter()
        subset_dir = lifeline.fonts_tempdir()
        cut = subset_fontset(fonts, batch_chars([j.doc for j in work], profile), subset_dir)
        phases["fonts (overlapped)"] = time.perf_counter() - t
        return cut

    try:
        by_id = {j.key: j for j in notices}
        stems = {j.key: j.stem for j in plan.jobs}  # notes name the file, not the item key
        with Registry(opts.registry, create=True) as reg:  # exists now: opened above

            def done(batch: list[JobResult]) -> None:
                updates = []
                for r in batch:
                    results[r.key] = r
                    job = by_id.get(r.key)
                    if job and job.issued:
                        main = r.files.get("pdf") or next(iter(r.files.values()))
                        files = {f.name: f.sha256 for f in r.files.values()}
                        files[CONTENT_KEY] = job.content
                        updates.append((job.issued.id, main.sha256, files))
                    for note in r.notes:
                        say(f"说明：{stems.get(r.key, r.key)}：{note}")
                if updates:
                    reg.record_files(updates)

            try:
                _render_all(work, opts, profile, fonts, pdf_fonts, done)
            except InputError:
                raise
            except KeyboardInterrupt:
                raise Interrupted(
                    f"已中断（Ctrl+C）：已完成的 {len(results)} 份已写好并登记，未完成的没有留下半截文件；"
                    "已分配的文号已登记，用同样的命令加 --resume 继续"
                ) from None
            except Exception as exc:
                # The numbers are registered and the finished files recorded: say how to go on.
                raise BatchRefused(
                    f"生成中断（{_reason(exc)}）；已分配的文号已登记，"
                    f"排除问题后用 --resume 继续，已完成的 {len(results)} 份不会重做"
                ) from exc
    finally:
        if subset_dir:
            shutil.rmtree(subset_dir, ignore_errors=True)

    lap("render")
    if work:
        if hasattr(os, "sync"):
            os.sync()  # one flush for all rendered files (see _write_rendered)
        else:  # pragma: no cover - Windows: no os.sync, flush file by file
            for job in work:
                for f in results[job.key].files.values():
                    with open(outdir / f.name, "rb+") as fh:
                        os.fsync(fh.fileno())
    manifest = outdir / naming.MANIFEST
    ledger = outdir / naming.ledger_name(opts.ascii_names)
    atomic_write(manifest, manifest_bytes(plan.jobs, results))
    atomic_write(ledger, ledger_bytes(opts.registry, plan, notices))
    lap("sync+ledger")
    archive = None
    if opts.zip:
        archive = outdir / naming.zip_name(opts.ascii_names)
        names = [f.name for j in plan.jobs for f in results[j.key].files.values()]
        _write_zip(outdir, [*names, manifest.name, ledger.name], archive)
    lap("zip")
    skipped = sum(1 for r in results.values() if r.skipped)
    return BatchResult(
        phases=phases,
        outdir=outdir,
        jobs=plan.jobs,
        results=results,
        warnings=plan.warnings,
        seconds=time.perf_counter() - t0,
        rendered=len(results) - skipped,
        skipped=skipped,
        manifest=manifest,
        ledger=ledger,
        archive=archive,
    )


def _doc_number(text: str) -> Any:
    from docgen.text.docnumber import DocNumber

    number, _ = DocNumber.parse(text)
    return number
