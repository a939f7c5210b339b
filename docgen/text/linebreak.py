"""Breaking a paragraph into grid lines with the 避头尾 rules.

Greedy, one pass, O(n): fill a line, then move the break back only as far
as the rules require (推出: carry characters down rather than let
punctuation hang outside the block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docgen.text.chars import joins_previous
from docgen.text.punctuation import NO_LINE_END, NO_LINE_START, is_word_char

_EPS = 1e-6
_PAIR_CHARS = frozenset("—…")


@dataclass(frozen=True)
class Line:
    text: str
    natural_width: float  # sum of the advances, in the caller's unit
    last: bool  # the paragraph's last line: set flush left, not justified
    indent: float  # left indent of this line, in the caller's unit


def _legal(text: str, b: int, *, words: bool) -> bool:
    """May a line end before ``text[b]``?"""
    before, after = text[b - 1], text[b]
    if joins_previous(after):
        return False  # a letter and its combining mark (é, ṃ) are one character on paper
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before == after and before in _PAIR_CHARS:
        return False  # —— and …… are one mark
    return not (words and is_word_char(before) and is_word_char(after))


def _break_before(text: str, start: int, end: int) -> int:
    """The latest legal break in (start, end]; rules relaxed only when nothing else fits."""
    for words in (True, False):
        b = end
        while b > start + 1 and not _legal(text, b, words=words):
            b -= 1
        if b > start + 1 or _legal(text, b, words=words):
            return b
    return end


def break_paragraph(
    text: str,
    width: float,
    measure: Callable[[str], float],
    *,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
) -> list[Line]:
    """Lines of ``text`` no wider than ``width`` (indent included)."""
    return break_measured(
        text,
        [measure(ch) for ch in text],
        width,
        first_indent=first_indent,
        rest_indent=rest_indent,
    )


def break_measured(
    text: str,
    advances: list[float],
    width: float,
    *,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
) -> list[Line]:
    """break_paragraph() for a caller that has each character's advance at hand."""
    n = len(text)
    if n == 0:
        return []
    lines: list[Line] = []
    start = 0
    indent = first_indent
    while start < n:
        room = width - indent + _EPS
        used = 0.0
        end = start
        while end < n and used + advances[end] <= room:
            used += advances[end]
            end += 1
        if end == start:
            end = start + 1  # a glyph wider than the line still has to go somewhere
        if end < n:
            end = _break_before(text, start, end)
        while end < n and joins_previous(text[end]):
            end += 1  # even when no rule could be kept: never split a grapheme
        lines.append(Line(text[start:end], sum(advances[start:end]), end >= n, indent))
        start = end
        indent = rest_indent
    return lines


def justify_gaps(line: Line, width: float) -> float:
    """Extra space per gap that makes a non-last line fill exactly ``width``."""
    n = len(line.text)
    if line.last or n < 2:
        return 0.0
    return (width - line.indent - line.natural_width) / (n - 1)
