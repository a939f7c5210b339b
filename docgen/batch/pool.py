"""The render pool: documents rendered in worker processes, fonts cut once, files written atomically.

Public: the batch and ``docgen supervise remind`` both render through :func:`render_all`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import lifeline, naming
from docgen.batch.jobs import BatchRefused, FileResult, Job, JobResult
from docgen.fileio import temp_beside

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
    from docgen.decide.decisions import decide

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
    for src in _drawing_sources():
        chars.update(c for c in src.read_text(encoding="utf-8") if ord(c) > 0x7F)
    return "".join(sorted(c for c in chars if c.isprintable() or c == "\u3000"))


def _drawing_sources() -> list[Path]:
    """The modules whose literals can reach a page: layout, the renderers, text rules, decisions.

    The same files as before the package was split (the cut fonts, and so the
    PDFs, stay byte-equal): each folder's own modules, not its subpackages,
    plus the modules that moved out of them.
    """
    package = Path(__file__).resolve().parent.parent
    files = [
        src for folder in ("layout", "render", "text") for src in (package / folder).glob("*.py")
    ]
    moved = ("fonts/metrics.py", "render/docx/ooxml.py", "render/docx/worker.py")
    files += [package / rel for rel in moved]
    files += [package / "decide" / "decisions.py", package / "decide" / "widths.py"]
    files += [package / "spec.py", package / "profile.py"]
    return [src for src in files if src.exists()]


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


@dataclass
class PoolOptions:
    """Where and how the pool renders: the batch's and the reminders' settings alike."""

    outdir: Path
    base_dir: Path  # where a document's relative paths (images) are found
    formats: tuple[str, ...] = ("pdf", "docx")
    jobs: int = 0  # 0 → one per CPU core
    template: Path | None = None
    progress: bool | None = None  # None → only when stderr is a terminal
    on_progress: Callable[[int, int], None] | None = None  # (done, total)


def render_all(
    work: list[Job],
    opts: PoolOptions,
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
    base_dir = opts.base_dir
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
            render_fonts = pdf_fonts() if "pdf" in formats else fonts
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
                if "pdf" in formats:
                    cut = pdf_fonts()  # runs here while the workers write .docx files
                    lifeline.check_interrupt()
                    pending |= {
                        pool.submit(_render_chunk, c, ("pdf",), cut) for c in _chunks(payload, size)
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
