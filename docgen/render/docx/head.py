"""版头 of each format: mark, number, signers, red lines, at the PDF's positions [7.2, 10]."""

from __future__ import annotations

import math
from collections.abc import Callable

from markupsafe import Markup

from docgen.layout.head import snap_to_grid  # the PDF's rule, one function for both
from docgen.layout.meeting import FORM_NUMBER_RAISE, FORM_RULE_CLEAR
from docgen.models.parts import HeadPart
from docgen.render.docx import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import (
    BODY_GLYPH_BOTTOM_PT,
    BODY_GLYPH_TOP_PT,
    BODY_MM,
    PITCH,
    Flow,
    band_index,
    chars_tw,
    mm_tw,
)
from docgen.render.docx.ooxml import LINE_TWIPS, Font
from docgen.render.docx.tables import cell
from docgen.spec import (
    BLOCK_HEIGHT,
    BLOCK_WIDTH,
    LETTER_7_8,
    LETTER_BOTTOM_LINE_FROM_BOTTOM,
    LETTER_LINE_LENGTH,
    LETTER_MARK_TOP,
    LETTER_TOP_LINE_GAP,
    MARK_TOP_IN_BLOCK,
    MM_PER_PT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SEPARATOR_BELOW_NUMBER,
)

# The mark's line is a little taller than the mark so no renderer clips its glyphs.
MARK_LINE_FACTOR = 1.2
JOINT_MARK_STEP = 1.15  # stacked issuer names, as layout/head.py stacks them


def _mark_paragraph(c: Ctx, flow: Flow, text: str, size: float, target_top_mm: float) -> None:
    """The red mark in the flow, its em box's top edge at ``target_top_mm`` below the block top."""
    target = mm_tw(target_top_mm)
    need = target - flow.y  # room above the glyph's top in this paragraph
    height = round((ox.EM_ASCENT * size * 20 + need) / ox.EXACT_BASELINE)
    if height > round(MARK_LINE_FACTOR * size * 20) or height < size * 20:
        height = round(MARK_LINE_FACTOR * size * 20)
        top = target - round(ox.exact_line_glyph_top(height, size) * 20)
        flow.space_to(top)
    run = ox.run(text, style=None, font=Font(size_pt=size, color=c.red))
    flow.add(ox.paragraph(run, style="Mark", line=height), height)


def _joint_mark(
    c: Ctx, flow: Flow, names: list[str], suffix: str, size: float, target_top_mm: float
) -> float:
    """Joint issue [7.2.4]: names stacked, lead issuer first, spread to the longest's width;
    文件 to their right, vertically centred. A borderless two-cell table holds them.

    Returns the mark's height in mm (as the PDF's draw_mark measures it).
    """
    step = round(JOINT_MARK_STEP * size * 20)  # twips, one name a line
    # A little slack: a line exactly as wide as its cell may wrap on rounding.
    names_w = max(ox.text_twips(n, size, 0) for n in names) + 40
    suffix_w = ox.text_twips(suffix, size, 0) + (round(size * 10) if suffix else 0) + 40
    height = step * len(names)
    top = mm_tw(target_top_mm) - round(ox.exact_line_glyph_top(step, size) * 20)
    flow.space_to(top)
    font = Font(size_pt=size, color=c.red)
    cell1 = "".join(
        ox.paragraph(ox.run(n, font=font), style="Mark", jc="distribute", line=step) for n in names
    )
    cell2 = ox.paragraph(ox.run(suffix, font=font), style="Mark", jc="right", line=step)
    nil = "".join(f'<w:{b} w:val="nil"/>' for b in ("top", "left", "bottom", "right"))
    table = (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{names_w + suffix_w}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{nil}<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{names_w}"/><w:gridCol w:w="{suffix_w}"/></w:tblGrid>'
        f'<w:tr><w:trPr><w:trHeight w:val="{height}" w:hRule="exact"/></w:trPr>'
        + cell(names_w, cell1)
        + cell(suffix_w, cell2, v_center=True)
        + "</w:tr></w:tbl>"
    )
    flow.add(table, height)
    return (len(names) - 1) * JOINT_MARK_STEP * size * MM_PER_PT + size * MM_PER_PT


