"""What units send back, read into feedback entries: a returned form, a table, a phone call.

Reading only: every entry is checked here for what a file alone can tell
(empty 办理情况, a date that is no date, a 是否办结 that is neither 是 nor
否); what needs the ledger (an unknown number, a date before the notice, a
unit that is not the notice's) is checked by Ledger.record_feedback inside
its transaction. Every problem names the file, the row and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from docgen.cells import cell_text
from docgen.ledger.store import Entry
from docgen.problems import InputError, Problem, Severity

NUMBER = re.compile(r"[^\s\t（(]+?〔\d{4}〕\d+号")
NUMBER_COL, TEXT_COL, DONE_COL, DATE_COL = "编号", "办理情况", "是否办结", "反馈日期"
_HEADER_ALIASES = {
    "文号": NUMBER_COL,
    "督办单编号": NUMBER_COL,
    "督办编号": NUMBER_COL,
    "number": NUMBER_COL,
    "反馈内容": TEXT_COL,
    "办理情况反馈": TEXT_COL,
    "落实情况": TEXT_COL,
    "text": TEXT_COL,
    "办结": DONE_COL,
    "是否完成": DONE_COL,
    "done": DONE_COL,
    "日期": DATE_COL,
    "反馈时间": DATE_COL,
    "date": DATE_COL,
}
_YES = {"是", "已办结", "办结", "完成", "已完成", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "未办结", "未完成", "在办", "n", "no", "false", "0", "×", ""}
FORM_TEXT_LABEL, FORM_UNIT_LABEL, FORM_SIGN_LABEL = "办理情况", "承办单位", "签收人及日期"
# What the form says the notice is about: 督办单 (来源) and 催办单 (原督办单) rows.
FORM_MATTER_LABEL, FORM_SOURCE_LABEL, FORM_ORIGINAL_LABEL = "督办事项", "督办事项来源", "原督办单"
_SIGN = re.compile(r"签收人[：:]?(?P<who>.*?)签收日期[：:]?(?P<date>.*)$", re.S)
_BLANK_DATE = re.compile(r"^[\s\u3000年月日]*$")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_date(value: Any) -> dt.date | None:
    """A date as clerks write it (or Excel stores it); None when it is none."""
    from docgen.models.meeting import parse_cn_date

    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        value = re.sub(r"[\s\u3000]", "", value)
    try:
        parsed = parse_cn_date(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dt.date) else None


def parse_done(value: Any) -> bool | None:
    text = cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


# --- a table: CSV or .xlsx -----------------------------------------------------------


def _header(value: Any) -> str:
    name = cell_text(value).replace("\ufeff", "").strip(" *＊\u3000")
    return _HEADER_ALIASES.get(name.lower(), name)


def read_table_entries(path: Path) -> tuple[list[Entry], list[Problem]]:
    """Rows of 编号, 办理情况, 是否办结, 反馈日期 (other columns kept as the note), and notes.

    A row hidden in Excel is skipped with a note, as the batch skips a hidden
    item: the clerk who checked the sheet did not see it.
    """
    from docgen.items import read_sheet

    file = str(path)
    sheet = read_sheet(path, "反馈表")
    rows = sheet.rows
    notes: list[Problem] = []
    header_at = next(
        (
            i
            for i, row in enumerate(rows[:10])
            if {NUMBER_COL, TEXT_COL} <= {_header(v) for v in row}
        ),
        None,
    )
    if header_at is None:
        raise InputError(
            [
                Problem(
                    f"找不到表头：反馈表应有“{NUMBER_COL}”“{TEXT_COL}”“{DONE_COL}”“{DATE_COL}”列",
                    field="表头",
                    file=file,
                )
            ]
        )
    headers = [_header(v) for v in rows[header_at]]
    missing = [c for c in (DONE_COL, DATE_COL) if c not in headers]
    if missing:
        raise InputError(
            [Problem(f"缺少“{c}”列", field=c, file=file, row=header_at + 1) for c in missing]
        )
    col = {name: headers.index(name) for name in (NUMBER_COL, TEXT_COL, DONE_COL, DATE_COL)}
    others = [(i, h) for i, h in enumerate(headers) if h and h not in col]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for index, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = list(row) + [None] * (len(headers) - len(row))
        if not any(cell_text(v) for v in cells):
            continue  # blank rows are common in a sheet; they say nothing
        if index in sheet.hidden:
            notes.append(
                Problem(
                    "此行在 Excel 中是隐藏行，已跳过（未记录）；需要时请取消隐藏后再交",
                    file=file,
                    row=index,
                    severity="warning",
                )
            )
            continue

        def where(field: str, msg: str, row_no: int = index) -> Problem:
            return Problem(msg, field=field, file=file, row=row_no)

        number = cell_text(cells[col[NUMBER_COL]]).replace(" ", "")
        text = cell_text(cells[col[TEXT_COL]])
        done = parse_done(cells[col[DONE_COL]])
        raw_date = cells[col[DATE_COL]]
        date = parse_date(raw_date)
        bad = len(problems)
        if not number:
            problems.append(
                where(NUMBER_COL, "编号为空：请填写督办单上的编号，如 高文联办督〔2025〕3号")
            )
        if not text:
            problems.append(where(TEXT_COL, "办理情况为空：请填写单位反馈的办理情况"))
        if done is None:
            problems.append(where(DONE_COL, f"“{cell_text(cells[col[DONE_COL]])}”应为 是 或 否"))
        if date is None:
            shown = cell_text(raw_date)
            problems.append(
                where(
                    DATE_COL,
                    f"反馈日期“{shown}”无法识别；请写成 2025-09-30 或 2025年9月30日"
                    if shown
                    else "反馈日期为空：请填写单位反馈的日期",
                )
            )
        if len(problems) > bad:
            continue
        note = "；".join(f"{h}：{cell_text(cells[i])}" for i, h in others if cell_text(cells[i]))
        assert date is not None and done is not None
        entries.append(Entry(number, text, date, done, row=index, note=note))
    if problems:
        raise InputError(problems)
    if not entries:
        raise InputError([Problem("表中没有反馈记录（表头下没有内容）", file=file), *notes])
    return entries, notes


# --- a returned form: the notice's own .docx -----------------------------------------


def read_form_entries(path: Path, today: dt.date) -> list[Entry]:
    """The 督办单 (or 催办单) .docx a unit returns with 办理情况 filled in.

    The number is the one printed in the form's head; the unit is the form's
    承办单位 row, checked against the ledger; 签收人 and 签收日期 come from
    their row when filled. The feedback is dated the day it is recorded
    (the form has no date of its own for it).
    """
    from docgen.wordfile import WordFileError, open_word

    file = str(path)
    try:
        doc, _ = open_word(path)
    except WordFileError as exc:
        raise InputError([Problem(f"无法打开 Word 文件：{exc}", file=file)]) from None
    number = ""
    for p in doc.paragraphs:
        m = NUMBER.search(p.text.replace(" ", ""))
        if m:
            number = m.group(0).strip()
            break
    cells: dict[str, str] = {}
    for table in doc.tables:
        for row in table.rows:
            if len(row.cells) >= 2:
                label = re.sub(r"\s", "", row.cells[0].text)
                cells.setdefault(label, row.cells[-1].text.strip())
    problems: list[Problem] = []
    if not number:
        problems.append(
            Problem("表头中找不到督办单编号（如 高文联办督〔2025〕3号）", field="编号", file=file)
        )
    if FORM_TEXT_LABEL not in cells:
        problems.append(
            Problem(
                "找不到“办理情况”一栏：这不是 docgen 发出的督办单或催办单",
                field="办理情况",
                file=file,
            )
        )
    text = cells.get(FORM_TEXT_LABEL, "")
    if FORM_TEXT_LABEL in cells and not text:
        problems.append(
            Problem("办理情况为空：请单位在“办理情况”栏填写后再交回", field="办理情况", file=file)
        )
    signed_by, signed_on = "", None
    sign = cells.get(FORM_SIGN_LABEL, "")
    m = _SIGN.search(sign)
    if m:
        signed_by = re.sub(r"[\s\u3000]", "", m.group("who"))
        raw = m.group("date").strip()
        if not _BLANK_DATE.match(raw):
            signed_on = parse_date(raw)
            if signed_on is None:
                problems.append(
                    Problem(
                        f"签收日期“{raw}”无法识别；请写成 2025年9月30日",
                        field="签收人及日期",
                        file=file,
                    )
                )
    if problems:
        raise InputError(problems)
    return [
        Entry(
            number,
            text,
            today,
            False,
            signed_by=signed_by,
            signed_on=signed_on,
            unit=re.sub(r"\s", "", cells.get(FORM_UNIT_LABEL, "")),
            matter=cells.get(FORM_MATTER_LABEL, ""),
            source=cells.get(FORM_SOURCE_LABEL) or cells.get(FORM_ORIGINAL_LABEL, ""),
        )
    ]


def read_entries(path: Path, today: dt.date) -> tuple[str, list[Entry], list[Problem]]:
    """(source kind, entries, notes) of one file, by its type."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "form", read_form_entries(path, today), []
    if suffix in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"):
        return "table", *read_table_entries(path)
    raise InputError(
        [Problem("反馈文件应为交回的督办单（.docx）或反馈表（.csv、.xlsx）", file=str(path))]
    )


# --- dates after the day of recording ------------------------------------------------


def future_dates(entries: list[Entry], today: dt.date, file: str, policy: str) -> list[Problem]:
    """Feedback (or a signing) dated after ``today``: an error, or with ``policy`` "warn" a note.

    Most often a typo (2052 for 2025); recorded as given, it would stand as the
    latest feedback for years. The office decides in the meeting file
    (supervision: future_feedback) whether it stops the file.
    """
    severity: Severity = "warning" if policy == "warn" else "error"
    out = []
    for e in entries:
        for label, date in (("反馈日期", e.date), ("签收人及日期", e.signed_on)):
            if date is not None and date > today:
                out.append(
                    Problem(
                        f"{label} {date.isoformat()} 晚于今天（{today.isoformat()}）；请核对日期",
                        field=label,
                        file=file,
                        row=e.row,
                        severity=severity,
                    )
                )
    return out
