"""One list of agreed items → the 纪要 and every 督办单, in parallel, with a ledger.

The order of a run is the point of this module:

1. read and check everything (meeting, every row, unit names, settings);
   nothing is written and no number is taken if anything is wrong (the
   核稿 runs meanwhile; only --strict waits for it);
2. refuse an output folder that already holds a batch, unless resuming;
3. take the numbers from the register, in one transaction;
4. render in worker processes, each file written atomically, its hash
   registered and its row of 督办台账.xlsx made as it comes back;
5. write manifest.csv and 督办台账.xlsx (and the zip) last, from the hashes
   of what is on disk, so they always describe complete files.

Both cores are kept busy from the start: the workers proofread, check the
sample notice, cut the fonts and load the renderers while this process reads,
checks and numbers (--timing shows who did what when).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen import lifeline, naming
from docgen.batch import withdrawals
from docgen.batch.archive import _write_zip
from docgen.batch.jobs import (
    BatchOptions,
    BatchRefused,
    BatchResult,
    FileResult,
    Interrupted,
    Job,
    JobResult,
    _reason,
)
from docgen.batch.manifest import manifest_bytes
from docgen.batch.notices import LedgerFeed, notice_records
from docgen.batch.outputs import _check_names, _precheck, _refuse_existing
from docgen.batch.plan import BatchPlan, plan_batch
from docgen.batch.pool import ChunkContext, RenderPool, _sha256, batch_chars, start_method
from docgen.batch.resume import _previous_contents, _previous_hashes, content_hash
from docgen.fileio import atomic_write
from docgen.fonts.sfnt import forget_pending
from docgen.ledger import withdraw
from docgen.problems import InputError
from docgen.registry import (
    CONTENT_KEY,
    Issued,
    Registry,
    RegistryError,
    Request,
    format_number,
)
from docgen.text.docnumber import DocNumber

# --- the whole run -----------------------------------------------------------------


def _proofread(plan: BatchPlan, opts: BatchOptions, pool: RenderPool) -> Callable[[], None]:
    """核稿 of the meeting text and the agreed items, by a worker while this process checks
    the output folder; returns what prints the findings (raising InputError when --strict
    and any): called before a refusal is said, and before any number is taken when --strict
    (else once the numbers are taken, before rendering)."""
    from docgen.profile import load_profile
    from docgen.units import find_registry

    allow = load_profile(opts.profile).allow_chars if opts.profile else ""
    # The member list the batch itself uses (supervision: 成员单位名录, else beside the meeting).
    units = find_registry(opts.meeting.parent, plan.settings.units_file)
    found = pool.call("proof", _find, plan.minutes, opts.meeting, units, allow, opts.strict)
    shown: list[bool] = []

    def show_once() -> None:
        if not shown:
            shown.append(True)
            lines, stop = found()
            for line in lines:
                print(line, file=sys.stderr)
            if stop:
                raise InputError(stop)

    return show_once


def _inform(findings: Callable[[], None], say: Callable[[str], None]) -> None:
    """The 核稿 findings said without --strict: they inform, so a 核稿 that failed is said
    in one line and the notices, numbered by now, are made all the same."""
    try:
        findings()
    except InputError:
        raise
    except (OSError, MemoryError) as exc:
        say(f"说明：核稿未能完成（{_reason(exc)}），文件照常生成")
    except Exception:
        say("说明：核稿时出现内部错误，未能完成，文件照常生成；请把会议文件交技术人员检查")


def _find(
    minutes: Any, meeting: Path, units: Path | None, allow: str, strict: bool
) -> tuple[list[str], list[Any]]:
    from docgen.proof.gate import find_said

    return find_said(minutes, meeting, units_file=units, allow_chars=allow, strict=strict)


def run_batch(opts: BatchOptions, log: Callable[[str], None] | None = None) -> BatchResult:
    start_method()  # a wrong DOCGEN_MP_START stops the run before anything is done
    # The workers start now and load the renderers while this process reads, checks and
    # numbers; they cut the fonts meanwhile (see pool.py).
    fonts_dir: list[Path] = []
    try:
        with RenderPool(opts.jobs, opts.formats) as pool:
            return _run(opts, log, pool, fonts_dir)
    finally:
        for folder in fonts_dir:
            forget_pending(folder.glob("*"))  # cuts this process would make on first use
            shutil.rmtree(folder, ignore_errors=True)


def _run(
    opts: BatchOptions,
    log: Callable[[str], None] | None,
    pool: RenderPool,
    fonts_dir: list[Path],
) -> BatchResult:
    t0 = pool.t0
    phases: dict[str, float] = {}
    # This process's CPU seconds per phase; "start" is the interpreter's start and the imports.
    main_cpu: dict[str, float] = {"start": time.process_time()}
    mark = [t0, main_cpu["start"]]

    def lap(name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        phases[name] = phases.get(name, 0.0) + now - mark[0]
        main_cpu[name] = main_cpu.get(name, 0.0) + cpu - mark[1]
        mark[0], mark[1] = now, cpu

    say = log or (lambda _msg: None)
    plan = plan_batch(opts)
    for w in plan.warnings:  # before the long part, so skipped rows are seen at once
        say(str(w))
    # The 核稿 first: the longest of the workers' tasks at the start (only --strict waits
    # for it before numbering; otherwise its findings are said once rendering has begun).
    findings = _proofread(plan, opts, pool)
    from docgen.context import RenderContext, font_pairs, resolve_context
    from docgen.errors import ContextError
    from docgen.units import find_registry, with_member_names

    # The profile and fonts, resolved as `render` does, now: the workers can check and cut
    # the fonts while this process checks the output folder and numbers. A ContextError is
    # raised where it always was (after the checks of the output folder), for the caller.
    ctx: RenderContext | ContextError
    notices_sample = [j.doc for j in plan.jobs if j.kind == "supervision"][:1]
    try:
        ctx = resolve_context(opts.profile, font_pairs(opts.fonts))
        # The member units the 核稿 step reads: their names are never split in a title.
        units = find_registry(opts.meeting.parent, plan.settings.units_file)
        ctx = dataclasses.replace(ctx, profile=with_member_names(ctx.profile, units))
        # A worker lays out the sample notice meanwhile (the checks before any number);
        # the fonts it draws with are cut while this process numbers (_FontCuts).
        drawable = pool.call(
            "checks", _drawable, plan.minutes, notices_sample, ctx, str(opts.meeting)
        )
        cutter = _start_cuts(plan, opts, pool, ctx, fonts_dir)
    except ContextError as exc:
        ctx, cutter = exc, None
    try:
        outdir = opts.outdir
        # What killed runs left behind: fonts folders in the temp directory, half-written files.
        lifeline.clean_stale_tempdirs()
        if os.path.isdir(outdir):  # os.path: a name too long to look up is said below
            for name in lifeline.clean_partial_files(outdir):
                say(f"说明：已删除上次中断留下的半截临时文件 {name}")
        if not opts.resume:
            _refuse_existing(outdir, plan, opts)
        _check_names(plan, opts, stand_in=format_number(plan.code, plan.year, 99999))
        previous = _previous_hashes(outdir) if opts.resume else {}

        if isinstance(ctx, ContextError):
            raise ctx
        profile, fonts = ctx.profile, ctx.fonts
        # Characters no font has, or text outside the block: refused before any number is taken.
        blank, drawn = drawable()
        if blank:
            raise InputError(blank)
        if cutter is not None:
            cutter.drawn(drawn)
        pool.preload()  # each worker loads its renderers while this process numbers

        _precheck(plan, opts)
    except BaseException:
        # The findings come first, as the proofreading always did: before a refusal is said
        # (--strict's stop before any other). A failed worker leaves the refusal to be said.
        try:
            findings()
        except InputError:
            raise
        except Exception:  # the refusal in hand is what the clerk needs
            pass
        raise
    if opts.strict:
        findings()  # --strict stops the run here, before any number is taken
    lap("check")

    notices = [j for j in plan.jobs if j.kind == "supervision"]
    withdrawn = withdrawals.find(plan, notices, opts)  # before any number is taken
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
    from docgen.ledger.store import Ledger, LedgerError

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
        # Notices whose item left the table: withdrawn with these numbers, or not at all.
        by_key.update({j.key: n.number for j, n in zip(notices, numbers)})
        withdrawals.record(db, withdrawn, by_key)

    by_key: dict[str, str] = {}
    try:
        with Ledger(opts.registry, create=opts.new_registry) as ledger:
            issued = ledger.registry.allocate(
                plan.code, plan.year, requests, reuse=opts.resume, then=record
            )
    except (RegistryError, LedgerError) as exc:
        raise BatchRefused(str(exc)) from exc
    moved = withdraw.move_files(outdir, withdrawn) if withdrawn and os.path.isdir(outdir) else set()
    for gone in withdrawn:
        say(withdraw.said(gone, by_key, gone.number in moved))
    for job, number in zip(notices, issued):
        job.issued = number
        # The register's number as it gave it (code, year, seq): nothing parsed again.
        issued_number = DocNumber(code=number.code, year=number.year, seq=number.seq)
        job.doc = job.doc.model_copy(update={"number": issued_number})
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
                kept = f"（文号不变：{job.issued.number}）" if job.issued else ""
                say(f"说明：{job.stem}：内容已更改，重新生成{kept}")
            work.append(job)

    lap("number")

    def pdf_fonts() -> Any:
        """The fonts cut to the batch's characters, once (fonts.subset_fontset)."""
        if cutter is None:
            return fonts
        t = time.perf_counter()
        cut = cutter.fonts()
        if opts.resume or len(work) != len(plan.jobs):
            # Resumed: cut to exactly what is rendered now, as always (the workers cut
            # nothing ahead: what a resumed run renders is known only here).
            from docgen.fonts import subset_fontset

            chars = batch_chars([j.doc for j in work], profile)
            cut = subset_fontset(fonts, chars, fonts_dir[0])
        phases["fonts (wait)"] = time.perf_counter() - t
        return cut

    by_id = {j.key: j for j in notices}
    stems = {j.key: j.stem for j in plan.jobs}  # notes name the file, not the item key
    # The workbook's rows are made as the notices come back, while the others render.
    feed = LedgerFeed(opts.registry, plan, notices)
    feed.done(j.issued.number for j in notices if j.issued and j.key in results)  # kept ones
    with feed, Registry(opts.registry, create=True) as reg:  # exists now: opened above
        recorder = _Recorder(reg, feed, by_id)

        def finished(batch: list[JobResult]) -> None:
            for r in batch:
                results[r.key] = r
                for note in r.notes:
                    say(f"说明：{stems.get(r.key, r.key)}：{note}")
            recorder.add(batch)

        chunk_ctx = ChunkContext(
            profile,
            opts.template,
            opts.meeting.parent,
            opts.outdir,
            cuts=tuple(cutter.cuts if cutter else ()),
        )
        if pool.parallel:
            # The workbook's library loads here while the workers render (this process only
            # waits for them), not after the last notice, when nothing else is left to do.
            from docgen.excel import load_openpyxl

            threading.Thread(target=load_openpyxl, daemon=True).start()
        try:
            try:
                pool.render(
                    work,
                    chunk_ctx,
                    fonts,
                    pdf_fonts,
                    finished,
                    progress=opts.progress,
                    on_progress=opts.on_progress,
                    # Without --strict the findings only inform: the numbering did not wait
                    # for the 核稿 (a worker's 0.2 s, the longest of the checks), and they are
                    # said once the notices are handed to the workers, before any is done.
                    queued=lambda: _inform(findings, say),
                )
            except BaseException:
                with contextlib.suppress(Exception):  # the error in hand is the one to say
                    recorder.flush()  # what is finished is registered, even when interrupted
                raise
            recorder.flush()
        except InputError:
            raise
        except KeyboardInterrupt:
            raise Interrupted(
                f"已中断（Ctrl+C）：已完成的 {len(results)} 份已写好并登记，未完成的没有留下半截文件；"
                "已分配的文号已登记，继续上次的批次即可",
                remedy="resume",
            ) from None
        except Exception as exc:
            # The numbers are registered and the finished files recorded: say how to go on.
            raise BatchRefused(
                f"生成中断（{_reason(exc)}）；已分配的文号已登记，"
                f"排除问题后继续上次的批次，已完成的 {len(results)} 份不会重做",
                remedy="resume",
            ) from exc

    lap("render")
    # The rendered files are flushed to disk (a thread: the kernel does the work) while the
    # manifest and the workbook are made; both are written only once the flush is done.
    flush = threading.Thread(target=_flush, args=(outdir, work, results), daemon=True)
    flush.start()
    manifest = outdir / naming.MANIFEST
    workbook = outdir / naming.ledger_name(opts.ascii_names)
    manifest_data = manifest_bytes(plan.jobs, results)
    workbook_data = feed.workbook()
    lap("manifest+ledger")
    flush.join()
    lap("sync")
    atomic_write(manifest, manifest_data)
    atomic_write(workbook, workbook_data)
    lap("write")
    archive = None
    if opts.zip:
        archive = outdir / naming.zip_name(opts.ascii_names)
        written = [f.name for j in plan.jobs for f in results[j.key].files.values()]
        _write_zip(outdir, [*written, manifest.name, workbook.name], archive)
    lap("zip")
    skipped = sum(1 for r in results.values() if r.skipped)
    return BatchResult(
        phases=phases,
        main_cpu=main_cpu,
        workers=pool.report(),
        outdir=outdir,
        jobs=plan.jobs,
        results=results,
        warnings=plan.warnings,
        seconds=time.perf_counter() - t0,
        rendered=len(results) - skipped,
        skipped=skipped,
        manifest=manifest,
        ledger=workbook,
        archive=archive,
    )


