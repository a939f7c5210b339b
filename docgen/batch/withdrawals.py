"""The batch's side of "the ledger follows the item list" (ledger/withdraw.py does the rest).

Found before any number is taken (the other --per mode unforced is refused
here); recorded in the numbers' own transaction; the files moved and each
withdrawal said once the numbers are committed.
"""

from __future__ import annotations

from typing import Any

from docgen.batch.jobs import BatchOptions, BatchRefused, Job
from docgen.batch.plan import BatchPlan
from docgen.ledger import withdraw


def find(plan: BatchPlan, notices: list[Job], opts: BatchOptions) -> list[withdraw.Withdrawal]:
    """This meeting's notices the item list no longer has."""
    from docgen.ledger.store import LedgerError

    if not notices or opts.skip_invalid:  # a skipped bad row is not a deleted item
        return []
    leads = {item.seq: list(item.lead) for item in plan.minutes.items}
    try:
        return withdraw.find(
            opts.registry,
            plan.minutes.meeting,
            notices[0].doc.minutes_ref,
            opts.per,
            leads,
            [j.key for j in notices],
            force=opts.force,
        )
    except LedgerError as exc:
        raise BatchRefused(str(exc), remedy=exc.remedy) from exc


def record(db: Any, found: list[withdraw.Withdrawal], by_key: dict[str, str]) -> None:
    """Inside the allocation's transaction, with the batch's numbers by item key."""
    import datetime as dt

    withdraw.record(db, found, dt.date.today().isoformat(), by_key, list(by_key))
