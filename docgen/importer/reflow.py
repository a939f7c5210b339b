"""Wrapped lines → paragraphs, by how wide the lines are, not how many characters they hold.

Text copied out of a PDF (or pasted into Word from one) has a line break at
the end of every printed line. Whether a line ends its paragraph is read
from the page it came from: a line that fills the block's width runs on into
the next, whatever the next starts with ("一、" or a digit may well be the
middle of a sentence); a line that stops short ends its paragraph. Widths are
counted in grid cells — a Chinese character one, a half-width digit or letter
half — so "…126处…" is as full as a line of Chinese. The block's width is
learned from the text: 28 cells in a 公文 (the first line of a paragraph
2 + 26), or whatever the source used.

Text that is not wrapped (a .docx, text typed one paragraph a line) keeps
the rules by punctuation and length it always had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from docgen.importer import patterns
from docgen.importer.lines import Line
from docgen.importer.source import Table

# Lines within two cells of a width count toward learning it: the layout leaves up to
# two cells free when it keeps a number whole or a closing mark off the next line.
_RUN_ON_SLACK = 2.0
# Cells a layout may leave free at a line's end, carrying a word or a number down whole.
_CARRIED = 3.0
# A first line this close to 26 cells is as wide as a full first line.
_FIRST_LINE_SLACK = 0.5
# No line starts with a closing mark or ends with an opening one (GB/T 15834).
_CLOSING = "，。、；：？！）》〉」』”’】〕,.;:?!)%"
_OPENING = "（《〈「『“‘【〔("
_GBT_WIDTH = 28.0  # cells in a line of a 公文's block (GB/T 9704: 28 字)
_INDENT = 2.0  # cells a paragraph's first line is indented by (GB/T 9704: 空二字)


@dataclass
class Block:
    """A body item: a paragraph of text or a table."""

    text: str = ""
    table: Table | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Wrap:
    """How the source broke its lines: the block's width (None when the text is not
    hard-wrapped), in cells or, for text someone wrapped by counting characters, in
    characters; the indent that starts a paragraph (None when first lines are not indented);
    and the 90th-percentile width the older rules use for text that is not wrapped."""

    width: float | None
    indent: float | None
    typical: float
    by_count: bool = False

    @classmethod
    def learn(cls, lines: list[Line]) -> Wrap:
        texts = [ln for ln in lines if ln.table is None and ln.text and not ln.pushed_right]
        width, at_width = _learn_width([cells(ln) for ln in texts])
        count, at_count = _learn_width([characters(ln) for ln in texts])
        # A PDF sets lines by width: its full lines end at one width in cells, and those
        # with digits hold more characters. Text wrapped by a character count (a typist's,
        # a script's) holds one count instead, and its lines with digits fall short.
        by_count = count is not None and at_count > at_width + 0.15
        if by_count:
            width = count
        elif width is None and texts and all(ln.para.unit == "行" for ln in texts):
            width = _gbt_width([cells(ln) for ln in texts])
        return cls(width, indents_mark_paragraphs(texts), _typical(texts), by_count)

    def measure(self, line: Line) -> float:
        return characters(line) if self.by_count else cells(line)

    def first_line_wide(self, line: Line) -> bool:
        """The line is as wide as a full first line (the block less its 2-cell indent), which
        a line inside a paragraph seldom is."""
        if self.width is None or line.indent >= 1:
            return False
        w = self.measure(line)
        return self.width - _INDENT - _FIRST_LINE_SLACK <= w <= self.width - _INDENT

    def wider_than_first(self, line: Line) -> bool:
        """Too wide for a paragraph's first line (the block less its indent): a line inside one."""
        return (
            self.width is not None
            and line.indent < 1
            and self.measure(line) > self.width - _INDENT + 0.5
        )

    def used(self, line: Line, first: bool) -> float:
        """How much of the block the line takes. A first line's indent, dropped by a
        viewer's copy or given as a space or two, counts as the 2 cells the page gave it."""
        if first:
            return max(line.indent, _INDENT) + self.measure(line) - line.indent
        return self.measure(line)

    def tight(self, line: Line, first: bool, following: Line) -> bool:
        """What starts the next line would not have fitted on this one: a typesetter carried
        it down for want of room, so the line is full for certain."""
        if self.width is None:
            return False
        if self.by_count:
            return self.used(line, first) >= self.width - 0.5
        return self.used(line, first) + first_unit(following.text) > self.width + 0.25

    def near_full(self, line: Line, first: bool) -> bool:
        """Within a few cells of the block: a layout leaves that much free when it carries a
        number kept whole with its unit, or a closing mark, down to the next line."""
        slack = _RUN_ON_SLACK if self.by_count else _CARRIED
        return self.width is not None and self.used(line, first) >= self.width - slack

    def all_but_full(self, line: Line, first: bool) -> bool:
        return self.width is not None and self.used(line, first) >= self.width - 1.5

    def full(self, line: Line, first: bool, following: Line, heading: bool) -> bool:
        """A line that stops mid-sentence fills the block (so its paragraph goes on below)
        when it is tight, or near full. A heading so near full runs on unless the next line
        looks like a paragraph's own first line (as wide as one) or starts a part: a
        heading may stop short of the edge, a heading that runs over does not."""
        if self.tight(line, first, following):
            return True
        if not self.near_full(line, first):
            return False
        return not heading or not (structural(following.text) or self.first_line_wide(following))