class _Recorder:
    """The finished files' hashes written to the register a hundred notices at a time.

    A commit per chunk of 16 was 74 commits (and fsyncs) a thousand notices;
    now it is one per ~128 notices or half a second, whichever comes first: a
    killed run renders at most that much again when resumed, and the
    workbook's rows (LedgerFeed) are read in the same steps.
    """

    EVERY, SECONDS = 128, 0.5

    def __init__(self, reg: Registry, feed: LedgerFeed, by_id: dict[str, Job]) -> None:
        self._reg, self._feed, self._by_id = reg, feed, by_id
        self._updates: list[tuple[int, str, dict[str, str]]] = []
        self._numbers: list[str] = []  # of the notices in _updates, for the workbook's rows
        self._last = time.perf_counter()

    def add(self, batch: list[JobResult]) -> None:
        for r in batch:
            job = self._by_id.get(r.key)
            if job and job.issued:
                main = r.files.get("pdf") or next(iter(r.files.values()))
                files = {f.name: f.sha256 for f in r.files.values()}
                files[CONTENT_KEY] = job.content
                self._updates.append((job.issued.id, main.sha256, files))
                self._numbers.append(job.issued.number)
        if len(self._updates) >= self.EVERY or time.perf_counter() - self._last >= self.SECONDS:
            self.flush()

    def flush(self) -> None:
        if self._updates:
            self._reg.record_files(self._updates)
            self._feed.done(self._numbers)
            self._updates, self._numbers = [], []
        self._last = time.perf_counter()


