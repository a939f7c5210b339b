"""A large document's .docx written in a process of its own while this one makes the PDF.

The two outputs share the model and the decisions; of the PDF's layout the
.docx needs only its last page (whether the colophon has a page of its own:
render/docx/colophon.py). So a worker started before the decisions are made
is given what remakes the model (its class and the input data: the
10,000-notice 通报's model takes 0.6 s to pickle, its data a hundredth of
that), then the decisions, then that page, and hands back the file. Wall
time becomes the longer of the two, not the sum. Outside the docx package,
so that this process never loads the .docx writer (docxtpl, jinja2) for it.

Only where it pays and where a process may be started: never inside a pool's
worker (a daemon process cannot have children, and the batch already keeps
every core busy), and when anything goes wrong (no process could be started,
the worker died or failed) the caller writes the .docx itself, so the result
is the same file, later. The worker ends with its parent (lifeline.py) and
leaves Ctrl+C to it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.decide.decisions import Decisions

if TYPE_CHECKING:
    from docgen.models.documents import Document
from docgen.spec import Profile

# Below this many table cells a .docx takes under about 0.05 s: a process costs more.
MIN_CELLS = 6_000


@dataclass(frozen=True)
class Remake:
    """What makes the model again in another process: its class and its input data."""

    kind: type[Document]
    data: dict[str, Any]


def worth_it(doc: Any) -> bool:
    """Is the document large enough for a worker to pay (its tables' cells)?"""
    from docgen.models.tables import document_tables

    return sum(len(t.cells) for t in document_tables(doc)) >= MIN_CELLS


START_METHOD_ENV = "DOCGEN_MP_START"  # as the batch's pool (batch.start_method)


def start_method() -> str | None:
    """The batch's start method, but never fork from a process running other threads.

    The batch's rule (batch.start_method, not imported: docgen.batch loads the
    whole input side, 36 ms): $DOCGEN_MP_START, else fork where there is one.
    A forked child gets copies of the locks other threads held at that moment
    (the web server's request threads): spawn starts clean. None: the
    environment names a start method this machine lacks (the batch refuses it;
    here the .docx is simply written in process).
    """
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if wanted:
        return wanted if wanted in available else None
    if "fork" in available and threading.active_count() == 1:
        return "fork"
    return "spawn" if "spawn" in available else None


class DocxWorker:
    """The parent's handle on one worker: send the decisions, the colophon's page, get the file."""

    def __init__(self, process: Any, inbox: Any, results: Any) -> None:
        self.process = process
        self.inbox = inbox  # parent → worker (a queue: put() never waits for the worker)
        self.results = results  # worker → parent

    @classmethod
    def start(cls, remake: Remake, profile: Profile, template: Path | None) -> DocxWorker | None:
        """A running worker, or None where none can be started (then write the .docx here)."""
        if multiprocessing.current_process().daemon:
            return None  # a pool's worker: no children, and the pool uses every core already
        method = start_method()
        if method is None:
            return None
        task = (remake, profile, template)
        # A forked worker has the task in the memory it starts with. Other start methods
        # pickle a Process's arguments in start(), which then waits for the new
        # interpreter to read them (0.2 s of the report's critical path): the task goes
        # by the queue instead, written by its feeder thread while this one goes on.
        given = task if method == "fork" else None
        try:
            ctx = multiprocessing.get_context(method)
            inbox = ctx.Queue()
            results, sending = ctx.Pipe(duplex=False)
            # typeshed's BaseContext lacks Process; every context get_context returns has it.
            process = ctx.Process(  # type: ignore[attr-defined]
                target=_work,
                args=(given, inbox, sending),
                name="docgen-docx",
                daemon=True,  # ended by multiprocessing when this process exits
            )
            process.start()
            if given is None:
                inbox.put(task)
        except (OSError, ValueError, RuntimeError, AssertionError):
            return None  # no process here (limits, a frozen or sandboxed interpreter)
        sending.close()  # the worker's end: closed here, so a dead worker reads as EOF
        return cls(process, inbox, results)

    def send_decisions(self, decisions: Decisions, seal_image: str | None) -> None:
        """The decisions (their tables keyed by place: the worker's model, validated from
        the same input, numbers its tables alike) and the seal image as resolved here."""
        self.inbox.put((decisions, seal_image))

    def send_last_page(self, plan: Any) -> None:
        """The PDF's last page, once laid out: where the .docx puts its colophon."""
        self.inbox.put(plan.pages[-1])

    def result(self) -> bytes | None:
        """The .docx, or None if the worker failed or died (the caller writes it then)."""
        try:
            status, value = self.results.recv()
        except (EOFError, OSError):
            status, value = "died", None
        self.stop()
        return value if status == "ok" else None

    def stop(self) -> None:
        """End the worker now (done, or the PDF failed or was interrupted)."""
        with contextlib.suppress(Exception):
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
        with contextlib.suppress(Exception):
            self.results.close()
        with contextlib.suppress(Exception):
            self.inbox.cancel_join_thread()  # never wait at exit to flush to a dead worker
            self.inbox.close()


def _work(task: tuple[Remake, Profile, Path | None] | None, inbox: Any, out: Any) -> None:
    """In the worker: the model again, the decisions received, the .docx sent back."""
    from docgen import lifeline

    lifeline.watch_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us on Ctrl+C
    try:
        remake, profile, template = task or inbox.get()
        out.send(("ok", _render(remake, profile, template, inbox)))
    except BaseException as exc:  # noqa: BLE001 - the parent writes the .docx itself then
        with contextlib.suppress(Exception):
            out.send(("failed", repr(exc)))
    finally:
        out.close()


def _render(remake: Remake, profile: Profile, template: Path | None, inbox: Any) -> bytes:
    from docgen.collector import collector_paused
    from docgen.render.docx import colophon_on_own_page, render_docx

    with collector_paused():  # as in the parent: a large model, nothing cyclic
        doc = remake.kind.model_validate(remake.data)
        decisions, seal_image = inbox.get()
        if seal_image is not None and doc.signature is not None:  # a 纪要 has none
            # The seal the parent found, on a copy: the validated model is not changed.
            sealed = doc.signature.model_copy(update={"seal_image": seal_image})
            doc = doc.model_copy(update={"signature": sealed})

        def colophon_alone() -> bool:  # asked once the rest of the file is written
            return colophon_on_own_page(_Ending(inbox.get()))

        return render_docx(
            doc, decisions, profile, template=template, colophon_alone=colophon_alone
        )


@dataclass
class _Ending:
    """A plan's end as colophon_on_own_page reads it: the last page."""

    last: Any

    @property
    def pages(self) -> list[Any]:
        return [self.last]