def _in_word(ch: str) -> bool:
    """Part of a number or a Latin word: 12.5, 2,233.10, GB/T, 50016-2014."""
    return ch.isascii() and (ch.isalnum() or ch in ".,-/:%")


def first_unit(text: str) -> float:
    """The width of what cannot be parted from the start of a line: a number or a Latin word
    (a run of half-width characters), else one character; with the opening marks before it
    and the closing marks after it, which may not end or start a line."""
    i, w = 0, 0.0
    while i < len(text) and text[i] in _OPENING:
        w, i = w + patterns.width(text[i]), i + 1
    if i < len(text) and text[i].isascii() and text[i].isalnum():
        while i < len(text) and _in_word(text[i]):
            w, i = w + 0.5, i + 1
    elif i < len(text):
        w, i = w + patterns.width(text[i]), i + 1
    while i < len(text) and text[i] in _CLOSING:
        w, i = w + patterns.width(text[i]), i + 1
    return w


def _open_bracket(text: str) -> bool:
    return any(text.count(a) > text.count(b) for a, b in ("（）", "《》", "“”", "〔〕", "【】"))


def cells(line: Line) -> float:
    """The line's width on the page: its indent and its text."""
    return line.indent + patterns.width(line.text)


def characters(line: Line) -> float:
    """The line's indent and how many characters it holds."""
    return line.indent + len(line.text)


def _learn_width(widths: list[float]) -> tuple[float | None, float]:
    """The width the lines are wrapped at, when they are, and the share of lines ending
    right at it; (None, 0) for text not hard-wrapped.

    The width is what nine lines in ten stay within (a line a half cell wider has a
    closing mark hung or squeezed at its end). Wrapped, at least half the long lines
    end within a few cells of it; text typed one paragraph a line has no such edge.
    """
    long = sorted(w for w in widths if w >= 12)
    if len(long) < 3:
        return None, 0.0
    p90 = long[int(0.9 * (len(long) - 1))]
    width = float(math.floor(p90) if p90 - math.floor(p90) <= 0.5 else math.ceil(p90))
    if _GBT_WIDTH - _CARRIED <= width <= _GBT_WIDTH and long[-1] <= _GBT_WIDTH + 0.5:
        # A 公文's PDF: lines carrying numbers or marks down fall a cell or two short of
        # its 28, often enough to pull the estimate below it.
        width = _GBT_WIDTH
    near = sum(1 for w in long if width - _CARRIED <= w <= width + 0.5)
    if width > 80 or near < 3 or near * 2 < len(long):
        return None, 0.0
    return width, sum(1 for w in long if abs(w - width) <= 0.5) / len(long)


def _gbt_width(widths: list[float]) -> float | None:
    """A few lines of text, none wider than a 公文's 28 cells and one near it: taken as
    wrapped at 28 (a short passage copied from a 公文's PDF)."""
    if widths and _GBT_WIDTH - _RUN_ON_SLACK <= max(widths) <= _GBT_WIDTH + 0.5:
        return _GBT_WIDTH
    return None


def _typical(lines: list[Line]) -> float:
    widths = sorted(patterns.width(ln.text) for ln in lines)
    if not widths:
        return 0.0
    return widths[int(len(widths) * 0.9) if len(widths) > 1 else 0]


def indents_mark_paragraphs(lines: list[Line]) -> float | None:
    """The indent that starts a paragraph, when the typist indented first lines with spaces
    (so a line that is not indented goes on): some lines sit deeper than the least indented."""
    texts = [ln for ln in lines if ln.table is None and ln.text and not ln.pushed_right]
    if len(texts) < 2:
        return None
    base = min(ln.indent for ln in texts)
    deeper = sum(1 for ln in texts if ln.indent >= base + 1.5)
    return base + 1.5 if deeper >= 2 else None


def paragraphs(lines: list[Line]) -> list[Block]:
    """The lines joined into paragraphs; a table is a block of its own."""
    wrap = Wrap.learn(lines)
    blocks: list[Block] = []
    for ln in lines:
        prev = blocks[-1] if blocks else None
        if ln.table is None and prev is not None and prev.table is None and joins(prev, ln, wrap):
            prev.text = join_text(prev.text, ln.text)
            prev.lines.append(ln)
        else:
            blocks.append(Block(ln.text, ln.table, [ln]))
    return blocks


