"""Characters that must never reach a page, and characters no font can draw.

Text pasted from web pages, chat programs and old systems carries things a
clerk cannot see: a backspace or bell (printed as a box, and invalid in the
.docx's XML), bidi overrides (U+202E reverses what follows: a known way to
disguise text), private-use and unassigned code points. These are refused
with the field named. Invisible formatting characters that change nothing
on paper (zero-width space, BOM, soft hyphen, LRM/RLM) are quietly dropped,
and a tab becomes a space.

Which characters the fonts cannot draw depends on the fonts in use: that check
is :func:`docgen.fonts.coverage.undrawable` (fonts sit above text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

# Dropped: invisible, and meaningless in a printed 公文.
_DROP = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u180e]")
_DROP_SET = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u180e")
# Combining marks of the scripts whose letters have precomposed forms (Latin, Greek, Cyrillic,
# symbols): where composing helps. Other scripts' marks are kept with their letter by
# line breaking (joins_previous) all the same.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
_NAMES = {
    "\x00": "空字符",
    "\x07": "响铃",
    "\x08": "退格",
    "\x0b": "垂直制表",
    "\x0c": "换页",
    "\x1b": "Esc",
    "\x7f": "删除",
    "\u202e": "从右到左强制",
    "\u202d": "从左到右强制",
    "\ufffd": "乱码替换符 �",
}


def _bad(ch: str) -> bool:
    if ch in "\n\r\t":
        return False
    if ch in _BIDI:
        return True
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cs", "Co", "Cn") or ch in ("\ufffd", "\ufffe", "\uffff")


def describe(ch: str) -> str:
    """U+0008（退格）: the code point and, where known, what it is."""
    name = _NAMES.get(ch)
    if name is None:
        if ch in _BIDI:
            name = "文字方向控制符"
        elif unicodedata.category(ch) == "Co":
            name = "私用区字符"
        elif unicodedata.category(ch) == "Cn":
            name = "未分配的编码"
        elif unicodedata.category(ch) == "Cc":
            name = "控制字符"
        else:
            name = "特殊字符"
    return f"U+{ord(ch):04X}（{name}）"


def clean(text: str) -> str:
    """Text with the harmless invisible characters dropped and tabs made spaces.

    Raises ValueError (in Chinese, naming the character and its position) for
    characters that must be removed by the user. Runs on every text field of
    every model (a batch validates thousands): the common case, all printable
    and no combining mark, costs two C-level scans.
    """
    if not text.isprintable():
        odd = {c for c in set(text) if not c.isprintable()}
        bad = [c for c in odd if _bad(c)]
        if bad:
            first = min(bad, key=text.index)
            i = text.index(first)
            count = sum(text.count(c) for c in bad)
            more = f"等 {count} 处" if count > 1 else ""
            where = f"第{i + 1}个字符" if len(text) > 1 else ""
            raise ValueError(
                f"含有不应出现的字符 {describe(first)}（{where}{more}），打印时会成为方框或打乱文字方向；"
                "多为从网页或聊天软件复制带入，请删除后重新输入该处文字"
            )
        if odd & _DROP_SET:
            text = _DROP.sub("", text)
        if "\t" in odd:
            text = text.replace("\t", " ")
    if _MARKS.search(text):
        text = _compose(text)
    return text


def unchanged_by_clean(text: str) -> bool:
    """Whether :func:`clean` returns ``text`` as it is (all printable, no combining mark).

    Lets a caller check many strings at once (joined): a mark cannot start a
    match across a join, and the join is printable exactly when every piece is.
    """
    return text.isprintable() and _MARKS.search(text) is None


def _compose(text: str) -> str:
    """e + U+0301 → é: a letter and its marks become one character where Unicode has one.

    The PDF spaces characters evenly on the grid, which would pull a separate
    mark off its letter. Only such clusters are normalised: NFC over the whole
    text would also replace CJK compatibility ideographs used in names.
    """
    if not any(joins_previous(c) for c in text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and joins_previous(text[j]):
            j += 1
        cluster = text[i:j]
        out.append(unicodedata.normalize("NFC", cluster) if j - i > 1 else cluster)
        i = j
    return "".join(out)


def clean_value(value: Any) -> Any:
    """:func:`clean` applied to a string, or to every string in a list or dict."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value


def strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, text) for every string in a model dump."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, (*path, k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from strings(v, (*path, i))


def joins_previous(ch: str) -> bool:
    """Is ``ch`` part of the grapheme before it (a combining mark, a variation selector)?"""
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or "\ufe00" <= ch <= "\ufe0f"
        or "\U000e0100" <= ch <= "\U000e01ef"
        or ch == "\u200d"
    )
