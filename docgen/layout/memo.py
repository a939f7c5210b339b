"""Layout results remembered per set of fonts: a batch's notices are one form.

Every 督办单 of a batch has the same head, labels, borders and signature, and
many of its values repeat (units, deadlines, requirements); what they lay out
to depends only on the text, the geometry and the fonts' measures. A worker
lays out hundreds of notices, so each such result is worked out once per
process. The memos are kept per :class:`Measurer` (one per choice of fonts) and go with
it, and each is bounded: the web server is long-running and threaded (a memo
cleared while another thread reads it only makes that thread work it out again).
Keys name everything the result depends on besides the fonts, never an
object's identity.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from typing import Generic, TypeVar

from docgen.fonts.metrics import Measurer

V = TypeVar("V")

KEPT = 4096  # entries per memo and set of fonts


class Memo(dict[Hashable, V]):
    """A dict that forgets everything once it holds ``kept`` entries."""

    def __init__(self, kept: int = KEPT) -> None:
        super().__init__()
        self.kept = kept

    def keep(self, key: Hashable, value: V) -> V:
        if len(self) >= self.kept:
            self.clear()
        self[key] = value
        return value


class FontMemos(Generic[V]):
    """One :class:`Memo` per Measurer, dropped when the Measurer is."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._memos: weakref.WeakKeyDictionary[Measurer, Memo[V]] = weakref.WeakKeyDictionary()
        # The last asked for, held: a batch asks with one Measurer (and held, it is no
        # identity another Measurer could take over).
        self._last: tuple[Measurer, Memo[V]] | None = None

    def of(self, m: Measurer) -> Memo[V]:
        last = self._last
        if last is not None and last[0] is m:
            return last[1]
        memo = self._memos.get(m)
        if memo is None:
            memo = self._memos[m] = Memo(self.kept)
        self._last = (m, memo)
        return memo
