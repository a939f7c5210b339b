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


def body_lines(text: str) -> int:
    """Lines the PDF sets a body paragraph in: 2 + 26 characters, then 28 (text/linebreak.py)."""
    return max(1, len(body_line_starts(text)))


def body_line_starts(text: str) -> list[int]:
    """Where each of a body paragraph's lines starts in ``text``, as the PDF breaks it.

    Wide characters are an em, the rest half an em, as the official fonts set
    them; the PDF measures its font, which agrees for the text of a 公文.
    """
    from docgen.spec import BLOCK_WIDTH, BODY_CHAR_SPACE_PT, PT_PER_MM
    from docgen.text.linebreak import break_measured

    advances = [ox.em_width(ch) * SIZE_BODY_PT + BODY_CHAR_SPACE_PT for ch in text]
    width = (
        BLOCK_WIDTH * PT_PER_MM + BODY_CHAR_SPACE_PT + 0.3
    )  # the 26th character of a first line fits
    lines = break_measured(text, advances, width, first_indent=2 * CHAR_PITCH * PT_PER_MM)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line.text)
    return starts


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
