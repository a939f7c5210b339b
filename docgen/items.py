"""Agreed items (议定事项) as data: a CSV or .xlsx table → checked ``AgreedItem``s.

The table is what an office keeps in Excel, so errors are said the way the
user sees the sheet: the file, the row number Excel shows (the header is
row 1) and the column header. Every row is checked before anything is
returned, so one run lists all the mistakes.

Also here: the meeting YAML's ``items_file`` (resolved relative to the YAML)
and its optional ``supervision:`` block of batch settings, both hooked into
``pipeline.load_checked`` so ``docgen render meeting.yaml`` works alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from docgen.cells import cell_text
from docgen.models.meeting import AgreedItem, parse_cn_date
from docgen.problems import InputError, Problem, errors
from docgen.text.chars import clean_value
from docgen.units import UnitRegistry, find_registry, split_units

SEQ, MATTER, LEAD, SUPPORT, DEADLINE, REQUIREMENT = (
    "序号",
    "议定事项",
    "牵头单位",
    "配合单位",
    "完成时限",
    "督办要求",
)
COLUMNS = (SEQ, MATTER, LEAD, SUPPORT, DEADLINE, REQUIREMENT)
REQUIRED = (SEQ, MATTER, LEAD)
# English headers are accepted too, for tables exported from other systems.
_HEADER_ALIASES = {
    "seq": SEQ,
    "no": SEQ,
    "matter": MATTER,
    "lead": LEAD,
    "support": SUPPORT,
    "deadline": DEADLINE,
    "requirement": REQUIREMENT,
    "编号": SEQ,
    "事项": MATTER,
    "牵头": LEAD,
    "配合": SUPPORT,
    "时限": DEADLINE,
}
_DATE_HINT = "请写成 2025-09-30、2025/9/30 或 2025年9月30日"
SAVE_AS_UTF8 = "请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，或用记事本另存为 UTF-8"


@dataclass
class ItemRows:
    """The items of a table, the sheet row of each, and what was wrong."""

    items: list[AgreedItem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # sheet row of items[i]
    problems: list[Problem] = field(default_factory=list)
    bad_rows: list[int] = field(default_factory=list)  # rows left out because of errors
    headers: list[str] = field(default_factory=list)


# --- reading the table -------------------------------------------------------------


def decode_csv(raw: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), then GB18030 (a superset of GBK, what Chinese Excel writes)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's “Unicode text” is UTF-16 with tabs; it decodes without ambiguity.
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise InputError(
                    [
                        Problem(
                            f"文件编码无法识别（既不是 UTF-8 也不是 GBK）；{SAVE_AS_UTF8}",
                            file=file,
                        )
                    ]
                ) from None
    if "\ufffd" in text:
        # Text that was already mangled once (saved through a wrong encoding).
        raise InputError(
            [Problem(f"文件中有乱码字符（�），原文已在别处转码损坏；{SAVE_AS_UTF8}", file=file)]
        )
    return text


def _csv_rows(path: Path, what: str = "议定事项表") -> list[list[Any]]:
    file = str(path)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise InputError([Problem(_too_big(what), file=file)])
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem("无法读取文件（不存在或没有权限）", file=file)]) from exc
    text = decode_csv(raw, file)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        # csv says it in English ("field larger than field limit"): say where instead.
        raise InputError(
            [Problem("CSV 格式有误（引号不成对或单元格过长）；请在 Excel 中另存为 CSV", file=file)]
        ) from exc


MAX_CSV_BYTES = 20_000_000
MAX_ROWS = 5_000  # rows holding data; a meeting agrees tens of items, a year's ledger hundreds
MAX_COLUMNS = 200
MAX_XML_CELLS = 2_000_000  # cells in the sheet's XML, empty or not (formatting alone makes them)
# Columns whose merged cell means "the same for every row it covers".
FILL_DOWN = (LEAD, SUPPORT, DEADLINE, REQUIREMENT)


@dataclass
class Sheet:
    """The cells of a sheet that hold data, and what Excel knows about its rows."""

    rows: list[list[Any]]
    hidden: set[int] = field(default_factory=set)  # Excel row numbers (1-based)
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_row, min_col, max_row, max_col


def _xlsx_rows(path: Path, what: str = "议定事项表") -> Sheet:
    """Only the cells that hold data, with a limit; hidden rows and merged ranges noted.

    openpyxl's own row iteration fills every gap up to the sheet's dimension:
    one formatted empty cell at XFD1048576 would make 17 billion. Its streaming
    parser yields only what the file holds, which is what is read here.
    """
    from docgen.excel import load_openpyxl

    load_openpyxl()
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    file = str(path)
    from docgen.ziplimit import zip_problem

    bomb = zip_problem(path)
    if bomb:
        raise InputError([Problem(bomb, file=file)])
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or wrong file
        raise InputError(
            [
                Problem(
                    "无法打开 Excel 文件（文件损坏或不是 .xlsx 格式）；请在 Excel 中另存为 .xlsx",
                    file=file,
                )
            ]
        ) from exc
    try:
        # The sheet named 议定事项 if there is one, else the first.
        ws = wb["议定事项"] if "议定事项" in wb.sheetnames else wb.worksheets[0]
        cells: dict[int, dict[int, Any]] = {}
        sheet = Sheet(rows=[])
        seen = 0
        with ws._get_source() as src:  # noqa: SLF001 - the streaming parser needs the raw part
            parser = WorkSheetParser(
                src,
                ws._shared_strings,  # noqa: SLF001
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,  # noqa: SLF001
                timedelta_formats=wb._timedelta_formats,  # noqa: SLF001
            )
            for row_no, row in parser.parse():
                seen += len(row) + 1
                if seen > MAX_XML_CELLS:
                    raise InputError([Problem(_too_big(what), file=file)])
                for c in row:
                    value = c.get("value")
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    if c["column"] > MAX_COLUMNS:
                        raise InputError(
                            [
                                Problem(
                                    f"第{row_no}行第{c['column']}列有内容；{what}最多 {MAX_COLUMNS} 列",
                                    file=file,
                                    row=row_no,
                                )
                            ]
                        )
                    cells.setdefault(row_no, {})[c["column"]] = value
                if len(cells) > MAX_ROWS:
                    raise InputError([Problem(_too_big(what), file=file)])
            for key, attrs in parser.row_dimensions.items():
                if str(attrs.get("hidden", "0")).lower() in ("1", "true"):
                    sheet.hidden.add(int(key))
            merged = getattr(parser, "merged_cells", None)
            for rng in getattr(merged, "mergeCell", []) or []:
                from openpyxl.utils.cell import range_boundaries

                try:
                    min_col, min_row, max_col, max_row = range_boundaries(rng.ref)
                except (TypeError, ValueError):
                    continue
                sheet.merged.append((min_row, min_col, max_row, max_col))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            [Problem("Excel 文件内容损坏，无法读取；请在 Excel 中打开后另存为 .xlsx", file=file)]
        ) from exc
    finally:
        wb.close()
    if cells:
        last = max(cells)
        if last > MAX_ROWS * 4:
            raise InputError(
                [
                    Problem(
                        f"第{last}行有内容，离表格其余部分太远（{what}最多 {MAX_ROWS} 行）；"
                        "请删除表格下方多余的内容",
                        file=file,
                        row=last,
                    )
                ]
            )
        width = max(max(r) for r in cells.values())
        # Rows are Excel's numbering: list index + 1 is the row number.
        sheet.rows = [
            [cells.get(r, {}).get(c) for c in range(1, width + 1)] for r in range(1, last + 1)
        ]
    return sheet


def _too_big(what: str = "议定事项表") -> str:
    keep = "议定事项" if what == "议定事项表" else "需要的内容"
    return (
        f"表格过大：{what}最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列有内容；"
        f"请只保留{keep}，或删除表格下方、右侧多余的内容和格式"
    )


def read_table(path: Path, what: str = "议定事项表") -> list[list[Any]]:
    return read_sheet(path, what).rows


def read_sheet(path: Path, what: str = "议定事项表") -> Sheet:
    """The sheet's rows; ``what`` names the table in messages (its limits are the same)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, what)
    if suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(path, what)
        if sum(1 for r in rows if any(cell_text(v) for v in r)) > MAX_ROWS:
            raise InputError([Problem(_too_big(what), file=str(path))])
        return Sheet(rows=rows)
    if suffix == ".xls":
        raise InputError(
            [Problem("不支持旧版 .xls；请在 Excel 中另存为 .xlsx 或 CSV UTF-8", file=str(path))]
        )
    raise InputError([Problem(f"{what}应为 .csv 或 .xlsx 文件", file=str(path))])