def _drawable(
    minutes: Any, sample: list[Any], ctx: Any, file: str
) -> tuple[list[Any], set[tuple[str, int]]]:
    """Characters no font has would print blank: the 纪要 holds every item and unit, one
    notice adds the settings (contact, office…); then what would be drawn outside the
    block (a long 督办机关 in the signature…). Run by a worker while the input is proofread.
    With the problems, the fonts the sample notice draws with (the batch's notices are one
    form: those fonts are cut for all of them, _FontCuts)."""
    from docgen.pipeline import glyph_problems
    from docgen.prepare import prepare
    from docgen.problems import InputError

    blank = [p for d in [minutes, *sample] for p in glyph_problems(d, ctx.fonts, file)]
    if blank:
        return blank, set()
    problems: list[Any] = []
    drawn: set[tuple[str, int]] = set()
    for doc in sample:
        prepared = prepare(doc, ctx, file=file)
        problems += prepared.fit_problems()
        try:
            drawn |= _drawn_with(prepared.plan, ctx.fonts)
        except InputError:
            continue  # outside the block: the problems above refuse the run
    return problems, drawn


def _cut(cut: Any) -> None:
    cut.run()


class _FontCuts:
    """The batch's font cuts, each a task of its own for whichever worker is free.

    The 仿宋 (every page's first font) is cut at once; the fonts the sample
    notice draws with once the checks have laid it out (``drawn``), often by
    the worker that has just proofread; the others where a document first
    draws with them (ChunkContext.cuts), or never. ``fonts()`` waits for the
    cuts and gives the fonts to render with.
    """

    def __init__(self, pool: RenderPool, cuts: list[Any], first: Any, fonts: Any) -> None:
        self._pool, self.cuts, self._fonts = pool, cuts, fonts
        self._rest = [c for c in cuts if c.key != first]
        self._waits = [pool.call("fonts", _cut, c) for c in cuts if c.key == first]

    def drawn(self, keys: set[tuple[str, int]]) -> None:
        """The fonts the sample draws with: cut now."""
        for c in self._rest:
            if c.key in keys:
                self._waits.append(self._pool.call("fonts", _cut, c))

    def fonts(self) -> Any:
        for wait in self._waits:
            wait()
        return self._fonts


