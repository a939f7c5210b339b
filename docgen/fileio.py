"""Atomic writes: a reader never sees half a document, a crash never leaves one.

Outputs land in folders colleagues share, so a finished file gets the mode a
plain ``open(path, "w")`` would give it (0644 under umask 022), not the 0600
that ``mkstemp`` gives its temporary file.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from docgen.naming import check_path


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # POSIX offers no read-only call before Python 3.13
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a newly created ordinary file gets: 0666 less the umask."""
    return 0o666 & ~_umask()


def temp_beside(path: Path, mode: int | None = None) -> tuple[int, str]:
    """An open temporary file in ``path``'s folder, already carrying the final file's mode.

    Named for the file and this process first: mkstemp's random names cost a
    batch of a thousand notices ~0.04 ms a file. The name has mkstemp's shape,
    so lifeline.clean_partial_files removes what a killed run left; taken
    (another thread writing the same file), mkstemp picks one.
    """
    tmp = os.path.join(path.parent, f".{path.name}.{os.getpid() & 0xFFFFFFFF:08x}.tmp")
    try:
        fd = os.open(tmp, _CREATE, 0o600)
    except FileExistsError:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    if hasattr(os, "fchmod"):  # Windows has no POSIX modes to honour
        os.fchmod(fd, file_mode() if mode is None else mode)
    return fd, tmp


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write to a temporary file beside ``path``, then rename it into place.

    Every file docgen writes comes through here or batch._write_rendered: the
    name is checked first (naming.check_path), so no command, page or import
    can make a file Windows cannot open. ``mode`` keeps a rewritten file's own
    mode (the default is a new file's).
    """
    check_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temp_beside(path, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
