"""督办单: the ruled form of an agreed item."""

from __future__ import annotations

from markupsafe import Markup

from docgen.layout.meeting import LABEL_CHARS as FORM_LABEL_CHARS
from docgen.layout.meeting import blank_room, form_value_width_mm
from docgen.render.docx import ooxml as ox
from docgen.render.docx.blocks import line_runs
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import chars_tw
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.render.docx.tables import RULE_EIGHTHS, cell
from docgen.spec import PT_PER_MM, FontRole
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
    width_pt = value_tw / ox.TWIPS_PER_PT
    broken = form_lines(c)  # the PDF's own lines of each row's paragraphs
    needed = [
        max(m, sum(len(lines) for _, lines in paras))
        for (_l, _p, m), paras in zip(c.d.form_rows, broken)
    ]
    filled = [n for n, (_l, paras, _m) in zip(needed, c.d.form_rows) if paras]
    room = blank_room(len(c.d.title_lines), filled)
    for i, ((label, paragraphs, min_lines), lines) in enumerate(zip(c.d.form_rows, needed)):
        content = "".join(
            ox.paragraph(line_runs(p, ems, pl, width_pt=width_pt), style="FormText")
            for p, (ems, pl) in zip(paragraphs, broken[i])
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


def form_lines(c: Ctx) -> list[list[tuple[list[float], list[Line]]]]:
    """Each form row's paragraphs with their advances and the PDF's lines (layout/meeting.py:
    justified between the value cell's paddings), measured as body paragraphs are
    (measures.body_measure: the fonts' measures, or ems without them)."""
    from docgen.layout.compose import grid_lines

    glyphs = c.d.glyphs
    width_pt = form_value_width_mm() * PT_PER_MM
    out = []
    for _label, paragraphs, _min in c.d.form_rows:
        row = []
        for p in paragraphs:
            ems = glyphs.advances(FontRole.FANGSONG, p) if glyphs is not None else None
            if glyphs is None or ems is None:
                ems = [ox.em_width(ch) for ch in p]
                halves = None
            else:
                halves = glyphs.savings(FontRole.FANGSONG, p)
            row.append((ems, grid_lines(p, ems, halves, width_pt=width_pt, first_indent=0)))
        out.append(row)
    return out


def _label(label: str, lines: int) -> str:
    """The label on the grid line the PDF gives it: the middle one, the upper of two
    (layout/meeting.py), held there by space above it rather than by vertical
    centring, which would put it between two lines of the value."""
    above = (lines - 1) // 2 * ox.TABLE_LINE_TWIPS
    return ox.paragraph(ox.run(label), style="FormLabel", before=above or None)
