"""The ledger as an office keeps it in Excel: 督办台账.xlsx.

One sheet per meeting (one row per notice: header frozen, filters on, status
cells coloured, overdue rows red, feedback wrapped) and a summary sheet with
counts per unit and status and a bar chart of them. The batch writes its
督办台账.xlsx with this same function, over the notices it has just issued.

openpyxl's write-only mode with a handful of shared styles: styling every
cell of a normal workbook costs about a second per thousand rows, and the
batch's budget is about ten milliseconds a notice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from copy import copy
from typing import Any

from docgen.cells import set_cell
from docgen.ledger.schema import STATUSES
from docgen.ledger.store import GROUPS, SOON_DAYS, Notice

COLUMNS = (
    ("编号", 24),
    ("承办单位", 22),
    ("议定事项序号", 10),
    ("督办事项", 50),
    ("配合单位", 28),
    ("完成时限", 12),
    ("原完成时限", 12),
    ("状态", 9),
    ("逾期", 12),
    ("办理情况", 50),
    ("反馈日期", 12),
    ("签收人", 10),
    ("签收日期", 12),
    ("催办次数", 8),
    ("最近催办等级", 10),
    ("PDF 文件", 40),
    ("Word 文件", 40),
    ("PDF SHA-256", 20),
    ("Word SHA-256", 20),
)
# Excel's own palette for good / neutral / bad, so a clerk reads them as Excel means them.
STATUS_FILL = {
    "已发出": "EDEDED",
    "已签收": "DDEBF7",
    "办理中": "FFEB9C",
    "已办结": "C6EFCE",
}
OVERDUE_FILL, OVERDUE_FONT = "FFC7CE", "9C0006"
STATUS_COL = 7  # 状态
WRAPPED = (3, 4, 9)  # 督办事项, 配合单位, 办理情况: long texts wrap
SHEET_NAME_MAX = 31  # Excel's limit
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(meeting: str, taken: set[str]) -> str:
    base = (meeting or "未注明会议").translate(_BAD_SHEET_CHARS)[:SHEET_NAME_MAX]
    name, n = base, 2
    while name in taken or name == "汇总":
        suffix = f"({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


class _Styles:
    """The few shared style objects every cell points at."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.bold = Font(bold=True)
        self.heading = Font(bold=True, size=14)
        self.red = Font(color=OVERDUE_FONT)
        self.red_bold = Font(color=OVERDUE_FONT, bold=True)
        self.header_fill = PatternFill("solid", fgColor="D9D9D9")
        self.overdue = PatternFill("solid", fgColor=OVERDUE_FILL)
        self.status = {s: PatternFill("solid", fgColor=c) for s, c in STATUS_FILL.items()}
        self._protos: dict[tuple[int, bool, str], Any] = {}

    def style(self, ws: Any, col: int, late: bool, status: str) -> Any:
        """The style array of a data cell, made once per kind of cell.

        Assigning font, fill and alignment to a cell looks each up in the
        workbook's style tables (hashing the objects); copying a prototype's
        style array instead keeps the batch's 督办台账 as fast as it was.
        """
        from openpyxl.cell import WriteOnlyCell

        status_col = col == STATUS_COL
        key = (col if col in WRAPPED or status_col else -1, late, status if status_col else "")
        proto = self._protos.get(key)
        if proto is None:
            proto = WriteOnlyCell(ws)
            proto.alignment = self.wrap if col in WRAPPED else self.top
            if late:
                proto.fill, proto.font = self.overdue, self.red
            if status_col:
                proto.fill = self.status.get(status, proto.fill)
                if late:
                    proto.font = self.red_bold
            self._protos[key] = proto
        return proto._style  # noqa: SLF001


def _files(n: Notice) -> tuple[str, str, str, str]:
    pdf = next(((k, v) for k, v in n.files.items() if k.endswith(".pdf")), ("", ""))
    docx = next(((k, v) for k, v in n.files.items() if k.endswith(".docx")), ("", ""))
    return pdf[0], docx[0], pdf[1], docx[1]


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _notice_sheet(
    wb: Any, name: str, title: str, notices: Sequence[Notice], as_of: dt.date, st: _Styles
) -> None:
    ws = _start_sheet(wb, name, title, len(notices), as_of, st)
    for n in notices:
        ws.append(_notice_row(ws, n, as_of, st))