def _drawn_with(plan: Any, fonts: Any) -> set[tuple[str, int]]:
    """The (file, face) of every font a page plan draws a character with."""
    from docgen.layout.plan import TextItem

    drawn: set[tuple[str, int]] = set()
    for page in plan.pages:
        for item in [*page.items, *page.turned]:
            if isinstance(item, TextItem):
                for role, text in item.runs:
                    drawn.update(font.key for font, _ in fonts.runs(role, text))
    return drawn


def _flush(outdir: Path, work: list[Job], results: dict[str, JobResult]) -> None:
    """One flush for all rendered files (see pool._write_rendered)."""
    if not work:
        return
    if hasattr(os, "sync"):
        os.sync()
    else:  # pragma: no cover - Windows: no os.sync, flush file by file
        for job in work:
            for f in results[job.key].files.values():
                with open(outdir / f.name, "rb+") as fh:
                    os.fsync(fh.fileno())


def _start_cuts(
    plan: BatchPlan,
    opts: BatchOptions,
    pool: RenderPool,
    ctx: Any,
    fonts_dir: list[Path],
) -> _FontCuts | None:
    """The batch's font cuts, begun (None if nothing is cut).

    The characters are read from the documents before their numbers are
    taken: the numbers are the stand-in's code and year with other digits,
    and every digit is in every cut (batch_chars), so the cut is the same.
    """
    if "pdf" not in opts.formats or not opts.cut_fonts:
        return None
    from docgen.fonts.subset import plan_cuts
    from docgen.spec import FontRole

    fonts = ctx.fonts
    fonts_dir.append(lifeline.fonts_tempdir())
    if opts.resume:  # cut once the run knows what it renders again (pdf_fonts)
        return _FontCuts(pool, [], None, fonts)
    chars = batch_chars([j.doc for j in plan.jobs], ctx.profile)
    cuts, cut = plan_cuts(fonts, chars, fonts_dir[0])
    return _FontCuts(pool, cuts, fonts.primary(FontRole.FANGSONG).key, cut)
