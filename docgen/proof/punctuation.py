"""Half-width punctuation in Chinese text → full-width (GB/T 15834, referred to by GB/T 9704 §9).

``normalise_punctuation`` is a plain function (string in, fixed string and
changes out) so that importing a .docx and ``check --fix`` mend text the
same way. Left alone, because they are not Chinese text: numbers (3.5,
0356-5220088, 12:30, 1:500, 1,000), Latin words and sentences, URLs and
e-mail addresses, and list markers already written right (1. 2.).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.proof.finding import Finding, Fix, quote
from docgen.proof.spots import Spot
from docgen.text.punctuation import is_cjk

SIMPLE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", ".": "。"}
# Not prose: web and mail addresses keep every mark they contain.
_ADDRESS = re.compile(
    r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
# Full-width marks that count as Chinese text around a half-width one.
_WIDE_PUNCT = frozenset("，。、；：？！（）《》〈〉“”‘’【】〔〕「」『』…—·　")


_HALF = re.compile(r"[,.:;?!()\"']")


@dataclass(frozen=True)
class Change:
    start: int
    end: int
    old: str
    new: str


def _chinese(ch: str) -> bool:
    return bool(ch) and (is_cjk(ch) or ch in _WIDE_PUNCT)


def _prev(text: str, i: int) -> str:
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return text[j] if j >= 0 else ""


def _next_index(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and text[j] == " ":
        j += 1
    return j


def _protected(text: str) -> set[int]:
    out: set[int] = set()
    for m in _ADDRESS.finditer(text):
        # A sentence's own mark after an address is not part of it: …gov.cn/a.html，或…
        end = m.start() + len(m.group().rstrip(".,;:!?)'"))
        out.update(range(m.start(), end))
    return out


def scan(text: str) -> list[Change]:
    """Every half-width mark in Chinese text, with its full-width replacement.

    A replacement also takes the spaces typed around the mark: a full-width
    mark carries its own space.
    """
    if not _HALF.search(text) or text.isascii():
        return []
    skip = _protected(text)
    changes: list[Change] = []
    changes += _pairs(text, skip, "(", ")", "（", "）")
    changes += _quotes(text, skip, '"', "“", "”")
    changes += _quotes(text, skip, "'", "‘", "’")
    for i, ch in enumerate(text):
        if ch not in SIMPLE or i in skip:
            continue
        before = text[i - 1] if i else ""
        j = _next_index(text, i)
        after = text[j] if j < len(text) else ""
        # A full stop ending a Chinese paragraph: 增长3.5%.
        last = ch == "." and j >= len(text) and any(is_cjk(c) for c in text)
        if not (_chinese(_prev(text, i)) or _chinese(after) or last):
            continue  # Latin text: "Hello, world"
        if before.isdigit() and after[:1].isdigit() and ch in ".:,":
            continue  # 3.5, 12:30, 1:500, 1,000
        if ch == "." and (text[i + 1 : i + 2] == "." or before == "."):
            continue  # an ellipsis typed as dots: left to the reader
        if ch == "." and before.isdigit() and _list_marker(text, i):
            continue  # 1.建立… is how GB/T 9704 writes a third-level heading
        if ch == "." and (before.isascii() and before.isalnum()) and after[:1].isascii():
            continue  # abbreviations, file names: GB/T.9704, a.b
        end = j if (after and _chinese(after)) else i + 1
        changes.append(
            Change(_space_start(text, i), end, text[_space_start(text, i) : end], SIMPLE[ch])
        )
    return sorted(changes, key=lambda c: c.start)


def _space_start(text: str, i: int) -> int:
    """Spaces before a mark that follows Chinese text go with it."""
    j = i
    while j > 0 and text[j - 1] == " ":
        j -= 1
    return j if j < i and j > 0 and _chinese(text[j - 1]) else i


def _list_marker(text: str, dot: int) -> bool:
    j = dot
    while j > 0 and text[j - 1].isdigit():
        j -= 1
    return j == 0 or text[j - 1] in " 　：:、（("


def _pairs(text: str, skip: set[int], o: str, c: str, wo: str, wc: str) -> list[Change]:
    """( … ) around or beside Chinese text → （ … ）; a lone one beside Chinese text too."""
    out = []
    stack: list[int] = []
    matched: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if i in skip:
            continue
        if ch == o:
            stack.append(i)
        elif ch == c:
            if stack:
                matched.append((stack.pop(), i))
            elif _chinese(_prev(text, i)) or _chinese(text[i + 1 : i + 2]):
                out.append(Change(i, i + 1, c, wc))
    for i in stack:
        if _chinese(_prev(text, i)) or _chinese(text[i + 1 : i + 2]):
            out.append(Change(i, i + 1, o, wo))
    for a, b in matched:
        inside = text[a + 1 : b]
        near = _prev(text, a) + text[b + 1 : b + 2]
        if any(_chinese(ch) for ch in inside + near):
            out += [Change(a, a + 1, o, wo), Change(b, b + 1, c, wc)]
    return out


def _quotes(text: str, skip: set[int], q: str, wo: str, wc: str) -> list[Change]:
    """Straight quotes alternate opening and closing within a paragraph."""
    spots = [i for i, ch in enumerate(text) if ch == q and i not in skip]
    if q == "'":  # don't, it's: an apostrophe inside a Latin word is no quote
        spots = [
            i
            for i in spots
            if not (
                i
                and text[i - 1].isascii()
                and text[i - 1].isalpha()
                and text[i + 1 : i + 2].isalpha()
                and text[i + 1].isascii()
            )
        ]
    out = []
    for n in range(0, len(spots) - 1, 2):
        a, b = spots[n], spots[n + 1]
        around = text[a + 1 : b] + _prev(text, a) + text[b + 1 : b + 2]
        if any(_chinese(ch) for ch in around):
            out += [Change(a, a + 1, q, wo), Change(b, b + 1, q, wc)]
    if len(spots) % 2:
        # A lone one beside Chinese text closes a full-width opening mark before it, else opens.
        i = spots[-1]
        if _chinese(_prev(text, i)) or _chinese(text[i + 1 : i + 2]):
            closes = text.rfind(wo, 0, i) > text.rfind(wc, 0, i)
            out.append(Change(i, i + 1, q, wc if closes else wo))
    return out


def normalise_punctuation(text: str) -> tuple[str, list[Change]]:
    """The text with half-width marks in Chinese text made full-width, and the changes."""
    changes = scan(text)
    if not changes:
        return text, []
    parts = []
    pos = 0
    for ch in changes:
        if ch.start < pos:
            continue  # overlapping (never expected): keep the first
        parts.append(text[pos : ch.start])
        parts.append(ch.new)
        pos = ch.end
    parts.append(text[pos:])
    return "".join(parts), changes


def check(spot: Spot, file: str) -> list[Finding]:
    out = []
    for ch in scan(spot.text):
        mark = ch.old.strip() or ch.old
        i = ch.start + ch.old.index(mark)
        out.append(
            Finding(
                "punctuation",
                f"中文里用了半角标点“{mark}”",
                "error",
                file,
                spot.field,
                spot.paragraph,
                i,
                quote(spot.text, i),
                f"请改为全角“{ch.new}”",
                Fix(ch.start, ch.end, ch.new),
            )
        )
    return out
