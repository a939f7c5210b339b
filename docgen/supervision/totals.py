"""The totals the list, the report and the export all state: one count, the same numbers everywhere."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from docgen.ledger.schema import STATUSES
from docgen.ledger.store import GROUP_OPEN, GROUP_OVERDUE, GROUPS, Notice


def counts(notices: list[Notice], as_of: dt.date) -> dict[str, Any]:
    """Totals the list, the report and the export all state: the same numbers everywhere."""
    by_status = Counter(n.status for n in notices)
    by_group: Counter[str] = Counter()
    by_unit: dict[str, dict[str, int]] = {}
    due_soon = 0
    for n in notices:
        group, late = n.standing(as_of)  # once a notice: 10,000 of them in a report
        by_group[group] += 1
        due_soon += group == GROUP_OPEN and n.due_within(as_of, 7)
        row = by_unit.get(n.unit)
        if row is None:
            row = by_unit[n.unit] = {s: 0 for s in (*STATUSES, GROUP_OVERDUE, "合计")}
        row[n.status] += 1
        row[GROUP_OVERDUE] += late > 0
        row["合计"] += 1
    return {
        "total": len(notices),
        "by_status": {s: by_status.get(s, 0) for s in STATUSES},
        "by_group": {g: by_group.get(g, 0) for g in GROUPS},
        "overdue": by_group.get(GROUP_OVERDUE, 0),
        "due_soon": due_soon,
        "by_unit": by_unit,
    }
