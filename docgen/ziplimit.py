"""Zip-based inputs (.xlsx tables, .docx drafts, returned forms and templates): refused before
any part is unpacked when they would unpack to more than any real office file (a "zip bomb").

Only the zip's central directory is read to decide, so a bomb is refused in
milliseconds with no memory spent. The sizes a zip declares are also the most
Python's zipfile unpacks (a part that lies about its size fails its CRC check),
so what passes here is what a reader can be made to hold.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ZipLimits:
    unpacked: int = 200_000_000  # bytes, all parts together; a large real workbook is a few MB
    part: int = 100_000_000  # bytes, one part
    parts: int = 10_000
    # Unpacked / packed over the whole file, once it unpacks past ``ratio_from``: XML packs
    # 5-20 times, pictures not at all; a bomb packs a thousand times and more.
    ratio: float = 100.0
    ratio_from: int = 20_000_000
    xml_part: int | None = None  # bytes, one XML part (what a parser turns into a tree)


XLSX = ZipLimits()
# A Word file's text part is parsed whole into a tree of about ten times its size: a
# 1,000-page document's word/document.xml is some 10 MB.
DOCX = ZipLimits(xml_part=25_000_000)

ZipSource = Path | bytes


class ZipRefused(Exception):
    """A zip that must not be unpacked; the message is Chinese, without the file's name."""


def _open(source: ZipSource) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)


def zip_problem(source: ZipSource, limits: ZipLimits = XLSX) -> str | None:
    """Why ``source`` must not be unpacked (in Chinese), or None. Not a zip at all is left to
    the reader, which says so in its own words."""
    try:
        with _open(source) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if len(infos) > limits.parts:
        return f"文件内部有 {len(infos)} 个部件，不像是正常的 Office 文件"
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    biggest = max((i.file_size for i in infos), default=0)
    if total > limits.unpacked or biggest > limits.part:
        return (
            f"文件解压后过大（约 {total // 1_000_000} MB），不像是正常的 Office 文件；请另存后重试"
        )
    if total > limits.ratio_from and total > packed * limits.ratio:
        return (
            f"文件解压后是压缩时的 {total // max(packed, 1)} 倍（约 {total // 1_000_000} MB），"
            "不像是正常的 Office 文件；请另存后重试"
        )
    if limits.xml_part is not None:
        for i in infos:
            if i.filename.lower().endswith((".xml", ".rels")) and i.file_size > limits.xml_part:
                return (
                    f"文件中的“{i.filename[:60]}”解压后约 {i.file_size // 1_000_000} MB，"
                    "远超正常文档；请另存后重试"
                )
    return None


def open_zip(source: ZipSource, limits: ZipLimits = XLSX) -> zipfile.ZipFile:
    """The zip, opened after its limits are checked. Raises ZipRefused (a bomb) or
    zipfile.BadZipFile (no zip)."""
    problem = zip_problem(source, limits)
    if problem:
        raise ZipRefused(problem)
    return _open(source)
