"""版记 [7.4]: the framed colophon on the block's bottom edge, and its own page when the PDF gives it one."""

from __future__ import annotations

import math
import re
from typing import Any

from markupsafe import Markup

from docgen.render.docx import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import mm_tw
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.spec import (
    BLOCK_HEIGHT,
    BLOCK_WIDTH,
    COLOPHON_THICK_MM,
    COLOPHON_THIN_MM,
    SIZE_COLOPHON_PT,
)

COLOPHON_MARK = "<!--docgen:colophon-->"


def _wrapped_lines(label: str, text: str, width: int, size: float) -> int:
    """Lines a labelled colophon entry takes (wrapped lines hang after the label)."""
    label_w = ox.text_twips(label, size, 0)
    rest = ox.text_twips(text, size, 0)
    if label_w + rest <= width:
        return 1
    return 1 + math.ceil((label_w + rest - width) / max(1, width - label_w))


def colophon(c: Ctx, fmt: str) -> Markup:
    """版记 [7.4]: a frame whose last line lies on the block's bottom edge, with its rules.

    A frame (w:framePr) at a computed page position rather than a floating
    table: LibreOffice 7.4 ignores w:tblpPr and a frame's w:yAlign, and drops
    paragraph borders inside frames, so the rules are anchored lines.
    """
    d, profile = c.d, c.profile
    size = SIZE_COLOPHON_PT
    one = ox.pt_to_twips(size)
    width = ox.BLOCK_WIDTH_TWIPS - 2 * one
    entries: list[tuple[str, str]] = []
    if d.recipients_in_colophon and d.recipients_text:
        entries.append(("主送：", d.recipients_text.rstrip("：") + "。"))
    if d.distribute_text:
        entries.append(("分送：", d.distribute_text))
    if d.cc_text:
        entries.append(("抄送：", d.cc_text))
    printed = fmt not in ("letter", "supervision")
    if not entries and not printed:
        return Markup("")
    rows = [_wrapped_lines(label, text, width, size) for label, text in entries]
    n_lines = sum(rows) + (1 if printed else 0)
    height = n_lines * LINE_TWIPS
    bottom = profile.top_margin + BLOCK_HEIGHT
    top_mm = bottom - ox.twips_to_mm(height)
    frame = ox.Frame(width=ox.BLOCK_WIDTH_TWIPS, v_anchor="page", y=mm_tw(top_mm), wrap="notBeside")
    # Where render_docx puts a section break when the colophon needs a page of its own.
    paras: list[str] = [COLOPHON_MARK]
    lines = ""
    if printed:
        x0 = profile.left_margin
        printed_top = bottom - ox.twips_to_mm(LINE_TWIPS)
        rules = [(top_mm, COLOPHON_THICK_MM), (bottom, COLOPHON_THICK_MM)]
        if entries:
            rules.insert(1, (printed_top, COLOPHON_THIN_MM))
        lines = "".join(
            ox.anchor_line(
                c.ids, x_mm=x0, y_mm=y, length_mm=BLOCK_WIDTH, width_mm=w, color="000000"
            )
            for y, w in rules
        )
    for i, (label, text) in enumerate(entries):
        label_w = ox.text_twips(label, size, 0)
        paras.append(
            ox.paragraph(
                ox.run(label + text) + (lines if i == 0 else ""),
                style="Colophon",
                frame=frame,
                left=one + label_w,
                hanging=label_w,
                right=one,
            )
        )
    if printed:
        paras.append(
            ox.paragraph(
                ox.run(d.printer) + ox.run("\t" + d.print_date_text) + ("" if entries else lines),
                style="Colophon",
                frame=frame,
                tabs=ox.tab_stops([("right", ox.BLOCK_WIDTH_TWIPS - one)]),
            )
        )
    # The frame anchors to the paragraph after it: a last, minimal one.
    paras.append(ox.paragraph("", style="Spacer", line=20))
    return Markup("".join(paras))


def colophon_on_own_page(plan: Any) -> bool:
    """Whether the PDF gives the colophon a page of its own (an even one when double-sided).

    Word cannot know its own page parity, so the decision is the PDF
    layout's: the document's one plan (docgen/prepare.py, laid out with the
    user's profile and fonts) shows the colophon alone on its last page when
    the text ended on an odd page or left no room [7.4]. ``plan`` needs only
    ``pages[-1].items`` (the .docx worker sends just the last page).
    """
    from docgen.layout.plan import TextItem

    last = plan.pages[-1]
    return not any(
        isinstance(i, TextItem) and i.size_pt > SIZE_COLOPHON_PT + 0.5 for i in last.items
    )


def colophon_page_numbered(plan: Any) -> bool:
    """Whether the colophon's own page carries a number: it does, unless the PDF put a
    blank page before it (then neither has one [7.5]). True when unknown."""
    return plan is None or plan.pages[-1].number_label is not None


def section_break(body: str, kind: str, numbered: bool = True, blank_first: bool = False) -> str:
    """End the text's section before the colophon; the colophon's section starts on ``kind``.

    The first section repeats the template's page set-up and footers (the
    body's last w:sectPr); the last gains ``<w:type w:val=kind>`` (evenPage:
    Word adds a blank page when the text ends on an even page, as the PDF
    does). ``numbered``: the colophon's page shows its number like every other
    page (a letter's "no number on the first page" must not carry over to it);
    otherwise it uses the empty first-page footer (a blank page before it [7.5]).
    ``blank_first``: the colophon's section opens with that blank page itself, a page
    of its own rather than one a word processor adds for an evenPage break (which
    LibreOffice's PDF export leaves out), every footer of the section empty.
    """
    start = body.rfind("<w:sectPr")
    end = body.find("</w:sectPr>", start)
    mark = body.find(COLOPHON_MARK)
    if start < mark or end < 0:
        return body.replace(COLOPHON_MARK, "")
    end += len("</w:sectPr>")
    sect = body[start:end]
    # w:sectPr is the last child of w:pPr.
    first = ox.paragraph("", style="Spacer", line=20).replace("</w:pPr>", f"{sect}</w:pPr>", 1)
    typed = re.sub(r"(<w:pgSz)", f'<w:type w:val="{kind}"/>\\1', sect, count=1)
    typed = re.sub(r'<w:footerReference w:type="first" [^>]*/>|<w:titlePg/>', "", typed)
    if blank_first:
        typed = re.sub(r"<w:footerReference [^>]*/>", "", typed)
        empty = "".join(
            f'<w:footerReference w:type="{t}" r:id="rIdFooterFirst"/>'
            for t in ("default", "even", "first")
        )
        typed = typed.replace("<w:sectPr>", f"<w:sectPr>{empty}", 1)
        first += (
            '<w:p><w:pPr><w:pStyle w:val="Spacer"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'
        )
    elif not numbered:
        typed = typed.replace(
            "<w:sectPr>", '<w:sectPr><w:footerReference w:type="first" r:id="rIdFooterFirst"/>', 1
        ).replace("<w:docGrid", "<w:titlePg/><w:docGrid", 1)
    if mark < 0:
        return body[:start] + typed + body[end:]
    # One copy of the (for a 10,000-row table, 17-million-character) body, not three:
    # the mark is first found at ``mark``, and only what follows it can hold another.
    after = mark + len(COLOPHON_MARK)
    return "".join(
        (
            body[:mark],
            first,
            body[after:start].replace(COLOPHON_MARK, first),
            typed,
            body[end:].replace(COLOPHON_MARK, first),
        )
    )
