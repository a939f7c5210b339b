"""The notices a batch issued, for the 督办台账: ledger records and the workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.batch.jobs import Job
from docgen.batch.manifest import _seqs
from docgen.batch.plan import BatchPlan
from docgen.registry import (
    Issued,
)


def notice_records(
    plan: BatchPlan, notices: list[Job], numbers: list[Issued], *, reused: bool = False
) -> list[Any]:
    """What the ledger keeps of each newly numbered notice (a resumed one is already there);
    ``reused``: instead, those of resumed notices (whose item was corrected)."""
    from docgen.ledger.store import NoticeRecord

    out = []
    for job, number in zip(notices, numbers):
        if number.reused != reused:
            continue
        items = job.items
        several = len(items) > 1
        deadlines = [i.deadline for i in items if i.deadline]
        out.append(
            NoticeRecord(
                issued=number,
                meeting=plan.minutes.meeting,
                minutes_ref=job.doc.minutes_ref,
                item_seqs=_seqs(items),
                unit=job.unit,
                matter="\n".join(
                    f"{k}.{i.matter}" if several else i.matter for k, i in enumerate(items, 1)
                ),
                support="、".join(dict.fromkeys(u for i in items for u in i.support)),
                requirement="\n".join(i.requirement or "" for i in items).strip(),
                # One notice for several items answers by the earliest of their deadlines.
                deadline=min(deadlines) if deadlines else None,
                issued_on=plan.date,
                office=job.doc.office,
                contact=job.doc.contact,
                phone=job.doc.phone,
            )
        )
    return out


def ledger_bytes(registry: Path | None, plan: BatchPlan, notices: list[Job]) -> bytes:
    """督办台账.xlsx of this batch: the same workbook as `docgen supervise export`, over
    the notices just issued, read back from the ledger with their file hashes."""
    from docgen.ledger.store import Ledger
    from docgen.ledger.workbook import workbook_bytes

    wanted = {j.issued.number for j in notices if j.issued}
    with Ledger(registry) as ledger:
        rows = [n for n in ledger.notices(meeting=plan.minutes.meeting) if n.number in wanted]
    return workbook_bytes(rows, plan.date, title=f"{plan.minutes.meeting}议定事项督办台账")
