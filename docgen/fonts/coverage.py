"""Which characters no font of a set can draw (they would print as a blank).

It lives with the fonts, not in text/: text rules sit below the fonts and
know nothing of font files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from docgen.fonts.resolve import FontSet
from docgen.fonts.sfnt import _metrics


def undrawable(fonts: FontSet, text: Iterable[str]) -> set[str]:
    """Printable characters that no font of the set covers (they would print as a blank)."""
    cmaps = [_metrics(f.path, f.subfont_index).cmap for f in fonts.all_fonts()]
    out: set[str] = set()
    seen: set[str] = set()
    for piece in text:
        for ch in piece:
            if ch in seen:
                continue
            seen.add(ch)
            if not ch.isprintable() or ch.isspace() or unicodedata.combining(ch):
                continue
            cp = ord(ch)
            if not any(cp in cmap for cmap in cmaps):
                out.add(ch)
    return out
