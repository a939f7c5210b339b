"""Tables in a body or an attachment: rows of cells, header rows, widths, merged cells.

In an input file a table is one entry of a ``body`` list::

    body:
      - 第一段文字。
      - table:                       # 或 表格:
          title: 文物保护项目清单      # 标题，可不填：表格上方居中
          unit: 单位：万元            # 可不填：表格右上方
          header_rows: 1             # 表头行数（跨页时重复），默认 1
          widths: [1, 4, 2]          # 列宽：相对比例，或 "30mm"；可不填（按内容自动）
          rows:
            - [序号, 项目名称, 金额]
            - [1, 羊头山石窟保护工程, "120.00"]
            - [{text: 合计, colspan: 2}, "120.00"]   # 合并单元格：colspan 跨列、rowspan 跨行

A cell is text (numbers are kept as written; quote amounts such as "120.00"
so YAML keeps their zeros) or a mapping with ``text`` and ``colspan`` /
``rowspan`` / ``align``. A line break inside a cell's text starts a new
paragraph in the cell. A cell covered by a merged cell above or to the left
is simply not written: every row lists only the cells that start in it.
"""

from __future__ import annotations

from itertools import chain
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from docgen.models.base import Part
from docgen.spec import LANDSCAPE_BLOCK_WIDTH
from docgen.text.chars import clean_value, unchanged_by_clean

Align = Literal["left", "center", "right"]

_MM = "mm"


def _cell_value(value: object) -> object:
    """A plain value is the cell's text: numbers as written, empty for nothing."""
    if value is None:
        return {"text": ""}
    if isinstance(value, bool):
        return {"text": "是" if value else "否"}
    if isinstance(value, int | float | str):
        return {"text": str(value)}
    return value


class Cell(Part):
    """One cell: its text, and how many columns and rows it spans (merged cells)."""

    text: str = Field("", alias="内容", description="单元格文字；换行另起一段")
    colspan: int = Field(1, alias="跨列", ge=1, le=64, description="向右合并的列数（含本格）")
    rowspan: int = Field(1, alias="跨行", ge=1, le=1000, description="向下合并的行数（含本格）")
    align: Align | None = Field(
        None, alias="对齐", description="left 左 / center 居中 / right 右；默认按列"
    )

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    @property
    def paragraphs(self) -> list[str]:
        """The cell's paragraphs (a line break in the text starts one); at least one."""
        return [p.strip() for p in self.text.splitlines()] or [""]


CellValue = Annotated[Cell, BeforeValidator(_cell_value)]

_new_object = object.__new__
_set_slot = object.__setattr__


def _plain_cell(text: str) -> Cell:
    """The Cell that validating ``{"text": text}`` gives, for text known to pass as it is.

    What pydantic's model_construct does, without its per-field loop: about a
    quarter of validating the cell (a 10,000-row table has 60,000 of them).
    tests/test_tables.py checks it equals the validated cell, fields set included.
    """
    cell = _new_object(Cell)
    _set_slot(cell, "__dict__", {"text": text, "colspan": 1, "rowspan": 1, "align": None})
    _set_slot(cell, "__pydantic_fields_set__", {"text"})
    _set_slot(cell, "__pydantic_extra__", None)
    _set_slot(cell, "__pydantic_private__", None)
    return cell


