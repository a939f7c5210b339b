"""督办单: the ruled form of an agreed item."""

from __future__ import annotations

import math
import unicodedata

from markupsafe import Markup

from docgen.layout.meeting import LABEL_CHARS as FORM_LABEL_CHARS
from docgen.layout.meeting import blank_room
from docgen.render.docx import ooxml as ox
from docgen.render.docx.blocks import line_runs
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import chars_tw
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.render.docx.tables import RULE_EIGHTHS, cell
from docgen.spec import BLOCK_WIDTH, BODY_CELL_MM, PT_PER_MM, FontRole
from docgen.text.linebreak import Line


def supervision_form(c: Ctx) -> Markup:
    """The ruled form: label column 7 characters, 0.5 pt black rules, one grid line a row line."""
    W = ox.BLOCK_WIDTH_TWIPS
    label_w = chars_tw(FORM_LABEL_CHARS)
    pad = chars_tw(0.5)
    rule = f'w:val="single" w:sz="{RULE_EIGHTHS}" w:space="0" w:color="000000"'
    borders = "".join(
        f"<w:{s} {rule}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    head = (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{W}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{label_w}"/><w:gridCol w:w="{W - label_w}"/></w:tblGrid>'
    )
    xml = head
    value_tw = W - label_w - 2 * pad
    broken = form_lines(c)
    if broken is not None:  # the PDF's own lines (the fonts' measures are at hand)
        needed = [
            max(m, sum(len(lines) for _, lines in paras))
            for (_l, _p, m), paras in zip(c.d.form_rows, broken)
        ]
        filled = [n for n, (_l, paras, _m) in zip(needed, c.d.form_rows) if paras]
    else:
        # The PDF's count: whole grid characters between the paddings.
        per_line = value_tw // ox.GRID_CHAR_TWIPS
        needed = [
            max(m, sum(max(1, math.ceil(ox.em_width(p) / per_line)) for p in paragraphs))
            for _label, paragraphs, m in c.d.form_rows
        ]
        # A blank box (办理情况) gets the PDF's room for handwriting (six lines where the
        # page allows; layout/meeting.py), counting the filled rows as a word processor
        # sets them: where LibreOffice's wider digits take a row to one more line than
        # the PDF's, the box gives that line up and the form stays one page.
        filled = [
            max(n, sum(_wp_lines(p, value_tw, _one_line(p, value_tw)) for p in paras))
            for n, (_label, paras, _m) in zip(needed, c.d.form_rows)
            if paras
        ]
    room = blank_room(len(c.d.title_lines), filled)
    for i, ((label, paragraphs, min_lines), lines) in enumerate(zip(c.d.form_rows, needed)):
        if broken is not None:
            width_pt = value_tw / ox.TWIPS_PER_PT
            content = "".join(
                ox.paragraph(line_runs(p, ems, pl, width_pt=width_pt), style="FormText")
                for p, (ems, pl) in zip(paragraphs, broken[i])
            )
        else:
            content = "".join(
                ox.paragraph(ox.run(p, font=_one_line(p, value_tw)), style="FormText")
                for p in paragraphs
            )
        if not content:
            content = ox.paragraph("", style="FormText")
            lines = max(room, min_lines)
        # At least whole grid lines, never exact: a word processor whose fonts
        # measure wider grows the row instead of clipping its last line, and an
        # office writing by hand in the row gets the room it needs.
        if label == c.form_break:
            # The PDF's form goes on on the next page from this row: the table ends here
            # and starts again there (a 1 pt paragraph opens the page; rows cannot).
            xml += "</w:tbl>" + ox.paragraph("", style="Spacer", line=20, page_break_before=True)
            xml += head
        xml += (
            f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{lines * LINE_TWIPS}" w:hRule="atLeast"/></w:trPr>'
            + cell(label_w, _label(label, lines))
            + cell(W - label_w, content)
            + "</w:tr>"
        )
    xml += "</w:tbl>"
    return Markup(xml)


def form_lines(c: Ctx) -> list[list[tuple[list[float], list[Line]]]] | None:
    """Each form row's paragraphs with their advances and the PDF's lines (layout/meeting.py:
    justified between the value cell's paddings), or None without the fonts' measures."""
    from docgen.layout.compose import grid_lines

    glyphs = c.d.glyphs
    if glyphs is None:
        return None
    # The PDF's value cell, between paddings of half a grid character.
    pdf_pt = (BLOCK_WIDTH - (FORM_LABEL_CHARS + 1) * BODY_CELL_MM) * PT_PER_MM
    out = []
    for _label, paragraphs, _min in c.d.form_rows:
        row = []
        for p in paragraphs:
            ems = glyphs.advances(FontRole.FANGSONG, p)
            if ems is None:
                return None
            halves = glyphs.savings(FontRole.FANGSONG, p)
            row.append((ems, grid_lines(p, ems, halves, width_pt=pdf_pt, first_indent=0)))
        out.append(row)
    return out


def _wp_lines(text: str, room_tw: int, font: ox.Font | None = None) -> int:
    """Lines ``text`` takes in a cell ``room_tw`` twips wide as Word advances it, plus
    LibreOffice's 1/5-em gap at each boundary between a CJK character and a digit or
    Latin letter (ooxml.py: its importer ignores w:autoSpaceDE/DN)."""
    return max(1, math.ceil(_wp_width(text, font) / room_tw))


def _wp_width(text: str, font: ox.Font | None = None) -> int:
    gaps = sum(
        1 for a, b in zip(text, text[1:]) if _latin(a) != _latin(b) and (_wide(a) or _wide(b))
    )
    spacing = font.spacing if font and font.spacing is not None else ox.BODY_SPACING_TWIPS
    return ox.text_twips(text, spacing=spacing) + gaps * round(ox.LO_SCRIPT_GAP_PT * 20)


def _one_line(text: str, room_tw: int) -> ox.Font | None:
    """Tighter tracking (at most 1 pt a character) for a value the PDF sets on one line
    and LibreOffice, with its gaps around digits, would carry over to a second: the
    row keeps the PDF's height and the form its rows."""
    if _wp_lines(text, room_tw) == 1 or ox.em_width(text) > room_tw // ox.GRID_CHAR_TWIPS:
        return None  # fits as it is, or the PDF's count gives it two lines anyway
    over = _wp_width(text) - (room_tw - 20)  # 1 pt to spare against rounding
    tighter = ox.BODY_SPACING_TWIPS - math.ceil(over / len(text))
    return ox.Font(spacing=tighter) if tighter >= ox.BODY_SPACING_TWIPS - 20 else None


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _label(label: str, lines: int) -> str:
    """The label on the grid line the PDF gives it: the middle one, the upper of two
    (layout/meeting.py), held there by space above it rather than by vertical
    centring, which would put it between two lines of the value."""
    above = (lines - 1) // 2 * ox.TABLE_LINE_TWIPS
    return ox.paragraph(ox.run(label), style="FormLabel", before=above or None)
