"""纪要 (minutes format [10.3]) and 督办单 (a one-page ruled form) layouts."""

from __future__ import annotations

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
from docgen.layout.paginate import FlowItem, Keep
from docgen.layout.plan import Page, RuleItem
from docgen.layout.rows import Row, blank
from docgen.spec import (
    LINE_PITCH,
    MARK_TOP_IN_BLOCK,
    SEPARATOR_BELOW_NUMBER,
    SIZE_TITLE_PT,
    FontRole,
    Profile,
)

FS = FontRole.FANGSONG
TABLE_RULE_MM = 0.25
LABEL_CHARS = 7  # the form's label column: six-character labels with half a character either side
FORM_RULE_GAP = 1.0  # mm between the number line's glyphs and the red line


# --- 纪要 ----------------------------------------------------------------------


def minutes_head(page: Page, c: Composer, doc: object, d: Decisions, profile: Profile) -> Head:
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


def minutes_flow(c: Composer, doc: object, d: Decisions) -> list[FlowItem]:
    flow: list[FlowItem] = []
    if d.title_lines:
        flow.extend(c.centered_lines(d.title_lines, FontRole.XIAOBIAOSONG, SIZE_TITLE_PT))
        flow.append(blank())
    for para in doc.body:
        flow.extend(c.body_paragraph(para))
    if d.item_texts:
        flow.extend(c.paragraph([(FS, doc.items_intro)], body=True))
        for text in d.item_texts:
            # Agreed items are numbered 一、 but they are not headings: all 仿宋.
            flow.extend(c.paragraph([(FS, text)], body=True))
    rows: list[Row] = []
    for label, names in d.attendance:
        rows += c.hanging([(FontRole.HEITI, f"{label}：")], [(FS, names)], indent=2)
    if rows:
        # Attendance may run over a page like any text: it is no signature.
        flow += [blank(), *rows]
    return flow


# --- 督办单 --------------------------------------------------------------------


def supervision_head(page: Page, c: Composer, doc: object, d: Decisions, profile: Profile) -> Head:
    """Office mark on line 1, form title on line 2, number and date on line 3, red line under."""
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
    place_item(page, c, c.aligned([(FS, str(doc.number))], x=c.left), band)
    place_item(page, c, c.aligned([(FS, d.date_text)], right=c.right), band)
    # The red line sits just under the number line; the table starts on the next line.
    _, bottom = glyph_box(c.m, band)
    red_rule(page, c.left, c.right, bottom + FORM_RULE_GAP, profile.separator_width, profile)
    return Head(slots=grid_slots(profile, band + LINE_PITCH))


def supervision_flow(c: Composer, doc: object, d: Decisions) -> list[FlowItem]:
    """The ruled table, a line on each grid band, then the office's signature and seal space."""
    label_w = c.chars(LABEL_CHARS)
    x_mid = c.left + label_w
    pad = c.chars(0.5)
    flow: list[FlowItem] = []
    for label, paragraphs, min_lines in d.form_rows:
        lines: list[Row] = []
        for para in paragraphs:
            lines += c.paragraph(
                [(FS, para)], first_indent=0, x0=x_mid + pad, x1=c.right - pad, body=True
            )
        while len(lines) < min_lines:
            lines.append(Row(body=True))
        label_at = (len(lines) - 1) // 2
        center = c.left + label_w / 2
        lines[label_at].texts.append(c.aligned([(FS, label)], center=center))
        for i, row in enumerate(lines):
            _borders(row, c, x_mid, first=i == 0, last=i == len(lines) - 1)
        flow.extend(lines)
    date = c.aligned([(FS, d.date_text)], right=c.right - c.chars(4))
    center = date.x + c.text_width(date.runs) / 2
    name = Row(texts=[c.aligned([(FS, doc.office)], center=center)])
    flow.append(Keep([blank(), name, Row(texts=[date])], with_previous=2))
    return flow


def _borders(row: Row, c: Composer, x_mid: float, *, first: bool, last: bool) -> None:
    for x in (c.left, x_mid, c.right):
        row.rules.append(RuleItem(x, x, 0.0, TABLE_RULE_MM, y1=LINE_PITCH))
    if first:
        row.rules.append(RuleItem(c.left, c.right, 0.0, TABLE_RULE_MM))
    if last:
        row.rules.append(RuleItem(c.left, c.right, LINE_PITCH, TABLE_RULE_MM))
