"""The body fonts' measures of a document's characters, for writers without the fonts.

The PDF breaks body text with the fonts' advances and sets some punctuation
half-width to take one more character into a line (标点挤压, text/linebreak.py).
Word, WPS and LibreOffice fill lines by their own measure and never squeeze
unless told: the .docx writer breaks each paragraph again with these same
numbers and writes the PDF's squeezes as condensed character spacing, so a
word processor ends every line where the PDF does (issue 19). Measured once
when the decisions are made, in em, by font role: a paragraph that opens with
a run-in heading is measured in its heading's font, as the grid counts it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docgen.spec import FontRole

if TYPE_CHECKING:
    from docgen.fonts import FontSet

# The roles body paragraphs open in: text, and the run-in headings of levels 1 to 4.
BODY_ROLES = (FontRole.FANGSONG, FontRole.HEITI, FontRole.KAITI)


@dataclass(frozen=True)
class Glyphs:
    """Advance and half-width saving (em) of each character, by the role it is measured in."""

    ems: dict[FontRole, dict[str, float]] = field(default_factory=dict)
    halves: dict[FontRole, dict[str, float]] = field(default_factory=dict)
    # What a writer worked out from these per paragraph (text → its result): a .docx
    # asks for a paragraph's lines more than once (its page breaks, keeps and runs).
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def advances(self, role: FontRole, text: str) -> list[float] | None:
        """Each character's advance in em; None when a character was not measured."""
        table = self.ems.get(role)
        if table is None:
            return None
        try:
            return [table[ch] for ch in text]
        except KeyError:
            return None

    def savings(self, role: FontRole, text: str) -> list[float]:
        table = self.halves.get(role, {})
        return [table.get(ch, 0.0) for ch in text]


def measure_glyphs(
    fonts: FontSet, texts: Iterable[str], roles: tuple[FontRole, ...] = BODY_ROLES
) -> Glyphs:
    """The measures of every character of ``texts`` in ``roles`` (the PDF's Measurer)."""
    from docgen.fonts.metrics import measurer_for

    m = measurer_for(fonts)
    chars = "".join(set("".join(texts)))
    return Glyphs(
        ems={role: dict(zip(chars, m.advances(role, chars))) for role in roles},
        halves={
            role: {ch: h for ch, h in zip(chars, m.halves(role, chars)) if h} for role in roles
        },
    )
