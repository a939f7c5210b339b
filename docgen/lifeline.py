"""Worker processes end with their parent; leftovers of killed runs are cleaned up.

A batch's pool workers are separate processes. If the main process is killed
(kill -9, a closed console window, Task Manager) nothing tells them, and they
would live on holding memory and files. Two guards, either enough alone:

- Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` — the kernel kills the worker
  the moment its parent ends;
- everywhere (Windows, macOS): a daemon thread that notices the parent is
  gone (Windows: waits on the parent's process handle; POSIX: polls
  ``getppid``) and ends the worker at once.

Killed runs also leave temporary things behind (a fonts folder in the temp
directory, ``.name.xxxx.tmp`` files in the output folder): the next run
removes those whose owner is no longer running.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

POLL_S = 0.5
FONTS_PREFIX = "docgen-fonts-"

# Set by the command's Ctrl+C / SIGTERM handler (cli._terminate_as_interrupt). The handler
# also raises KeyboardInterrupt, but a library's bare ``except:`` (fontTools,
# reportlab) can swallow that: long loops check this flag between their steps.
_INTERRUPTED = threading.Event()


def note_interrupt() -> None:
    _INTERRUPTED.set()


def check_interrupt() -> None:
    """Raise KeyboardInterrupt if Ctrl+C or SIGTERM came, even if it was swallowed since."""
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt


def watch_parent() -> None:
    """In a worker: end this process as soon as the parent process ends.

    The parent is the process that started this one (multiprocessing knows it), not
    whatever ``getppid`` says now: a spawned worker takes a while to import, and if
    its parent was killed meanwhile, ``getppid`` already names init, which never ends.
    """
    import multiprocessing

    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()
    if os.getppid() != parent:
        os._exit(1)  # the parent is already gone
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
            # The parent may have died between fork and prctl: then no signal comes.
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="docgen-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        _wait_windows(parent)
        os._exit(1)
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os._exit(1)  # re-parented: our parent is gone


def _wait_windows(pid: int) -> None:  # pragma: no cover - Windows only
    import ctypes

    synchronize, infinite = 0x00100000, 0xFFFFFFFF
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return  # already gone
    kernel32.WaitForSingleObject(handle, infinite)
    kernel32.CloseHandle(handle)


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` running? (Never os.kill(pid, 0) on Windows: that terminates it.)"""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        query, still_active = 0x1000, 259
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(query, False, pid)
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == still_active
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


# --- temporary folders and files ---------------------------------------------------------


def fonts_tempdir() -> Path:
    """A fonts folder in the temp directory, named with this process's id (for clean-up)."""
    return Path(tempfile.mkdtemp(prefix=f"{FONTS_PREFIX}{os.getpid()}-"))


_OWNED = re.compile(rf"^{re.escape(FONTS_PREFIX)}(\d+)-")
STALE_S = 24 * 3600  # folders from before the pid was in the name


def clean_stale_tempdirs(base: Path | None = None) -> int:
    """Remove fonts folders left by runs that were killed; returns how many."""
    base = Path(base or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(base.iterdir())
    except OSError:
        return 0
    for p in entries:
        if not p.name.startswith(FONTS_PREFIX):
            continue
        m = _OWNED.match(p.name)
        try:
            if m:
                if pid_alive(int(m[1])):
                    continue
            elif time.time() - p.stat().st_mtime < STALE_S:
                continue
            shutil.rmtree(p, ignore_errors=True)
            removed += not p.exists()
        except OSError:
            continue
    return removed


# ``.name.<random 8>.tmp``: what fileio.atomic_write and batch._write_rendered leave if killed.
_PARTIAL = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def clean_partial_files(folder: Path, older_than_s: float = 0.0) -> list[str]:
    """Remove half-written temporary files a killed run left in ``folder``; returns their names."""
    out: list[str] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return out
    now = time.time()
    for p in entries:
        if not _PARTIAL.match(p.name):
            continue
        try:
            if p.is_file() and now - p.stat().st_mtime >= older_than_s:
                p.unlink()
                out.append(p.name)
        except OSError:
            continue
    return out
