"""Widths in em as every CJK font sets them, for decisions made before any font is read."""

from __future__ import annotations

import unicodedata


def em_width(text: str) -> float:
    """Advance in em: ideographs and full-width marks 1, digits and Latin letters ½,
    as every CJK font sets them; so both renderers size the mark alike."""
    # Counted, not summed: halves and wholes add up exactly in any order.
    if text.isascii():
        return 0.5 * len(text)
    wide = sum(map(_WIDE.__contains__, map(unicodedata.east_asian_width, text)))
    return 0.5 * (len(text) + wide)


_WIDE = frozenset(("W", "F"))
