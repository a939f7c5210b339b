"""Glyph advances and vertical metrics, by font role, from the resolved fonts."""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from functools import lru_cache
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from docgen.fonts.resolve import FontSet
from docgen.spec import MM_PER_PT, FontRole
from docgen.text.punctuation import NO_LINE_END

# Marks that clreq lets a line set half-width: pause and stop marks, closing and opening
# brackets and quotes (not ？ and ！, centred in many fonts, nor the joined —— ……).
_SQUEEZABLE = frozenset("，。、；：）》」』】〕〉”’（《「『【〔〈“‘")

_MEASURERS: weakref.WeakKeyDictionary[FontSet, Measurer] = weakref.WeakKeyDictionary()


# Measurers by the fonts they measure (FontSet.choice): a worker process gets a fresh copy
# of the batch's FontSet with every chunk of notices, and should measure (and lay out,
# layout/memo.py) with what the chunks before it learnt. Bounded: a long-running server
# may see many sets.
_BY_CHOICE: dict[Hashable, Measurer] = {}
_CHOICES_KEPT = 8


def measurer_for(fonts: FontSet) -> Measurer:
    """One Measurer per choice of fonts, so a batch measures each character once, not once
    a document (nor once a chunk in a worker)."""
    m = _MEASURERS.get(fonts)
    if m is None:
        choice = fonts.choice()
        m = _BY_CHOICE.get(choice)
        if m is None:
            if len(_BY_CHOICE) >= _CHOICES_KEPT:
                _BY_CHOICE.clear()
            m = _BY_CHOICE[choice] = Measurer(fonts)
        _MEASURERS[fonts] = m
    return m


@lru_cache(maxsize=256)
def ink_span_em(path: Path, index: int, ch: str) -> tuple[float, float] | None:
    """Left and right of ``ch``'s ink, in em of the advance's font; None for no outline.

    A simple TrueType glyph is read on its own (sfnt.glyph_outline) and drawn as
    fontTools' glyph set draws it, shifted by its left side bearing less its
    xMin: the same bounds, without parsing the font's cmap and glyph order
    (~0.1 s a character in a CJK font). Composite and CFF glyphs take the long way.
    """
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    from docgen.fonts.sfnt import _metrics, glyph_outline

    face = _metrics(path, index)
    gid = face.cmap.get(ord(ch))
    if gid is None:
        return None
    found = glyph_outline(path, index, gid)
    if found is not None:
        data, lsb = found
        glyph = Glyph(data)
        glyph.expand(None)
        if not glyph.isComposite():
            if glyph.numberOfContours == 0:
                return None
            pen = BoundsPen(None)
            glyph.draw(pen, None, lsb - glyph.xMin)
            if not pen.bounds:
                return None
            return pen.bounds[0] / face.upm, pen.bounds[2] / face.upm
    return _ink_span_slow(path, index, ch)


def _ink_span_slow(path: Path, index: int, ch: str) -> tuple[float, float] | None:
    """ink_span_em through fontTools' whole font (composite glyphs, CFF outlines)."""
    from docgen.fonts.sfnt import ensure_made

    ensure_made(path)
    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        name = font.getBestCmap().get(ord(ch))
        if name is None:
            return None
        glyphs = font.getGlyphSet()
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if not pen.bounds:
            return None
        upm = font["head"].unitsPerEm
        return pen.bounds[0] / upm, pen.bounds[2] / upm
    finally:
        font.close()


