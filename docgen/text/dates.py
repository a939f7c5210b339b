"""Dates as 公文 print them."""

from __future__ import annotations

import datetime as dt


def format_date(d: dt.date) -> str:
    """2025年7月7日: Arabic digits, year in full, no leading zeros [7.3.5]."""
    return f"{d.year}年{d.month}月{d.day}日"
