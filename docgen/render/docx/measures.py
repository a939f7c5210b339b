"""Twips, grid lines and the head's running position: the PDF's numbers in Word's units.

Vertical positions rely on one rule Word and LibreOffice share: in a line of
exact height H the baseline sits 0.8 H below the line's top. Every paragraph
here has an exact height, so the position of everything on page 1 is a sum
of known heights.
"""

from __future__ import annotations

from markupsafe import Markup

from docgen.decide.glyphs import Glyphs
from docgen.decide.tables import TableDecision
from docgen.layout.compose import HEADING_ROLES
from docgen.models.tables import PlacedCell
from docgen.render.docx import ooxml as ox
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.spec import (
    BLOCK_WIDTH,
    BODY_CHAR_SPACE_PT,
    CHAR_PITCH,
    LINE_PITCH,
    MM_PER_PT,
    PT_PER_MM,
    SIZE_BODY_PT,
    FontRole,
    Profile,
)
from docgen.text.linebreak import Line, inside_names


def mm_tw(value_mm: float) -> int:
    return ox.mm_to_twips(value_mm)


PITCH = LINE_PITCH  # the PDF's grid pitch, mm: head positions follow the PDF's
BODY_GLYPH_TOP_PT = ox.exact_line_glyph_top(LINE_TWIPS, SIZE_BODY_PT)
BODY_GLYPH_BOTTOM_PT = ox.exact_line_glyph_bottom(LINE_TWIPS, SIZE_BODY_PT)
BODY_MM = SIZE_BODY_PT * MM_PER_PT


def chars_tw(n: float) -> int:
    """n grid characters (the unit of the spec's indents), in twips."""
    return mm_tw(n * CHAR_PITCH)


def body_lines(text: str, glyphs: Glyphs | None = None) -> int:
    """Lines the PDF sets a body paragraph in: 2 + 26 characters, then 28 (text/linebreak.py)."""
    return max(1, len(body_breaks(text, glyphs)))


def body_line_starts(text: str, glyphs: Glyphs | None = None) -> list[int]:
    """Where each of a body paragraph's lines starts in ``text``, as the PDF breaks it."""
    starts, at = [], 0
    for line in body_breaks(text, glyphs):
        starts.append(at)
        at += len(line.text)
    return starts


def body_breaks(text: str, glyphs: Glyphs | None) -> list[Line]:
    """A body paragraph's lines as the PDF breaks them, squeezed punctuation included."""
    return body_measure(text, glyphs)[1]


def body_measure(text: str, glyphs: Glyphs | None) -> tuple[list[float], list[Line]]:
    """A body paragraph's advances as drawn (em: a run-in heading's characters in its
    font, the rest in 仿宋) and its lines as the PDF breaks them.

    The PDF breaks it measured in the font of its first run (a run-in
    heading's, as the grid counts it: layout/compose.py), with the fonts'
    advances and savings the decisions hold (decide/glyphs.py). Without them
    (a model decided without fonts), wide characters are an em and the rest
    half an em, as the official fonts set them, and nothing is squeezed.
    """
    if glyphs is not None:
        known = glyphs.memo.get(text)
        if known is None:
            known = glyphs.memo[text] = _body_measure(text, glyphs)
        return known  # type: ignore[return-value]
    return _body_measure(text, None)


def _body_measure(text: str, glyphs: Glyphs | None) -> tuple[list[float], list[Line]]:
    from docgen.layout.compose import grid_lines
    from docgen.text.headings import classify

    heading = classify(text)
    run_in = heading is not None and bool(heading.heading_text)
    role = HEADING_ROLES[heading.level] if heading is not None and run_in else FontRole.FANGSONG
    ems = glyphs.advances(role, text) if glyphs is not None else None
    if glyphs is None or ems is None:
        ems = [ox.em_width(ch) for ch in text]
        # the 26th character of a first line fits, whatever the font's last bits
        return ems, grid_lines(text, ems, None, width_pt=BLOCK_WIDTH * PT_PER_MM + 0.3)
    lines = grid_lines(text, ems, glyphs.savings(role, text))
    styled = len(heading.heading_text) if heading is not None else 0
    rest = glyphs.advances(FontRole.FANGSONG, text[styled:])
    drawn = ems[:styled] + rest if rest is not None else ems
    return drawn, lines


def attendance_lines(label: str, names: str, glyphs: Glyphs | None) -> list[Line]:
    """An attendance list's lines as the PDF breaks them: after the label (黑体) at two
    characters' indent, whole names only, ragged (layout/meeting.py, Composer.hanging)."""
    from docgen.layout.compose import grid_lines, hang_cells

    ems = glyphs.advances(FontRole.FANGSONG, names) if glyphs is not None else None
    label_ems = glyphs.advances(FontRole.HEITI, label) if glyphs is not None else None
    if ems is None or label_ems is None:
        ems, label_ems = [ox.em_width(ch) for ch in names], [ox.em_width(ch) for ch in label]
    label_pt = sum(label_ems) * SIZE_BODY_PT + (len(label) - 1) * BODY_CHAR_SPACE_PT
    hang = hang_cells(2, label_pt * MM_PER_PT)
    return grid_lines(
        names, ems, None, first_indent=hang, rest_indent=hang, keep=inside_names(names)
    )


class CellLines:
    """A table's cell paragraphs broken as the PDF breaks them (layout/table.py): between the
    cell's padding, ragged, a date or a number with its unit never split."""

    def __init__(self, dec: TableDecision, glyphs: Glyphs | None) -> None:
        self.glyphs = glyphs
        self.size = dec.size_pt
        self.offsets = dec.offsets_mm()
        self.tracking = BODY_CHAR_SPACE_PT if dec.size_pt == SIZE_BODY_PT else 0.0

    def of(self, text: str, p: PlacedCell, header: bool) -> list[str]:
        """The lines of one paragraph of cell ``p`` (itself alone when it fits or when the
        fonts' measures are not at hand)."""
        if self.glyphs is None or not text:
            return [text]
        role = FontRole.HEITI if header else FontRole.FANGSONG
        ems = self.glyphs.advances(role, text)
        if ems is None:
            return [text]
        from docgen.layout.compose import grid_lines
        from docgen.layout.table import cell_keep, cell_text_width_mm

        width_pt = cell_text_width_mm(self.offsets, p.col, p.end_col, self.size) * PT_PER_MM
        if sum(ems) * self.size + (len(text) - 1) * self.tracking <= width_pt:
            return [text]
        lines = grid_lines(
            text, ems, None, size_pt=self.size, width_pt=width_pt, first_indent=0,
            keep=cell_keep(text),
        )  # fmt: skip
        return [line.text for line in lines]


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
