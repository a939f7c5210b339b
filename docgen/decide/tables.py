"""Decisions about a table both renderers share: its size, its page, its columns.

Made once, from the model and the profile, before either renderer runs, so
the PDF and the .docx set the same table at the same size, on the same kind
of page, with the same column widths. Widths are measured the way the mark's
size is (widths.em_width: ideographs one em, digits and Latin half), so
no font file is needed and Word sees the same numbers.

The order of trials follows GB/T 9704 §8 and its practice: the table in the
156 mm block at the profile's table size (3号); if it does not fit, one size
smaller (4号); if it still does not fit, across the page (landscape, 225 mm)
at 3号, then at 4号. "Fits" means every column gets at least its minimum:
its longest unbreakable word (a number such as 1,250.00) and four characters
of its text (two of a header's), so no cell is set in a column one or two
characters wide. A table that fits at 3号 but whose text, set on one line,
would be half as wide again as the block is set at 4号: at 3号 nearly every
cell would wrap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.decide.figures import NumberColumn, number_columns, split_amount
from docgen.decide.rowfit import RowShapes, fill
from docgen.decide.widths import em_width, set_width
from docgen.models.tables import Align, Table
from docgen.spec import (
    BLOCK_WIDTH,
    LANDSCAPE_BLOCK_WIDTH,
    MM_PER_PT,
    TABLE_CELL_PAD_MM,
    TABLE_MIN_CHARS,
    Profile,
)
from docgen.text.linebreak import UNBREAKABLE

# Runs that never break (dates, numbers with units, Latin words): the line breaker's own.
_UNBREAKABLE = UNBREAKABLE
# In a cell, a short note in brackets stands whole too: （逾期23天）, （万元）, not （逾|期23天）.
SHORT_NOTE = re.compile(r"（[^（）]{1,6}）")
_NUMBER = re.compile(r"^[+\-−]?[0-9][0-9,，.]*[%％]?$")
_SEQUENCE = re.compile(r"^[0-9]{1,3}$")
CROWDED = 1.5  # natural width / block width above which the smaller size is used
ROW_LINES = 4  # an ordinary row of a table takes at most this many lines (issue 18)
ORDINARY = 0.9  # the share of rows that are ordinary
HEADER_MIN_CHARS = 2  # a header's words may wrap two characters a line


@dataclass(frozen=True)
class TableDecision:
    size_pt: float  # cell text size
    landscape: bool  # set across an A4 page
    widths_mm: tuple[float, ...]  # each column, rule to rule
    aligns: dict[tuple[int, int], Align]  # (row, col) of each cell → its alignment
    squeezed: bool = False  # even across the page some columns are under their minimum
    # (row, col) of a number in a column of numbers → mm from the column's right text
    # edge to the column's decimal point, where its whole part ends (figures.py).
    insets: dict[tuple[int, int], float] = field(default_factory=dict)

    @property
    def width_mm(self) -> float:
        return sum(self.widths_mm)

    def offsets_mm(self) -> list[float]:
        """Left edges of the columns and the table's right edge, from the table's left edge."""
        out = [0.0]
        for w in self.widths_mm:
            out.append(out[-1] + w)
        return out


def decide_table(table: Table, profile: Profile) -> TableDecision:
    """Size, page and column widths of ``table`` (see the module's docstring)."""
    sizes = [profile.table_size_pt]
    if profile.table_wide_size_pt < profile.table_size_pt:
        sizes.append(profile.table_wide_size_pt)
    fixed = sum(w.mm for w in table.widths or [] if w.mm)
    forced = table.landscape
    trials: list[tuple[bool, float]] = []
    for landscape in (False, True):
        if forced is not None and landscape != forced:
            continue
        if not landscape and fixed > BLOCK_WIDTH + 0.01:
            continue  # fixed widths wider than the portrait block: across the page
        trials += [(landscape, s) for s in sizes]
    chosen: tuple[bool, float, list[float]] | None = None
    ems = ColumnEms.of(table)
    shapes = RowShapes(table) if not table.widths else None
    for landscape, size in trials:
        avail = LANDSCAPE_BLOCK_WIDTH if landscape else BLOCK_WIDTH
        mins = ems.min_widths(size)
        widths = column_widths(table, size, avail, ems, shapes)
        if not all(w >= m - 0.01 for w, m in zip(widths, mins)):
            continue
        # A table whose text would be half as wide again as the block on one
        # line wraps in most cells at this size: the smaller size, if any, reads better.
        crowded = sum(ems.natural_widths(size)) > CROWDED * avail
        if crowded and size != sizes[-1]:
            continue
        chosen = (landscape, size, widths)
        break
    squeezed = chosen is None
    if chosen is None:
        landscape, size = trials[-1]
        avail = LANDSCAPE_BLOCK_WIDTH if landscape else BLOCK_WIDTH
        chosen = (landscape, size, column_widths(table, size, avail, ems, shapes))
    landscape, size, widths = chosen
    numbers = number_columns(table)
    return TableDecision(
        size_pt=size,
        landscape=landscape,
        widths_mm=tuple(widths),
        aligns=cell_aligns(table, numbers),
        squeezed=squeezed,
        insets=_insets(table, numbers, widths, size),
    )


def _insets(
    table: Table, numbers: dict[int, NumberColumn], widths: list[float], size_pt: float
) -> dict[tuple[int, int], float]:
    """Each number's inset (mm) in its column of numbers, cells set right by their own
    or the table's alignment left alone."""
    if not numbers:
        return {}
    em = size_pt * MM_PER_PT
    out: dict[tuple[int, int], float] = {}
    for p in table.cells:
        col = numbers.get(p.col)
        if col is None or p.row < table.header_rows or p.colspan != 1 or p.cell.align:
            continue
        if table.align:
            continue
        if split_amount(p.cell.text) is not None:
            out[p.row, p.col] = col.point_em((widths[p.col] - 2 * TABLE_CELL_PAD_MM) / em) * em
    return out


@dataclass(frozen=True)
class ColumnEms:
    """Each column's widest needs in em, whatever the size: a table is read once for all trials.

    ``least``: the longest unbreakable word, or TABLE_MIN_CHARS of the text
    (HEADER_MIN_CHARS in the header), at least one em; ``natural``: the
    longest paragraph on one line. Merged cells across columns count for
    neither. A ledger's table repeats its cells (dates, units, statuses):
    each text is measured once.
    """

    least: tuple[float, ...]
    natural: tuple[float, ...]

    @classmethod
    def of(cls, table: Table) -> ColumnEms:
        least = [0.0] * table.columns
        natural = [0.0] * table.columns
        seen: dict[tuple[str, bool], tuple[float, float]] = {}
        header_rows = table.header_rows
        for p in table.cells:
            if p.colspan != 1:
                continue
            key = (p.cell.text, p.row < header_rows)
            ems = seen.get(key)
            if ems is None:
                ems = seen[key] = _cell_ems(p.cell.paragraphs, header=key[1])
            least[p.col] = max(least[p.col], ems[0])
            natural[p.col] = max(natural[p.col], ems[1])
        return cls(tuple(least), tuple(natural))

    def min_widths(self, size_pt: float) -> list[float]:
        """Each column's minimum (mm) at ``size_pt``, rule to rule."""
        em = size_pt * MM_PER_PT
        # max() of n * em + pad is (max n) * em + pad: both steps keep the order.
        return [n * em + 2 * TABLE_CELL_PAD_MM if n else 0.0 for n in self.least]

    def natural_widths(self, size_pt: float) -> list[float]:
        """Each column's width (mm) with every cell's text on one line."""
        em = size_pt * MM_PER_PT
        floor = em + 2 * TABLE_CELL_PAD_MM
        return [max(floor, n * em + 2 * TABLE_CELL_PAD_MM) for n in self.natural]


def _cell_ems(paragraphs: list[str], *, header: bool) -> tuple[float, float]:
    """A cell's least width and its width on one line, in em (see ColumnEms)."""
    chars = HEADER_MIN_CHARS if header else TABLE_MIN_CHARS
    need = 1.0
    longest = 0.0
    for para in paragraphs:
        width = em_width(para)
        # A word that stands whole, with the room a word processor gives it (set_width).
        words = [set_width(w) for w in _UNBREAKABLE.findall(para)]
        words += [set_width(w) for w in SHORT_NOTE.findall(para)]
        need = max(need, min(width, chars), *words)
        longest = max(longest, width)
    return need, longest


def min_widths(table: Table, size_pt: float) -> list[float]:
    """Each column's minimum (mm): its longest unbreakable word, and TABLE_MIN_CHARS of its text."""
    return ColumnEms.of(table).min_widths(size_pt)


def natural_widths(table: Table, size_pt: float) -> list[float]:
    """Each column's width (mm) with every cell's text on one line."""
    return ColumnEms.of(table).natural_widths(size_pt)


def column_widths(
    table: Table,
    size_pt: float,
    avail: float,
    ems: ColumnEms | None = None,
    shapes: RowShapes | None = None,
) -> list[float]:
    """Column widths filling ``avail`` mm (less when the input fixes every width in mm).

    Fixed (mm) columns keep their width; shares divide what is left; with no
    widths given, each column gets its minimum (its longest unbreakable word) and
    a part of the rest in proportion to how much wider its text would like to be;
    where that leaves ordinary rows taller than ROW_LINES, the rest goes where it
    saves the most lines over the rows instead (decide/rowfit.py).
    """
    n = table.columns
    if table.widths:
        fixed = sum(w.mm for w in table.widths if w.mm)
        shares = sum(w.share for w in table.widths if w.share)
        rest = max(avail - fixed, 0.0)
        return [w.mm if w.mm else rest * (w.share or 0) / shares for w in table.widths]
    ems = ems or ColumnEms.of(table)
    mins = ems.min_widths(size_pt)
    nats = [max(a, b) for a, b in zip(ems.natural_widths(size_pt), mins)]
    total_min, total_nat = sum(mins), sum(nats)
    if total_nat <= avail:
        # Room for every cell on one line: share the rest out by natural width.
        return [w * avail / total_nat for w in nats]
    if total_min >= avail or not n:
        return [w * avail / total_min for w in mins]
    spare = (avail - total_min) / (total_nat - total_min)
    shared = [m + (w - m) * spare for m, w in zip(mins, nats)]
    # Shares by how much wider each column's text would like to be read well unless
    # an ordinary row (nine in ten) then takes more than ROW_LINES lines: a column of
    # long sentences beside columns of dates and short notes (the 通报's, issue 18).
    # Then the rest of the block goes where it saves the most lines (decide/rowfit.py).
    em = size_pt * MM_PER_PT
    pads = 2 * TABLE_CELL_PAD_MM
    shapes = shapes or RowShapes(table)
    if shapes.quantile([(w - pads) / em for w in shared], ORDINARY) <= ROW_LINES:
        return shared
    text = fill(
        shapes,
        [(m - pads) / em for m in mins],
        [(w - pads) / em for w in nats],
        (avail - pads * n) / em,
    )
    return [w * em + pads for w in text]


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def cell_aligns(
    table: Table, numbers: dict[int, NumberColumn] | None = None
) -> dict[tuple[int, int], Align]:
    """Header centred; numbers right (short sequence numbers centred); text left.

    A cell's own ``align`` wins, then its column's; a merged text cell across
    columns (合计) is centred. In a column of ``numbers`` (figures.py) the
    numbers are set right (at their inset) and a dash centred.
    """
    out: dict[tuple[int, int], Align] = {}
    by_text: dict[str, Align | None] = {}  # a ledger's table repeats its texts
    numbers = numbers or {}
    for p in table.cells:
        align: Align
        if p.cell.align:
            align = p.cell.align
        elif p.row < table.header_rows:
            align = "center"
        elif table.align:
            align = table.align[p.col]
        elif p.col in numbers and p.colspan == 1:
            align = "right" if split_amount(p.cell.text) is not None else "center"
        else:
            text = p.cell.text
            if text not in by_text:
                by_text[text] = _align_of_text(text.strip())
            own = by_text[text]
            if own is not None:
                align = own
            elif p.colspan > 1:
                align = "center"
            else:
                align = "left"
        out[p.row, p.col] = align
    return out


def _align_of_text(text: str) -> Align | None:
    """Sequence numbers centred, numbers right; None for text."""
    if _SEQUENCE.match(text):
        return "center"
    if is_number(text):
        return "right"
    return None