def _red_line_in(c: Ctx, offset_mm: float, width_mm: float) -> str:
    """A run anchoring a 156 mm red rule ``offset_mm`` below its paragraph's top."""
    return ox.anchor_line(
        c.ids,
        x_mm=0,
        y_mm=offset_mm,
        length_mm=BLOCK_WIDTH,
        width_mm=width_mm,
        color=c.red,
        x_from="margin",
        y_from="paragraph",
    )


def _number_glyph_bottom_mm() -> float:
    return BODY_GLYPH_BOTTOM_PT * MM_PER_PT


def _stack_runs(doc: HeadPart) -> list[str]:
    """份号, 密级和保密期限, 紧急程度 as runs, in that order [7.2]."""
    out = []
    if doc.copy_no:
        out.append(ox.run(doc.copy_no))
    if doc.secrecy:
        text = doc.secrecy + (f"★{doc.secrecy_term}" if doc.secrecy_term else "")
        out.append(ox.run(text, style="Hei"))
    if doc.urgency:
        out.append(ox.run(doc.urgency, style="Hei"))
    return out


def _headed(c: Ctx) -> HeadPart:
    """The document of a file or letter format: a kind with a head (函, 请示, 通报)."""
    if not isinstance(c.doc, HeadPart):
        raise TypeError(f"{type(c.doc).__name__} has no head of the file or letter format")
    return c.doc


def file_head(c: Ctx) -> tuple[Markup, int]:
    """文件格式: stack, mark 35 mm into the block, number/signers, red separator."""
    doc, d, profile = _headed(c), c.d, c.profile
    flow = Flow()
    for r in _stack_runs(doc):
        flow.add(ox.paragraph(r, style="HeadLine", jc="left"))
    size = d.mark_size_pt
    if len(d.mark_lines) == 1:
        _mark_paragraph(c, flow, d.mark_lines[0] + d.mark_suffix, size, MARK_TOP_IN_BLOCK)
        mark_height = size * MM_PER_PT
    else:
        mark_height = _joint_mark(c, flow, d.mark_lines, d.mark_suffix, size, MARK_TOP_IN_BLOCK)
    mark_bottom = profile.top_margin + MARK_TOP_IN_BLOCK + mark_height
    band = mark_bottom + 2 * PITCH  # two empty lines below the mark
    number = str(doc.number) if doc.number else ""
    signers: list[str] = list(doc.signers)
    flow.space_to(mm_tw(band - profile.top_margin))
    separator_offset = _number_glyph_bottom_mm() + SEPARATOR_BELOW_NUMBER
    line = _red_line_in(c, separator_offset, profile.separator_width)
    if signers:
        lines = ["　".join(signers[i : i + 2]) for i in range(0, len(signers), 2)]
        label = "签发人："
        names_x = ox.BLOCK_WIDTH_TWIPS - chars_tw(1) - ox.text_twips(lines[0])
        label_x = names_x - ox.text_twips(label)
        number_x = chars_tw(1)
        for i, names in enumerate(lines):
            last = i == len(lines) - 1
            # Tab stops only, no indent: Word measures tab stops from the
            # margin, LibreOffice from the indent; with no indent they agree.
            stops = [("left", names_x)]
            runs = ""
            if last and number:
                stops.insert(0, ("left", number_x))
                runs += ox.run("\t" + number)
            if i == 0:
                # The names follow the label directly: a tab to a stop the
                # label's end may overshoot by a hair would jump a whole stop.
                stops[-1] = ("left", label_x)
                runs += ox.run("\t" + label) + ox.run(names, style="SignerName")
            else:
                runs += ox.run("\t" + names, style="SignerName")
            if last:
                runs += line
            flow.add(ox.paragraph(runs, style="HeadLine", jc="left", tabs=ox.tab_stops(stops)))
        band += (len(lines) - 1) * PITCH
    else:
        flow.add(ox.paragraph(ox.run(number) + line, style="DocNumber"))
    # The PDF's red line lies 4 mm under its number's glyph box; the title
    # takes the grid line two lines below it (layout/head.py).
    pdf_separator = band + (PITCH + BODY_MM) / 2 + SEPARATOR_BELOW_NUMBER
    k = band_index(profile, snap_to_grid(profile, pdf_separator + 2 * PITCH))
    flow.to_band(k)
    return flow.markup(), k


