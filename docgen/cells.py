"""Spreadsheet and CSV cells docgen writes (always data, never a formula) and reads back.

Item texts and unit names come from tables that anyone may have edited, and
the ledger is opened in Excel or WPS. A cell starting with ``=`` (or ``+ - @``,
which Excel also evaluates, and DDE payloads such as ``=cmd|' /c calc'!A1``)
must never become a live formula. Every cell docgen writes goes through here:

- .xlsx: text is stored as a typed string with Excel's own "quote prefix"
  (what Excel records when a user types ``'=1+1``), so the cell shows the
  text as written and Excel never evaluates it; characters that XML cannot
  hold are dropped (openpyxl would raise on them);
- CSV: a text cell starting with ``= + - @``, a tab or a carriage return gets
  a leading apostrophe, as OWASP recommends, because CSV has no cell types.

Numbers, dates and booleans stay what they are in both.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Characters Excel may read as the start of a formula (OWASP "CSV injection"),
# plus full-width forms that some spreadsheet programs normalise.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# XML 1.0 cannot hold these; openpyxl refuses them with IllegalCharacterError.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_PLAIN = (int, float, bool, dt.date, dt.datetime, dt.time)


def is_risky(text: str) -> bool:
    """Would a spreadsheet program treat this text as a formula (after leading blanks)?"""
    return text.lstrip(" \u3000").startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A value for csv.writer: numbers as they are, text neutralised with a leading '."""
    if value is None:
        return ""
    if isinstance(value, _PLAIN):
        return value
    text = _XML_ILLEGAL.sub("", str(value))
    return "'" + text if is_risky(text) else text


def csv_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [csv_cell(v) for v in values]


def xlsx_text(value: Any) -> Any:
    """The value to store in an .xlsx cell: numbers and dates kept, everything else as clean text."""
    if value is None or isinstance(value, _PLAIN):
        return value
    return _XML_ILLEGAL.sub("", str(value))


def set_cell(cell: Any, value: Any) -> Any:
    """Put ``value`` into an openpyxl cell (normal or write-only) as data, never a formula.

    Returns the cell, so it can be used inline: ``ws.append([set_cell(WriteOnlyCell(ws), v)])``.
    """
    value = xlsx_text(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl marks any text starting with "=" as a formula ("f"); force plain text.
        cell.data_type = "s"
        if is_risky(value):
            cell.quotePrefix = True
    return cell


def write_only_row(ws: Any, values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """A row for a write-only worksheet's ``append``: every value in a safe cell.

    Values that are already cells (styled by the caller) are made safe in place.
    """
    from openpyxl.cell import WriteOnlyCell

    out = []
    for v in values:
        if hasattr(v, "data_type") and hasattr(v, "value"):
            out.append(set_cell(v, v.value))
        else:
            out.append(set_cell(WriteOnlyCell(ws), v))
    return out


def append_row(ws: Any, values: list[Any] | tuple[Any, ...]) -> None:
    """Append a row of safe cells to a normal (not write-only) worksheet."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, v in enumerate(values, 1):
        set_cell(ws.cell(row=row, column=col), v)


def cell_text(value: Any) -> str:
    """A cell as read back (openpyxl, csv), as the text a clerk sees in it.

    Excel stores 12 as 12.0 and a typed date as a datetime: both come back as
    they were written (``12``, ``2025-09-30``); empty is "", text is stripped.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()
