"""Heading levels 一、（一）1.（1） and Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = "一二三四五六七八九十"
_PATTERNS = (
    (1, re.compile(rf"^[{_NUM}]+、")),
    (2, re.compile(rf"^（[{_NUM}]+）")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^（\d{1,2}）")),
)


@dataclass(frozen=True)
class Heading:
    level: int
    marker: str  # 一、 / （一） / 1. / （1）
    heading_text: str  # the part set in the heading's font, marker included ("" for none)
    rest: str  # text running on after the heading, in the body font ("" when it stands alone)


# Marks that end a run-in heading's phrase, and brackets whose inside never does
# (（牵头单位：市公安局） is no heading's end).
_STOPS = "。："
_OPEN_CLOSE = {"（": "）", "《": "》", "“": "”", "‘": "’", "「": "」", "【": "】", "(": ")"}


def _first_stop(text: str, start: int) -> int:
    """Index of the first 。 or ： at bracket depth 0 from ``start``; -1 if none."""
    closing: list[str] = []
    for i in range(start, len(text)):
        ch = text[i]
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in _OPEN_CLOSE:
            closing.append(_OPEN_CLOSE[ch])
        elif not closing and ch in _STOPS:
            return i
    return -1


def classify(paragraph: str) -> Heading | None:
    """The heading a paragraph starts with, if any: the run-in heading rule, one for
    every kind of document (issue 18).

    The heading's phrase runs from the marker to the first 。 or ： outside
    brackets and takes the level's font; the rest of the paragraph is body text
    (仿宋). Without either mark the paragraph is a heading on its own line
    (一、主要职责). A paragraph that is one numbered sentence ending in 。
    (一、统筹……经费。, an agreed item of a 纪要) keeps its level but is all body
    text: ``heading_text`` is empty and ``rest`` the whole paragraph.
    """
    for level, pattern in _PATTERNS:
        m = pattern.match(paragraph)
        if not m:
            continue
        stop = _first_stop(paragraph, m.end())
        if stop < 0 or (stop == len(paragraph) - 1 and paragraph[stop] == "："):
            return Heading(level, m.group(0), paragraph, "")
        if stop == len(paragraph) - 1:
            return Heading(level, m.group(0), "", paragraph)  # numbered, all body text
        return Heading(level, m.group(0), paragraph[: stop + 1], paragraph[stop + 1 :])
    return None


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 1 <= n <= 99:
        return str(n)
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    head = "" if tens == 1 else digits[tens]
    return head + "十" + (digits[ones] if ones else "")
