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

import os
import shutil
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
from docgen.batch.notices import ledger_bytes, notice_records
from docgen.batch.outputs import _check_names, _precheck, _refuse_existing
from docgen.batch.plan import BatchPlan, plan_batch
from docgen.batch.pool import PoolOptions, _sha256, batch_chars, render_all, start_method
from docgen.batch.resume import _previous_contents, _previous_hashes, content_hash
from docgen.fileio import atomic_write
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


def _proofread(plan: BatchPlan, opts: BatchOptions) -> None:
    """核稿 of the meeting text and the agreed items, printed before anything is laid out."""
    from docgen.profile import load_profile
    from docgen.proof.gate import print_findings
    from docgen.units import find_registry

    allow = load_profile(opts.profile).allow_chars if opts.profile else ""
    # The member list the batch itself uses (supervision: 成员单位名录, else beside the meeting).
    units = find_registry(opts.meeting.parent, plan.settings.units_file)
    print_findings(
        plan.minutes, opts.meeting, units_file=units, allow_chars=allow, strict=opts.strict
    )


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
    plan = plan_batch(opts)
    for w in plan.warnings:  # before the long part, so skipped rows are seen at once
        say(str(w))
    _proofread(plan, opts)
    lap("check")
    outdir = opts.outdir
    # What killed runs left behind: fonts folders in the temp directory, half-written files.
    lifeline.clean_stale_tempdirs()
    if os.path.isdir(outdir):  # os.path: a name too long to look up is said by the checks below
        for name in lifeline.clean_partial_files(outdir):
            say(f"说明：已删除上次中断留下的半截临时文件 {name}")
    if not opts.resume:
        _refuse_existing(outdir, plan, opts)
    _check_names(plan, opts, stand_in=format_number(plan.code, plan.year, 99999))
    previous = _previous_hashes(outdir) if opts.resume else {}

    from docgen.context import font_pairs, resolve_context

    # The profile and fonts, resolved as `render` does; a ContextError is the caller's to word.
    ctx = resolve_context(opts.profile, font_pairs(opts.fonts))
    profile, fonts = ctx.profile, ctx.fonts
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
    blank = blank or [p for d in notices_sample for p in fit_problems(d, ctx, str(opts.meeting))]
    if blank:
        raise InputError(blank)

    _precheck(plan, opts)

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

            def finished(batch: list[JobResult]) -> None:
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

            pool_opts = PoolOptions(
                outdir=opts.outdir,
                base_dir=opts.meeting.parent,
                formats=opts.formats,
                jobs=opts.jobs,
                template=opts.template,
                progress=opts.progress,
                on_progress=opts.on_progress,
            )
            try:
                render_all(work, pool_opts, profile, fonts, pdf_fonts, finished)
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
    workbook = outdir / naming.ledger_name(opts.ascii_names)
    atomic_write(manifest, manifest_bytes(plan.jobs, results))
    atomic_write(workbook, ledger_bytes(opts.registry, plan, notices))
    lap("sync+ledger")
    archive = None
    if opts.zip:
        archive = outdir / naming.zip_name(opts.ascii_names)
        written = [f.name for j in plan.jobs for f in results[j.key].files.values()]
        _write_zip(outdir, [*written, manifest.name, workbook.name], archive)
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
        ledger=workbook,
        archive=archive,
    )
