"""A draft's table → the model's table item (issue 10 §3, defined by the tables work).

One function, so the importer follows the table model wherever it lands:
until the model has a table item, ``table_item`` returns None and the
caller keeps the rows as paragraphs and says so in the report.
"""

from __future__ import annotations

from typing import Any

from docgen.importer.source import Table


def table_item(table: Table) -> dict[str, Any] | None:
    try:
        from docgen.models import Table as ModelTable  # type: ignore[attr-defined]
    except ImportError:
        return None
    fields = getattr(ModelTable, "model_fields", {})
    item: dict[str, Any] = {"rows": [list(r) for r in table.rows]}
    if "header_rows" in fields:
        item["header_rows"] = table.header_rows
    if "widths" in fields and table.widths_mm:
        item["widths"] = [round(w, 1) for w in table.widths_mm]
    return {"table": item} if "table" not in fields else item