_cell = cell_text  # the name the workbench's batch preview reads cells by


def _apply_merges(sheet: Sheet, headers: list[str], header_row: int, file: str) -> list[Problem]:
    """Merged cells below the header: Excel keeps the value in the first row only.

    A merged 牵头单位 (or 配合单位, 完成时限, 督办要求) means "the same for these
    rows", so the value is filled into each row and said; a merged 序号 or
    议定事项 cannot be meant for several items and is an error.
    """
    out: list[Problem] = []
    for min_row, min_col, max_row, max_col in sheet.merged:
        if max_row <= min_row or min_row <= header_row:
            continue  # one row only, or the title / header above the items
        for col in range(min_col, max_col + 1):
            name = headers[col - 1] if col - 1 < len(headers) else ""
            top = sheet.rows[min_row - 1] if min_row - 1 < len(sheet.rows) else []
            value = top[min_col - 1] if min_col - 1 < len(top) else None
            span = f"第{min_row}–{max_row}行"
            if name in (SEQ, MATTER):
                out.append(
                    Problem(
                        f"{span}的“{name}”是合并单元格，只有第{min_row}行有内容；"
                        "请在 Excel 中取消合并，每行填写一项",
                        field=name,
                        file=file,
                        row=min_row,
                    )
                )
                continue
            for r in range(min_row + 1, min(max_row, len(sheet.rows)) + 1):
                row = sheet.rows[r - 1]
                row.extend([None] * (col - len(row)))
                row[col - 1] = value
            if name in FILL_DOWN and cell_text(value):
                out.append(
                    Problem(
                        f"{span}的“{name}”是合并单元格，Excel 只在第{min_row}行存有内容；"
                        f"已按“{cell_text(value)[:40]}”填入这几行（各行分别生成督办单）",
                        field=name,
                        file=file,
                        row=min_row,
                        severity="warning",
                    )
                )
    return out


