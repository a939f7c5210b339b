"""Zip-based inputs (.xlsx tables, .docx templates and drafts): refused before unpacking
when they would unpack to more than any real office file (a "zip bomb")."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_UNPACKED = 200_000_000  # bytes, all parts together; a large real workbook is a few MB
MAX_PART = 100_000_000  # bytes, one part
MAX_PARTS = 10_000


def zip_problem(path: Path) -> str | None:
    """Why ``path`` must not be unpacked (in Chinese), or None. Not a zip at all is left to
    the reader, which says so in its own words."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if len(infos) > MAX_PARTS:
        return f"文件内部有 {len(infos)} 个部件，不像是正常的 Office 文件"
    total = sum(i.file_size for i in infos)
    biggest = max((i.file_size for i in infos), default=0)
    if total > MAX_UNPACKED or biggest > MAX_PART:
        return (
            f"文件解压后过大（约 {total // 1_000_000} MB），不像是正常的 Office 文件；请另存后重试"
        )
    return None
