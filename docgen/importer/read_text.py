"""A text draft (.txt pasted from a PDF, .md) → lines, in whatever encoding Windows saved it.

Notepad saves UTF-8 (with or without BOM), "ANSI" (GBK on a Chinese
Windows) or "Unicode" (UTF-16 LE with BOM); all are read.
"""

from __future__ import annotations

import re

from docgen.importer.source import Draft, DraftError, Para, Table

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_GAP = re.compile(r"[ \u3000]{2,}")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    # UTF-16 without a BOM: every other byte of ASCII text is zero.
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        return data.decode("utf-16-le", errors="replace")
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DraftError(
            f"{name}：无法识别文字编码（不是 UTF-8、GBK 或 UTF-16）；请在记事本中“另存为”UTF-8 后再导入"
        ) from None


def read_text(data: bytes, name: str, markdown: bool = False) -> Draft:
    text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    paras: list[Para] = []
    blank = False
    page_break = False
    lines = text.split("\n")
    k = 0
    while k < len(lines):
        raw = lines[k]
        number = k + 1
        if "\f" in raw:  # a form feed is a page break in text copied from a PDF
            page_break = True
            raw = raw.replace("\f", "")
        if not raw.strip():
            blank = True
            k += 1
            continue
        table_rows = _table_at(lines, k, markdown)
        if table_rows:
            rows, used = table_rows
            paras.append(
                Para(
                    number,
                    "",
                    unit="行",
                    table=Table(rows, 1),
                    blank_before=blank,
                    page_break_before=page_break,
                )
            )
            k += used
            blank = page_break = False
            continue
        align = None
        if markdown:
            if _MD_HEADING.match(raw):
                raw = _MD_HEADING.sub("", raw)
            raw = _MD_EMPHASIS.sub("", raw)
            if raw.strip() in ("---", "***", "___"):
                page_break = True
                k += 1
                continue
        cells = _cells(raw, markdown) or []
        paras.append(
            Para(
                number,
                raw.rstrip(),
                unit="行",
                align=align,
                blank_before=blank,
                page_break_before=page_break,
                cells=cells if len(cells) >= 3 else [],  # a lone row: said, kept as text
            )
        )
        blank = page_break = False
        k += 1
    return Draft(name, paras)


def _cells(line: str, markdown: bool) -> list[str] | None:
    """A line's cells when it reads as a table row: | a | b |, or text split by tabs."""
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return [c.strip() for c in s[1:-1].split("|")]
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t") if c.strip()]
        return cells if len(cells) >= 2 else None
    cells = [c.strip() for c in _GAP.split(s) if c.strip()]
    return cells if len(cells) >= 3 else None  # columns lined up with spaces


def _sep(line: str) -> str:
    s = line.strip()
    return "|" if s.startswith("|") else "\t" if "\t" in s else " "


def _table_at(lines: list[str], k: int, markdown: bool) -> tuple[list[list[str]], int] | None:
    """Rows of a table starting at line k (at least two rows of the same width), and lines used."""
    rows: list[list[str]] = []
    j = k
    while j < len(lines):
        line = lines[j]
        if _MD_TABLE_RULE.match(line) and rows:
            j += 1
            continue
        cells = _cells(line, markdown)
        if cells is None or (rows and len(cells) != len(rows[0])) or _sep(line) != _sep(lines[k]):
            break  # one table keeps one way of separating its cells
        rows.append(cells)
        j += 1
    if len(rows) >= 2 and len(rows[0]) >= 2:
        return rows, j - k
    return None
