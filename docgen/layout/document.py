"""Model → page plan for the kinds in the file and letter formats."""

from __future__ import annotations

from docgen.collector import collector_paused
from docgen.decide.decisions import Decisions, decide
from docgen.fonts import FontSet
from docgen.fonts.metrics import measurer_for
from docgen.layout.bounds import check_bounds
from docgen.layout.compose import Composer
from docgen.layout.head import Head, file_head, letter_head, page_slots
from docgen.layout.meeting import (
    minutes_flow,
    minutes_head,
    supervision_flow,
    supervision_head,
    unsealed_signature,
)
from docgen.layout.paginate import FlowItem, Keep, PageBreak, PageRows, Paginator, TableFlow
from docgen.layout.placing import merge_rules, place_page
from docgen.layout.plan import ImageItem, Page, Plan, RuleItem, TextItem
from docgen.layout.rows import Row, blank
from docgen.layout.table import table_flow, turned_composer
from docgen.models.circular import Circular
from docgen.models.documents import Document, MainDocument
from docgen.models.meeting import Minutes, Reminder, Supervision
from docgen.models.tables import Block, TableItem
from docgen.spec import (
    BLOCK_HEIGHT,
    COLOPHON_THICK_MM,
    COLOPHON_THIN_MM,
    LINE_PITCH,
    MM_PER_PT,
    PAGE_NUMBER_DASH_DROP,
    SIZE_COLOPHON_PT,
    SIZE_PAGE_NUMBER_PT,
    SIZE_TITLE_PT,
    FontRole,
    Profile,
)

FS = FontRole.FANGSONG


def layout_document(
    doc: Document, profile: Profile, fonts: FontSet, decisions: Decisions | None = None
) -> Plan:
    """The document's pages: every line, rule and image placed, in millimetres."""
    # A long table's lines and items are hundreds of thousands of objects and
    # no reference cycles; as they grow the cycle collector would scan them
    # again and again (the 10,000-notice 通报: 2.2 s of layout instead of 1.0).
    with collector_paused():
        return _layout(doc, profile, fonts, decisions)


def _layout(doc: Document, profile: Profile, fonts: FontSet, decisions: Decisions | None) -> Plan:
    d = decisions or decide(doc, profile)
    m = measurer_for(fonts)
    c = Composer(profile, m)
    page1 = Page()
    fmt = doc.format
    head, flow = _head_and_flow(page1, c, doc, d, profile)
    pager = Paginator(head.slots, page_slots(profile), profile)
    pages_rows = pager.run(flow)
    pages = [page1] + [Page() for _ in pages_rows[1:]]
    for page, pr in zip(pages, pages_rows):
        page.landscape = pr.landscape
        placed = place_page(
            page.turned if pr.landscape else page.items, pr.rows, pr.slots(pr.pitch), pr.pitch
        )
        if pr.landscape:
            page.turned = placed
            page.items = merge_rules(page.items)
        else:
            page.items = placed
            page.turned = merge_rules(page.turned)
    unnumbered = place_colophon(c, doc, d, profile, pages, pages_rows)
    number_pages(c, pages, profile, skip_first=fmt == "letter", unnumbered=unnumbered)
    first = pages_rows[0].slots(pages_rows[0].pitch) if pages_rows else []
    plan = Plan(
        pages=pages,
        title_lines=d.title_lines,
        notes=pager.notes,
        first_line_top=first[0] if first else None,
        floats=pager.floats,
        alone=pager.alone,
    )
    check_bounds(plan, profile, m)  # nothing drawn outside the block, or a message
    return plan


def _head_and_flow(
    page1: Page, c: Composer, doc: Document, d: Decisions, profile: Profile
) -> tuple[Head, list[FlowItem]]:
    """One dispatch per kind: page 1's head (drawn first) and the flow below it."""
    if isinstance(doc, Minutes):
        head = minutes_head(page1, c, doc, d, profile)
        return head, minutes_flow(c, doc, d)
    if isinstance(doc, (Supervision, Reminder)):  # one form, one layout
        head = supervision_head(page1, c, doc, d, profile)
        return head, supervision_flow(c, doc, d)
    head = (letter_head if doc.format == "letter" else file_head)(page1, c, doc, d, profile)
    flow = main_flow(c, doc, d)
    flow.extend(attachment_flow(c, doc, d, profile))
    return head, flow


# --- the flow ----------------------------------------------------------------


def main_flow(c: Composer, doc: MainDocument, d: Decisions) -> list[FlowItem]:
    flow: list[FlowItem] = []
    flow.extend(c.centered_lines(d.title_lines, FontRole.XIAOBIAOSONG, SIZE_TITLE_PT))
    flow.append(blank())
    if d.recipients_text and not d.recipients_in_colophon:
        flow.extend(c.paragraph([(FS, d.recipients_text)], first_indent=0))
    chart = doc.chart if isinstance(doc, Circular) else None
    if chart is None:
        flow.extend(body_flow(c, doc.body, d))
    else:  # 通报: a chart in the text, after the paragraph it illustrates
        from docgen.layout.chart import chart_flow

        at = len(doc.body) if chart.after is None else chart.after
        flow.extend(body_flow(c, doc.body[:at], d))
        flow.extend(chart_flow(c, chart))
        flow.extend(body_flow(c, doc.body[at:], d))
    # 附件说明 goes with the signature, and both with the last lines of the text: a page
    # holding only them would be a signature page without text [7.3.5.5].
    closing: list[Row] = []
    if d.attachment_names:
        closing = [blank(), *attachment_note_rows(c, d.attachment_names)]
    flow.append(Keep(closing + signature_rows(c, doc, d) + note_rows(c, d)))
    return flow


