"""纪要 (minutes format [10.3]) and 督办单 (a one-page ruled form) layouts."""

from __future__ import annotations

from functools import lru_cache

from docgen.decide.decisions import Decisions
from docgen.layout.compose import Composer
from docgen.layout.head import (
    Head,
    draw_mark,
    glyph_box,
    grid_slots,
    place_item,
    red_rule,
    snap_to_grid,
)
from docgen.layout.memo import FontMemos
from docgen.layout.paginate import FlowItem, Keep
from docgen.layout.plan import Item, Page, RuleItem, copied
from docgen.layout.rows import Row, blank
from docgen.models.meeting import Minutes, Reminder, Supervision
from docgen.spec import (
    BLOCK_WIDTH,
    BODY_CELL_MM,
    LINE_PITCH,
    LINES_PER_PAGE,
    MARK_TOP_IN_BLOCK,
    SEPARATOR_BELOW_NUMBER,
    SIZE_TITLE_PT,
    FontRole,
    Profile,
)
from docgen.text.linebreak import inside_names

FS = FontRole.FANGSONG
TABLE_RULE_MM = 0.25
LABEL_CHARS = 7  # the form's label column: six-character labels with half a character either side
# Issue 18: red and black never touch. The number/date line is raised off its band so
# that 2 mm stand between its glyphs and the red line and 2 mm between the line and
# the table's top border (the band below). The .docx places both the same way
# (render/docx/head.py, forms.py).
FORM_NUMBER_RAISE = 3.4  # mm
FORM_RULE_CLEAR = 2.0  # mm from the glyphs' box to the red line's edge
FORM_BLANK_LINES = 6  # lines of handwriting a blank box (办理情况) is given where the page allows


# --- 纪要 ----------------------------------------------------------------------


def minutes_head(page: Page, c: Composer, doc: Minutes, d: Decisions, profile: Profile) -> Head:
    """Red ……纪要 mark 35 mm into the block, 第N期, compiler and date, red separator."""
    mark_bottom = draw_mark(page, c, d, profile, profile.top_margin + MARK_TOP_IN_BLOCK)
    band = mark_bottom + LINE_PITCH  # one empty line under the mark
    place_item(page, c, c.aligned([(FS, d.issue_text)], center=(c.left + c.right) / 2), band)
    band += LINE_PITCH
    place_item(page, c, c.aligned([(FS, doc.compiler)], x=c.left), band)
    place_item(page, c, c.aligned([(FS, d.date_text)], right=c.right), band)
    _, bottom = glyph_box(c.m, band)
    separator = bottom + SEPARATOR_BELOW_NUMBER
    red_rule(page, c.left, c.right, separator, profile.separator_width, profile)
    gap = 2 if d.title_lines else 1
    first = snap_to_grid(profile, separator + gap * LINE_PITCH)
    return Head(slots=grid_slots(profile, first))


def minutes_flow(c: Composer, doc: Minutes, d: Decisions) -> list[FlowItem]:
    flow: list[FlowItem] = []
    if d.title_lines:
        flow.extend(c.centered_lines(d.title_lines, FontRole.XIAOBIAOSONG, SIZE_TITLE_PT))
        flow.append(blank())
    for para in doc.body:
        flow.extend(c.body_paragraph(para))
    if d.item_texts:
        flow.extend(c.paragraph([(FS, doc.items_intro)], body=True))
        for text in d.item_texts:
            # The run-in heading rule of every kind: an item of one sentence is all
            # 仿宋, one that opens with a phrase (一、文物安全：) has it in 黑体.
            flow.extend(c.body_paragraph(text))
    rows: list[Row] = []
    for label, names in d.attendance:
        # Names and units stay whole on a line (刘|志强 is two people to a reader);
        # lines of whole names end where a name ends, ragged, never letter-spaced.
        rows += c.hanging(
            [(FontRole.HEITI, f"{label}：")],
            [(FS, names)],
            indent=2,
            keep=inside_names(names),
            justify=False,
        )
    if rows:
        # Attendance may run over a page like any text: it is no signature.
        flow += [blank(), *rows]
    return flow


# --- 督办单 --------------------------------------------------------------------


