"""The notices a batch issued, for the 督办台账: ledger records and the workbook."""

from __future__ import annotations

from collections.abc import Iterable
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


class LedgerFeed:
    """The batch's 督办台账.xlsx made while it renders: the same workbook as ledger_bytes.

    The sheet's order is the ledger's, read with the first rows; a notice's
    row is added once its files are recorded (done: the batch records them
    a hundred or so at a time) and every earlier one's, so the rows go in
    that order as chunks come back. What is
    left for the end is the summary sheet and the zip: the rows' 0.15 s a
    thousand notices is spent while the workers still render, not after.
    """

    def __init__(self, registry: Path | None, plan: BatchPlan, notices: list[Job]) -> None:
        from docgen.ledger.store import Ledger

        self._registry, self._plan, self._notices = registry, plan, notices
        self._meeting = plan.minutes.meeting
        self._ledger = Ledger(registry)
        self._order: list[str] = []  # read with the first rows: the render has begun by then
        self._next = 0
        self._ready: set[str] = set()
        self._book: Any = None

    def __enter__(self) -> LedgerFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self._ledger.close()  # the workbook itself needs it no more

    def done(self, numbers: Iterable[str]) -> None:
        """These notices' files are recorded: the rows now ready in the sheet's order are added,
        read from the ledger at once."""
        self._ready.update(numbers)
        if not self._order and self._ready:
            issued = {j.issued.number for j in self._notices if j.issued}
            notices = self._ledger.notices(meeting=self._meeting)
            self._order = [n.number for n in notices if n.number in issued]
        start = end = self._next
        while end < len(self._order) and self._order[end] in self._ready:
            end += 1
        if end == start:
            return
        if self._book is None:
            from docgen.ledger.workbook import MeetingBook

            title = f"{self._meeting}议定事项督办台账"
            self._book = MeetingBook(self._meeting, title, len(self._order), self._plan.date)
        wanted = self._order[start:end]
        self._book.add(self._ledger.notices(meeting=self._meeting, numbers=wanted))
        self._next = end

    def workbook(self) -> bytes:
        """The whole workbook: made from the rows added, or (a notice missing) read whole."""
        whole = self._book is not None and len(self._book.notices) == len(self._order)
        if not whole:
            return ledger_bytes(self._registry, self._plan, self._notices)
        return self._book.finish()