def _header_name(value: Any) -> str:
    # Headers often carry a required-field star or stray spaces: “*牵头单位 ”.
    name = cell_text(value).replace("\ufeff", "").strip(" *＊\u3000")
    return _HEADER_ALIASES.get(name.lower(), _HEADER_ALIASES.get(name, name))


def _find_header(rows: list[list[Any]]) -> int | None:
    """Index of the header row: the first of the top rows naming 议定事项 (a title row may precede)."""
    for i, row in enumerate(rows[:10]):
        if MATTER in {_header_name(v) for v in row}:
            return i
    return None


# --- checking the rows -------------------------------------------------------------


def load_items(
    path: str | Path,
    units: UnitRegistry | None = None,
    *,
    meeting_date: dt.date | None = None,
) -> ItemRows:
    """Read and check every row; file-level faults raise InputError, row faults are collected."""
    path = Path(path)
    file = str(path)
    sheet = read_sheet(path)
    table = sheet.rows
    header_at = _find_header(table)
    if header_at is None:
        found = (
            "、".join(cell_text(v) for v in (table[0] if table else []) if cell_text(v)) or "（空）"
        )
        raise InputError(
            [
                Problem(
                    f"找不到表头：第一行应为 {'、'.join(COLUMNS)}（现为 {found}）",
                    file=file,
                    row=1,
                )
            ]
        )
    headers = [_header_name(v) for v in table[header_at]]
    header_row = header_at + 1
    missing = [c for c in REQUIRED if c not in headers]
    problems: list[Problem] = [
        Problem(f"缺少“{c}”列；表头应包含 {'、'.join(COLUMNS)}", field=c, file=file, row=header_row)
        for c in missing
    ]
    dup_headers = sorted({h for h in headers if h and headers.count(h) > 1})
    problems += [
        Problem(f"表头“{h}”出现了不止一次", field=h, file=file, row=header_row) for h in dup_headers
    ]
    if problems:
        raise InputError(problems)
    problems += [
        Problem(
            f"没有“{c}”列，督办单中此项按默认填写",
            field=c,
            file=file,
            row=header_row,
            severity="warning",
        )
        for c in (SUPPORT, DEADLINE, REQUIREMENT)
        if c not in headers
    ]
    col = {h: i for i, h in enumerate(headers) if h}
    extra_cols = [(h, i) for h, i in col.items() if h not in COLUMNS]

    out = ItemRows(headers=headers, problems=problems)
    out.problems += _apply_merges(sheet, headers, header_row, file)
    seen: dict[int, int] = {}  # 序号 → the row where it first appeared
    for index in range(header_at + 1, len(table)):
        values = table[index]
        row_no = index + 1
        if not any(cell_text(v) for v in values):
            continue  # blank lines between items are harmless
        if row_no in sheet.hidden:
            # Hidden (or filtered out) in Excel: the clerk does not see it, so it gets no notice.
            out.problems.append(
                Problem(
                    "此行在 Excel 中是隐藏行，已跳过（不生成督办单）；需要时请取消隐藏",
                    file=file,
                    row=row_no,
                    severity="warning",
                )
            )
            continue

        def get(name: str, values: list[Any] = values) -> Any:
            i = col.get(name)
            return values[i] if i is not None and i < len(values) else None

        item, row_problems = _check_row(
            get, row_no, file, units, seen, meeting_date, [(h, get(h)) for h, _ in extra_cols]
        )
        out.problems += row_problems
        if item is None or errors(row_problems):
            out.bad_rows.append(row_no)
        else:
            out.items.append(item)
            out.rows.append(row_no)
    if not out.items and not out.bad_rows:
        out.problems.append(Problem("表中没有议定事项（表头下面是空的）", file=file))
    return out


