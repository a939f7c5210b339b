"""A real browser for the workbench tests: Debian's chromium driven by Playwright, and a live server.

Playwright cannot download its own browsers here, so it is pointed at the
system's chromium. The server runs in a thread of the test process, on a free
loopback port, with its own data folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "build" / "test-artifacts" / "web"  # screenshots, kept after the run
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("DOCGEN_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving create_app(config) in a background thread."""

    def __init__(self, data_dir: Path, **config: object):
        import uvicorn

        from docgen.web.app import create_app
        from docgen.web.config import WebConfig

        self.port = free_port()
        self.config = WebConfig(data_dir=data_dir, port=self.port, **config)  # type: ignore[arg-type]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(self.config)  # the Guard; its .app is the FastAPI application
        server_config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(server_config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the workbench did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def screenshot(page, name: str) -> Path:  # noqa: ANN001 - a Playwright Page
    """A full-page screenshot under build/test-artifacts/web/ (kept for people to look at)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
