"""A table → lines on the grid, ruled, ready for pagination (GB/T 9704 §8).

Every line of a cell takes one band of the 22-line grid, so a table is a
whole number of lines high and the text after it is back on the grid. Cell
text is broken by the body's own line breaker (避头尾) at the table's size
(decide/tables.py decides it, the columns and the page, for both renderers),
its glyphs centred in their band; a cell shorter than its row is centred in
the row. Rules are 0.5 pt: each band carries the vertical rules it crosses,
each table row the rule under it, the first line the table's top rule.
"""

from __future__ import annotations

import copy
from itertools import accumulate

from docgen.decide.figures import split_amount
from docgen.decide.tables import SHORT_NOTE, TableDecision
from docgen.layout.compose import Composer
from docgen.layout.paginate import TableFlow
from docgen.layout.plan import RuleItem, TextItem, table_figure
from docgen.layout.rows import Row
from docgen.models.tables import PlacedCell, Table
from docgen.spec import (
    BASELINE_IN_LINE,
    BLOCK_HEIGHT,
    LANDSCAPE_BLOCK_HEIGHT,
    LANDSCAPE_BLOCK_WIDTH,
    LINE_PITCH,
    MM_PER_PT,
    PAGE_HEIGHT,
    SIZE_BODY_PT,
    TABLE_CELL_PAD_MM,
    FontRole,
    Profile,
)
from docgen.text.linebreak import inside_words

FS = FontRole.FANGSONG
PAGE_LINES = round(BLOCK_HEIGHT / LINE_PITCH)
TURNED_LINES = int(LANDSCAPE_BLOCK_HEIGHT / LINE_PITCH + 1e-9)


def turned_composer(c: Composer, profile: Profile) -> Composer:
    """A composer whose block is the turned page's: 225 mm wide, from the sheet's bottom margin."""
    turned = copy.copy(c)
    turned.left = PAGE_HEIGHT - profile.top_margin - BLOCK_HEIGHT
    turned.right = turned.left + LANDSCAPE_BLOCK_WIDTH
    turned.width_pt = LANDSCAPE_BLOCK_WIDTH / MM_PER_PT
    return turned


def table_flow(c: Composer, table: Table, dec: TableDecision, profile: Profile) -> TableFlow:
    """The table's lines: lead (title, unit), header and body rows grouped for pagination."""
    if dec.landscape:
        c = turned_composer(c, profile)
    size = dec.size_pt
    rule_mm = profile.table_rule_pt * MM_PER_PT
    left = c.left + max(0.0, (c.right - c.left - dec.width_mm) / 2)
    xs = [left + o for o in dec.offsets_mm()]
    capacity = TURNED_LINES if dec.landscape else PAGE_LINES

    cells = list(zip(table.cells, _cell_texts(c, table, dec, xs)))
    starts = _row_starts(cells, len(table.rows))
    groups = _groups(table)
    lines = [Row(fixed=True) for _ in range(starts[-1])]
    _set_cells(lines, cells, starts, groups, table.header_rows, capacity, _centre_offset(c, size))
    _rules(lines, table, xs, starts, rule_mm)
    lead = _lead(c, table, size, xs[-1])
    return TableFlow(
        lead=lead,
        header=lines[: starts[table.header_rows]],
        groups=[lines[starts[g0] : starts[g1 + 1]] for g0, g1 in groups],
        landscape=dec.landscape,
        rule=(xs[0], xs[-1], rule_mm),
        figure=table_figure(table.place),
    )


def _row_starts(cells: list[tuple[PlacedCell, _CellText]], n_rows: int) -> list[int]:
    """Each table row's first line, then the table's line count.

    A row is as tall as its tallest cell; a merged cell taller than the rows
    it spans lengthens the last of them.
    """
    heights = [1] * n_rows
    merged: list[tuple[PlacedCell, _CellText]] = []
    for p, text in cells:
        if p.rowspan == 1:
            heights[p.row] = max(heights[p.row], text.n_lines)
        else:
            merged.append((p, text))
    for p, text in sorted(merged, key=lambda pt: pt[0].rowspan):
        short = text.n_lines - sum(heights[p.row : p.last_row + 1])
        if short > 0:
            heights[p.last_row] += short
    return list(accumulate(heights, initial=0))