def structural(text: str) -> bool:
    """A line that starts a part of its own (a heading, a date, 附件：, 抄送：)."""
    return bool(
        patterns.heading_level(text)
        or patterns.parse_date(text)
        or patterns.ATTACH_LIST.match(text)
        or patterns.ATTACH_LABEL.match(text)
        or patterns.CC.match(text)
        or patterns.PRINTED.match(text)
        or patterns.PRINT_DATE.match(text)
    )


def joins(prev: Block, line: Line, wrap: Wrap) -> bool:
    """Whether ``line`` continues the paragraph ``prev`` (a wrap, not a new paragraph)."""
    last = prev.lines[-1]
    if line.para.page_break_before and line.para.unit == "段":
        return False
    if wrap.width is None:
        return _joins_unwrapped(prev, line, wrap)
    if line.para.outline or (last.para.outline and not line.para.manual_break):
        return False
    if wrap.indent is not None and line.indent >= wrap.indent:
        return False  # an indented line starts a paragraph
    if line.para.manual_break and line.para.index == last.para.index:
        return prev.text[-1:] not in patterns.SENTENCE_END + "：:" or wrap.indent is not None
    return _runs_on(prev, line, wrap)


def _runs_on(prev: Block, line: Line, wrap: Wrap) -> bool:
    """Hard-wrapped text: a full line runs on, whatever the next line starts with; a short
    one ends its paragraph."""
    last = prev.lines[-1]
    end = last.text[-1:]
    first = len(prev.lines) == 1
    if end in patterns.SENTENCE_END + "：:；;":
        # A sentence ended at a line's end: did the paragraph? An indent would have told
        # (looked at above). A line that starts a part, or is as wide as a full first
        # line, starts a paragraph; a line too wide to be a first line goes on. A shorter
        # one goes on when this line was tight or all but full.
        if not wrap.near_full(last, first) or structural(line.text):
            return False
        if wrap.indent is not None or wrap.wider_than_first(line):
            return True
        if wrap.first_line_wide(line):
            return False
        return wrap.tight(last, first, line) or wrap.all_but_full(last, first)
    if wrap.full(last, first, line, patterns.is_standalone_heading(prev.text)):
        return True
    if _open_bracket(prev.text):
        return True  # （台 / 账）：a bracket opened and not closed goes on
    # Short: the paragraph ended, unless its sentence plainly goes on (a long number or
    # an English word the layout carried down whole).
    return end in "，、（《“‘—" and not structural(line.text)


def _joins_unwrapped(prev: Block, line: Line, wrap: Wrap) -> bool:
    """Text with no learned width (a .docx, typed text): by punctuation and length."""
    last = prev.lines[-1]
    before = prev.text
    full = wrap.typical
    if structural(line.text):
        return False
    if patterns.is_standalone_heading(before) and not _wrapped_heading(before, full):
        return False
    if line.para.outline or (last.para.outline and not line.para.manual_break):
        return False
    if wrap.indent is not None and line.indent >= wrap.indent:
        return False  # an indented line starts a paragraph
    if line.para.manual_break and line.para.index == last.para.index:
        return before[-1:] not in patterns.SENTENCE_END + "：:" or wrap.indent is not None
    end = before[-1:]
    w = patterns.width(last.text)
    if end in patterns.SENTENCE_END + "：:；;":
        # A sentence ended exactly at the end of a full line: only indents can tell.
        return wrap.indent is not None and full > 0 and w >= full * 0.95
    if end in "，、（《“‘—…":
        return True  # the sentence goes on
    return w >= 40 or (full > 0 and w >= full * 0.85 and w >= 12)


def _wrapped_heading(text: str, full: float) -> bool:
    """A heading line that is as full as a body line, with a comma in it, wrapped (…责任人、管)."""
    return "，" in text and full > 0 and patterns.width(text) >= full * 0.85


def join_text(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"  # an English word wrapped at a space
    return a + b


def reflow_text(text: str) -> list[str]:
    """Text typed or pasted into a form (the workbench's 正文) → its paragraphs, by the rules a
    pasted draft is read with: lines joined where the source wrapped them, page numbers and
    running heads taken out, punctuation and PDF mis-extractions put right. A table's rows
    come back one line each, their cells apart by a full-width space."""
    from docgen.importer.lines import prepare_lines
    from docgen.importer.read_text import read_text
    from docgen.importer.report import Report

    data = text.encode("utf-8")
    if not data.strip():
        return []
    draft = read_text(data, "正文")
    lines = prepare_lines(draft, Report(file="正文"))
    out: list[str] = []
    for block in paragraphs(lines):
        if block.table is not None:
            out += block.table.as_lines()
        elif block.text:
            out.append(block.text)
    return out
