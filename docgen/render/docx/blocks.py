"""The main text: body paragraphs with their headings, 附件说明, 附注, attachments [7.3]."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from docgen.decide.decisions import Decisions
from docgen.layout.plan import CHART_FIGURE, table_figure
from docgen.models.tables import TableItem
from docgen.render.docx import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.floats import Break, Cut, Moved, reorder
from docgen.render.docx.measures import body_line_starts, body_lines, chars_tw
from docgen.render.docx.ooxml import Font
from docgen.render.docx.tables import TURN_BEGIN, TURN_END, table_block
from docgen.spec import Profile
from docgen.text.headings import classify as classify_heading


def body_paragraph(
    text: str, keep_next: bool = False, carried: int = 0, page_break: bool = False
) -> str:
    """A body paragraph; headings 一、（一）1.（1） in their styles (run-in ones as character styles).

    ``carried``: how many of its last lines go over with the signature when it
    does not fit (see _carry). ``page_break``: it opens a page.
    """
    from docgen.text.headings import classify

    together = carried >= 2 and body_lines(text) == 2
    widow = carried >= 2 and not together
    heading = classify(text)
    if heading is None or not heading.heading_text:  # (a numbered sentence: body text)
        return ox.paragraph(
            ox.run(text), style="Body", keep_next=keep_next, keep_lines=together,
            widow_control=widow, page_break_before=page_break,
        )  # fmt: skip
    if not heading.rest:
        return ox.paragraph(
            ox.run(heading.heading_text),
            style=f"Heading{heading.level}",
            page_break_before=page_break,
        )
    return ox.paragraph(
        ox.run(heading.heading_text, style=f"Heading{heading.level}Char") + ox.run(heading.rest),
        style="Body",
        keep_next=keep_next,
        keep_lines=together,
        widow_control=widow,
        page_break_before=page_break,
    )


def body_text(c: Ctx, keep_last: bool) -> Markup:
    """Body paragraphs and tables; the last paragraph kept with the signature so the
    signature never opens a page."""
    return Markup(blocks_xml(c, list(getattr(c.doc, "body", []) or []), keep_last=keep_last))


def chart_in_body(c: Ctx, chart: Any, chart_xml: str, moved_xml: str = "") -> Markup:
    """A 通报's body with its chart after paragraph ``chart.after`` (None: after them all).

    The paragraph before the chart is kept with it, the last with the signature.
    Where the PDF floated the chart to the next page, the text that went above
    it comes first and ``moved_xml`` (the chart opening a page) after it.
    """
    blocks = list(getattr(c.doc, "body", []) or [])
    at = len(blocks) if chart.after is None else chart.after
    flowed = c.floats.get(CHART_FIGURE)
    order = None
    if flowed is not None:
        alone = CHART_FIGURE in c.alone
        order = reorder([*blocks[:at], _CHART, *blocks[at:]], at, flowed, alone)
    if order is not None:
        k = next(i for i, b in enumerate(order) if isinstance(b, Moved))
        before = blocks_xml(c, order[:k], keep_last=True, ordered=True)
        after = blocks_xml(c, order[k + 1 :], keep_last=True, ordered=True)
        return Markup("".join((before, str(moved_xml), after)))
    before = blocks_xml(c, blocks[:at], keep_last=True)
    after = blocks_xml(c, blocks[at:], keep_last=True)
    # Joined as plain strings: str + Markup would escape the str's XML.
    return Markup("".join((before, str(chart_xml), after)))


_CHART = object()  # the chart's place among the blocks


def _pdf_order(c: Ctx, blocks: list[Any]) -> list[Any]:
    """The blocks as the PDF placed them: each table it floated after the text that
    went above it (floats.py); the rest in their order."""
    if not c.floats:
        return blocks
    for block in list(blocks):
        if not isinstance(block, TableItem):
            continue
        flowed = c.floats.get(table_figure(block.table.place))
        if flowed is None:
            continue
        at = next(i for i, b in enumerate(blocks) if b is block)
        name = table_figure(block.table.place)
        blocks = reorder(blocks, at, flowed, name in c.alone) or blocks
    return blocks


def _cut_paragraph(cut: Cut, page_break: bool = False) -> str:
    """A paragraph's part on one side of a floated figure: its opening as any paragraph,
    its continuation without the first line's indent."""
    if cut.opening:
        return body_paragraph(cut.text)
    return ox.paragraph(ox.run(cut.text), style="Body", first_line=0, page_break_before=page_break)


def blocks_xml(c: Ctx, blocks: list[Any], *, keep_last: bool = False, ordered: bool = False) -> str:
    """Paragraphs (headings in their styles) and tables, as the body and attachments hold them,
    in the PDF's order (``ordered``: already so)."""
    out: list[str] = []
    if not ordered:
        blocks = _pdf_order(c, blocks)
    carry = _carry(blocks) if keep_last else {}
    broken = False
    page_break = False  # the next paragraph opens a page (after a floated figure alone)
    for i, block in enumerate(blocks):
        if isinstance(block, Break):
            page_break = True
            continue
        if isinstance(block, Cut):
            out.append(_cut_paragraph(block, page_break))
        elif isinstance(block, Moved):
            dec = c.d.table(block.item.table, c.profile)
            out.append(table_block(block.item.table, dec, c.profile, break_before=True))
        elif isinstance(block, TableItem):
            dec = c.d.table(block.table, c.profile)
            keep = keep_last and i == len(blocks) - 1 and not dec.landscape
            out.append(table_block(block.table, dec, c.profile, keep_last=keep))
        else:
            carried = carry.get(i, 0)
            para = body_paragraph(
                block, keep_next=carried > 0, carried=carried, page_break=page_break
            )
            if carried and c.carry_line and not broken and not page_break:
                para, broken = _break_at(para, block, c.carry_line)
            out.append(para)
        page_break = False
    return "".join(out)


