"""A Word file opened safely, and said plainly when it is something else.

Every .docx docgen reads (a draft, a returned 督办单, a template) comes
through here: the zip's limits are checked before any part is unpacked
(docgen.ziplimit), and a file that is not a Word document is named for what
it is — a .doc or .wps renamed, an encrypted file, RTF, a web page, a PDF, an
Excel workbook — so the clerk knows what to do. A macro-enabled document
(.docm) or a template (.dotx, .dotm) is read as the document it holds.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docgen.ziplimit import DOCX, ZipRefused, open_zip

MAX_FILE_BYTES = 200_000_000  # packed; any real .docx is far smaller (pictures included)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "请在 Word 或 WPS 中打开，“另存为”Word 文档（.docx）后再用"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Word's other packages of a document, read as the document they hold.
_READABLE = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "启用宏的 Word 文档（.docm）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "Word 模板（.dotx）",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "启用宏的 Word 模板（.dotm）",
}


class WordFileError(Exception):
    """A file that cannot be read as a Word document; the message is one line of Chinese
    without the file's name (each caller names the file its own way)."""


def _ole_kind(data: bytes) -> str:
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage"):
        return "encrypted"
    if has("WordDocument"):
        return "这是 Word 97-2003 或 WPS 文字的旧格式文档（.doc/.wps），只是扩展名不对"
    if has("Workbook") or has("Book"):
        return "这是 Excel 97-2003 工作簿（.xls），不是 Word 文档"
    if has("PowerPoint Document"):
        return "这是 PowerPoint 97-2003 演示文稿（.ppt），不是 Word 文档"
    return "这是旧版 Office 格式的文件，不是 Word 文档（.docx）"


def what_it_is(data: bytes) -> str | None:
    """What a file that is no .docx package really is, said for the user; None for a zip
    (left to :func:`open_word`) or for anything that may be plain text."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(_OLE):
        kind = _ole_kind(data)
        if kind == "encrypted":
            return "文件已加密（设置了打开密码）；请在 Word 或 WPS 中取消密码后另存为 .docx 再用"
        return f"{kind}；{_SAVE_AS}"
    if head.startswith(b"{\\rtf"):
        return f"这是 RTF 格式文件（.rtf），不是 Word 文档（.docx）；{_SAVE_AS}"
    if head.startswith(b"%pdf"):
        return "这是 PDF 文件，不是 Word 文档；请把 PDF 中的文字复制出来，存为 .txt 后再用"
    if head.startswith(b"mime-version:") or b"multipart/related" in head[:600]:
        return f"这是“单个文件网页”（.mht），不是 Word 文档（.docx）；{_SAVE_AS}"
    if head.startswith(b"<?xml") and (b"word.document" in head or b"w:worddocument" in head):
        return f"这是 Word 2003 XML 文档，不是 Word 文档（.docx）；{_SAVE_AS}"
    if re.match(rb"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype html|html)", head, re.S):
        return f"这是网页文件（HTML），不是 Word 文档（.docx）；{_SAVE_AS}"
    return None


def _main_type(z: zipfile.ZipFile) -> str | None:
    try:
        types = z.read("[Content_Types].xml").decode("utf-8", errors="replace")
    except KeyError:
        return "ofd" if "OFD.xml" in z.namelist() else None
    m = re.search(r'PartName="/word/document\.xml"\s+ContentType="([^"]+)"', types) or re.search(
        r'ContentType="([^"]+)"\s+PartName="/word/document\.xml"', types
    )
    if m:
        return m.group(1)
    if "spreadsheetml" in types:
        return "xlsx"
    if "presentationml" in types:
        return "pptx"
    return ""


def as_document_types(types_xml: bytes) -> bytes:
    """[Content_Types].xml of a .docm/.dotx/.dotm saying .docx: what python-docx opens, and
    what a .docx made from a template must say for Word to open it."""
    text = types_xml.decode("utf-8")
    for other in _READABLE:
        text = text.replace(f'"{other}"', f'"{_MAIN}"')
    return text.encode("utf-8")


def _as_docx(z: zipfile.ZipFile) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "[Content_Types].xml":
                data = as_document_types(data)
            w.writestr(info.filename, data)
    return out.getvalue()


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refused unread when it is larger than any Word file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WordFileError(f"文件过大（约 {size // 1_000_000} MB），不像是 Word 文档")
        return path.read_bytes()
    except FileNotFoundError:
        raise WordFileError("找不到文件") from None
    except IsADirectoryError:
        raise WordFileError("这是文件夹，不是文件") from None
    except OSError as exc:
        raise WordFileError(f"无法读取文件（{exc.strerror}）") from None


def open_word(source: Path | bytes) -> tuple[Any, str | None]:
    """A python-docx Document of ``source`` and what was noticed on the way (a .docm read as
    a .docx, say), or WordFileError with the reason in Chinese."""
    data = read_bytes(source) if isinstance(source, Path) else source
    said = what_it_is(data)
    if said:
        raise WordFileError(said)
    try:
        with open_zip(data, DOCX) as z:
            main = _main_type(z)
            note = None
            if main in _READABLE:
                note = f"这是{_READABLE[main]}，已按 Word 文档读取其中的文字（宏不会运行）"
                data = _as_docx(z)
    except ZipRefused as exc:
        raise WordFileError(str(exc)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WordFileError("文件已损坏或不是 Word 文档（.docx），无法打开") from None
    if main == "xlsx":
        raise WordFileError("这是 Excel 工作簿（.xlsx），不是 Word 文档（.docx）")
    if main == "pptx":
        raise WordFileError("这是 PowerPoint 演示文稿（.pptx），不是 Word 文档（.docx）")
    if main == "ofd":
        raise WordFileError("这是 OFD 版式文件，不是 Word 文档（.docx）；请选 Word 文档")
    if main is None:
        raise WordFileError("这是 zip 压缩包，不是 Word 文档（.docx）；请确认选对了文件")
    from docx import Document  # after the checks: a refused file costs no python-docx

    try:
        return Document(io.BytesIO(data)), note
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on broken parts
        raise WordFileError(
            f"文件已损坏，无法读取其中的内容（{type(exc).__name__}）；{_SAVE_AS}"
        ) from None