def supervision_head(
    page: Page, c: Composer, doc: Supervision | Reminder, d: Decisions, profile: Profile
) -> Head:
    """Office mark on line 1, form title on line 2, number and date on line 3, red line under."""
    key = (
        profile.top_margin, profile.red_rgb, profile.separator_width, c.left, c.right,
        tuple(d.mark_lines), d.mark_suffix, d.mark_size_pt, tuple(d.title_lines), d.date_text,
    )  # fmt: skip
    memo = _FORM_HEADS.of(c.m)
    head = memo.get(key)
    if head is None:
        head = memo.keep(key, _form_head(c, d, profile))
    before, raised, after, first_top = head
    page.items.extend(copied(item) for item in before)
    place_item(page, c, c.aligned([(FS, str(doc.number))], x=c.left), raised)
    page.items.extend(copied(item) for item in after)
    return Head(slots=grid_slots(profile, first_top))


# A form's head but its number, per set of fonts: the same for every notice of a batch.
_FormHead = tuple[list[Item], float, list[Item], float]
_FORM_HEADS: FontMemos[_FormHead] = FontMemos(kept=64)


def _form_head(c: Composer, d: Decisions, profile: Profile) -> _FormHead:
    """The items above the number, the number's band (raised), the items after it (the
    date and the red line), and the top of the form's first line."""
    page = Page()
    top = profile.top_margin
    mark_bottom = draw_mark(page, c, d, profile, top + 0.5)
    band = snap_to_grid(profile, mark_bottom + 0.1)
    for line in d.title_lines:
        place_item(
            page,
            c,
            c.aligned(
                [(FontRole.XIAOBIAOSONG, line)],
                center=(c.left + c.right) / 2,
                size_pt=SIZE_TITLE_PT,
            ),
            band,
        )
        band += LINE_PITCH
    before, page.items = page.items, []
    raised = band - FORM_NUMBER_RAISE
    place_item(page, c, c.aligned([(FS, d.date_text)], right=c.right), raised)
    # The red line 2 mm under the number line, 2 mm over the table on the next line.
    _, bottom = glyph_box(c.m, raised)
    width = profile.separator_width
    red_rule(page, c.left, c.right, bottom + FORM_RULE_CLEAR + width / 2, width, profile)
    return before, raised, page.items, band + LINE_PITCH


def supervision_flow(c: Composer, doc: Supervision | Reminder, d: Decisions) -> list[FlowItem]:
    """The ruled table, a line on each grid band, then the office's signature and seal space."""
    made = {
        i: _form_row(c, label, paragraphs, min_lines)
        for i, (label, paragraphs, min_lines) in enumerate(d.form_rows)
        if paragraphs
    }
    # A blank box (办理情况) grows to six lines of handwriting as far as the page
    # leaves room (mark, title and number lines above, the signature's three
    # below), never below the decision's minimum: the form stays one page
    # (issue 18; the .docx asks blank_room the same, render/docx/forms.py).
    room = blank_room(len(d.title_lines), [len(rows) for rows in made.values()])
    flow: list[FlowItem] = []
    for i, (label, _, min_lines) in enumerate(d.form_rows):
        flow.extend(made.get(i) or _form_row(c, label, [], max(room, min_lines)))
    sealed = doc.sealed if doc.sealed is not None else c.profile.sealed
    key = (sealed, doc.office, *d.signature_issuers, d.date_text, c.left, c.right)
    memo = _SIGNATURES.of(c.m)
    rows = memo.get(key)
    if rows is None:
        rows = memo.keep(key, _form_signature(c, doc, d, sealed))
    flow.append(Keep(rows, with_previous=2))
    return flow


def _form_signature(
    c: Composer, doc: Supervision | Reminder, d: Decisions, sealed: bool
) -> list[Row]:
    if not sealed:  # a body without a seal (a joint meeting): GB/T 9704 7.3.5.2
        return unsealed_signature(c, d)
    date = c.aligned([(FS, d.date_text)], right=c.right - c.chars(4))
    center = date.x + c.text_width(date.runs) / 2
    name = Row(texts=[c.aligned([(FS, doc.office)], center=center)])
    return [blank(), name, Row(texts=[date])]


# The signature's rows, per set of fonts: one office and one date for a batch's notices.
_SIGNATURES: FontMemos[list[Row]] = FontMemos(kept=64)


# A form's rows as laid out, per set of fonts: a batch's notices repeat their labels and
# many values (the unit, the requirement, the contact, the blank boxes).
_FORM_ROWS: FontMemos[list[Row]] = FontMemos()


