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
    probe = folder
    while not probe.exists():
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