def plain_rows(value: object) -> list[list[Cell]] | None:
    """Rows whose every cell is text that passes unchanged, as cells; else None.

    The common table (the 通报's 10,000 rows of six cells) checked in one pass
    over all its text instead of cell by cell: the same result as validating
    each cell, which strips the text and then cleans it (text/chars.clean
    changes nothing in printable text without a combining mark). Printable
    text has no whitespace but the plain space, so strip() here and
    pydantic's strip agree. Anything else (numbers, mappings, line breaks,
    ideographic spaces, control characters, rows of unequal length, not
    lists) returns None and is validated cell by cell, with the same messages.
    """
    if type(value) is not list or not value or type(value[0]) is not list:
        return None
    columns = len(value[0])
    banners: dict[int, Cell] = {}  # row → its one cell across the table (a heading), validated
    for r, row in enumerate(value):
        if type(row) is not list:
            return None
        if len(row) == 1 and columns > 1 and type(row[0]) is dict:
            if row[0].get("colspan") != columns or row[0].get("rowspan", 1) != 1:
                return None
            try:
                banners[r] = Cell.model_validate(row[0])
            except ValueError:
                return None  # validated cell by cell, for the message in its place
        elif len(row) != columns:
            return None
    if not columns:
        return None
    rows = [row for r, row in enumerate(value) if r not in banners] if banners else value
    texts = list(chain.from_iterable(rows))
    if set(map(type, texts)) != {str} or not unchanged_by_clean("".join(texts)):
        return None
    # Cells of equal text are one object (a table repeats its units, dates and
    # statuses down the columns): a cell is never changed once validated.
    made: dict[str, Cell] = {text: _plain_cell(text.strip()) for text in dict.fromkeys(texts)}
    if not banners:
        return [list(map(made.__getitem__, row)) for row in value]
    return [
        [banners[r]] if r in banners else list(map(made.__getitem__, row))
        for r, row in enumerate(value)
    ]


class PlacedCell(NamedTuple):
    """A cell with its place on the table's grid (0-based row and column).

    A named tuple: a 10,000-row table places 60,000 of them, and a tuple is
    made at a third of a frozen dataclass's cost.
    """

    row: int
    col: int
    rowspan: int
    colspan: int
    cell: Cell

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def end_col(self) -> int:
        return self.col + self.colspan


def _width_value(value: object) -> object:
    """ "30mm" / "30 mm" / "30毫米" → ("mm", 30); a plain number is a relative share."""
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        for suffix in ("mm", "毫米"):
            if text.endswith(suffix):
                try:
                    return {"mm": float(text[: -len(suffix)])}
                except ValueError:
                    break
        try:
            return {"share": float(text)}
        except ValueError:
            raise ValueError(
                f"列宽“{value}”无法识别；请写比例数字（如 2）或毫米数（如 30mm）"
            ) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"share": float(value)}
    return value


class Width(Part):
    """A column width: ``mm`` fixed, or a ``share`` of what the fixed columns leave."""

    mm: float | None = Field(None, gt=0, description="毫米")
    share: float | None = Field(None, gt=0, description="相对比例")


WidthValue = Annotated[Width, BeforeValidator(_width_value)]