def _break_at(para: str, text: str, line: str) -> tuple[str, bool]:
    """The paragraph with a page break where the PDF's carried ``line`` begins in it.

    Word's and LibreOffice's keep options move whole paragraphs (LibreOffice)
    or decide by their own measure; the PDF moved these lines because the
    signature did not fit under them [7.3.5.5], so the break is written where
    it put it: before the paragraph, or inside it before that line.
    """
    # The last of its lines (as the PDF breaks them) that the carried line begins.
    starts = [i for i in body_line_starts(text) if text.startswith(line, i)]
    if not starts:
        return para, False
    at = starts[-1]
    if at == 0:
        return para.replace("</w:pPr>", "<w:pageBreakBefore/></w:pPr>", 1), True
    head, tail = ox.esc(text[:at]), ox.esc(text[at:])
    whole = f'<w:t xml:space="preserve">{ox.esc(text)}</w:t>'
    if whole not in para:  # a heading run-in or a line break: leave it to the keeps
        return para, False
    split = (
        f'<w:t xml:space="preserve">{head}</w:t><w:br w:type="page"/>'
        f'<w:t xml:space="preserve">{tail}</w:t>'
    )
    return para.replace(whole, split, 1), True


def _carry(blocks: list[Any]) -> dict[int, int]:
    """How many lines of each closing paragraph go with the signature when it moves.

    The PDF's pagination carries the text's last two lines over with a
    signature that does not fit (layout/paginate.py, Keep.with_previous):
    Word keeps a paragraph's last line with the next paragraph (w:keepNext),
    and its last two with widow control, or the whole of a two-line one with
    w:keepLines. A closing paragraph of one line takes the previous one's
    last line along. A heading or a table before it stops the reach.
    """
    carry: dict[int, int] = {}
    need = 2
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if not isinstance(block, str) or need <= 0:
            break
        heading = classify_heading(block)
        if heading is not None and not heading.rest:
            break
        carry[i] = need
        need -= body_lines(block)
    return carry


def empty_line(style: str = "Normal", keep_next: bool = False) -> str:
    return ox.paragraph("", style=style, keep_next=keep_next)


def attachment_note(names: list[str]) -> Markup:
    """附件说明: one empty line, then 附件：names, wrapped names under the name's first character."""
    if not names:
        return Markup("")
    first = chars_tw(2)
    label = "附件："
    label_w = ox.text_twips(label)
    paras = [empty_line(keep_next=True)]
    if len(names) == 1:
        paras.append(
            ox.paragraph(
                ox.run(label + names[0]),
                style="AttachmentNote",
                keep_next=True,
                left=first + label_w,
                hanging=label_w,
            )
        )
    else:
        for i, name in enumerate(names, 1):
            num = f"{i}."
            num_w = ox.text_twips(num)
            if i == 1:
                paras.append(
                    ox.paragraph(
                        ox.run(label + num + name),
                        style="AttachmentNote",
                        keep_next=True,
                        left=first + label_w + num_w,
                        hanging=label_w + num_w,
                    )
                )
            else:
                paras.append(
                    ox.paragraph(
                        ox.run(num + name),
                        style="AttachmentNote",
                        keep_next=True,
                        left=first + label_w + num_w,
                        hanging=num_w,
                    )
                )
    return Markup("".join(paras))


def note(d: Decisions) -> Markup:
    return Markup(ox.paragraph(ox.run(d.note), style="Note")) if d.note else Markup("")


def attachments(c: Ctx) -> Markup:
    """Each attachment on a new page: 附件N on line 1, title on line 3, its text below."""
    atts = list(getattr(c.doc, "attachments", []))
    paras: list[str] = []
    for i, (att, lines) in enumerate(zip(atts, c.d.attachment_title_lines), 1):
        label = "附件" if len(atts) == 1 else f"附件{i}"
        # An attachment opening with a table set across the page starts on
        # that page, as in the PDF: its label and title go in the turned section.
        first = att.body[0] if att.body else None
        dec = c.d.table(first.table, c.profile) if isinstance(first, TableItem) else None
        turned = dec is not None and dec.landscape
        if turned:
            paras.append(TURN_BEGIN)
        paras.append(
            ox.paragraph(ox.run(label), style="AttachmentLabel", page_break_before=not turned)
        )
        paras.append(empty_line())
        # The template's style has the default size; an office profile's size wins.
        size = c.profile.attachment_title_size_pt
        font = Font(size_pt=size) if size != Profile().attachment_title_size_pt else None
        paras.append(ox.paragraph(ox.lines_run(lines, font=font), style="AttachmentTitle"))
        paras.append(empty_line())
        if turned:
            assert isinstance(first, TableItem) and dec is not None
            paras.append(table_block(first.table, dec, c.profile, turn=False) + TURN_END)
            paras.append(blocks_xml(c, att.body[1:]))
        else:
            paras.append(blocks_xml(c, att.body))
    return Markup("".join(paras))
