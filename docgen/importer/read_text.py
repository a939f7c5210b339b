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
    # Word's manual line break copies as a vertical tab; Unicode's line separators are breaks too.
    text = text.replace("\v", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text, removed = without_controls(text, name)
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
    return Draft(name, paras, warnings=[removed] if removed else [])


MAX_LINE_CHARS = 50_000  # a paragraph of a 公文 is some hundreds of characters
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # keeps tab, line ends, form feed
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def _control_name(ch: str) -> str:
    code = ord(ch)
    name = _CONTROL_NAMES.get(code)
    return f"{name}（U+{code:04X}）" if name else f"U+{code:04X}"


def without_controls(text: str, name: str) -> tuple[str, str]:
    """The text with control characters (BEL, BS, NUL…: no one types them, and YAML cannot hold
    them) removed, and what was removed, by line and column. A text full of them is no text
    file: refused, naming the first. Lines too long for any paragraph are refused too."""
    lines = text.split("\n")
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise DraftError(
                f"{name}：第{n}行有 {len(line)} 个字符，远超一段公文（最多 {MAX_LINE_CHARS} 个）；"
                "请确认选对了文件"
            )
    found = [
        (n, m.start() + 1, m.group())
        for n, line in enumerate(lines, 1)
        for m in _CONTROL.finditer(line)
    ]
    if not found:
        return text, ""
    first_line, first_col, ch = found[0]
    if len(found) > max(20, len(text) // 100):
        raise DraftError(
            f"{name}：第{first_line}行第{first_col}列起有 {len(found)} 个控制字符（如 {_control_name(ch)}），"
            "不像是文本文件；请确认选对了文件，或在记事本中另存为 UTF-8 文本"
        )
    shown = "、".join(f"第{n}行第{c}列 {_control_name(x)}" for n, c, x in found[:5])
    more = f"等 {len(found)} 个" if len(found) > 5 else ""
    return _CONTROL.sub("", text), f"删去了无法显示的控制字符：{shown}{more}"


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