class Table(Part):
    """表格：行、表头行数、列宽、合并单元格；跨页时重复表头，过宽时横排。"""

    # The table's place among the document's tables (document_tables order), given when
    # the document is validated (MainPart): the key of its decision (Decisions.tables),
    # the same in every process that validates the same input.
    _place: int = PrivateAttr(default=-1)

    @property
    def place(self) -> int:
        return self._place

    title: str | None = Field(None, alias="标题", description="表格标题，居中置于表格上方")
    unit: str | None = Field(None, alias="单位", description="如 单位：万元，置于表格右上方")
    header_rows: int = Field(
        1, alias="表头行数", ge=0, description="表头行数，表格跨页时在每页重复"
    )
    rows: list[list[CellValue]] = Field(
        ...,
        alias="行",
        min_length=1,
        description="各行单元格；合并单元格写成 {text, colspan, rowspan}",
    )
    widths: list[WidthValue] | None = Field(
        None,
        alias="列宽",
        description='各列宽度：比例数字（如 [1, 4, 2]）或毫米（如 "30mm"）；不填则按内容自动',
    )
    align: list[Align] | None = Field(
        None, alias="列对齐", description="各列对齐：left / center / right；默认表头居中、数字靠右"
    )
    landscape: bool | None = Field(
        None, alias="横排", description="true 横排（A4 横向页）；默认过宽时自动横排"
    )

    _placed: list[PlacedCell] = PrivateAttr(default_factory=list)
    _columns: int = PrivateAttr(0)

    @field_validator("rows", mode="wrap")
    @classmethod
    def _rows(cls, value: object, handler: ValidatorFunctionWrapHandler) -> object:
        """Plain text rows in one pass (plain_rows); the rest cell by cell."""
        quick = plain_rows(value)
        return handler(value) if quick is None else quick

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: object, info: ValidationInfo) -> object:
        """As Part's, but the rows are left alone: each cell's text is cleaned as the cell
        is validated (or found clean by plain_rows), and rows hold nothing but cells."""
        return value if info.field_name == "rows" else clean_value(value)

    @model_validator(mode="after")
    def _grid(self) -> Table:
        placed, columns = place_cells(self.rows)
        problems: list[str] = []
        if self.header_rows > len(self.rows):
            problems.append(f"表头行数为 {self.header_rows}，但表格只有 {len(self.rows)} 行")
        for p in placed:
            if p.rowspan > 1 and p.row < self.header_rows <= p.last_row:
                problems.append(
                    f"第{p.row + 1}行第{p.col + 1}列的合并单元格从表头跨到了表头以下（表头共 {self.header_rows} 行）"
                )
        fixed = sum(w.mm for w in self.widths or [] if w.mm)
        if fixed > LANDSCAPE_BLOCK_WIDTH + 0.01:
            problems.append(
                f"列宽合计 {fixed:g} 毫米，超过横排页版心宽度 {LANDSCAPE_BLOCK_WIDTH:g} 毫米"
            )
        for what, values in (("列宽", self.widths), ("列对齐", self.align)):
            if values is not None and len(values) != columns:
                problems.append(f"{what}写了 {len(values)} 项，表格有 {columns} 列")
        if problems:
            raise ValueError("；".join(problems))
        self._placed = placed
        self._columns = columns
        return self

    @property
    def columns(self) -> int:
        return self._columns

    @property
    def cells(self) -> list[PlacedCell]:
        """Every cell with its grid place, row by row, left to right."""
        return self._placed

    def texts(self) -> list[str]:
        """All the table's text (title, unit, cells), in reading order."""
        out = [t for t in (self.title, self.unit) if t]
        return out + [p.cell.text for p in self._placed if p.cell.text]


def place_cells(rows: list[list[Cell]]) -> tuple[list[PlacedCell], int]:
    """Put each cell on the grid, skipping places merged cells above already cover.

    Raises ValueError (in Chinese, naming row and column) for rows that do not
    fill the same number of columns, spans past the table's edge, and cells
    that overlap.
    """
    quick = _unmerged(rows)
    if quick is not None:
        return quick
    taken: dict[tuple[int, int], int] = {}  # (row, col) → row of the cell covering it
    placed: list[PlacedCell] = []
    # Per row: places filled and the column after the last one (kept as cells are
    # placed, so a long table is checked in one pass, not a scan of `taken` per row).
    filled = [0] * len(rows)
    reach = [0] * len(rows)
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            p = PlacedCell(r, col, cell.rowspan, cell.colspan, cell)
            if p.last_row >= len(rows):
                raise ValueError(
                    f"第{r + 1}行第{col + 1}列的单元格跨 {cell.rowspan} 行，超出表格末行（共 {len(rows)} 行）"
                )
            for rr in range(r, p.last_row + 1):
                for cc in range(col, p.end_col):
                    if (rr, cc) in taken:
                        raise ValueError(
                            f"第{r + 1}行第{col + 1}列的合并单元格与第{taken[rr, cc] + 1}行的合并单元格重叠"
                        )
                    taken[rr, cc] = r
                filled[rr] += p.end_col - col
                reach[rr] = max(reach[rr], p.end_col)
            placed.append(p)
            col = p.end_col
    columns = reach[0] if rows else 0
    if columns == 0:
        raise ValueError("第1行没有单元格")
    for p in placed:
        if p.colspan > 1 and p.end_col > columns:
            raise ValueError(
                f"第{p.row + 1}行第{p.col + 1}列的单元格跨 {p.colspan} 列，超出表格的 {columns} 列（按第1行计）"
            )
    for r, (w, n) in enumerate(zip(reach, filled)):
        if w != columns or n != columns:
            raise ValueError(
                f"第{r + 1}行有 {n} 列，第1行有 {columns} 列；每行的列数应相同"
                '（合并单元格按所跨的列数计，被上方合并单元格占去的位置不写），空单元格写 ""'
            )
    return placed, columns