def letter_head(c: Ctx) -> tuple[Markup, int]:
    """信函格式 [10.1]: mark 30 mm from the paper's top, red double lines, number flush right."""
    doc, d, profile = _headed(c), c.d, c.profile
    size = d.mark_size_pt
    height = round(MARK_LINE_FACTOR * size * 20)
    box_top = LETTER_MARK_TOP - ox.exact_line_glyph_top(height, size) * MM_PER_PT
    mark_text = "".join(
        ox.paragraph(ox.run(name, font=Font(size_pt=size, color=c.red)), style="Mark", line=height)
        for name in d.mark_lines
    )
    mark = ox.anchor_text_box(
        c.ids,
        mark_text,
        x_mm=0,
        y_mm=box_top,
        width_mm=BLOCK_WIDTH,
        height_mm=ox.twips_to_mm(height * len(d.mark_lines)) + 1,
    )
    mark_bottom = LETTER_MARK_TOP + size * MM_PER_PT * len(d.mark_lines)
    x0 = (PAGE_WIDTH - LETTER_LINE_LENGTH) / 2
    thick, thin, gap = profile.letter_thick, profile.letter_thin, profile.letter_gap
    y_thick = mark_bottom + LETTER_TOP_LINE_GAP + thick / 2
    y_thin = y_thick + thick / 2 + gap + thin / 2
    y_thick_b = PAGE_HEIGHT - LETTER_BOTTOM_LINE_FROM_BOTTOM - thick / 2
    y_thin_b = y_thick_b - thick / 2 - gap - thin / 2
    lines = "".join(
        ox.anchor_line(
            c.ids, x_mm=x0, y_mm=y, length_mm=LETTER_LINE_LENGTH, width_mm=w, color=c.red
        )
        for y, w in ((y_thick, thick), (y_thin, thin), (y_thin_b, thin), (y_thick_b, thick))
    )
    flow = Flow()
    first_glyph_top = y_thin + thin / 2 + LETTER_7_8 * BODY_MM
    para_top = first_glyph_top - BODY_GLYPH_TOP_PT * MM_PER_PT
    flow.space_to(mm_tw(para_top - profile.top_margin))
    stack = _stack_runs(doc)
    number = ox.run("\t" + str(doc.number)) if doc.number else ""
    rows = max(1, len(stack))
    for i in range(rows):
        runs = stack[i] if i < len(stack) else ""
        if i == 0:
            runs += number + lines + mark
        flow.add(
            ox.paragraph(
                runs,
                style="HeadLine",
                jc="left",
                tabs=ox.tab_stops([("right", ox.BLOCK_WIDTH_TWIPS)]),
            )
        )
    # The PDF sets page 1's lines from the bottom double line upwards and
    # starts the title on the first of them two lines below the head.
    band0 = first_glyph_top - (PITCH - BODY_MM) / 2
    last_bottom = band0 + (rows - 1) * PITCH + (PITCH + BODY_MM) / 2
    limit = y_thin_b - thin / 2 - LETTER_7_8 * BODY_MM
    last = limit - (PITCH + BODY_MM) / 2
    wanted = last_bottom + 2 * PITCH
    n = math.floor((last - (wanted - PITCH / 2)) / PITCH + 1e-6)
    title_top = last - n * PITCH
    if c.first_line_top is not None:  # the PDF's own (its glyph boxes measured, not assumed)
        title_top = c.first_line_top
        n = round((last - title_top) / PITCH)
    # Those n + 1 rows may reach below the block (down to the double line);
    # Word's and LibreOffice's page 1 ends at the block's bottom, and their
    # rows are 579 twips, not the PDF's 28.99 pt: start the title as much
    # higher as it takes for page 1 to hold the same rows (a fraction of a pt).
    # Never fewer (a fifth of a mm to spare against the twips' rounding); where the
    # word processor's page 1 could hold one more, the page breaks where the PDF's
    # does (signature.page_starts).
    rows_bottom = title_top + (n + 1) * ox.twips_to_mm(LINE_TWIPS)
    title_top -= max(0.0, rows_bottom - (profile.top_margin + BLOCK_HEIGHT) + 0.2)
    flow.space_to(mm_tw(title_top - profile.top_margin))
    return flow.markup(), round(flow.y / LINE_TWIPS)


