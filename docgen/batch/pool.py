"""The render pool: documents rendered in worker processes, fonts cut once, files written atomically.

Public: the batch and ``docgen supervise remind`` both render through :class:`RenderPool`
(:func:`render_all` runs one over a list of jobs).

The pool is started once, as early as a run can (the batch: before it reads
its input). A worker is ready for any task at once and loads its renderers
when first needed (load_renderers: one worker as the pool starts, the others
while the main process numbers), so the 核稿 starts without waiting for them;
the fonts the batch draws with are cut, each a task of its own, while the
main process checks and numbers (batch/run.py; a font no document drew with
before rendering is cut where one first does: ChunkContext.cuts); then every
chunk is submitted at once, the last ones smaller, and results are collected
as they come. Each task reports its times (``--timing``).
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
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ChunkContext:
    """What every chunk of a run needs besides its documents (sent with each chunk: small)."""

    profile: Any
    template: Path | None
    base_dir: Path
    outdir: Path
    # Font cuts (fonts/subset.Cut) made in a worker when it first opens the font: those no
    # document drew with before rendering began (the batch's sample notice did not).
    cuts: tuple[Any, ...] = ()


def _worker_init(formats: tuple[str, ...] = ()) -> None:
    """Once per worker process, as it starts: ready for any task at once.

    The renderers are not loaded here but by the first task that needs them
    (load_renderers): the worker that proofreads starts on it at once, before
    the renderers it needs only later.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    # A worker ends with the main process (even kill -9), and leaves Ctrl+C to it:
    # the main process stops the pool and prints one line, not one traceback a worker.
    lifeline.watch_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Rendering makes many short-lived objects and few cycles: collecting less often
    # (and never scanning what is loaded: load_renderers) measured 4-7 % faster here
    # at the same peak memory. Only in pool workers: a caller's process is left alone.
    gc.set_threshold(50_000, 20, 20)
    gc.enable()  # forked from a command that paused it for itself (cli/batch.py)
    _WORKER["formats"] = formats
    _WORKER["ready"] = (t0, time.perf_counter(), time.process_time() - c0)


def load_renderers() -> None:
    """In a pool worker, once: the modules its formats render with, then set aside from the
    collector (gc.freeze: what is loaded is never scanned again). A task of its own while
    the main process numbers (RenderPool.preload), or the first chunk's first step."""
    formats = _WORKER.get("formats")
    if formats is None or _WORKER.get("loaded"):
        return  # not a pool worker (a caller's process is left alone), or done
    import docgen.pipeline  # noqa: F401

    if "pdf" in formats:
        # Nothing for cutting fonts is loaded here: fonts/ttfcut.py cuts TrueType fonts with
        # what is loaded already (and fontTools' small unicodedata tables, on first cut);
        # fontTools.subset (0.1 s of CPU) is loaded only for a font ttfcut leaves to it.
        import docgen.render.pdf  # noqa: F401
    if "docx" in formats:
        import docgen.render.docx  # noqa: F401
    if "ofd" in formats:
        import docgen.render.ofd  # noqa: F401
    gc.freeze()
    _WORKER["loaded"] = True


def _use_context(ctx: ChunkContext) -> None:
    _WORKER.update(
        profile=ctx.profile, template=ctx.template, base_dir=ctx.base_dir, outdir=ctx.outdir
    )
    if ctx.cuts:
        from docgen.fonts.sfnt import make_when_opened

        for cut in ctx.cuts:
            make_when_opened(cut.out, cut.run)


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
    chunk: list[tuple[str, Any, dict[str, str]]],
    formats: tuple[str, ...],
    fonts: Any,
    ctx: ChunkContext | None = None,
) -> list[JobResult]:
    from docgen.pipeline import render_document

    load_renderers()
    if ctx is not None:
        _use_context(ctx)
    w = _WORKER
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

    texts: list[str] = []  # joined and added at once: a set's update per string is the cost

    def walk(value: Any) -> None:
        todo = [value]
        while todo:
            value = todo.pop()
            if isinstance(value, str):  # an enum's value too: its text
                texts.append(value)
            elif isinstance(value, dict):
                todo += value.keys()
                todo += value.values()
            elif isinstance(value, (list, tuple, set)):
                todo += value
            elif value is None:
                continue
            elif dataclasses.is_dataclass(value) and not isinstance(value, type):
                todo.append(dataclasses.asdict(value))
            else:
                texts.append(str(value))

    seen_kinds: set[str] = set()
    for doc in docs:
        walk(doc.model_dump())  # python mode: numbers and dates fall to str()
        # What decide() adds is digits and the literals of decisions.py (read below);
        # running it once per kind, not per document, keeps this pass cheap.
        if doc.kind not in seen_kinds:
            seen_kinds.add(doc.kind)
            walk(decide(doc, profile))
    chars.update("".join(texts))
    for src in _drawing_sources():
        chars.update(c for c in set(src.read_text(encoding="utf-8")) if ord(c) > 0x7F)
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