def _groups(table: Table) -> list[tuple[int, int]]:
    """(first, last) body rows of each group: rows tied together by a merged cell are one,
    and a row of one cell across the table (a group's heading) goes with the row after it."""
    n_rows = len(table.rows)
    group_end = list(range(n_rows))
    for p in table.cells:
        if p.rowspan > 1:
            for r in range(p.row, p.last_row):
                group_end[r] = max(group_end[r], p.last_row)
        elif p.colspan == table.columns > 1 and table.header_rows <= p.row < n_rows - 1:
            group_end[p.row] = max(group_end[p.row], p.row + 1)
    groups: list[tuple[int, int]] = []
    r = table.header_rows
    while r < n_rows:
        end = r
        k = r
        while k <= end:
            end = max(end, group_end[k])
            k += 1
        groups.append((r, end))
        r = end + 1
    return groups


def _set_cells(
    lines: list[Row],
    cells: list[tuple[PlacedCell, _CellText]],
    starts: list[int],
    groups: list[tuple[int, int]],
    header_rows: int,
    capacity: int,
    centre_dy: float,
) -> None:
    """Each cell's text items onto its lines.

    A cell shorter than its row is centred in it, half a line at a time,
    unless its group may be cut by a page (then it starts at the top).
    """
    header_lines = starts[header_rows]
    group_lines = [0] * (len(starts) - 1)  # a body row's group, in lines
    for g0, g1 in groups:
        group_lines[g0 : g1 + 1] = [starts[g1 + 1] - starts[g0]] * (g1 + 1 - g0)
    for p, text in cells:
        span = starts[p.row + p.rowspan] - starts[p.row]
        group = span if p.row < header_rows else group_lines[p.row]
        may_split = header_lines + group > capacity
        offset = 0.0 if may_split else (span - text.n_lines) / 2
        first = starts[p.row] + int(offset)
        dy = centre_dy + (offset - int(offset)) * LINE_PITCH
        for i, item in enumerate(text.lowered(dy)):
            lines[first + i].texts.append(item)


def _cell_texts(c: Composer, table: Table, dec: TableDecision, xs: list[float]) -> list[_CellText]:
    """Each cell's text lines, in the order of ``table.cells``; cells alike broken once.

    Cells repeat: in a ledger's table of 10,000 rows most cells are a date,
    a unit, a status or 未反馈, one of a few hundred texts. Alike means the
    same text in the same columns, aligned the same, in the header or not.
    Kept for one table only, so nothing outlives the document.
    """
    alike: dict[tuple[object, ...], _CellText] = {}
    out: list[_CellText] = []
    for p in table.cells:
        align = dec.aligns[p.row, p.col]
        header = p.row < table.header_rows
        inset = dec.insets.get((p.row, p.col), 0.0) if dec.insets else 0.0
        key = (p.cell.text, p.col, p.end_col, align, header, inset)
        text = alike.get(key)
        if text is None:
            lines = _cell_lines(c, p, xs, dec.size_pt, align, header, inset)
            text = alike[key] = _CellText(lines)
        out.append(text)
    return out


class _CellText:
    """A cell's lines, shared by every cell alike: their items are read, never changed."""

    def __init__(self, items: list[TextItem]):
        self._items = items  # one a line
        self.n_lines = len(items)
        self._lowered: dict[float, list[TextItem]] = {}

    def lowered(self, dy: float) -> list[TextItem]:
        """The text item of each line, ``dy`` (mm) below the band's baseline."""
        found = self._lowered.get(dy)
        if found is None:
            if not self._lowered:  # the first offset asked for takes the items themselves
                for item in self._items:
                    item.baseline = dy
                found = self._items
            else:
                found = [
                    TextItem(t.x, dy, t.runs, t.size_pt, t.char_space_pt, t.color, t.kerns)
                    for t in self._items
                ]
            self._lowered[dy] = found
        return found


def _cell_lines(
    c: Composer,
    p: PlacedCell,
    xs: list[float],
    size: float,
    align: str,
    header: bool,
    inset: float = 0.0,
) -> list[TextItem]:
    """A cell's text broken into lines between its padding, aligned as decided
    (a number in a column of numbers: its whole part ending ``inset`` mm in from the
    right, on the column's decimal point)."""
    x0 = xs[p.col] + TABLE_CELL_PAD_MM
    x1 = xs[p.end_col] - TABLE_CELL_PAD_MM
    role = FontRole.HEITI if header else FS
    items: list[TextItem] = []
    for para in p.cell.paragraphs:
        if not para:
            continue
        # Cells are set ragged, never letter-spaced (1 2 0 0万元), and never break
        # a date or a number with its unit (issue 18).
        broken = c.lines(
            [(role, para)],
            first_indent=0,
            size_pt=size,
            justify=False,
            x0=x0,
            x1=max(x1, x0 + size * MM_PER_PT),
            keep=cell_keep(para),
        )
        amount = split_amount(para) if inset else None
        if amount is not None and len(broken) == 1:
            whole = c.text_width([(role, amount[0])], size, broken[0].char_space_pt)
            broken[0].x = x1 - inset - whole
        elif align != "left":
            for item in broken:
                w = c.text_width(item.runs, size, item.char_space_pt)
                item.x = (x0 + x1 - w) / 2 if align == "center" else x1 - w
        items += broken
    return items