def _check_row(
    get: Any,
    row: int,
    file: str,
    units: UnitRegistry | None,
    seen: dict[int, int],
    meeting_date: dt.date | None,
    extras: list[tuple[str, Any]],
) -> tuple[AgreedItem | None, list[Problem]]:
    problems: list[Problem] = []

    def err(field: str, message: str, severity: str = "error") -> None:
        problems.append(Problem(message, field=field, file=file, row=row, severity=severity))  # type: ignore[arg-type]

    seq_raw = get(SEQ)
    seq: int | None = None
    text = cell_text(seq_raw).rstrip(".、．")
    if not text:
        err(SEQ, "序号为空；请填写 1、2、3…")
    else:
        try:
            value = float(text) if isinstance(seq_raw, float) else int(text)
            if value != int(value) or int(value) < 1:
                raise ValueError
            seq = int(value)
        except ValueError:
            err(SEQ, f"序号“{text}”不是正整数；请填写 1、2、3…")
    if seq is not None:
        if seq in seen:
            err(SEQ, f"序号 {seq} 与第{seen[seq]}行重复")
        else:
            seen[seq] = row

    matter = cell_text(get(MATTER))
    if not matter:
        err(MATTER, "议定事项为空；请填写会议议定的具体事项")

    def units_of(name: str) -> list[str]:
        cell = get(name)
        if units is None:
            return split_units(cell)
        names, unit_problems = units.check_cell(cell, column=name, file=file, row=row)
        problems.extend(unit_problems)
        return names

    lead = units_of(LEAD)
    if not split_units(get(LEAD)):
        err(LEAD, "牵头单位为空；每项议定事项须有牵头单位")
    support = [u for u in units_of(SUPPORT) if u not in lead]

    deadline: dt.date | None = None
    raw_deadline = get(DEADLINE)
    if isinstance(raw_deadline, (dt.date, dt.datetime)):
        deadline = raw_deadline.date() if isinstance(raw_deadline, dt.datetime) else raw_deadline
    elif cell_text(raw_deadline):
        try:
            parsed = parse_cn_date(cell_text(raw_deadline))
        except ValueError as exc:
            err(DEADLINE, f"{exc}；{_DATE_HINT}")
        else:
            if isinstance(parsed, dt.date):
                deadline = parsed
            else:
                err(DEADLINE, f"完成时限“{cell_text(raw_deadline)}”无法识别；{_DATE_HINT}")
    if deadline and meeting_date and deadline < meeting_date:
        err(DEADLINE, f"完成时限 {deadline.isoformat()} 早于会议日期", "warning")

    if errors(problems):
        return None, problems
    try:
        item = AgreedItem.model_validate(
            {
                "seq": seq,
                "matter": matter,
                "lead": lead,
                "support": support,
                "deadline": deadline,
                "requirement": cell_text(get(REQUIREMENT)) or None,
                "extra": {h: cell_text(v) for h, v in extras},
            }
        )
    except ValidationError as exc:  # characters that must not print (text/chars.py), and the like
        from docgen.loader import translate_errors

        names = {"seq": SEQ, "matter": MATTER, "lead": LEAD, "support": SUPPORT}
        names |= {"deadline": DEADLINE, "requirement": REQUIREMENT, "extra": "其他列"}
        for e, p in zip(exc.errors(), translate_errors(exc, AgreedItem, file)):
            column = names.get(str(e["loc"][0]), p.field) if e["loc"] else ""
            err(column, p.message)
        return None, problems
    return item, problems