def _tapered(items: list[Any], size: int, jobs: int) -> Iterator[list[Any]]:
    """Chunks of ``size``, then a quarter as large for the last two rounds of the workers.

    The run ends when its slowest worker does: with equal chunks, one worker
    still renders a whole chunk (48 notices, 0.2 s) while the others have
    nothing left; small last chunks let them end within a few notices of
    each other.
    """
    tail = min(len(items), 2 * jobs * size)
    yield from _chunks(items[: len(items) - tail], size)
    yield from _chunks(items[len(items) - tail :], max(1, size // 4))


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


@dataclass
class WorkerTimes:
    """What one worker process did, in seconds of wall time (CPU where said)."""

    pid: int
    started: float = 0.0  # perf_counter when it began loading the renderers
    ready: float = 0.0  # … and when it was ready for work
    busy: dict[str, float] = field(default_factory=dict)  # task kind → seconds
    cpu: float = 0.0  # CPU seconds in tasks and loading
    docs: int = 0
    last: float = 0.0  # perf_counter when its last task ended

    def idle(self) -> float:
        """Ready and waiting for work, up to its last task's end."""
        return max(0.0, self.last - self.ready - sum(self.busy.values()))


def _timed(kind: str, fn: Callable[..., Any], *args: Any) -> tuple[Any, dict[str, Any]]:
    """Run a task in a worker and say how long it took (--timing)."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn(*args)
    t1 = time.perf_counter()
    ready = _WORKER.pop("ready", None)  # reported once, with the worker's first task
    return value, {
        "pid": os.getpid(),
        "kind": kind,
        "start": t0,
        "end": t1,
        "cpu": time.process_time() - c0,
        "docs": len(value) if kind == "render" else 0,
        "ready": ready,
    }


def _nothing() -> None:
    """The task that starts a worker."""


class RenderPool:
    """Worker processes for one run, started once; fonts cut and documents rendered in them.

    ``jobs`` ≤ 1 (or ``start=False``): no processes; everything runs in the
    calling process when asked, in the same order. Use as a context manager:
    leaving it with an error (or Ctrl+C) stops the workers at once.
    """

    def __init__(self, jobs: int, formats: tuple[str, ...], *, start: bool = True) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.formats = formats
        self.times: dict[int, WorkerTimes] = {}
        self.t0 = time.perf_counter()
        self._pool: ProcessPoolExecutor | None = None
        self._starts: list[Future[Any]] = []
        if start and self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context(start_method()),
                initializer=_worker_init,
                initargs=(formats,),
            )
            # Fork starts every worker on the first task; spawn one worker a task.
            self._starts = [self._submit("start", _nothing) for _ in range(self.jobs)]
            # One worker loads its renderers while this process reads the input, ready to
            # lay out the sample notice (the checks); another stays free for the 核稿.
            self._starts.append(self._submit("load", load_renderers))

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if self._pool is None:
            return
        if exc is not None:
            _stop_pool(self._pool)
        else:
            self._pool.shutdown(wait=True)

    def _submit(self, kind: str, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        assert self._pool is not None
        return self._pool.submit(_timed, kind, fn, *args)

    def _value(self, fut: Future[Any]) -> Any:
        value, t = fut.result()
        w = self.times.get(t["pid"])
        if w is None:
            w = self.times[t["pid"]] = WorkerTimes(t["pid"])
        if t["ready"] is not None:
            w.started, w.ready, cpu = t["ready"]
            w.cpu += cpu
        if t["kind"] != "start":
            w.busy[t["kind"]] = w.busy.get(t["kind"], 0.0) + t["end"] - t["start"]
            w.cpu += t["cpu"]
            w.docs += t["docs"]
        w.last = max(w.last, t["end"])
        return value

    def call(self, kind: str, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """``fn(*args)`` in a worker from now on; returns what waits for its value.

        Without workers, ``fn`` runs when its value is asked for, in this process.
        """
        if self._pool is None:
            return lambda: fn(*args)
        fut = self._submit(kind, fn, *args)
        return lambda: self._value(fut)

    def preload(self) -> None:
        """Each worker loads its renderers now, when it has nothing else to do (load_renderers)."""
        if self._pool is not None:
            self._starts += [self._submit("load", load_renderers) for _ in range(self.jobs)]

    def render(
        self,
        work: list[Job],
        ctx: ChunkContext,
        fonts: Any,
        pdf_fonts: Callable[[], Any],
        on_done: Callable[[list[JobResult]], None],
        *,
        progress: bool | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        queued: Callable[[], None] = lambda: None,
    ) -> None:
        """Render every job; ``pdf_fonts()`` gives the (cut) fonts for the PDFs.

        The .docx files (which need no font files) are submitted first, so the
        workers have work while the fonts are still being cut. ``queued()`` is
        called once all the work is handed out, before any result is taken (the
        batch says its 核稿 findings there, waiting for them while the workers
        render rather than before).
        """
        formats = self.formats
        payload = [(j.key, j.doc, j.names(formats)) for j in work]
        progress_line = Progress(len(payload), progress, on_progress)
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
                progress_line.add(len(complete))

        try:
            if self._pool is None:
                _use_context(ctx)
                render_fonts = pdf_fonts() if {"pdf", "ofd"} & set(formats) else fonts
                queued()
                for chunk in _chunks(payload, 8):
                    lifeline.check_interrupt()
                    collect(_render_chunk(chunk, formats, render_fonts))
                return
            # Chunks amortise the pickling round trip and what a chunk brings afresh (its
            # copy of the fonts and their memos): 48 notices measured 2-3 % faster than 16
            # (32 and 62 in between); the last ones smaller, so both cores end together.
            size = max(1, min(48, len(payload) // (self.jobs * 8)))
            pending: set[Future[Any]] = set()
            # The PDF and the OFD drawn from one page plan, laid out once, with the cut fonts.
            planned = tuple(f for f in formats if f in ("pdf", "ofd"))
            if "docx" in formats:
                pending |= {
                    self._submit("render", _render_chunk, c, ("docx",), fonts, ctx)
                    # The PDFs go after the .docx files: only theirs taper at the end.
                    for c in (
                        _chunks(payload, size) if planned else _tapered(payload, size, self.jobs)
                    )
                }
            if planned:
                cut = pdf_fonts()
                lifeline.check_interrupt()
                pending |= {
                    self._submit("render", _render_chunk, c, planned, cut, ctx)
                    for c in _tapered(payload, size, self.jobs)
                }
            queued()
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                lifeline.check_interrupt()
                for fut in finished:
                    collect(self._value(fut))
        finally:
            progress_line.close()

    def report(self) -> list[str]:
        """One line a worker for --timing: when ready, seconds per kind of task, idle."""
        for fut in self._starts:  # a worker says when it was ready with its first task
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self._value(fut)
        self._starts = []
        kinds = {
            "load": "载入排版模块",
            "checks": "缺字与越界检查",
            "proof": "核稿",
            "fonts": "裁字体",
            "render": "排版写文件",
        }
        lines = []
        for k, w in enumerate(sorted(self.times.values(), key=lambda w: w.started), 1):
            busy = "，".join(f"{kinds.get(kind, kind)} {s:.2f}" for kind, s in w.busy.items())
            lines.append(
                f"工作进程 {k}：启动于 {w.started - self.t0:.2f}，就绪于 {w.ready - self.t0:.2f}；"
                f"{busy}（{w.docs} 份）；空闲 {w.idle():.2f}；CPU {w.cpu:.2f}"
            )
        return lines


def render_all(
    work: list[Job],
    opts: PoolOptions,
    profile: Any,
    fonts: Any,
    pdf_fonts: Callable[[], Any],
    on_done: Callable[[list[JobResult]], None],
) -> None:
    """Render every job in a pool of its own; ``pdf_fonts()`` gives the (cut) fonts for the PDFs."""
    jobs = opts.jobs or os.cpu_count() or 1
    ctx = ChunkContext(profile, opts.template, opts.base_dir, opts.outdir)
    with RenderPool(jobs, opts.formats, start=len(work) > 2) as pool:
        pool.render(
            work,
            ctx,
            fonts,
            pdf_fonts,
            on_done,
            progress=opts.progress,
            on_progress=opts.on_progress,
        )


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Interrupted or failed: end the workers now instead of waiting for their chunks."""
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
