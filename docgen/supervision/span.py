"""Dates a clerk gives a 督办 command, held to what the ledger can speak of.

An as-of date before the first notice was issued lists notices as "in
progress" before they existed and takes a number in a year with no notices;
one in 9999 overflows every date sum after it. A reminder or a report is
dated its as-of day, so it may not be dated after today; a view (list,
export) may look up to a year ahead. Feedback, an extension or a reopening
is dated the day it happened, never a day still to come. Each is checked
before anything is numbered, written or recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from docgen.ledger.store import LedgerError

LOOK_AHEAD_DAYS = 366  # list/export: "what will be overdue", never beyond a year
MAX_DAYS = 3650  # reply days, red-head days, --due-within: any count of days a date is moved by


def check_as_of(
    notices: Iterable[Any], as_of: dt.date, *, issuing: bool, today: dt.date | None = None
) -> None:
    """LedgerError when ``as_of`` lies outside the ledger's span (first issue .. today)."""
    today = today or dt.date.today()
    first = min((n.issued_on for n in notices if n.issued_on), default=None)
    if first is not None and as_of < first:
        raise LedgerError(
            f"截至日期 {as_of.isoformat()} 早于台账中最早的督办单（{first.isoformat()} 发出）；"
            "请写督办单发出以后的日期"
        )
    if issuing and as_of > today:
        raise LedgerError(
            f"截至日期 {as_of.isoformat()} 晚于今天（{today.isoformat()}）；"
            "催办单和通报以截至日期为成文日期，不能预先签发"
        )
    if as_of > today + dt.timedelta(days=LOOK_AHEAD_DAYS):
        raise LedgerError(
            f"截至日期 {as_of.isoformat()} 晚于今天一年以上；请写 {today.year + 1} 年以前的日期"
        )


def check_days(days: int | None, what: str) -> None:
    """A count of days within what a calendar can add."""
    if days is not None and not 0 <= days <= MAX_DAYS:
        raise LedgerError(f"{what} {days}：应为 0 到 {MAX_DAYS} 之间的天数")


def check_not_future(date: dt.date, what: str, today: dt.date | None = None) -> None:
    """A day something happened (approved, reopened) cannot be still to come."""
    today = today or dt.date.today()
    if date > today:
        raise LedgerError(
            f"{what} {date.isoformat()} 晚于今天（{today.isoformat()}）；请写实际发生的日期"
        )
