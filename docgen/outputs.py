"""Where output goes: checked before any work (and before any number is taken).

``-o`` may name a folder that cannot be written, a path through an existing
file (out.pdf/x), or an existing file without extension. Each is found here
and said in one Chinese line, instead of an OSError after rendering.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def folder_problem(folder: Path) -> str | None:
    """Why files cannot be written into ``folder`` (created if need be), or None.

    Nothing is created: the nearest existing ancestor must be a writable folder,
    and an existing ``folder`` must be one. Writability is tried with a real
    temporary file, since permission bits do not tell the truth on network
    drives, Windows ACLs or for root.
    """
    folder = Path(folder)
    long = next((part for part in folder.parts if len(part.encode("utf-8")) > 255), None)
    if long is not None:
        return f"输出位置中的“{long[:20]}…”过长（{len(long.encode('utf-8'))} 字节，上限 255）"
    probe = folder
    while not _exists(probe):
        if probe.is_symlink():
            return f"输出位置 {probe} 是一个失效的链接"
        parent = probe.parent
        if parent == probe:
            break
        probe = parent
    if probe.exists() and not probe.is_dir():
        if probe == folder:
            return f"输出位置 {folder} 是一个已有的文件，不是文件夹；请换一个文件夹名，或写出 .pdf/.docx 文件名"
        return f"输出位置 {folder} 要经过 {probe}，但它是一个文件，不是文件夹"
    try:
        fd, tmp = tempfile.mkstemp(prefix=".docgen-probe-", dir=probe)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        return f"输出文件夹 {probe} 无法写入（{said(exc)}）"
    return None


def _exists(path: Path) -> bool:
    try:
        return os.path.exists(path)
    except OSError:  # a path the system cannot even look up (too long, a loop of links)
        return False


def said(exc: OSError) -> str:
    """An OSError's reason in Chinese."""
    return {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "只读位置",
        errno.ENOSPC: "磁盘已满",
        errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.ENAMETOOLONG: "路径或文件名过长",
        errno.ENOENT: "路径不存在",
        errno.EISDIR: "是一个文件夹",
    }.get(exc.errno or 0, "写入出错")


# --- one policy for every command that writes ----------------------------------------
#
# A folder means "inside it"; an existing file is never replaced silently (the
# new one is saved as name-2 unless --force); the extension is the format's;
# a place that cannot be written (no permission, a name or path too long, a
# path through a file, a special file system) is one Chinese line, exit 1,
# said before anything is rendered, written or numbered.


def refusal(message: str) -> Exception:
    """The error every command reports as one line and exit 1."""
    from docgen.problems import InputError, Problem

    return InputError([Problem(message)])


def means_folder(output: Path) -> bool:
    """``-o`` names a folder: an existing one, or a path written with a trailing separator.

    (os.path, not Path: Path.is_dir raises for a name too long to look up.)
    """
    text = str(output)
    return os.path.isdir(output) or text.endswith(("/", "\\", os.sep))


def require_writable(paths: list[Path]) -> None:
    """Every file's name and path length, and every folder's writability, before any work."""
    from docgen.naming import UnsafeName, check_path

    for path in paths:
        try:
            check_path(path)
        except UnsafeName as exc:
            raise refusal(str(exc)) from None
    for folder in dict.fromkeys(p.parent for p in paths):
        problem = folder_problem(folder)
        if problem:
            raise refusal(problem)


def free_path(path: Path, force: bool, taken: set[Path] | None = None) -> Path:
    """``path``, or name-2, name-3… when it exists (or is ``taken`` by this run) and not ``force``."""
    taken = taken or set()
    if force or (not os.path.lexists(path) and path not in taken):
        return path
    n = 2
    while True:
        fresh = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not os.path.lexists(fresh) and fresh not in taken:
            return fresh
        n += 1


class ForeignExtension(ValueError):
    """``-o`` names a file whose extension is not the format's: a usage error (exit 2)."""


def single_target(
    output: Path, name: str, exts: tuple[str, ...], force: bool, what: str
) -> tuple[Path, str]:
    """Where a command that writes one file writes it, and a note when it is not ``output``.

    ``name`` is the file's own name, used inside a folder; ``exts`` the
    extensions of its format (the first is the default). Nothing is written;
    the path is checked (``require_writable``) before it is returned.
    """
    if means_folder(output) or (not output.suffix and not os.path.lexists(output)):
        target = output / name  # a new name without extension is a folder, as render reads it
    elif output.suffix.lower() in exts:
        target = output
    else:
        shown = " 或 ".join(exts)
        raise ForeignExtension(f"-o {output}：{what}应写成 {shown} 文件（或写一个文件夹名）")
    require_writable([target])
    fresh = free_path(target, force)
    note = (
        "" if fresh == target else f"说明：{target} 已存在，未覆盖，另存为 {fresh}"
    )  # the caller adds how to overwrite (the command line: its --force)
    return fresh, note