def _form_row(c: Composer, label: str, paragraphs: list[str], min_lines: int) -> list[Row]:
    """One row of the form: its value's lines (at least ``min_lines``), the label
    centred on the middle line, the borders. The rows (as the signature's) are shared
    by every notice with the same row: nothing changes a flow's rows once made (placing
    copies their items, pagination copies a row it adds a rule to)."""
    key = (label, *paragraphs, min_lines, c.left, c.right)
    memo = _FORM_ROWS.of(c.m)
    rows = memo.get(key)
    if rows is None:
        rows = memo.keep(key, _laid_out_row(c, label, paragraphs, min_lines))
    return rows


def _laid_out_row(c: Composer, label: str, paragraphs: list[str], min_lines: int) -> list[Row]:
    label_w = c.chars(LABEL_CHARS)
    x_mid = c.left + label_w
    pad = c.chars(0.5)
    lines: list[Row] = []
    for para in paragraphs:
        lines += c.paragraph(
            [(FS, para)],
            first_indent=0,
            x0=x_mid + pad,
            x1=c.right - pad,
            body=True,
            remembered=False,  # the form's rows are remembered (_FORM_ROWS), not twice
        )
    while len(lines) < min_lines:
        lines.append(Row(body=True))
    center = c.left + label_w / 2
    lines[(len(lines) - 1) // 2].texts.append(c.aligned([(FS, label)], center=center))
    for i, row in enumerate(lines):
        _borders(row, c, x_mid, first=i == 0, last=i == len(lines) - 1)
    return lines


def form_value_width_mm() -> float:
    """The text width of a form's value cell: the block less the label column and the
    value's paddings of half a grid character (supervision_flow; the .docx breaks the
    values with it too)."""
    return BLOCK_WIDTH - (LABEL_CHARS + 1) * BODY_CELL_MM


def blank_room(title_lines: int, filled: list[int]) -> int:
    """Lines a blank box (办理情况) of a form is given: FORM_BLANK_LINES as far as the page
    leaves room after the mark, the title lines, the number line, the filled rows
    (``filled``: their line counts) and the signature's three lines. The PDF and the
    .docx ask this one function, so the two forms have the same rows."""
    used = 2 + title_lines + 3 + sum(filled)
    return min(FORM_BLANK_LINES, LINES_PER_PAGE - used)


def unsealed_signature(c: Composer, d: Decisions) -> list[Row]:
    """[7.3.5.2] one empty line, the name two characters in from the right, the date
    below starting two characters right of the name's first (the date ending two
    characters in, and the name moving left, when the date is the longer)."""
    name_w = max(c.text_width([(FS, n)]) for n in d.signature_issuers)
    date_w = c.text_width([(FS, d.date_text)])
    name_x = c.right - c.chars(2) - name_w
    date_x = name_x + c.chars(2)
    if date_x + date_w > c.right - c.chars(2):
        date_x = c.right - c.chars(2) - date_w
        name_x = date_x - c.chars(2)
    names = [Row(texts=[c.aligned([(FS, n)], x=name_x)]) for n in d.signature_issuers]
    return [blank(), *names, Row(texts=[c.aligned([(FS, d.date_text)], x=date_x)])]


def _borders(row: Row, c: Composer, x_mid: float, *, first: bool, last: bool) -> None:
    band, top, bottom = _rules(c.left, x_mid, c.right)
    # The columns' borders as a table's band: one shared tuple, so placing joins the
    # form's lines at once (placing.py) instead of segment by segment.
    row.band = band
    if first:
        row.rules.append(top)
    if last:
        row.rules.append(bottom)


@lru_cache(maxsize=16)
def _rules(
    left: float, x_mid: float, right: float
) -> tuple[tuple[RuleItem, ...], RuleItem, RuleItem]:
    """The form's borders on a band, its top rule and its bottom rule, made once per
    geometry: every notice of a batch has the same (never changed: placing copies them)."""
    band = tuple(RuleItem(x, x, 0.0, TABLE_RULE_MM, y1=LINE_PITCH) for x in (left, x_mid, right))
    top = RuleItem(left, right, 0.0, TABLE_RULE_MM)
    return band, top, RuleItem(left, right, LINE_PITCH, TABLE_RULE_MM)