def check_item_units(
    items: list[AgreedItem], units: UnitRegistry, file: str = ""
) -> tuple[list[AgreedItem], list[Problem]]:
    """Inline YAML items with canonical unit names (new items), unknown names reported."""
    problems: list[Problem] = []
    out: list[AgreedItem] = []
    for i, item in enumerate(items, 1):
        canonical: dict[str, list[str]] = {}
        for attr, label in (("lead", "牵头单位"), ("support", "配合单位")):
            names, found = units.check_cell(
                getattr(item, attr), column=f"items[{i}].{attr}（议定事项[{i}].{label}）", file=file
            )
            problems += found
            if not found:
                canonical[attr] = names
        out.append(item.model_copy(update=canonical) if canonical else item)
    return out, problems


# --- the meeting YAML: items_file and the supervision block ------------------------


class SupervisionSettings(BaseModel):
    """The meeting YAML's ``supervision:`` (督办:) block, read by ``docgen batch``."""

    model_config = ConfigDict(
        populate_by_name=True, extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: object) -> object:
        return clean_value(value)

    code: str | None = Field(None, alias="代字", description="督办单编号的机关代字，如 高文联办督")
    contact: str | None = Field(None, alias="联系人")
    phone: str | None = Field(None, alias="联系电话")
    date: dt.date | None = Field(None, alias="成文日期", description="默认同会议纪要日期")
    office: str | None = Field(None, alias="督办机关", description="默认为纪要的编发机关")
    minutes_ref: str | None = Field(None, alias="纪要", description="默认 第N期 或纪要编号")
    feedback_by: dt.date | None = Field(None, alias="反馈时限")
    form_title: str | None = Field(None, alias="标题")
    seal: bool | None = Field(
        None,
        alias="印章",
        description="督办机关有无印章；联席会议不刻制印章时填 false（署名按 GB/T 9704 7.3.5.2）",
    )
    units_file: str | None = Field(
        None, alias="成员单位名录", description="默认为会议文件旁的 member-units.yaml"
    )
    # docgen supervise remind: the 催办单's own number series and its grades (三色督办).
    remind_code: str | None = Field(
        None, alias="催办代字", description="催办单编号的机关代字，如 高文联办催"
    )
    red_head_days: int = Field(
        30, alias="红头催办天数", ge=1, le=3650, description="逾期超过此天数的事项发红头催办单"
    )
    reply_days: int = Field(
        7, alias="催办反馈天数", ge=1, le=3650, description="催办单的反馈时限：几天内"
    )
    # docgen supervise feedback --meeting: feedback dated after today (a typo, most often).
    future_feedback: Literal["refuse", "warn"] = Field(
        "refuse",
        alias="未来日期反馈",
        description="反馈日期晚于今天（或记录日期）时：refuse 拒绝整份文件（默认），warn 照常记录并提醒",
    )

    @field_validator("future_feedback", mode="before")
    @classmethod
    def _future(cls, v: object) -> object:
        return {"拒绝": "refuse", "提醒": "warn", "警告": "warn"}.get(str(v).strip(), v)

    @field_validator("date", "feedback_by", mode="before")
    @classmethod
    def _dates(cls, v: object) -> object:
        return parse_cn_date(v)