def _inside_notes(text: str) -> frozenset[int]:
    """Offsets inside a cell's short notes in brackets (decide/tables.py SHORT_NOTE)."""
    if "（" not in text:
        return frozenset()
    return frozenset(i for m in SHORT_NOTE.finditer(text) for i in range(m.start() + 1, m.end()))


def cell_text_width_mm(offsets: list[float], col: int, end_col: int, size_pt: float) -> float:
    """The width a cell's paragraphs are broken to (mm): between the cell's rules less
    the padding, at least a character (_cell_lines; the .docx breaks cells with it too)."""
    x0 = offsets[col] + TABLE_CELL_PAD_MM
    return max(offsets[end_col] - TABLE_CELL_PAD_MM, x0 + size_pt * MM_PER_PT) - x0


def cell_keep(para: str) -> frozenset[int]:
    """Where a cell's paragraph never breaks: inside a date, a number with its unit or a
    short note in brackets (issue 18)."""
    return inside_words(para) | _inside_notes(para)


def _centre_offset(c: Composer, size: float) -> float:
    """Baseline shift (mm) that centres a line's em box in its band, between the rules."""
    box_top = BASELINE_IN_LINE * LINE_PITCH - c.m.box_to_baseline(FS, size)
    return (LINE_PITCH - size * MM_PER_PT) / 2 - box_top


def _rules(
    lines: list[Row], table: Table, xs: list[float], starts: list[int], width: float
) -> None:
    """Vertical rules band by band, the rule under each table row, the top rule.

    Rows merged alike share their rule items (never changed after): a long
    table has hundreds of thousands of bands but a few patterns of borders.
    """
    n_cols = table.columns
    n_rows = len(table.rows)
    at: list[list[PlacedCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for p in table.cells:  # the cell covering each place of the grid (every place is covered)
        for r in range(p.row, p.last_row + 1):
            at[r][p.col : p.end_col] = [p] * p.colspan
    lines[0].rules.append(RuleItem(xs[0], xs[-1], 0.0, width))
    verticals: dict[tuple[bool, ...], tuple[RuleItem, ...]] = {}
    unders: dict[tuple[bool, ...], list[RuleItem]] = {}
    for r in range(n_rows):
        row = at[r]
        # A border at b unless the cell left of it is merged across it.
        inside = tuple(0 < b < n_cols and row[b - 1] is row[b] for b in range(n_cols + 1))
        band = verticals.get(inside)
        if band is None:
            band = verticals[inside] = tuple(
                RuleItem(xs[b], xs[b], 0.0, width, y1=LINE_PITCH)
                for b in range(n_cols + 1)
                if not inside[b]
            )
        for k in range(starts[r], starts[r + 1]):
            lines[k].band = band
        # Under row r: a rule for each column whose cell does not go on into the next row.
        below = at[r + 1] if r + 1 < n_rows else [None] * n_cols
        cut = tuple(a is not b for a, b in zip(row, below))
        under = unders.get(cut)
        if under is None:
            under = unders[cut] = _under(cut, xs, width)
        lines[starts[r + 1] - 1].rules += under


def _under(cut: tuple[bool, ...], xs: list[float], width: float) -> list[RuleItem]:
    """The rule under a row: a segment for each run of columns ``cut`` (not merged down)."""
    out: list[RuleItem] = []
    seg_start: int | None = None
    for col in range(len(cut) + 1):
        is_cut = col < len(cut) and cut[col]
        if is_cut and seg_start is None:
            seg_start = col
        elif not is_cut and seg_start is not None:
            out.append(RuleItem(xs[seg_start], xs[col], LINE_PITCH, width))
            seg_start = None
    return out


def _lead(c: Composer, table: Table, size: float, right: float) -> list[Row]:
    """The table's title centred above it (黑体, body size), then its unit at the right."""
    rows: list[Row] = []
    if table.title:
        rows += c.paragraph(
            [(FontRole.HEITI, table.title)], first_indent=0, size_pt=SIZE_BODY_PT, justify=False
        )
        for row in rows:
            item = row.texts[0]
            w = c.text_width(item.runs, SIZE_BODY_PT, item.char_space_pt)
            item.x = (c.left + c.right - w) / 2
    if table.unit:
        unit: TextItem = c.aligned([(FS, table.unit)], right=right, size_pt=size)
        rows.append(Row(texts=[unit]))
    for row in rows:
        row.fixed = True
    return rows
