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
    """One :class:`Memo` per Measurer, kept on the Measurer and gone with it."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept

    def of(self, m: Measurer) -> Memo[V]:
        memo = m.memos.get(self)
        if memo is None:
            memo = m.memos[self] = Memo(self.kept)
        return memo  # type: ignore[return-value]
