"""The main text: body paragraphs with their headings, 附件说明, 附注, attachments [7.3]."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from docgen.decide.decisions import Decisions
from docgen.decide.glyphs import Glyphs
from docgen.layout.plan import CHART_FIGURE, table_figure
from docgen.models.tables import TableItem
from docgen.render.docx import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.floats import Break, Cut, Moved, reorder
from docgen.render.docx.linefit import line_spacings
from docgen.render.docx.measures import (
    body_breaks,
    body_lines,
    body_measure,
    chars_tw,
)
from docgen.render.docx.ooxml import Font
from docgen.render.docx.tables import TURN_BEGIN, TURN_END, table_block
from docgen.spec import Profile
from docgen.text.headings import classify as classify_heading
from docgen.text.linebreak import Line


def body_paragraph(
    text: str,
    glyphs: Glyphs | None = None,
    *,
    keep_next: bool = False,
    carried: int = 0,
    page_break_at: int | None = None,
) -> str:
    """A body paragraph; headings 一、（一）1.（1） in their styles (run-in ones as character styles).

    Each line ends where the PDF ends it (:func:`line_runs`): Word, WPS and
    LibreOffice fill lines one at a time, the PDF chooses a paragraph's breaks
    together and squeezes punctuation.
    ``carried``: how many of its last lines go over with the signature when it
    does not fit (see _carry); ``page_break_at``: where the PDF's page breaks in
    it for the signature (see _carried_from).
    """
    together = carried >= 2 and body_lines(text, glyphs) == 2
    widow = carried >= 2 and not together
    heading = classify_heading(text)
    if heading is not None and heading.heading_text and not heading.rest:
        return ox.paragraph(
            ox.run(heading.heading_text),
            style=f"Heading{heading.level}",
            page_break_before=page_break_at == 0,
        )
    styled = 0  # characters of the run-in heading, in its character style
    style = None
    if heading is not None and heading.heading_text:
        styled, style = len(heading.heading_text), f"Heading{heading.level}Char"
    inside = page_break_at if page_break_at else None
    return ox.paragraph(
        line_runs(text, *body_measure(text, glyphs), styled, style, page_break_at=inside),
        style="Body",
        keep_next=keep_next,
        keep_lines=together,
        widow_control=widow,
        page_break_before=page_break_at == 0,
    )


def line_runs(
    text: str,
    ems: list[float],
    lines: list[Line],
    styled: int = 0,
    style: str | None = None,
    *,
    page_break_at: int | None = None,
    width_pt: float | None = None,
) -> str:
    """``text`` as runs, the first ``styled`` characters in ``style``; a line the word
    processor would end elsewhere than the PDF gets a run of its own with the
    character spacing that ends it there (linefit.py). A page break before
    ``page_break_at`` when given; ``width_pt``: a cell's text width (the block's if None)."""
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line.text))
    widths = {} if width_pt is None else {"width_pt": width_pt}
    spacing = dict(zip(starts, line_spacings(text, lines, ems, **widths)))
    marks = [styled, page_break_at or 0, *starts]
    cuts = sorted({0, len(text), *(m for m in marks if 0 < m < len(text))})
    runs = []
    current: int | None = None
    for a, b in zip(cuts, cuts[1:]):
        if a in spacing:
            current = spacing[a]
        if a == page_break_at:
            runs.append(ox.page_break_run())
        font = ox.Font(spacing=current) if current is not None else None
        runs.append(ox.run(text[a:b], style=style if a < styled else None, font=font))
    return _joined(runs)


def _joined(runs: list[str]) -> str:
    """Neighbouring runs of the same formatting as one (the markup a clerk's edits meet)."""
    out: list[str] = []
    for r in runs:
        head = r.partition("<w:t ")[0]
        if out and "<w:br" not in r and "<w:br" not in out[-1]:
            if out[-1].partition("<w:t ")[0] == head:
                out[-1] = out[-1][: -len("</w:r>")] + r[len(head) :]
                continue
        out.append(r)
    return "".join(out)


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


def _cut_paragraph(c: Ctx, cut: Cut, page_break: bool = False) -> str:
    """A paragraph's part on one side of a floated figure: its opening as any paragraph,
    its continuation without the first line's indent."""
    if cut.opening:
        return body_paragraph(cut.text, c.d.glyphs)
    return ox.paragraph(ox.run(cut.text), style="Body", first_line=0, page_break_before=page_break)


def blocks_xml(c: Ctx, blocks: list[Any], *, keep_last: bool = False, ordered: bool = False) -> str:
    """Paragraphs (headings in their styles) and tables, as the body and attachments hold them,
    in the PDF's order (``ordered``: already so)."""
    out: list[str] = []
    if not ordered:
        blocks = _pdf_order(c, blocks)
    carry = _carry(blocks, c.d.glyphs) if keep_last else {}
    # Where the PDF begins a page a word processor would not (signature.page_starts):
    # the page breaks there, and a paragraph kept with the next before it keeps no
    # company (it would take the break's paragraph's page and move whole).
    breaks = take_breaks(c, blocks)
    if breaks:
        carry = {k: v for k, v in carry.items() if k >= max(breaks)}
    page_break = False  # the next paragraph opens a page (after a floated figure alone)
    for i, block in enumerate(blocks):
        if isinstance(block, Break):
            page_break = True
            continue
        if isinstance(block, Cut):
            out.append(_cut_paragraph(c, block, page_break))
        elif isinstance(block, Moved):
            dec = c.d.table(block.item.table, c.profile)
            out.append(
                table_block(block.item.table, dec, c.profile, break_before=True, glyphs=c.d.glyphs)
            )
        elif isinstance(block, TableItem):
            dec = c.d.table(block.table, c.profile)
            keep = keep_last and i == len(blocks) - 1 and not dec.landscape
            out.append(table_block(block.table, dec, c.profile, keep_last=keep, glyphs=c.d.glyphs))
        else:
            carried = carry.get(i, 0)
            out.append(
                body_paragraph(
                    block,
                    c.d.glyphs,
                    keep_next=carried > 0,
                    carried=carried,
                    page_break_at=0 if page_break else breaks.get(i),
                )
            )
        page_break = False
    return "".join(out)


def take_breaks(c: Ctx, blocks: list[Any]) -> dict[int, int]:
    """The page breaks the PDF makes inside ``blocks`` (block → offset of the line the page
    begins with), taken off ``c.starts`` (text and occurrence of each page's first line)
    as the paragraphs' lines are met: the pending lines before the one found (pages
    begun by what is no body paragraph: an attachment's heading, a table) are dropped."""
    breaks: dict[int, int] = {}
    for i, block in enumerate(blocks):
        if not isinstance(block, str):
            continue
        at = 0
        for line in body_breaks(block, c.d.glyphs):
            text = line.text
            nth = c.seen.get(text, 0)
            c.seen[text] = nth + 1
            for k, pending in enumerate(c.starts):
                if pending == (text, nth):
                    breaks.setdefault(i, at)
                    del c.starts[: k + 1]
                    break
            at += len(text)
    return breaks


def _carry(blocks: list[Any], glyphs: Glyphs | None) -> dict[int, int]:
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
        need -= body_lines(block, glyphs)
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
            paras.append(
                table_block(first.table, dec, c.profile, turn=False, glyphs=c.d.glyphs) + TURN_END
            )
            paras.append(blocks_xml(c, att.body[1:]))
        else:
            paras.append(blocks_xml(c, att.body))
    return Markup("".join(paras))