def _unmerged(rows: list[list[Cell]]) -> tuple[list[PlacedCell], int] | None:
    """A table without merged cells and rows of equal length placed directly, or None.

    What place_cells' general pass gives for it (every cell at its index, no
    error possible), at a fraction of its cost for a 10,000-row table.
    """
    columns = len(rows[0]) if rows else 0
    if not columns:
        return None
    banner = False  # a row of one cell across the table (a group's heading)
    for row in rows:
        if len(row) == 1 and columns > 1 and row[0].colspan == columns:
            if row[0].rowspan != 1:
                return None
            banner = True
        elif len(row) != columns:
            return None
    plain = [row for row in rows if len(row) == columns] if banner else rows
    if any(c.colspan != 1 or c.rowspan != 1 for row in plain for c in row):
        return None
    make = tuple.__new__
    if not banner:
        placed = [
            make(PlacedCell, (r, c, 1, 1, cell))
            for r, row in enumerate(rows)
            for c, cell in enumerate(row)
        ]
        return placed, columns
    placed = []
    for r, row in enumerate(rows):
        if len(row) == columns:
            placed += [make(PlacedCell, (r, c, 1, 1, cell)) for c, cell in enumerate(row)]
        else:
            placed.append(make(PlacedCell, (r, 0, 1, columns, row[0])))
    return placed, columns


class TableItem(Part):
    """A body entry that is a table: ``{table: {...}}``."""

    table: Table = Field(..., alias="表格")


# Union tags appear in pydantic's error paths; the loader leaves out parts
# starting with "·" so a message names body[3].table, not body[3].·table.table.
TAG_TEXT = "·text"
TAG_TABLE = "·table"


def _is_table(value: Any) -> str:
    if isinstance(value, TableItem) or (
        isinstance(value, dict) and ("table" in value or "表格" in value)
    ):
        return TAG_TABLE
    return TAG_TEXT


# One entry of a body: a paragraph, or a table. The discriminator picks the
# branch, so a mistake in a table is reported once, at its place in the table.
Block = Annotated[
    Annotated[str, Tag(TAG_TEXT)] | Annotated[TableItem, Tag(TAG_TABLE)],
    Discriminator(_is_table),
]


def body_texts(blocks: list[str | TableItem]) -> list[str]:
    """The text of a body: paragraphs as they are, each table's text in reading order."""
    out: list[str] = []
    for b in blocks:
        out.extend(b.table.texts() if isinstance(b, TableItem) else [b])
    return out


def tables_of(blocks: list[str | TableItem]) -> list[Table]:
    return [b.table for b in blocks if isinstance(b, TableItem)]


def number_tables(doc: Any) -> None:
    """Give each table of a document its place (validation's last step, models/parts.py)."""
    for place, table in enumerate(document_tables(doc)):
        table._place = place


def document_tables(doc: Any) -> list[Table]:
    """Every table of a document: the body's, then each attachment's, in reading order."""
    bodies = [_field(doc, "body")]
    bodies += [a.body for a in _field(doc, "attachments")]
    return [t for body in bodies for t in tables_of(body)]


def _field(doc: Any, name: str) -> Any:
    """``doc.name``, or [] when it has none or no such field. A model without the field is
    answered by its class: pydantic answers a missing attribute through an exception, which
    a batch's forms (督办单, 催办单: neither body nor attachments) paid every notice."""
    fields = getattr(type(doc), "model_fields", None)
    if fields is not None and name not in fields:
        return []
    return getattr(doc, name, []) or []
