"""Punctuation classes for line breaking (GB/T 15834 practice, 避头尾)."""

from __future__ import annotations

# May not begin a line: closing marks, pause and stop marks, the second half of —— and …….
NO_LINE_START = frozenset("。，、；：？！）》」』】〕〉”’］｝％‰℃·．…—～,.;:?!)]}%")
# May not end a line: opening marks.
NO_LINE_END = frozenset("（《「『【〔〈“‘［｛([{")
# Closing marks a Latin letter or digit stays with (，2025年 is never broken): where
# Unicode's line-breaking rules (UAX #14, as Word's and LibreOffice's Chinese
# line breaking apply them) allow no break, so the .docx breaks where the PDF does.
# ： and ； are not among them (measured in LibreOffice 7.4).
HOLDS_NUMBER = frozenset("。，、）》」』】〕〉”’")


def holds_number(before: str, after: str) -> bool:
    """No line break between ``before`` and ``after``: a closing mark and the Latin
    letter or digit right after it."""
    return before in HOLDS_NUMBER and after.isascii() and after.isalnum()


# Two-character marks that are never split.
PAIRED = ("——", "……")
SENTENCE_END = frozenset("。！？")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3FFFF
        or 0xF900 <= o <= 0xFAFF
    )


def is_fullwidth(ch: str) -> bool:
    o = ord(ch)
    return is_cjk(ch) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2014 <= o <= 0x2026


def is_word_char(ch: str) -> bool:
    """Latin letters, digits and the marks inside numbers: kept together on a line."""
    return ch.isascii() and (ch.isalnum() or ch in ".,-%/:_+")
