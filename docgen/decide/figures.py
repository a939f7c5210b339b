"""Numbers in a table's column aligned on the decimal point (GB/T 9704 §8: numbers
right- or centre-aligned; issue 18: amounts on the point or right).

A column whose body cells are all numbers (or empty, or a dash) sets them as
one block: every number's point (or, without one, its last digit) on the same
line, the block centred in the column under its centred header. Right-aligned
numbers of different decimals (12.5 and 1,200.00) would not line up their
points; centred ones would not line up their digits. A sequence column
(序号: 1, 2, 3 …) stays centred.

Widths are counted in ems (widths.em_width: digits, the point and the comma
half an em), so both renderers place the block alike: the PDF as a right
edge, the .docx as a right indent of a right-aligned paragraph. The PDF, which
knows its glyphs, sets each whole part to end on the point exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.decide.widths import em_width
from docgen.models.tables import Table

# An amount: its whole part, its point and fraction, a short unit (%, 万元, 个).
_AMOUNT = re.compile(r"^([+\-−]?[0-9][0-9,，]*)(\.[0-9]+)?([%％]|[^\x00-\x7f\s]{1,2})?$")
_DASHES = frozenset(("", "—", "——", "-", "－", "/", "／", "…"))


@dataclass(frozen=True)
class NumberColumn:
    """A column of numbers: its widest whole part and its widest point-and-what-follows."""

    whole_em: float
    tail_em: float

    @property
    def block_em(self) -> float:
        return self.whole_em + self.tail_em

    def point_em(self, width_em: float) -> float:
        """Ems from the column's right text edge to the column's decimal point (where a
        whole number ends): the block centred in the column, flush right when wider."""
        return max(0.0, (width_em - self.block_em) / 2) + self.tail_em


def split_amount(text: str) -> tuple[str, str] | None:
    """A number's whole part and what follows it (point, fraction, unit); None: no number."""
    m = _AMOUNT.match(text.strip())
    if m is None:
        return None
    return m.group(1), (m.group(2) or "") + (m.group(3) or "")


def _looks_numeric(text: str) -> bool:
    """A cheap first look: a number starts with a digit or a sign (the text column of a
    10,000-row table is left at its first cell)."""
    return bool(text) and (text[0].isdigit() or text[0] in "+-−")


def number_columns(table: Table) -> dict[int, NumberColumn]:
    """The table's columns of numbers (see the module's docstring), by column index.

    A column counts when each of its body cells (those in it alone, not merged
    across columns) is a number or a dash, at least two are numbers, and they
    are not the sequence 1, 2, 3 … of a 序号 column.
    """
    cells: dict[int, list[str]] = {}
    failed: set[int] = set()  # a column with a cell that is no number: read no further
    for p in table.cells:
        if p.row < table.header_rows or p.colspan != 1 or p.col in failed:
            continue
        text = p.cell.text.strip()
        if text not in _DASHES and not _looks_numeric(text):
            failed.add(p.col)
            cells.pop(p.col, None)
            continue
        cells.setdefault(p.col, []).append(text)
    out: dict[int, NumberColumn] = {}
    for col, texts in cells.items():
        numbers = [t for t in texts if t not in _DASHES]
        if len(numbers) < 2:
            continue
        if [t for t in numbers if t.isdigit()] == [str(k) for k in range(1, len(numbers) + 1)]:
            continue  # 序号
        found = [_AMOUNT.match(t) for t in set(numbers)]
        if not all(found):
            continue
        whole = max(em_width(m.group(1)) for m in found if m)
        tail = max(em_width((m.group(2) or "") + (m.group(3) or "")) for m in found if m)
        out[col] = NumberColumn(whole, tail)
    return out