def attachment_note_rows(c: Composer, names: list[str]) -> list[Row]:
    """附件说明: hanging so a wrapped name starts under the first character of the name."""
    label = [(FS, "附件：")]
    if len(names) == 1:
        return c.hanging(label, [(FS, names[0])], indent=2)
    hang = 2 + c.hang_after(label)
    rows: list[Row] = []
    for i, name in enumerate(names, 1):
        item = c.hanging([(FS, f"{i}.")], [(FS, name)], indent=hang)
        if i == 1:
            item[0].texts.insert(0, c.aligned(label, x=c.left + c.chars(2)))
        rows += item
    return rows


def signature_rows(c: Composer, doc: MainDocument, d: Decisions) -> list[Row]:
    sig = doc.signature
    if sig.mode == "unsealed":
        return _unsealed(c, d)
    if sig.mode == "stamp":
        return _stamp(c, doc, d)
    return _sealed(c, doc, d)


def _sealed(c: Composer, doc: MainDocument, d: Decisions) -> list[Row]:
    """[7.3.5.1] date four characters in from the right, name centred over it, seal over both."""
    date = c.aligned([(FS, d.date_text)], right=c.right - c.chars(4))
    center = date.x + c.text_width(date.runs) / 2
    names = [Row(texts=[c.aligned([(FS, n)], center=center)]) for n in d.signature_issuers]
    diameter = c.profile.seal_diameter
    if doc.signature.seal_image:
        # Seal top within one line of the text: the text ends 2 bands above the first name.
        names[0].images.append(
            ImageItem(
                doc.signature.seal_image,
                center - diameter / 2,
                -1.5 * LINE_PITCH,
                diameter,
                diameter,
            )
        )
    return [blank(), blank(), *names, Row(texts=[date])]


def _unsealed(c: Composer, d: Decisions) -> list[Row]:
    """[7.3.5.2] name two characters in from the right, date two characters right of its start."""
    return unsealed_signature(c, d)


def _stamp(c: Composer, doc: MainDocument, d: Decisions) -> list[Row]:
    """[7.3.5.3] signer's stamp two empty lines below, four in; title two to its left; date below."""
    sig = doc.signature
    right = c.right - c.chars(4)
    row = Row()
    if sig.seal_image:
        w, h = _image_box(sig.seal_image, 2 * LINE_PITCH)
        row.images.append(ImageItem(sig.seal_image, right - w, (LINE_PITCH - h) / 2, w, h))
        stamp_x = right - w
    else:
        name = c.aligned([(FontRole.KAITI, sig.signer or "")], right=right)
        row.texts.append(name)
        stamp_x = name.x
    if sig.signer_title:
        row.texts.append(c.aligned([(FS, sig.signer_title)], right=stamp_x - c.chars(2)))
    date = c.aligned([(FS, d.date_text)], right=right)
    return [blank(), blank(), row, blank(), Row(texts=[date])]


def _image_box(path: str, height: float) -> tuple[float, float]:
    from PIL import Image

    with Image.open(path) as im:
        w, h = im.size
    return height * w / h, height


def note_rows(c: Composer, d: Decisions) -> list[Row]:
    if not d.note:
        return []
    return c.paragraph([(FS, d.note)], first_indent=2)


def attachment_flow(
    c: Composer, doc: MainDocument, d: Decisions, profile: Profile
) -> list[FlowItem]:
    """Each attachment on a new page: label on line 1, title on line 3, then its text.

    An attachment that opens with a table set across the page starts on that
    turned page: its label and title go there, above the table.
    """
    flow: list[FlowItem] = []
    attachments = doc.attachments
    for i, (att, title_lines) in enumerate(zip(attachments, d.attachment_title_lines), 1):
        first = att.body[0] if att.body else None
        turned = isinstance(first, TableItem) and d.table(first.table, profile).landscape
        ac = turned_composer(c, profile) if turned else c
        label = "附件" if len(attachments) == 1 else f"附件{i}"
        opening: list[Row] = [Row(texts=[ac.aligned([(FontRole.HEITI, label)], x=ac.left)])]
        opening.append(blank())
        opening += ac.centered_lines(
            title_lines, FontRole.XIAOBIAOSONG, profile.attachment_title_size_pt
        )
        opening.append(blank())
        rest = body_flow(c, att.body, d)
        if turned:
            table = rest[0]
            assert isinstance(table, TableFlow)
            table.lead = opening + table.lead
            flow.extend(rest)  # a turned table always opens a page of its own
        else:
            flow.append(PageBreak())
            flow.extend(opening)
            flow.extend(rest)
    return flow