SETTINGS_KEYS = ("supervision", "督办")


def pop_settings(raw: dict[str, Any], file: str = "") -> SupervisionSettings:
    """Take the batch's ``supervision:`` block out of a meeting mapping (it is not part of the 纪要)."""
    if raw.get("kind", raw.get("类型")) not in ("minutes", "纪要"):
        return SupervisionSettings()  # other kinds keep the key, and the loader refuses it
    block: Any = None
    for key in SETTINGS_KEYS:
        if key in raw:
            block = raw.pop(key)
    if block is None:
        return SupervisionSettings()
    if not isinstance(block, dict):
        raise InputError(
            [Problem("应为“字段: 值”形式的映射", field="supervision（督办）", file=file)]
        )
    from docgen import loader

    early = loader.given_twice(block, SupervisionSettings, file) + loader.loose_numbers(
        block, SupervisionSettings, file
    )
    try:
        if early:
            raise InputError(early)
        return SupervisionSettings.model_validate(block)
    except InputError as exc:
        raise InputError(
            [Problem(p.message, f"supervision.{p.field}", p.file) for p in exc.problems]
        ) from None
    except ValidationError as exc:
        raise InputError(
            [
                Problem(p.message, f"supervision.{p.field}", p.file)
                for p in loader.translate_errors(exc, SupervisionSettings, file)
            ]
        ) from None


def unit_registry_for(
    source: Path, settings: SupervisionSettings | None = None
) -> UnitRegistry | None:
    path = find_registry(source.parent, settings.units_file if settings else None)
    return UnitRegistry.load(path) if path else None


def attach_items(
    doc: Any,
    source: str | Path,
    settings: SupervisionSettings | None = None,
    *,
    skip_invalid: bool = False,
) -> tuple[Any, list[Problem]]:
    """A 纪要 built with its items from its ``items_file`` (relative to the YAML), unit names
    checked (the validated model is not changed); any other model as it is. Every problem
    (errors included) is returned, not raised, to be reported with the model's own."""
    if getattr(doc, "kind", "") != "minutes":
        return doc, []
    source = Path(source)
    file = str(source)
    try:
        units = unit_registry_for(source, settings)
    except InputError as exc:
        return doc, exc.problems
    if not doc.items_file:
        checked, problems = check_item_units(doc.items, units, file) if units else (doc.items, [])
        return doc.model_copy(update={"items": checked}), problems
    if doc.items:
        return doc, [
            Problem(
                "议定事项 与 议定事项文件 只能填写一个",
                field="items_file（议定事项文件）",
                file=file,
            )
        ]
    table = Path(doc.items_file)
    table = table if table.is_absolute() else source.parent / table
    if not table.is_file():
        return doc, [
            Problem(
                f"议定事项文件“{doc.items_file}”不存在（按会议文件所在文件夹查找：{table}）",
                field="items_file（议定事项文件）",
                file=file,
            )
        ]
    try:
        result = load_items(table, units, meeting_date=getattr(doc, "date", None))
    except InputError as exc:
        return doc, exc.problems
    problems = result.problems
    if skip_invalid:
        # The rows left out are reported as warnings; the rest go ahead.
        problems = [
            p
            if p.severity == "warning"
            else Problem(f"{p.message}（已跳过此行）", p.field, p.file, p.row, "warning")
            for p in problems
        ]
    return doc.model_copy(update={"items": result.items}), problems
