"""Twips, grid lines and the head's running position: the PDF's numbers in Word's units.

Vertical positions rely on one rule Word and LibreOffice share: in a line of
exact height H the baseline sits 0.8 H below the line's top. Every paragraph
here has an exact height, so the position of everything on page 1 is a sum
of known heights.
"""

from __future__ import annotations

from markupsafe import Markup

from docgen.render.docx import ooxml as ox
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.spec import CHAR_PITCH, LINE_PITCH, MM_PER_PT, SIZE_BODY_PT, Profile


def mm_tw(value_mm: float) -> int:
    return ox.mm_to_twips(value_mm)


PITCH = LINE_PITCH  # the PDF's grid pitch, mm: head positions follow the PDF's
BODY_GLYPH_TOP_PT = ox.exact_line_glyph_top(LINE_TWIPS, SIZE_BODY_PT)
BODY_GLYPH_BOTTOM_PT = ox.exact_line_glyph_bottom(LINE_TWIPS, SIZE_BODY_PT)
BODY_MM = SIZE_BODY_PT * MM_PER_PT


def chars_tw(n: float) -> int:
    """n grid characters (the unit of the spec's indents), in twips."""
    return mm_tw(n * CHAR_PITCH)


class Flow:
    """Paragraphs of the head, whose heights add up to known positions.

    ``y`` is the running top of the next paragraph in twips below the block's
    top edge; ``space_to`` inserts an empty exact-height paragraph to move it.
    """

    def __init__(self) -> None:
        self.paras: list[str] = []
        self.y = 0

    def add(self, xml: str, height: int = LINE_TWIPS) -> None:
        self.paras.append(xml)
        self.y += height

    def space_to(self, y: int) -> None:
        gap = y - self.y
        if gap > 0:
            self.add(ox.paragraph("", style="Spacer", line=gap), gap)

    def to_band(self, k: int) -> None:
        """Move to the top of the block's k-th line (the Word grid)."""
        self.space_to(k * LINE_TWIPS)

    def markup(self) -> Markup:
        return Markup("".join(self.paras))


def band_index(profile: Profile, top_mm: float) -> int:
    return round((top_mm - profile.top_margin) / PITCH)
