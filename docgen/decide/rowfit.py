"""Column widths that set a table's rows in as few lines as the block allows.

Shares in proportion to how wide each column's text would like to be give a
column of long dates and short notes as much room as one of long sentences,
so the sentences wrap into rows of six or eight lines (issue 18: the 通报's
rows). Where shares would leave an ordinary row taller than four lines
(decide/tables.py), every column starts at its minimum (its longest
unbreakable word) and the rest of the block goes, a character at a time,
where it saves the most lines over all the rows; what no column can use is
shared out as the shares would.

A row is as tall as its tallest cell; a cell's lines are counted from the
em measure (widths.em_width): a paragraph of e ems in a column of w ems
takes ceil(e / floor(w)) lines. Rows alike (a ledger's table repeats its
texts) are counted once, with their number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from operator import mul

from docgen.decide.widths import em_width
from docgen.models.tables import Table

# The room given at a time: a character. A column is then a whole number of
# characters and SLACK_EM more: at a column's edge the renderers part (a word
# processor squeezes a closing mark at the line's end, the PDF's cells do not;
# LibreOffice fits a seventh character in 6.85 ems), so a column never ends
# within a fraction of a character of its count (the funds 请示's tables sized this
# way, in LibreOffice: 8 of 10 pages alike with these, 4 of 10 with half-em steps).
STEP_EM = 1.0
SLACK_EM = 0.25
# A line holds whole characters: ideographs advance a little under an em, so a column
# of 3.65 ems holds three (digits, half an em, are counted as if whole: a row of
# numbers is counted no shorter than it is).
GRAIN_EM = 1.0
LOOKAHEAD = 8  # steps a column may take at once to save a line (8 characters)
ROWS_A_PAGE = 8  # about as many rows as a page holds, to count a header's repeats
GROUPS = 8  # sets of columns tried together each step (the commonest)


Lines = list[int]  # a count for each distinct row


def _total(heights: Lines, weights: Lines) -> int:
    """The rows' lines in all: each distinct row's height times how many there are."""
    return sum(map(mul, heights, weights))


class RowShapes:
    """The table's rows as the ems of each cell's paragraphs, for counting lines."""

    def __init__(self, table: Table) -> None:
        n = table.columns
        self.columns = n
        at: list[list[tuple[float, ...]]] = [[()] * n for _ in table.rows]
        ems: dict[str, tuple[float, ...]] = {}
        for p in table.cells:
            if p.colspan != 1:
                continue  # a merged cell across columns is sized by none of them
            text = p.cell.text
            found = ems.get(text)
            if found is None:
                found = ems[text] = tuple(em_width(t) for t in p.cell.paragraphs if t)
            at[p.row][p.col] = found
        shapes = Counter(tuple(row) for row in at)
        # A header is set again on every page the table runs on: its lines count as often.
        body_rows = len(at) - table.header_rows
        for row in at[: table.header_rows]:
            shapes[tuple(row)] += body_rows // ROWS_A_PAGE
        self.weights: Lines = list(shapes.values())
        # Per column: its distinct cells, and each row's index into them.
        self.cells: list[list[tuple[float, ...]]] = []
        self.index: list[list[int]] = []
        for c in range(n):
            distinct = sorted({shape[c] for shape in shapes})
            where = {cell: k for k, cell in enumerate(distinct)}
            self.cells.append(distinct)
            self.index.append([where[shape[c]] for shape in shapes])
        self._lines: dict[tuple[int, float], Lines] = {}

    def lines(self, col: int, width_em: float) -> Lines:
        """Each row's lines in column ``col`` at ``width_em`` of text."""
        room = max(GRAIN_EM, math.floor(width_em / GRAIN_EM + 1e-9) * GRAIN_EM)
        key = (col, room)
        found = self._lines.get(key)
        if found is None:
            per_cell = [
                max(1, sum(math.ceil(e / room - 1e-9) for e in cell)) for cell in self.cells[col]
            ]
            found = self._lines[key] = [per_cell[i] for i in self.index[col]]
        return found

    def heights(self, widths_em: Sequence[float]) -> Lines:
        """Each distinct row's height in lines (use with ``weights``)."""
        per_column = [self.lines(c, w) for c, w in enumerate(widths_em)]
        return list(map(max, *per_column)) if len(per_column) > 1 else list(per_column[0])

    def quantile(self, widths_em: Sequence[float], q: float) -> int:
        """The height in lines that a share ``q`` of the rows keep within."""
        h = self.heights(widths_em)
        order = sorted(range(len(h)), key=h.__getitem__)  # stable
        wanted = q * sum(self.weights) - 1e-9
        count = 0
        for r in order:
            count += self.weights[r]
            if count >= wanted:
                return h[r]
        return h[order[-1]]


