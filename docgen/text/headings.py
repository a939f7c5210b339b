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
    heading_text: str  # the part set in the heading's font, marker included
    rest: str  # text running on after the heading, in the body font ("" when it stands alone)


def classify(paragraph: str) -> Heading | None:
    """The heading a paragraph starts with, if any.

    Practice: a heading without a full stop stands as its own paragraph; one
    whose first sentence ends with 。 runs into the paragraph, and only that
    sentence takes the heading's font.
    """
    for level, pattern in _PATTERNS:
        m = pattern.match(paragraph)
        if not m:
            continue
        stop = paragraph.find("。", m.end())
        if stop < 0 or stop == len(paragraph) - 1:
            return Heading(level, m.group(0), paragraph, "")
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
