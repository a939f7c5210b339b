"""Paragraphs → rows on the 28-character grid, with the spec's indents and fonts."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import repeat
from operator import add, mul

from docgen.fonts.metrics import Measurer
from docgen.layout.memo import FontMemos
from docgen.layout.plan import BLACK, RGB, TextItem
from docgen.layout.rows import Row
from docgen.spec import (
    BLOCK_WIDTH,
    BODY_CELL_MM,
    BODY_CHAR_SPACE_PT,
    MM_PER_PT,
    PT_PER_MM,
    SIZE_BODY_PT,
    FontRole,
    Profile,
)
from docgen.text.headings import classify
from docgen.text.linebreak import Line, break_measured
from docgen.text.punctuation import NO_LINE_END

_SPACES = frozenset(" \u3000")
WIDOW_CHARS = 4  # a paragraph's last line shorter than this never opens a page

HEADING_ROLES = {1: FontRole.HEITI, 2: FontRole.KAITI, 3: FontRole.FANGSONG, 4: FontRole.FANGSONG}

Runs = list[tuple[FontRole, str]]

# Lines already broken, and widths already measured, per set of fonts (layout/memo.py): a
# batch repeats the same labels, marks, titles, dates and signatures (a form's value rows are
# remembered whole by layout/meeting.py); breaking and measuring them is pure.
_LINES: FontMemos[list[TextItem]] = FontMemos()
_WIDTHS: FontMemos[float] = FontMemos()


class Composer:
    """Sets text on the grid of one profile with one set of fonts."""

    def __init__(self, profile: Profile, measurer: Measurer):
        self.profile = profile
        self.m = measurer
        self.left = profile.left_margin
        self.right = profile.left_margin + BLOCK_WIDTH
        self.width_pt = BLOCK_WIDTH * PT_PER_MM
        self._lines_memo = _LINES.of(measurer)  # looked up once, not per line
        self._widths = _WIDTHS.of(measurer)

    # --- horizontal measures -------------------------------------------------

    def chars(self, n: float) -> float:
        """n grid characters, in mm (the unit of every indent in the spec).

        A grid character is a 3号 glyph's advance on the grid (BODY_CELL_MM),
        so an indented line's characters stand in the columns of a full
        line's, and 2 of indent + 26 characters fill the line exactly.
        """
        return n * BODY_CELL_MM

    def hang_after(self, runs: Runs) -> float:
        """Indent, in grid characters, that puts a wrapped line under the text after ``runs``."""
        return (self.text_width(runs) + BODY_CHAR_SPACE_PT * MM_PER_PT) / BODY_CELL_MM

    def text_width(
        self, runs: Runs, size_pt: float = SIZE_BODY_PT, tracking_pt: float | None = None
    ) -> float:
        """Width in mm of a line set with the grid's tracking (no tracking after the last glyph)."""
        if tracking_pt is None:
            tracking_pt = BODY_CHAR_SPACE_PT if size_pt == SIZE_BODY_PT else 0.0
        key = (*runs, size_pt, tracking_pt)
        width = self._widths.get(key)
        if width is None:
            n = sum(len(t) for _, t in runs)
            glyphs = self.m.runs_width_pt(runs, size_pt)
            width = self._widths.keep(key, (glyphs + max(n - 1, 0) * tracking_pt) * MM_PER_PT)
        return width

    # --- rows ---------------------------------------------------------------

    def paragraph(
        self,
        runs: Runs,
        *,
        first_indent: float = 2,
        rest_indent: float = 0,
        size_pt: float = SIZE_BODY_PT,
        justify: bool = True,
        body: bool = False,
        x0: float | None = None,
        x1: float | None = None,
        color: RGB = BLACK,
        keep: AbstractSet[int] = frozenset(),
        remembered: bool = True,
    ) -> list[Row]:
        """Break a paragraph into rows; indents in grid characters.

        Every line but the last is justified to the full width, so a full
        line of 28 characters ends exactly on the block's right edge.
        ``remembered``: as lines().
        """
        items = self.lines(
            runs,
            first_indent=first_indent,
            rest_indent=rest_indent,
            size_pt=size_pt,
            justify=justify,
            x0=x0,
            x1=x1,
            color=color,
            keep=keep,
            remembered=remembered,
        )
        rows = [Row(texts=[item], body=body) for item in items]
        if body and len(rows) > 1 and len(items[-1].text.strip()) < WIDOW_CHARS:
            rows[-1].short_tail = True
        return rows

    def lines(
        self,
        runs: Runs,
        *,
        first_indent: float = 2,
        rest_indent: float = 0,
        size_pt: float = SIZE_BODY_PT,
        justify: bool = True,
        x0: float | None = None,
        x1: float | None = None,
        color: RGB = BLACK,
        keep: AbstractSet[int] = frozenset(),
        remembered: bool = True,
    ) -> list[TextItem]:
        """paragraph()'s lines as text items, one a line (a table's cells need no rows).

        ``keep``: offsets in the text before which no line may break (inside a
        name); given up only where nothing else fits. ``remembered``: False for a
        caller that remembers what it makes of the lines itself (a form's rows).
        """
        left = self.left if x0 is None else x0
        right = self.right if x1 is None else x1
        if not remembered:
            return self._lines(
                runs, first_indent, rest_indent, size_pt, justify, left, right, color, keep
            )
        memo = self._lines_memo
        key = (
            tuple(runs), first_indent, rest_indent, size_pt, justify, left, right, color,
            frozenset(keep),
        )  # fmt: skip
        made = memo.get(key)
        if made is None:
            made = self._lines(
                runs, first_indent, rest_indent, size_pt, justify, left, right, color, keep
            )
            memo.keep(key, made)
        # Fresh items: the caller places them (sets their baselines).
        return [
            TextItem(t.x, t.baseline, list(t.runs), t.size_pt, t.char_space_pt, t.color, t.kerns)
            for t in made
        ]

    def _lines(
        self,
        runs: Runs,
        first_indent: float,
        rest_indent: float,
        size_pt: float,
        justify: bool,
        left: float,
        right: float,
        color: RGB,
        keep: AbstractSet[int],
    ) -> list[TextItem]:
        text = "".join(t for _, t in runs)
        if not text:
            return []
        width_pt = (right - left) * PT_PER_MM
        tracking = BODY_CHAR_SPACE_PT if size_pt == SIZE_BODY_PT else 0.0
        role_at = _role_map(runs)
        # Every character measured in the first run's font, as the grid counts it.
        ems = self.m.advances(runs[0][0], text)
        halves = self.m.halves(runs[0][0], text) if justify else None
        lines = grid_lines(
            text,
            ems,
            halves,
            size_pt=size_pt,
            width_pt=width_pt,
            first_indent=first_indent,
            rest_indent=rest_indent,
            keep=keep,
        )
        savings: list[float] | None = None  # made for the first line with squeezed marks
        items: list[TextItem] = []
        pos = 0
        for line in lines:
            n = shown = len(line.text)
            if justify and not line.last and shown > 1 and line.text[-1] in _SPACES:
                shown -= (
                    1  # a gap (单位　姓名) ending a line: the text, not a blank, meets the edge
                )
            line_runs = _slice_runs(role_at, pos, line.text[:shown])
            if len(runs) == 1:  # one font: its advances are at hand (the same sum)
                glyphs_pt = sum(ems[pos : pos + shown]) * size_pt
            else:
                glyphs_pt = self.m.runs_width_pt(line_runs, size_pt)
            kerns: tuple[tuple[int, float], ...] = ()
            if line.squeezed and halves is not None:
                if savings is None:
                    savings = [h * size_pt for h in halves]
                kerns = _kerns(line.text, line.squeezed, savings, pos)
            glyphs_pt += sum(dx for _, dx in kerns)
            pos += n
            n = shown
            indent_pt = line.indent
            if justify and not line.last and n > 1:
                char_space = (width_pt - indent_pt - glyphs_pt) / (n - 1)
            else:
                char_space = tracking
            x = left + indent_pt * MM_PER_PT
            items.append(TextItem(x, 0.0, line_runs, size_pt, char_space, color, kerns))
        return items

    def hanging(
        self,
        label: Runs,
        content: Runs,
        *,
        indent: float = 0,
        size_pt: float = SIZE_BODY_PT,
        x0: float | None = None,
        x1: float | None = None,
        body: bool = False,
        keep: AbstractSet[int] = frozenset(),
        justify: bool = True,
    ) -> list[Row]:
        """A label (出席：, 抄送：, 附件：) with its text hanging after it.

        The label is set apart so that justifying the first line cannot move
        the text: every wrapped line starts exactly under the first character
        after the label, as the spec asks.
        """
        left = self.left if x0 is None else x0
        label_x = left + self.chars(indent)
        label_item = self.aligned(label, x=label_x, size_pt=size_pt)
        hang = hang_cells(indent, self.text_width(label, size_pt), size_pt)
        rows = self.paragraph(
            content,
            first_indent=hang,
            rest_indent=hang,
            size_pt=size_pt,
            x0=x0,
            x1=x1,
            body=body,
            keep=keep,
            justify=justify,
        )
        if not rows:
            rows = [Row(body=body)]
        rows[0].texts.insert(0, label_item)
        return rows

    def body_paragraph(self, text: str) -> list[Row]:
        """A body paragraph, with headings 一、（一）1.（1） in their fonts."""
        heading = classify(text)
        if heading is None:
            runs: Runs = [(FontRole.FANGSONG, text)]
        else:
            role = HEADING_ROLES[heading.level]
            runs = [(role, heading.heading_text)] if heading.heading_text else []
            if heading.rest:
                runs.append((FontRole.FANGSONG, heading.rest))
        rows = self.paragraph(runs, body=True)
        if heading is not None and not heading.rest:
            # A heading on a line of its own goes with the text under it, as the
            # .docx's heading styles keep with the next paragraph.
            for row in rows:
                row.keep_next = True
        return rows

    def aligned(
        self,
        runs: Runs,
        *,
        x: float | None = None,
        right: float | None = None,
        center: float | None = None,
        size_pt: float = SIZE_BODY_PT,
        color: RGB = BLACK,
        tracking_pt: float | None = None,
    ) -> TextItem:
        """One line placed by its left edge, right edge or centre (mm)."""
        if tracking_pt is None:
            tracking_pt = BODY_CHAR_SPACE_PT if size_pt == SIZE_BODY_PT else 0.0
        w = self.text_width(runs, size_pt, tracking_pt)
        if right is not None:
            left = right - w
        elif center is not None:
            # A long name centred over a short date must still stay in the block.
            left = min(max(center - w / 2, self.left), self.right - w)
        else:
            left = self.left if x is None else x
        return TextItem(
            x=left, baseline=0.0, runs=runs, size_pt=size_pt, char_space_pt=tracking_pt, color=color
        )

    def centered_lines(
        self, lines: list[str], role: FontRole, size_pt: float, color: RGB = BLACK
    ) -> list[Row]:
        center = (self.left + self.right) / 2
        return [
            Row(texts=[self.aligned([(role, ln)], center=center, size_pt=size_pt, color=color)])
            for ln in lines
        ]