class Measurer:
    """Advances in em by role, cached per character: the line breaker's hot path."""

    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        self._em: dict[FontRole, dict[str, float]] = {role: {} for role in FontRole}
        self._descent: dict[FontRole, float] = {}
        self._half: dict[FontRole, dict[str, float]] = {role: {} for role in FontRole}
        self._ink_top: dict[tuple[FontRole, str], float] = {}
        self._advances: dict[float, float] = {}
        # What layout remembers for these fonts (layout/memo.FontMemos): it goes with them.
        self.memos: dict[object, dict[Hashable, object]] = {}

    def em(self, role: FontRole, ch: str) -> float:
        cache = self._em[role]
        value = cache.get(ch)
        if value is None:
            value = self._lookup(role, ch)
            # One float object per advance (a CJK font's are nearly all 1.0): a paragraph's
            # advances are then a handful of objects, not one per character scattered in
            # memory, which every reader (the breaker's sums, the memos' keys) touches.
            if value > 0.0:  # (not a -0.0 for a 0.0)
                value = self._advances.setdefault(value, value)
            cache[ch] = value
        return value

    def _lookup(self, role: FontRole, ch: str) -> float:
        font = self.fonts.font_for(role, ch)  # the font the PDF will draw it with
        if self.fonts.covers(font, ch):
            return self.fonts.advance(font, ch, 1.0)
        # No font has it: the renderer reports it; keep the grid cell anyway.
        return 1.0

    def ink_top(self, role: FontRole, ch: str) -> float:
        """Top of ``ch``'s ink above its baseline, in em (the em box's top when unknown)."""
        top = self._ink_top.get((role, ch))
        if top is None:  # asked once a page (the page number's dash): found once
            from docgen.fonts.sfnt import ink_top_em

            font = self.fonts.font_for(role, ch)
            value = ink_top_em(font.path, font.subfont_index, ch)
            top = self._ink_top[role, ch] = 1 + self.descent(role) if value is None else value
        return top

    def width_pt(self, role: FontRole, text: str, size_pt: float) -> float:
        # Summed in the same order as em() one by one (the same float), but
        # straight from the cache: a 10,000-row table measures millions of glyphs.
        try:
            return sum(map(self._em[role].__getitem__, text)) * size_pt
        except KeyError:  # a character not measured yet
            em = self.em
            return sum(em(role, ch) for ch in text) * size_pt

    def advances(self, role: FontRole, text: str) -> list[float]:
        """Each character's advance in em, as em() gives it."""
        try:
            return list(map(self._em[role].__getitem__, text))
        except KeyError:
            em = self.em
            return [em(role, ch) for ch in text]

    def halves(self, role: FontRole, text: str) -> list[float]:
        """What each character gives up, in em, when set half-width (标点挤压); 0 for most.

        Only a full-width mark whose ink lies in one half of its box (a closing
        mark's in the left, an opening mark's in the right, as the font draws
        it: a centred ？ is never squeezed) may lose the other half.
        """
        cache = self._half[role]
        out = [0.0] * len(text)
        # A text has few marks: each found where it stands, not every character looked up.
        for ch in _SQUEEZABLE.intersection(text):
            value = cache.get(ch)
            if value is None:
                value = cache[ch] = self._half_of(role, ch)
            if value:
                at = text.find(ch)
                while at >= 0:
                    out[at] = value
                    at = text.find(ch, at + 1)
        return out

    def _half_of(self, role: FontRole, ch: str) -> float:
        em = self.em(role, ch)
        if em < 0.9:
            return 0.0  # already narrow (a proportional quote mark)
        font = self.fonts.font_for(role, ch)
        span = ink_span_em(font.path, font.subfont_index or 0, ch)
        if span is None:
            return 0.0
        lo, hi = span
        if ch in NO_LINE_END:
            return em / 2 if lo >= em / 2 - 0.02 else 0.0
        return em / 2 if hi <= em / 2 + 0.02 else 0.0

    def runs_width_pt(self, runs: list[tuple[FontRole, str]], size_pt: float) -> float:
        return sum(self.width_pt(role, text, size_pt) for role, text in runs)

    def descent(self, role: FontRole) -> float:
        """The primary font's typographic descender as a fraction of the em (negative).

        PDF readers place a glyph's box from ``baseline + descent`` up one em,
        using the descriptor's Descent, which reportlab takes from OS/2
        sTypoDescender; using the same number puts boxes where we mean them.
        """
        value = self._descent.get(role)
        if value is None:
            from docgen.fonts.sfnt import ensure_made

            font = self.fonts.primary(role)
            ensure_made(font.path)
            tt = TTFont(str(font.path), lazy=True, fontNumber=font.subfont_index or 0)
            try:
                units = tt["head"].unitsPerEm
                if "OS/2" in tt:
                    value = tt["OS/2"].sTypoDescender / units
                else:
                    value = tt["head"].yMin / units
            finally:
                tt.close()
            self._descent[role] = value
        return value

    def box_to_baseline(self, role: FontRole, size_pt: float) -> float:
        """Distance in mm from the top of a glyph's em box down to its baseline."""
        return size_pt * MM_PER_PT * (1 + self.descent(role))