def _start_sheet(wb: Any, name: str, title: str, count: int, as_of: dt.date, st: _Styles) -> Any:
    """A meeting's sheet up to its first notice: widths, frozen panes, filter, heading, header.

    ``count``: how many notices will follow (the filter covers them all).
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    for i, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B3"  # the header and the number stay in view
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A2:{last}{count + 2}"
    heading = set_cell(
        WriteOnlyCell(ws), f"{title}（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
    )
    heading.font = st.heading
    ws.append([heading])
    header = []
    for label, _ in COLUMNS:
        cell = set_cell(WriteOnlyCell(ws), label)
        cell.font, cell.fill = st.bold, st.header_fill
        header.append(cell)
    ws.append(header)
    return ws


def _notice_row(ws: Any, n: Notice, as_of: dt.date, st: _Styles) -> list[Any]:
    """One notice's row: its cells styled by column, status and lateness; empty ones left out."""
    from openpyxl.cell import WriteOnlyCell

    late = n.days_overdue(as_of)
    if late:
        flag = f"逾期{late}天"
    elif n.due_within(as_of, SOON_DAYS):
        flag = f"{(n.deadline - as_of).days}天内到期" if n.deadline else ""
    else:
        flag = ""
    pdf, docx, pdf_hash, docx_hash = _files(n)
    values: list[Any] = [
        n.number,
        n.unit,
        n.item_seqs,
        n.matter,
        n.support,
        _iso(n.deadline),
        _iso(n.original_deadline) if n.original_deadline != n.deadline else "",
        n.status,
        flag,
        n.last_feedback,
        _iso(n.last_feedback_on),
        n.signed_by,
        _iso(n.signed_on),
        n.reminders,
        n.last_grade,
        pdf,
        docx,
        pdf_hash,
        docx_hash,
    ]
    row: list[Any] = []
    for i, value in enumerate(values):
        if not late and i != STATUS_COL and value in ("", 0, None):
            row.append(None)  # nothing to show or colour: no cell is written at all
            continue
        cell = WriteOnlyCell(ws)
        cell._style = copy(st.style(ws, i, late > 0, n.status))  # noqa: SLF001
        row.append(set_cell(cell, value))  # after the style: it may add a quote prefix
    return row


def _summary_sheet(wb: Any, notices: Sequence[Notice], as_of: dt.date, st: _Styles) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet("汇总")
    ws.column_dimensions["A"].width = 30
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 11
    heading = set_cell(WriteOnlyCell(ws), f"督办事项汇总（截至{as_of.isoformat()}）")
    heading.font = st.heading
    ws.append([heading])
    labels = ["承办单位", *STATUSES, *GROUPS[1:], "合计"]
    header = []
    for label in labels:
        cell = set_cell(WriteOnlyCell(ws), label)
        cell.font, cell.fill = st.bold, st.header_fill
        header.append(cell)
    ws.append(header)
    per_unit: dict[str, list[int]] = {}
    for n in notices:
        counts = per_unit.setdefault(n.unit, [0] * (len(labels) - 1))
        counts[STATUSES.index(n.status)] += 1
        group = n.group(as_of)
        if group in GROUPS[1:]:
            counts[len(STATUSES) + GROUPS[1:].index(group)] += 1
        counts[-1] += 1
    for unit, counts in per_unit.items():
        ws.append([set_cell(WriteOnlyCell(ws), unit), *counts])
    totals = [sum(c[i] for c in per_unit.values()) for i in range(len(labels) - 1)]
    total_label = set_cell(WriteOnlyCell(ws), "合计")
    total_label.font = st.bold
    ws.append([total_label, *totals])
    if per_unit:
        # Items per unit by status, stacked; Excel draws it natively and can restyle it.
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = "各承办单位督办事项办理情况"
        chart.y_axis.title = "事项数"
        first, last = 3, 2 + len(per_unit)
        data = Reference(ws, min_col=2, max_col=1 + len(STATUSES), min_row=2, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.height = max(7.5, 0.6 * len(per_unit) + 3)
        chart.width = 22
        ws.add_chart(chart, f"A{last + 3}")


def workbook_bytes(notices: Sequence[Notice], as_of: dt.date, *, title: str | None = None) -> bytes:
    """The whole workbook; one sheet per meeting in the order they were held, then 汇总."""
    wb, st = _new_workbook()
    by_meeting: dict[str, list[Notice]] = {}
    for n in notices:
        by_meeting.setdefault(n.meeting, []).append(n)
    if not by_meeting:
        by_meeting[""] = []
    taken: set[str] = set()
    for meeting, rows in by_meeting.items():
        name = sheet_name(meeting, taken)
        heading = (
            title if title and len(by_meeting) == 1 else f"{meeting or '督办事项'}议定事项督办台账"
        )
        _notice_sheet(wb, name, heading, rows, as_of, st)
    return _finished(wb, notices, as_of, st)


class MeetingBook:
    """One meeting's workbook written as its notices come, in the sheet's order.

    The same workbook as ``workbook_bytes(notices, as_of, title=title)`` over
    the same notices of one meeting: the batch adds each notice's row while
    the other notices are still rendering, so only the summary sheet and the
    zip are left to do after the last one.
    """

    def __init__(self, meeting: str, title: str, count: int, as_of: dt.date) -> None:
        self._wb, self._st = _new_workbook()
        self._as_of = as_of
        name = sheet_name(meeting, set())
        self._ws = _start_sheet(self._wb, name, title, count, as_of, self._st)
        self.notices: list[Notice] = []

    def add(self, notices: Sequence[Notice]) -> None:
        """The next notices of the sheet, in its order."""
        for n in notices:
            self._ws.append(_notice_row(self._ws, n, self._as_of, self._st))
        self.notices += notices

    def finish(self) -> bytes:
        return _finished(self._wb, self.notices, self._as_of, self._st)


def _new_workbook() -> tuple[Any, _Styles]:
    from docgen.excel import load_openpyxl

    load_openpyxl()
    from openpyxl import Workbook

    return Workbook(write_only=True), _Styles()


def _finished(wb: Any, notices: Sequence[Notice], as_of: dt.date, st: _Styles) -> bytes:
    """The summary sheet added, the workbook's bytes."""
    _summary_sheet(wb, notices, as_of, st)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
