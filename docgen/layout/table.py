"""A table → lines on the grid, ruled, ready for pagination (GB/T 9704 §8).

Every line of a cell takes one band of the 22-line grid, so a table is a
whole number of lines high and the text after it is back on the grid. Cell
text is broken by the body's own line breaker (避头尾) at the table's size
(table_sizing.py decides it, the columns and the page, for both renderers),
its glyphs centred in their band; a cell shorter than its row is centred in
the row. Rules are 0.5 pt: each band carries the vertical rules it crosses,
each table row the rule under it, the first line the table's top rule.
"""

from __future__ import annotations

import copy

from docgen.layout.compose import Composer
from docgen.layout.paginate import TableFlow
from docgen.layout.plan import RuleItem, TextItem
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
from docgen.table_sizing import TableDecision

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

    # Each cell's text lines, then each table row's height in lines.
    at: dict[tuple[int, int], PlacedCell] = {}
    for p in table.cells:
        for r in range(p.row, p.last_row + 1):
            for col in range(p.col, p.end_col):
                at[r, col] = p
    cell_lines = {
        (p.row, p.col): _cell_rows(
            c, p, xs, size, dec.aligns[p.row, p.col], p.row < table.header_rows
        )
        for p in table.cells
    }
    n_rows = len(table.rows)
    heights = [1] * n_rows
    for p in table.cells:
        if p.rowspan == 1:
            heights[p.row] = max(heights[p.row], len(cell_lines[p.row, p.col]))
    for p in sorted(table.cells, key=lambda p: p.rowspan):
        if p.rowspan > 1:
            short = len(cell_lines[p.row, p.col]) - sum(heights[p.row : p.last_row + 1])
            if short > 0:
                heights[p.last_row] += short
    starts = [0]
    for h in heights:
        starts.append(starts[-1] + h)

    # Groups: rows tied together by a merged cell are one group.
    group_end = list(range(n_rows))
    for p in table.cells:
        for r in range(p.row, p.last_row):
            group_end[r] = max(group_end[r], p.last_row)
    groups: list[tuple[int, int]] = []  # (first row, last row)
    r = table.header_rows
    while r < n_rows:
        end = r
        k = r
        while k <= end:
            end = max(end, group_end[k])
            k += 1
        groups.append((r, end))
        r = end + 1
    header_lines = starts[table.header_rows]

    # Row → (first, last) row of its group; header rows belong to none.
    group_of: list[tuple[int, int] | None] = [None] * n_rows
    for g0, g1 in groups:
        for r in range(g0, g1 + 1):
            group_of[r] = (g0, g1)

    lines = [Row(fixed=True) for _ in range(starts[-1])]
    centre_dy = _centre_offset(c, size)
    for p in table.cells:
        texts = cell_lines[p.row, p.col]
        span = starts[p.last_row + 1] - starts[p.row]
        group = group_of[p.row]
        group_lines = span if group is None else starts[group[1] + 1] - starts[group[0]]
        # A cell shorter than its row is centred in it, half a line at a time,
        # unless its group may be cut by a page (then it starts at the top).
        may_split = header_lines + group_lines > capacity
        offset = 0.0 if may_split else (span - len(texts)) / 2
        first = starts[p.row] + int(offset)
        dy = centre_dy + (offset - int(offset)) * LINE_PITCH
        for i, row in enumerate(texts):
            for item in row.texts:
                item.baseline = dy
                lines[first + i].texts.append(item)

    _rules(lines, table, at, xs, starts, rule_mm)
    lead = _lead(c, table, size, xs[-1])
    return TableFlow(
        lead=lead,
        header=lines[:header_lines],
        groups=[lines[starts[g0] : starts[g1 + 1]] for g0, g1 in groups],
        landscape=dec.landscape,
        rule=(xs[0], xs[-1], rule_mm),
    )


def _cell_rows(
    c: Composer, p: PlacedCell, xs: list[float], size: float, align: str, header: bool
) -> list[Row]:
    """A cell's text broken into lines between its padding, aligned as decided."""
    x0 = xs[p.col] + TABLE_CELL_PAD_MM
    x1 = xs[p.end_col] - TABLE_CELL_PAD_MM
    role = FontRole.HEITI if header else FS
    rows: list[Row] = []
    for para in p.cell.paragraphs:
        if not para:
            continue
        broken = c.paragraph(
            [(role, para)],
            first_indent=0,
            size_pt=size,
            justify=align == "left",
            x0=x0,
            x1=max(x1, x0 + size * MM_PER_PT),
        )
        if align != "left":
            for row in broken:
                item = row.texts[0]
                w = c.text_width(item.runs, size, item.char_space_pt)
                item.x = (x0 + x1 - w) / 2 if align == "center" else x1 - w
        rows += broken
    return rows


def _centre_offset(c: Composer, size: float) -> float:
    """Baseline shift (mm) that centres a line's em box in its band, between the rules."""
    box_top = BASELINE_IN_LINE * LINE_PITCH - c.m.box_to_baseline(FS, size)
    return (LINE_PITCH - size * MM_PER_PT) / 2 - box_top


def _rules(
    lines: list[Row],
    table: Table,
    at: dict[tuple[int, int], PlacedCell],
    xs: list[float],
    starts: list[int],
    width: float,
) -> None:
    """Vertical rules band by band, the rule under each table row, the top rule."""
    n_cols = table.columns
    lines[0].rules.append(RuleItem(xs[0], xs[-1], 0.0, width))
    for r in range(len(table.rows)):
        for k in range(starts[r], starts[r + 1]):
            for b in range(n_cols + 1):
                if 0 < b < n_cols and at[r, b - 1] is at[r, b]:
                    continue  # inside a cell merged across columns
                lines[k].rules.append(RuleItem(xs[b], xs[b], 0.0, width, y1=LINE_PITCH))
        # Under row r: a segment for each run of columns not merged into the next row.
        last = starts[r + 1] - 1
        seg_start: int | None = None
        for col in range(n_cols + 1):
            cut = col < n_cols and (r + 1 >= len(table.rows) or at[r, col] is not at[r + 1, col])
            if cut and seg_start is None:
                seg_start = col
            elif not cut and seg_start is not None:
                lines[last].rules.append(RuleItem(xs[seg_start], xs[col], LINE_PITCH, width))
                seg_start = None


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
