"""One upload never stalls the server: imports, checks and renders run in bounded workers.

A live server (uvicorn in a thread) is sent hostile files while another
thread times the health and page requests; the hostile request ends with a
Chinese message, the worker is replaced and the next import works.
"""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
from browser import LiveServer

PARA = "<w:p><w:r><w:t>正文</w:t></w:r></w:p>".encode()
DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)


PKG = "http://schemas.openxmlformats.org/package/2006"
CONTENT_TYPES = (
    f'<?xml version="1.0"?><Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_with_part(megabytes: int) -> bytes:
    """A small .docx whose document.xml unpacks to ``megabytes`` MB of paragraphs."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(DOC_HEAD)
            chunk = PARA * 10_000
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return buf.getvalue()


def docx_with_text(megabytes: int) -> bytes:
    """A .docx of ``megabytes`` MB of text that packs as real text does (about 2:1), so it
    passes the zip limits and only the worker's own memory and time limits can stop it."""
    import os

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(DOC_HEAD)
            written = 0
            while written < megabytes * 1024 * 1024:
                chunk = b"".join(
                    b"<w:p><w:r><w:t>" + os.urandom(60).hex().encode() + b"</w:t></w:r></w:p>"
                    for _ in range(2000)
                )
                part.write(chunk)
                written += len(chunk)
            part.write(b"</w:body></w:document>")
    return buf.getvalue()


def multipart(fields: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, (filename, data) in fields.items():
        out.write(f"--{boundary}\r\n".encode())
        out.write(
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def post_file(url: str, fields: dict[str, tuple[str, bytes]]) -> tuple[int, dict]:
    body, ctype = multipart(fields)
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


class Stopwatch(threading.Thread):
    """Times GET requests to the server in a loop until stopped; keeps the slowest."""

    def __init__(self, urls: list[str]):
        super().__init__(daemon=True)
        self.urls, self.times, self.halt = urls, [], threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            for url in self.urls:
                start = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                self.times.append(time.perf_counter() - start)
            time.sleep(0.02)

    def __enter__(self) -> Stopwatch:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.halt.set()
        self.join(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # Small limits, so that the hostile files meet them in seconds on a shared machine.
    data = tmp_path_factory.mktemp("workers")
    with LiveServer(data, workers=1, worker_memory_mb=700, worker_seconds=20) as live:
        for path in ("/api/health", "/draft"):  # templates compiled, connections made
            urllib.request.urlopen(live.url + path, timeout=30).read()
        small_import_works(live.url)  # the worker started
        yield live


def small_import_works(url: str) -> None:
    text = "关于开展文物安全检查的函\n市文物局：\n请于7月底前完成检查。\n高平市人民政府办公室\n2025年7月7日\n"
    status, data = post_file(f"{url}/api/import", {"file": ("函.txt", text.encode())})
    assert status == 200, data
    assert data["model"]["title"] == "关于开展文物安全检查的函"


def test_a_docx_bomb_is_refused_before_it_is_unpacked(server):
    bomb = docx_with_part(150)  # 150 MB in one part, about 1 MB on the wire
    assert len(bomb) < 2_000_000
    with Stopwatch([f"{server.url}/api/health", f"{server.url}/draft"]) as watch:
        started = time.monotonic()
        status, data = post_file(f"{server.url}/api/import", {"file": ("草稿.docx", bomb)})
        took = time.monotonic() - started
    assert status == 422
    assert "解压后过大" in data["problems"][0]["message"]
    assert took < 10
    assert watch.times and max(watch.times) < 0.2, max(watch.times)
    small_import_works(server.url)


def test_a_large_draft_under_the_zip_limits_meets_the_memory_limit(tmp_path: Path):
    """20 MB of text passes the zip limits; parsing it needs more than this worker may have."""
    import psutil

    from docgen.ziplimit import DOCX, zip_problem

    draft = docx_with_text(20)
    assert zip_problem(draft, DOCX) is None
    with LiveServer(tmp_path, workers=1, worker_memory_mb=180, worker_seconds=60) as live:
        small_import_works(live.url)
        me = psutil.Process()
        before = me.memory_info().rss
        with Stopwatch([f"{live.url}/api/health", f"{live.url}/draft"]) as watch:
            status, data = post_file(f"{live.url}/api/import", {"file": ("草稿.docx", draft)})
        message = data["problems"][0]["message"]
        assert status == 422
        assert "内存" in message, message  # not "damaged": the memory limit is said as such
        assert watch.times and max(watch.times) < 0.2, max(watch.times)
        # Nothing of it stayed in the server: the worker that read it is gone.
        assert me.memory_info().rss - before < 60 * 1024 * 1024
        small_import_works(live.url)


def test_a_task_over_its_time_is_stopped_and_its_worker_replaced(tmp_path: Path):
    with LiveServer(tmp_path, workers=1, worker_memory_mb=4000, worker_seconds=2) as live:
        small_import_works(live.url)
        pool = live.app.app.state.pool
        first = pool._idle[0].process.pid
        started = time.monotonic()
        with Stopwatch([f"{live.url}/api/health"]) as watch:
            status, data = post_file(
                f"{live.url}/api/import", {"file": ("草稿.docx", docx_with_text(20))}
            )
        assert time.monotonic() - started < 8
        assert status == 422 and "处理时间超过 2 秒" in data["problems"][0]["message"]
        assert max(watch.times) < 0.2
        small_import_works(live.url)
        assert pool._idle[0].process.pid != first


def test_an_xlsx_bomb_for_the_batch_is_refused_before_it_is_read(server, tmp_path: Path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(150):
                part.write(b" " * (1024 * 1024))
    meeting = (
        Path(__file__).resolve().parent.parent / "samples" / "meeting-2025-1.yaml"
    ).read_bytes()
    status, data = post_file(
        f"{server.url}/api/batch/check",
        {"meeting": ("会议.yaml", meeting), "items": ("议定事项.xlsx", buf.getvalue())},
    )
    assert status == 422
    assert "解压后过大" in json.dumps(data, ensure_ascii=False)


def test_a_worker_that_died_while_idle_is_replaced_not_blamed(tmp_path: Path):
    from docgen.web.tasks import TASKS
    from docgen.web.workers import WorkerPool

    pool = WorkerPool(TASKS, 1, 1024, 30)
    try:
        text = "关于开展文物安全检查的函\n市文物局：\n请于7月底前完成检查。\n高平市人民政府办公室\n2025年7月7日\n"
        assert pool.run("import_draft", text.encode(), "函.txt", None)[0]["kind"] == "letter"
        dead = pool._idle[0].process
        dead.kill()
        dead.join(5)
        again = pool.run("import_draft", text.encode(), "函.txt", None)
        assert again[0]["title"] == "关于开展文物安全检查的函"
        assert pool._idle[0].process.pid != dead.pid
    finally:
        pool.close()
