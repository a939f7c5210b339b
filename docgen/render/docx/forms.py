"""督办单: the ruled form of an agreed item."""

from __future__ import annotations

import math

from markupsafe import Markup

from docgen.layout.meeting import LABEL_CHARS as FORM_LABEL_CHARS
from docgen.render.docx import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import chars_tw
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.render.docx.tables import RULE_EIGHTHS, cell


def supervision_form(c: Ctx) -> Markup:
    """The ruled form: label column 7 characters, 0.5 pt black rules, one grid line a row line."""
    W = ox.BLOCK_WIDTH_TWIPS
    label_w = chars_tw(FORM_LABEL_CHARS)
    pad = chars_tw(0.5)
    rule = f'w:val="single" w:sz="{RULE_EIGHTHS}" w:space="0" w:color="000000"'
    borders = "".join(
        f"<w:{s} {rule}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    xml = (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{W}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{label_w}"/><w:gridCol w:w="{W - label_w}"/></w:tblGrid>'
    )
    # The PDF's count: whole grid characters between the paddings.
    per_line = (W - label_w - 2 * pad) // ox.GRID_CHAR_TWIPS
    for label, paragraphs, min_lines in c.d.form_rows:
        content = "".join(ox.paragraph(ox.run(p), style="FormText") for p in paragraphs)
        if not content:
            content = ox.paragraph("", style="FormText")
        lines = max(
            min_lines, sum(max(1, math.ceil(ox.em_width(p) / per_line)) for p in paragraphs)
        )
        # At least whole grid lines, never exact: a word processor whose fonts
        # measure wider grows the row instead of clipping its last line, and an
        # office writing by hand in the row gets the room it needs.
        xml += (
            f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{lines * LINE_TWIPS}" w:hRule="atLeast"/></w:trPr>'
            + cell(label_w, _label(label, lines))
            + cell(W - label_w, content)
            + "</w:tr>"
        )
    xml += "</w:tbl>"
    return Markup(xml)


def _label(label: str, lines: int) -> str:
    """The label on the grid line the PDF gives it: the middle one, the upper of two
    (layout/meeting.py), held there by space above it rather than by vertical
    centring, which would put it between two lines of the value."""
    above = (lines - 1) // 2 * ox.TABLE_LINE_TWIPS
    return ox.paragraph(ox.run(label), style="FormLabel", before=above or None)
