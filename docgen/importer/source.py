"""What a reader hands the recogniser: the draft's paragraphs as the user sees them.

Both readers (.docx and text) produce the same list of :class:`Para`, so the
recognition does not care where a draft came from; only the facts a reader
can know (alignment, Word's heading level, a page break before) differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DraftError(Exception):
    """A draft that cannot be imported; the message is one line of Chinese for the user."""


@dataclass
class Table:
    """Cell text by row, as the draft has it: each row lists the cells that start in it
    (a cell covered by a merged cell is left out); header rows counted from the top."""

    rows: list[list[str]]
    header_rows: int = 1
    widths_mm: list[float] | None = None
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # (row, k-th cell of the row) → (rowspan, colspan) for merged cells

    def as_lines(self) -> list[str]:
        return ["　".join(c.replace("\n", "") for c in row) for row in self.rows]


@dataclass
class Para:
    """One paragraph (a .docx paragraph or a text line) of the draft."""

    index: int  # 1-based, as the report names it: 第N段 / 第N行
    text: str  # with Word's automatic numbering label put in front
    unit: str = "段"  # 段 for .docx paragraphs, 行 for text lines
    align: str | None = None  # center / right / left / both
    outline: int | None = None  # Word heading level 1..9 (style or outline level)
    page_break_before: bool = False
    blank_before: bool = False  # a text draft had an empty line before this one
    manual_break: bool = False  # this line followed a Shift+Enter inside one paragraph
    table: Table | None = None
    images: int = 0
    red: bool = False  # letterhead marks are red
    size: float = 0.0  # the largest font size (pt) set on the paragraph's text, 0 if none
    label: str = ""  # where it is when not a body paragraph: 页眉, 第3段（表格）
    cells: list[str] = field(default_factory=list)  # a text line that looks like a lone table row

    @property
    def where(self) -> str:
        return self.label or f"第{self.index}{self.unit}"


@dataclass
class Draft:
    """A read draft: its paragraphs in order, and what the reader noticed."""

    name: str
    paras: list[Para]
    notes: list[str] = field(default_factory=list)
    # What the clerk must hear even when a draft goes straight to render (text changed
    # on reading: control characters removed, a .docm read as a .docx).
    warnings: list[str] = field(default_factory=list)
    revisions: int = 0  # tracked changes accepted in reading (a .docx back from 核稿)
    comments: int = 0  # reviewers' comments left out
