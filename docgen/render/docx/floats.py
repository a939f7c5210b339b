"""Figures the PDF floated to the next page, in the same order in the .docx.

Where a chart or table does not fit the rest of a page, the PDF moves it to
the next page and lets the text after it fill the page (layout/paginate.py,
Plan.floats: each floated figure → the text that went above it). A word
processor would leave the page empty under the last line before the figure,
so the .docx is written in the PDF's order: the text that went above first
(a paragraph the page cut is written as its two parts, the second without
its indent), then the figure opening the next page, then the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cut:
    """One part of a paragraph a floated figure cut in two: its opening or its continuation."""

    text: str
    opening: bool


@dataclass(frozen=True)
class Moved:
    """A figure that opens the next page (the page is broken before it)."""

    item: Any


@dataclass(frozen=True)
class Break:
    """The text after a floated figure starts the page after the figure's."""


def _ink(text: str) -> str:
    return "".join(text.split())


def reorder(blocks: list[Any], at: int, flowed: str, alone: bool = False) -> list[Any] | None:
    """``blocks`` with the figure ``blocks[at]`` moved after the text ``flowed`` that
    follows it, the paragraph where that text ends cut in two; None when the text
    after the figure does not begin with ``flowed`` (then the order stays).
    ``alone``: the text after the figure starts a page (a Break after it)."""
    moved: list[Any] = [Moved(blocks[at]), Break()] if alone else [Moved(blocks[at])]
    want = _ink(flowed)
    got = 0
    above: list[Any] = []
    k = at + 1
    while k < len(blocks) and got < len(want):
        block = blocks[k]
        if not isinstance(block, str):
            return None
        ink = _ink(block)
        rest = want[got:]
        if rest.startswith(ink):
            above.append(block)
            got += len(ink)
            k += 1
            continue
        if not ink.startswith(rest):
            return None
        cut = _cut_at(block, len(rest))
        head, tail = block[:cut], block[cut:].lstrip()
        return [
            *blocks[:at],
            *above,
            Cut(head, True),
            *moved,
            Cut(tail, False),
            *blocks[k + 1 :],
        ]
    if got != len(want):
        return None
    return [*blocks[:at], *above, *moved, *blocks[k:]]


def _cut_at(text: str, ink: int) -> int:
    """The offset in ``text`` after its first ``ink`` non-space characters."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            seen += 1
            if seen == ink:
                return i + 1
    return len(text)