def _best_group(
    shapes: RowShapes,
    lines: list[Lines],
    widths: list[float],
    most: list[float],
    spare: float,
    first: Lines,
    total: int,
) -> tuple[float, tuple[int, ...], int] | None:
    """The columns to widen together, and by how many steps, to save the most lines a
    step: a row is as tall as its tallest cells, so where several cells share its
    height (a header of two-line words) no one column saves a line alone."""
    n = shapes.columns
    if n < 3 or max(first, default=0) <= 1:
        return None
    weight: Counter[int] = Counter()
    for r, (f, w) in enumerate(zip(first, shapes.weights)):
        if f > 1:  # the cells as tall as their row, as a set of columns
            weight[sum(1 << c for c in range(n) if lines[c][r] == f)] += w
    best: tuple[float, tuple[int, ...], int] | None = None
    for key, _ in weight.most_common(GROUPS):
        cols = tuple(c for c in range(n) if key >> c & 1)
        if len(cols) < 2 or any(widths[c] >= most[c] - 1e-9 for c in cols):
            continue
        for k in range(1, LOOKAHEAD + 1):
            if k * STEP_EM * len(cols) > spare + 1e-9:
                break
            trial = list(lines)
            for c in cols:
                trial[c] = shapes.lines(c, widths[c] + k * STEP_EM)
            saved = total - _total(list(map(max, *trial)), shapes.weights)
            if saved > 0:
                rate = saved / (k * len(cols))
                if best is None or rate > best[0]:
                    best = (rate, cols, k)
                break
    return best


def fill(
    shapes: RowShapes,
    least: list[float],
    most: list[float],
    avail: float,
    slack: float = SLACK_EM,
) -> list[float]:
    """Text widths (em) from ``least`` up, ``avail`` in all, where they save the most lines.

    ``most``: a column's text on one line; room beyond it saves nothing. What
    is left when no column can save a line goes to the columns in proportion
    to what they would still take (or evenly). Each column gets ``slack``
    beyond what it is counted with, when the block has room for it.
    """
    n = shapes.columns
    widths = list(least)
    spare = avail - sum(widths)
    if slack and spare >= n * slack + STEP_EM:
        return [w + slack for w in fill(shapes, least, most, avail - n * slack, 0.0)]
    lines = [shapes.lines(c, widths[c]) for c in range(n)]
    weights = shapes.weights
    while spare >= STEP_EM - 1e-9 and n > 1:
        rows = list(zip(*lines))
        first = list(map(max, rows))
        top = [row.index(f) for row, f in zip(rows, first)]  # the first column that tall
        second = [sorted(row)[-2] for row in rows]
        total = _total(first, weights)
        best: tuple[float, int, int] | None = None  # (lines saved a step, column, steps)
        for c in range(n):
            if widths[c] >= most[c] - 1e-9:
                continue
            others = [s if t == c else f for f, s, t in zip(first, second, top)]
            for k in range(1, min(LOOKAHEAD, int(spare / STEP_EM + 1e-9)) + 1):
                trial = map(max, others, shapes.lines(c, widths[c] + k * STEP_EM))
                saved = total - sum(map(mul, trial, weights))
                if saved > 0:
                    rate = saved / k
                    if best is None or rate > best[0]:
                        best = (rate, c, k)
                    break
        group = _best_group(shapes, lines, widths, most, spare, first, total)
        if group is not None and (best is None or group[0] > best[0]):
            _, cols, k = group
        elif best is not None:
            _, c, k = best
            cols = (c,)
        else:
            break
        for c in cols:
            widths[c] += k * STEP_EM
            spare -= k * STEP_EM
            lines[c] = shapes.lines(c, widths[c])
    if spare > 1e-9:
        want = [max(0.0, m - w) for m, w in zip(most, widths)]
        total_want = sum(want)
        for c in range(n):
            widths[c] += spare * (want[c] / total_want if total_want else 1 / n)
    return widths
