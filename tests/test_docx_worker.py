"""A large document's .docx written by a worker process while the PDF is made (docx_worker.py):
the same file as written in process, under fork and spawn; in process again wherever no
worker can be started, dies or fails; never a process inside a pool's worker; and the
worker ends with its parent."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from docgen import lifeline
from docgen.render.docx import worker as docx_worker
from docgen.render.docx.worker import DocxWorker, Remake
from docgen.spec import Profile
from docgen.supervision.circular import make_circular

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 10, 8)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "tools"))
    import bench  # the benchmark's ledger writer

    path = tmp_path_factory.mktemp("worker") / "ledger.sqlite3"
    bench.write_ledger(path, 40)
    return path


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def report(ledger: Path) -> dict[str, bytes]:
    return make_circular(AS_OF, registry=ledger, formats=("pdf", "docx"))[1]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[DocxWorker | None]:
    """Every document counts as large; what DocxWorker.start returned, in order."""
    monkeypatch.setattr(docx_worker, "MIN_CELLS", 0)
    seen: list[DocxWorker | None] = []
    real = DocxWorker.start.__func__  # type: ignore[attr-defined]

    def spy(cls: type[DocxWorker], *args: object) -> DocxWorker | None:
        seen.append(real(cls, *args))
        return seen[-1]

    monkeypatch.setattr(DocxWorker, "start", classmethod(spy))
    return seen


@pytest.fixture(scope="module")
def in_process(ledger: Path) -> dict[str, bytes]:
    """The report with the .docx written in this process (too small for a worker)."""
    files = report(ledger)
    assert not multiprocessing.active_children()
    return files


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_worker_writes_the_same_docx(
    method: str, ledger: Path, in_process: dict, started: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setenv("DOCGEN_MP_START", method)
    files = report(ledger)
    assert len(started) == 1 and started[0] is not None
    assert started[0].process.exitcode is not None  # ended once the file came back
    assert parts(files["docx"]) == parts(in_process["docx"])
    assert files["pdf"][:1000] == in_process["pdf"][:1000] and len(files["pdf"]) == len(
        in_process["pdf"]
    )
    assert not multiprocessing.active_children()


def test_no_process_can_start_so_the_docx_is_written_here(
    ledger: Path, in_process: dict, started: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: object) -> None:
        raise OSError("进程数已达上限")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    files = report(ledger)
    assert started == [None]
    assert parts(files["docx"]) == parts(in_process["docx"])


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_that_dies_or_fails_leaves_the_docx_to_this_process(
    ledger: Path, in_process: dict, started: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCGEN_MP_START", "fork")  # the worker runs the patched code below
    monkeypatch.setattr(docx_worker, "_render", lambda *a: os._exit(3))
    files = report(ledger)
    assert started[-1] is not None and started[-1].process.exitcode == 3
    assert parts(files["docx"]) == parts(in_process["docx"])

    def fail(*args: object) -> bytes:
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(docx_worker, "_render", fail)
    files = report(ledger)
    assert started[-1] is not None
    assert parts(files["docx"]) == parts(in_process["docx"])
    assert not multiprocessing.active_children()


def test_a_failing_pdf_stops_the_worker(
    ledger: Path, started: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docgen.layout

    def broken(*args: object) -> None:
        raise RuntimeError("排版失败")

    monkeypatch.setattr(docgen.layout, "layout_document", broken)
    with pytest.raises(RuntimeError, match="排版失败"):
        report(ledger)
    assert started[-1] is not None
    assert not started[-1].process.is_alive() and not multiprocessing.active_children()


def _start_in_daemon(out: multiprocessing.queues.Queue) -> None:  # type: ignore[name-defined]
    out.put(DocxWorker.start(Remake(dict, {}), Profile(), None) is None)


def test_never_a_worker_inside_a_pools_worker() -> None:
    """A pool's workers are daemons (the batch): no process of their own, the .docx in place."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    out = ctx.Queue()
    p = ctx.Process(target=_start_in_daemon, args=(out,), daemon=True)
    p.start()
    assert out.get(timeout=60) is True
    p.join(10)


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped (a container's init may be slow to)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return lifeline.pid_alive(pid)
    return state != "Z"


PARENT = """
import sys, time
from docgen.render.docx.worker import DocxWorker, Remake
from docgen.spec import Profile
if __name__ == "__main__":
    w = DocxWorker.start(Remake(dict, {}), Profile(), None)  # waits for decisions forever
    print(w.process.pid, flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 of the parent: POSIX here")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_worker_ends_with_its_parent(method: str, tmp_path: Path) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), DOCGEN_MP_START=method)
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        worker = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert running(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(worker), "the worker outlived its parent"
    finally:
        parent.kill()


def test_the_start_method_is_the_batchs_but_never_fork_beside_other_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from docgen.batch import BatchRefused
    from docgen.batch import start_method as batch_start_method

    for wanted in multiprocessing.get_all_start_methods():
        monkeypatch.setenv("DOCGEN_MP_START", wanted)
        assert docx_worker.start_method() == batch_start_method() == wanted
    monkeypatch.setenv("DOCGEN_MP_START", "teleport")
    with pytest.raises(BatchRefused):
        batch_start_method()
    assert docx_worker.start_method() is None  # the .docx is written in process
    monkeypatch.delenv("DOCGEN_MP_START")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert docx_worker.start_method() == batch_start_method()
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # the web server's threads
    assert docx_worker.start_method() == "spawn"


@pytest.mark.parametrize(
    "module", ["docgen.models.tables", "docgen.layout", "docgen.models.circular", "docgen.models"]
)
def test_any_model_module_imports_first(module: str) -> None:
    """docgen.models loads lazily; its parts/tables import cycle must work whichever comes first."""
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]


class _Inbox:
    """What the parent sends the worker, in order: the decisions and seal, then the last page."""

    def __init__(self, *messages: object) -> None:
        self.messages = list(messages)

    def get(self) -> object:
        return self.messages.pop(0)


def test_the_worker_puts_the_seal_on_a_copy_and_into_the_docx(tmp_path: Path) -> None:
    from PIL import Image

    from docgen import loader
    from docgen.decide.decisions import decide
    from docgen.models.documents import Letter
    from docgen.render.docx import render_docx

    seal = tmp_path / "seal.png"
    Image.new("RGBA", (200, 200), (255, 0, 0, 128)).save(seal)
    sample = Path(__file__).resolve().parent.parent / "samples" / "letter-gaoping-18.yaml"
    doc = loader.load(sample)
    assert isinstance(doc, Letter) and not doc.signature.seal_image
    profile = Profile()
    decisions = decide(doc, profile)
    remake = Remake(Letter, doc.model_dump(by_alias=True, mode="json"))
    made = docx_worker._render(remake, profile, None, _Inbox((decisions, str(seal))))
    with zipfile.ZipFile(io.BytesIO(made)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        xml = z.read("word/document.xml").decode("utf-8")
    assert media and 'behindDoc="1"' in xml  # the seal, behind the signature
    sealed = doc.model_copy(
        update={"signature": doc.signature.model_copy(update={"seal_image": str(seal)})}
    )
    assert parts(made) == parts(render_docx(sealed, decisions, profile))
    assert remake.data["署名方式"].get("印章图片") in (None, "")  # the input is not changed


def test_a_floated_figure_is_written_in_the_pdfs_order_not_the_workers(
    started: list, tmp_path: Path
) -> None:
    """The worker writes the .docx before the PDF's pages are known; where the PDF floated
    a table (the text after it filling the page), the .docx is written here in that order."""
    from test_table_figures import _floated

    from docgen.fonts import resolve_fonts
    from docgen.loader import build
    from docgen.models.documents import Letter
    from docgen.pipeline import render_document

    fonts = resolve_fonts(use_system=False)
    data, plan = _floated(fonts)
    assert plan.floats
    doc = build(data)
    remake = Remake(Letter, doc.model_dump(by_alias=True, mode="json"))
    made = render_document(doc, ("pdf", "docx"), Profile(), fonts, remake=remake)
    assert started and started[0] is not None  # a worker was started, and wrote its file
    xml = zipfile.ZipFile(io.BytesIO(made.files["docx"])).read("word/document.xml").decode()
    assert xml.index("后文第一段") < xml.index("项目一览")  # the PDF's order
    here = render_document(doc, ("pdf", "docx"), Profile(), fonts)
    assert parts(made.files["docx"]) == parts(here.files["docx"])
