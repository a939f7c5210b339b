"""How long the workbench keeps an upload or a job, and the thread that clears older ones.

An entry (a folder under uploads/ or jobs/) is as old as its last use: the
newest time it or a file directly in it was written, or a request for it was
answered (Batches touches a folder whenever a page asks for it). So a page
that still shows an entry's links keeps it for a whole retention period after
it was last used; what nobody has asked for within the period is removed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_KEEP_HOURS = 24.0
MAX_SWEEP_INTERVAL_S = 3600.0  # clear at least hourly, more often for a short period

log = logging.getLogger("docgen.web")


def last_used(folder: Path) -> float:
    """The newest modification time of ``folder`` and the entries directly in it."""
    newest = folder.stat().st_mtime
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                newest = max(newest, entry.stat(follow_symlinks=False).st_mtime)
            except OSError:
                continue  # removed meanwhile: it no longer makes the folder younger
    return newest


def touch(folder: Path) -> None:
    """Mark ``folder`` as used now (a page asked for it)."""
    try:
        os.utime(folder)
    except OSError:
        pass  # an entry being removed: the request that touched it will find it gone


def sweep_interval(keep_s: float) -> float:
    return min(MAX_SWEEP_INTERVAL_S, max(1.0, keep_s / 4))


class Sweeper:
    """Calls ``sweep`` every ``interval`` seconds in a daemon thread until stopped."""

    def __init__(self, sweep: Callable[[], int], interval: float):
        self._sweep = sweep
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="docgen-sweeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            started = time.monotonic()
            try:
                removed = self._sweep()
            except Exception:  # a failed sweep must never take the workbench down
                log.exception("清理过期的上传和任务时出错")
                continue
            if removed:
                log.info(
                    "已清理 %d 个过期的上传或任务（%.1f 秒）", removed, time.monotonic() - started
                )
