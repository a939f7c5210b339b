"""A draft's table → the model's table item (issue 10 §3, defined by the tables work).

One function, so the importer follows the table model wherever it lands:
until the model has a table item, ``table_item`` returns None and the
caller keeps the rows as paragraphs and says so in the report.
"""

from __future__ import annotations

from typing import Any

from docgen.importer.source import Table


def table_item(table: Table) -> dict[str, Any] | None:
    """``{table: {header_rows, widths, rows}}`` as the model reads it, or None without a table model."""
    try:
        from docgen.models.tables import TableItem  # noqa: F401 - only: is the model there?
    except ImportError:
        return None
    rows: list[list[Any]] = []
    for r, row in enumerate(table.rows):
        cells: list[Any] = []
        for k, text in enumerate(row):
            rowspan, colspan = table.spans.get((r, k), (1, 1))
            if rowspan == 1 and colspan == 1:
                cells.append(text)
                continue
            cell: dict[str, Any] = {"text": text}
            if colspan > 1:
                cell["colspan"] = colspan
            if rowspan > 1:
                cell["rowspan"] = rowspan
            cells.append(cell)
        rows.append(cells)
    item: dict[str, Any] = {"header_rows": min(table.header_rows, len(rows))}
    widths = table.widths_mm
    if (
        widths
        and len(widths) == _columns(table)
        and all(w > 0 for w in widths)
        and max(widths) - min(widths) > 0.5  # Word's even split says nothing: let the text decide
    ):
        # Shares, not millimetres: the draft's page is not the block, so the layout
        # fits the table to 156 mm (or turns the page when its text needs more).
        item["widths"] = [round(w / min(widths), 2) for w in widths]
    item["rows"] = rows
    return {"table": item}


def _columns(table: Table) -> int:
    if not table.rows:
        return 0
    return sum(table.spans.get((0, k), (1, 1))[1] for k in range(len(table.rows[0])))