def minutes_head(c: Ctx) -> tuple[Markup, int]:
    """纪要: red ……纪要 mark 35 mm into the block, 第N期, compiler and date, red separator."""
    doc, d, profile = c.doc, c.d, c.profile
    flow = Flow()
    size = d.mark_size_pt
    _mark_paragraph(c, flow, doc.mark, size, MARK_TOP_IN_BLOCK)
    mark_bottom = profile.top_margin + MARK_TOP_IN_BLOCK + size * MM_PER_PT
    band = mark_bottom + PITCH  # one empty line under the mark
    flow.space_to(mm_tw(band - profile.top_margin))
    flow.add(ox.paragraph(ox.run(d.issue_text), style="IssueNo"))
    band += PITCH
    flow.space_to(mm_tw(band - profile.top_margin))
    line = _red_line_in(
        c, _number_glyph_bottom_mm() + SEPARATOR_BELOW_NUMBER, profile.separator_width
    )
    flow.add(
        ox.paragraph(
            ox.run(doc.compiler) + ox.run("\t" + d.date_text) + line,
            style="HeadLine",
            jc="left",
            tabs=ox.tab_stops([("right", ox.BLOCK_WIDTH_TWIPS)]),
        )
    )
    separator = band + (PITCH + BODY_MM) / 2 + SEPARATOR_BELOW_NUMBER
    gap = 2 if d.title_lines else 1
    k = band_index(profile, snap_to_grid(profile, separator + gap * PITCH))
    flow.to_band(k)
    return flow.markup(), k


def supervision_head(c: Ctx) -> tuple[Markup, int]:
    """督办单: office mark at the block's top, form title, number and date, red line under them."""
    doc, d, profile = c.doc, c.d, c.profile
    flow = Flow()
    size = d.mark_size_pt
    _mark_paragraph(c, flow, doc.office, size, 0.5)
    mark_bottom = profile.top_margin + 0.5 + size * MM_PER_PT
    band = snap_to_grid(profile, mark_bottom + 0.1)
    flow.space_to(mm_tw(band - profile.top_margin))
    for text in d.title_lines:
        flow.add(ox.paragraph(ox.run(text), style="FormTitle"))
        band += PITCH
    flow.space_to(mm_tw(band - profile.top_margin))
    # The PDF raises the number line FORM_NUMBER_RAISE off its band and draws the red
    # line FORM_RULE_CLEAR under its glyphs, 2 mm over the table (layout/meeting.py).
    # An exact line's glyphs sit at EXACT_BASELINE of its height: a line shorter by
    # raise / EXACT_BASELINE lifts them by the raise; a spacer then fills the band.
    # The red line is placed from the block's top, where the PDF has it: LibreOffice
    # measures a drawing's offset in so short a line from 0.4 mm lower than its top.
    height = LINE_TWIPS - round(mm_tw(FORM_NUMBER_RAISE) / ox.EXACT_BASELINE)
    width = profile.separator_width
    rule_y = _number_glyph_bottom_mm() - FORM_NUMBER_RAISE + FORM_RULE_CLEAR + width / 2
    line = ox.anchor_line(
        c.ids,
        x_mm=0,
        y_mm=band - profile.top_margin + rule_y,
        length_mm=BLOCK_WIDTH,
        width_mm=width,
        color=c.red,
        x_from="margin",
        y_from="margin",
    )
    flow.add(
        ox.paragraph(
            ox.run(str(doc.number)) + ox.run("\t" + d.date_text) + line,
            style="HeadLine",
            jc="left",
            tabs=ox.tab_stops([("right", ox.BLOCK_WIDTH_TWIPS)]),
            line=height,
        ),
        height,
    )
    k = band_index(profile, band + PITCH)
    flow.to_band(k)
    return flow.markup(), k


HEADS: dict[str, Callable[[Ctx], tuple[Markup, int]]] = {
    "file": file_head,
    "letter": letter_head,
    "minutes": minutes_head,
    "supervision": supervision_head,
}
