"""Dates in the text that do not exist (2025年2月30日, 13月), and dates out of order.

A date the calendar lacks is an error; a 纪要's item deadline before the
meeting and a 印发日期 before the 成文日期 are 提醒: unusual, not impossible.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from docgen.proof.finding import Finding, quote
from docgen.proof.spots import Spot

# 2025年2月30日, 2月30日, 2025年13月, 13月 (not 13个月).
_DATE = re.compile(
    r"(?<![\d.])(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"
)


def bad_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, why) for each date in ``text`` that cannot exist."""
    out: list[tuple[int, int, str]] = []
    if "月" not in text:
        return out
    for m in _DATE.finditer(text):
        month = int(m["m"])
        if not 1 <= month <= 12:
            out.append((m.start(), m.end(), f"没有{month}月"))
            continue
        if m["d"] is None:
            continue
        day = int(m["d"])
        # Without a year, 2月29日 may be right (a leap year).
        year = int(m["y"]) if m["y"] else 2024
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            where = f"{year}年{month}月" if m["y"] else f"{month}月"
            out.append((m.start(), m.end(), f"{where}没有{day}日（只有{last}天）"))
    return out


def check(spot: Spot, file: str) -> list[Finding]:
    return [
        Finding(
            "dates",
            f"日期“{spot.text[a:b]}”不存在：{why}",
            "error",
            file,
            spot.field,
            spot.paragraph,
            a,
            quote(spot.text, a, b),
            "请核对日期",
        )
        for a, b, why in bad_dates(spot.text)
    ]


def order(doc: Any, file: str) -> list[Finding]:
    """Warnings for dates of the model that come in the wrong order."""
    from docgen.text.dates import format_date

    out = []
    date = getattr(doc, "date", None)
    printed = getattr(doc, "print_date", None)
    if date and printed and printed < date:
        out.append(
            Finding(
                "dates",
                f"印发日期 {format_date(printed)} 早于成文日期 {format_date(date)}",
                "warning",
                file,
                "print_date（印发日期）",
                suggestion="印发日期一般不早于成文日期，请核对",
            )
        )
    if getattr(doc, "kind", "") == "minutes" and date:
        for i, item in enumerate(doc.items, 1):
            if item.deadline and item.deadline < date:
                out.append(
                    Finding(
                        "dates",
                        f"第{item.seq}项议定事项的完成时限 {format_date(item.deadline)} "
                        f"早于会议纪要日期 {format_date(date)}",
                        "warning",
                        file,
                        f"items[{i}].deadline（议定事项[{i}].完成时限）",
                        suggestion="请核对完成时限",
                    )
                )
    return out