def body_flow(c: Composer, blocks: list[Block], d: Decisions) -> list[FlowItem]:
    """Body paragraphs, with headings in their fonts, and tables."""
    flow: list[FlowItem] = []
    for block in blocks:
        if isinstance(block, TableItem):
            flow.append(table_flow(c, block.table, d.table(block.table, c.profile), c.profile))
        else:
            flow.extend(c.body_paragraph(block))
    return flow


# --- colophon and page numbers ----------------------------------------------


def colophon_rows(c: Composer, doc: Document, d: Decisions, fmt: str) -> list[Row]:
    """版记 [7.4]: 4号 text one character in from each side, ruled in the file format."""
    one = SIZE_COLOPHON_PT * MM_PER_PT  # one 4号 character
    x0, x1 = c.left + one, c.right - one
    rows: list[Row] = []

    def labelled(label: str, text: str) -> list[Row]:
        return c.hanging([(FS, label)], [(FS, text)], size_pt=SIZE_COLOPHON_PT, x0=x0, x1=x1)

    if d.recipients_in_colophon and d.recipients_text:
        rows += labelled("主送：", d.recipients_text.rstrip("：") + "。")
    if d.distribute_text:
        rows += labelled("分送：", d.distribute_text)
    if d.cc_text:
        rows += labelled("抄送：", d.cc_text)
    if fmt == "letter":
        return rows
    if fmt == "supervision":
        return []
    printed = Row(
        texts=[
            c.aligned([(FS, d.printer)], x=x0, size_pt=SIZE_COLOPHON_PT),
            c.aligned([(FS, d.print_date_text)], right=x1, size_pt=SIZE_COLOPHON_PT),
        ]
    )
    # Thick above the first element, thin between elements, thick under the last.
    if rows:
        rows[0].rules.append(RuleItem(c.left, c.right, 0.0, COLOPHON_THICK_MM))
        printed.rules.append(RuleItem(c.left, c.right, 0.0, COLOPHON_THIN_MM))
    else:
        printed.rules.append(RuleItem(c.left, c.right, 0.0, COLOPHON_THICK_MM))
    printed.rules.append(RuleItem(c.left, c.right, LINE_PITCH, COLOPHON_THICK_MM))
    return [*rows, printed]


def place_colophon(
    c: Composer,
    doc: Document,
    d: Decisions,
    profile: Profile,
    pages: list[Page],
    pages_rows: list[PageRows],
) -> set[int]:
    """Put the colophon on the bottom lines of the last page; return pages left unnumbered.

    Printed double-sided, the colophon is on an even page, the back of the
    last sheet; a blank page before it and the colophon page carry no number.
    """
    fmt = doc.format
    rows = colophon_rows(c, doc, d, fmt)
    if not rows:
        return set()
    unnumbered: set[int] = set()
    last = len(pages)
    fits = pages_rows[-1].free >= len(rows) and not pages_rows[-1].landscape
    even = last % 2 == 0
    later = page_slots(profile)
    if profile.double_sided and not even:
        pages.append(Page())
        pages_rows.append(PageRows(later))
    elif not fits:
        if profile.double_sided:
            pages.append(Page())
            pages_rows.append(PageRows(later))
            unnumbered.update({len(pages), len(pages) + 1})
        pages.append(Page())
        pages_rows.append(PageRows(later))
    pr = pages_rows[-1]
    slots = pr.slots(pr.pitch)
    bottom = profile.top_margin + BLOCK_HEIGHT
    # The last row's band ends on the block's bottom edge, where its thick line lies.
    tops = [bottom - (len(rows) - i) * pr.pitch for i in range(len(rows))] if len(slots) else slots
    for row, top in zip(rows, tops):
        for item in row.place(top, c.m, pr.pitch):
            pages[-1].add(item)
    return unnumbered


def number_pages(
    c: Composer, pages: list[Page], profile: Profile, *, skip_first: bool, unnumbered: set[int]
) -> None:
    """— N — in 4号宋体 below the block: odd pages right, even pages left, one character in."""
    size = SIZE_PAGE_NUMBER_PT
    one = size * MM_PER_PT
    top = profile.top_margin + BLOCK_HEIGHT + PAGE_NUMBER_DASH_DROP
    # The dashes' ink, not the line's box, is what lies 7 mm below the block [7.5].
    baseline = top + c.m.ink_top(FontRole.SONGTI, "—") * size * MM_PER_PT
    for n, page in enumerate(pages, 1):
        if (n == 1 and skip_first) or n in unnumbered:
            continue
        label = f"— {n} —"
        runs = [(FontRole.SONGTI, label)]
        item: TextItem = (
            c.aligned(runs, right=c.right - one, size_pt=size, tracking_pt=0)
            if n % 2
            else c.aligned(runs, x=c.left + one, size_pt=size, tracking_pt=0)
        )
        item.baseline = baseline
        page.add(item)
        page.number_label = label