def hang_cells(indent: float, label_mm: float, size_pt: float = SIZE_BODY_PT) -> float:
    """Where text hanging after a label starts, in grid characters: the label's indent,
    the label (``label_mm`` wide, its own tracking in) and one tracking after it."""
    tracking = BODY_CHAR_SPACE_PT if size_pt == SIZE_BODY_PT else 0.0
    return (indent * BODY_CELL_MM + label_mm + tracking * MM_PER_PT) / BODY_CELL_MM


def grid_lines(
    text: str,
    ems: list[float],
    halves: list[float] | None,
    *,
    size_pt: float = SIZE_BODY_PT,
    width_pt: float = BLOCK_WIDTH * PT_PER_MM,
    first_indent: float = 2,
    rest_indent: float = 0,
    keep: AbstractSet[int] = frozenset(),
) -> list[Line]:
    """A paragraph's lines on the grid, from its characters' advances and half-width
    savings in em (None: no punctuation squeezed). The one measure of the PDF and of
    the .docx writer, which breaks the same paragraphs again to end its lines where
    the PDF does (decide/glyphs.py): remembered, so the second asks for nothing new
    (nor does a batch's next notice with the same text). Indents in grid characters."""
    return list(
        _grid_lines(
            text,
            tuple(ems),
            None if halves is None or not any(halves) else tuple(halves),
            size_pt,
            width_pt,
            first_indent,
            rest_indent,
            frozenset(keep),
        )
    )


