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


# 2025-02-30, 2025/2/30, 2025.2.30 typed in a sentence.
_NUMERIC = re.compile(r"(?<![\d.])(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\d.])")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN = "〇零一二三四五六七八九十两"
# 二〇二五年二月三十日, 二月三十日, 十三月.
_CN_DATE = re.compile(
    rf"(?:(?P<y>[{_CN}]{{4}})年)?(?P<m>[{_CN}]{{1,3}})月(?:(?P<d>[{_CN}]{{1,3}})[日号])?"
)


def _cn_number(text: str) -> int | None:
    """一 … 九十九 and digit strings like 二〇二五; None when it is not a number."""
    if not text:
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            if ch not in _CN_DIGITS:
                return None
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    t = _CN_DIGITS.get(tens, None) if tens else 1
    o = _CN_DIGITS.get(ones, None) if ones else 0
    return None if t is None or o is None else t * 10 + o


def _matches(text: str):  # noqa: ANN202 - (start, end, year | None, month, day | None)
    if "月" in text:
        for m in _DATE.finditer(text):
            yield m.start(), m.end(), m["y"] and int(m["y"]), int(m["m"]), m["d"] and int(m["d"])
        for m in _CN_DATE.finditer(text):
            month = _cn_number(m["m"])
            if month is None or (m["m"] == "一" and not m["d"]):
                continue  # 一月 alone is as often 一个月's slip as a month
            year = _cn_number(m["y"] or "")
            day = _cn_number(m["d"] or "")
            yield m.start(), m.end(), year, month, day
    if any(sep in text for sep in "-/."):
        for m in _NUMERIC.finditer(text):
            yield m.start(), m.end(), int(m["y"]), int(m["m"]), int(m["d"])


def bad_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, why) for each date in ``text`` that cannot exist."""
    out: list[tuple[int, int, str]] = []
    for start, end, year, month, day in _matches(text):
        m = {"y": year, "d": day}
        if not 1 <= month <= 12:
            out.append((start, end, f"没有{month}月"))
            continue
        if not m["d"]:
            if m["d"] == 0:
                out.append((start, end, "没有0日"))
            continue
        # Without a year, 2月29日 may be right (a leap year).
        y = m["y"] if m["y"] and 1 <= m["y"] <= 9999 else 2024
        last = calendar.monthrange(y, month)[1]
        if not 1 <= day <= last:
            where = f"{y}年{month}月" if m["y"] else f"{month}月"
            out.append((start, end, f"{where}没有{day}日（只有{last}天）"))
    return sorted(set(out))


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
    # Items read from a table are checked as they are read, naming their row (items.py).
    if getattr(doc, "kind", "") == "minutes" and date and not doc.items_file:
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
