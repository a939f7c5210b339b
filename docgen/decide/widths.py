"""Widths in em as every CJK font sets them, for decisions made before any font is read."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def em_width(text: str) -> float:
    """Advance in em: ideographs and full-width marks 1, digits and Latin letters ½,
    as every CJK font sets them; so both renderers size the mark alike."""
    # Counted, not summed: halves and wholes add up exactly in any order.
    if text.isascii():
        return 0.5 * len(text)
    wide = sum(map(_WIDE.__contains__, map(unicodedata.east_asian_width, text)))
    return 0.5 * (len(text) + wide)


_WIDE = frozenset(("W", "F"))


# LibreOffice sets a fifth of an em between an ideograph and a digit or Latin letter
# (年7, 5号) whatever the .docx says (render/docx/ooxml.py, LO_SCRIPT_GAP_PT).
SCRIPT_GAP_EM = 0.2


@lru_cache(maxsize=4096)  # a ledger's table repeats its dates and amounts
def set_width(text: str) -> float:
    """em_width() and the gaps a word processor adds between scripts: a word that
    must stand whole (a date, 2025年12月31日) needs this much room in both renderers."""
    gaps = sum(
        1
        for a, b in zip(text, text[1:])
        if (a.isascii() and a.isalnum()) != (b.isascii() and b.isalnum())
        and (_wide_char(a) or _wide_char(b))
    )
    return em_width(text) + SCRIPT_GAP_EM * gaps


def _wide_char(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in _WIDE