@lru_cache(maxsize=2048)
def _grid_lines(
    text: str,
    ems: tuple[float, ...],
    halves: tuple[float, ...] | None,
    size_pt: float,
    width_pt: float,
    first_indent: float,
    rest_indent: float,
    keep: frozenset[int],
) -> tuple[Line, ...]:
    tracking = BODY_CHAR_SPACE_PT if size_pt == SIZE_BODY_PT else 0.0
    # em * size_pt + tracking and h * size_pt, each character's, iterated in C.
    advances = list(map(add, map(mul, ems, repeat(size_pt)), repeat(tracking)))
    savings = None if halves is None else list(map(mul, halves, repeat(size_pt)))
    # The last glyph carries no tracking: allow for it in the width.
    return tuple(
        break_measured(
            text,
            advances,
            width_pt + tracking,
            first_indent=first_indent * BODY_CELL_MM * PT_PER_MM,
            rest_indent=rest_indent * BODY_CELL_MM * PT_PER_MM,
            savings=savings,
            keep=keep,
        )
    )


def _kerns(
    text: str, squeezed: tuple[int, ...], savings: list[float], pos: int
) -> tuple[tuple[int, float], ...]:
    """A line's half-width marks as shifts: a closing mark gives up the space after
    its ink (what follows moves left), an opening mark the space before it.
    ``pos``: the line's offset in the paragraph, which ``savings`` covers."""
    out: dict[int, float] = {}
    for i in squeezed:  # "）（" squeezed both: one move of a whole em before the （
        at = i if text[i] in NO_LINE_END else i + 1
        out[at] = out.get(at, 0.0) - savings[pos + i]
    return tuple(sorted(out.items()))


def _role_map(runs: Runs) -> list[tuple[int, FontRole]]:
    """Start offsets of each run, for slicing broken lines back into runs."""
    out: list[tuple[int, FontRole]] = []
    pos = 0
    for role, t in runs:
        out.append((pos, role))
        pos += len(t)
    return out


def _slice_runs(role_at: list[tuple[int, FontRole]], start: int, text: str) -> Runs:
    if len(role_at) == 1:
        return [(role_at[0][1], text)]
    out: Runs = []
    end = start + len(text)
    bounds = [*role_at, (10**12, FontRole.FANGSONG)]
    for (s, role), (e, _) in zip(bounds, bounds[1:]):
        a, b = max(s, start), min(e, end)
        if a < b:
            out.append((role, text[a - start : b - start]))
    return out
