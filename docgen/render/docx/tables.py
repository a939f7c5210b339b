"""Word tables: the body's and attachments' tables, and the cells every ruled table here uses.

A table is a real w:tbl with the column widths decide/tables.py decided for
both renderers, 0.5 pt rules, header rows marked to repeat on every page
(w:tblHeader), rows that never split (w:cantSplit), merged cells as
w:gridSpan / w:vMerge, and the official fonts (仿宋, header 黑体) at the
decided size. A table the PDF sets across the page gets a landscape section
of its own: markers around it are turned into section breaks once the whole
body is rendered (see turned_sections), because only then is the
template's own section (page set-up, footers) known.
"""

from __future__ import annotations

import re

from docgen.decide.figures import split_amount
from docgen.decide.glyphs import Glyphs
from docgen.decide.tables import TableDecision
from docgen.decide.widths import em_width
from docgen.models.tables import PlacedCell, Table
from docgen.render.docx import ooxml as ox
from docgen.render.docx.measures import CellLines
from docgen.render.docx.ooxml import Font
from docgen.spec import (
    BLOCK_HEIGHT,
    BLOCK_WIDTH,
    MM_PER_PT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIZE_BODY_PT,
    SIZE_PAGE_NUMBER_PT,
    TABLE_CELL_PAD_MM,
    Profile,
)

RULE_EIGHTHS = 4  # 0.5 pt table rules, in eighths of a point (w:sz)

TURN_BEGIN = "<!--docgen:turned-begin-->"
TURN_END = "<!--docgen:turned-end-->"

_JC = {"left": "both", "center": "center", "right": "right"}


def cell(width: int, content: str, v_center: bool = False) -> str:
    v = '<w:vAlign w:val="center"/>' if v_center else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{v}</w:tcPr>{content}</w:tc>'


def table_block(
    table: Table,
    dec: TableDecision,
    profile: Profile,
    *,
    turn: bool = True,
    keep_last: bool = False,
    break_before: bool = False,
    glyphs: Glyphs | None = None,
) -> str:
    """Title, unit and the w:tbl; between turn markers when the table is set across the page.

    ``turn=False``: the caller places the markers (an attachment opening
    with such a table puts its label and title on the turned page too).
    ``keep_last``: the table ends the text; its last row goes with the
    signature, as the PDF's pagination takes it along (layout/paginate.py).
    ``break_before``: the table opens a page (the PDF floated it there).
    ``glyphs``: the fonts' measures (decisions): a cell's lines end where the PDF's do.
    """
    lead = lead_paragraphs(table, dec, break_before)
    if break_before and not lead:  # the PDF floated the table to the next page (floats.py)
        # A 1 pt paragraph opens the page: a row's paragraph cannot break it.
        lead = ox.paragraph("", style="Spacer", line=20, page_break_before=True)
    xml = lead + table_xml(table, dec, profile, keep_last=keep_last, glyphs=glyphs)
    if dec.landscape and turn:
        return TURN_BEGIN + xml + TURN_END
    return xml


def lead_paragraphs(table: Table, dec: TableDecision, break_before: bool = False) -> str:
    """The title centred in 黑体 at the body size, the unit flush right at the table's size
    (``break_before``: the first of them opens a page)."""
    out = ""
    if table.title:
        out += ox.paragraph(
            ox.run(table.title, style="Hei"),
            style="FormText",
            jc="center",
            keep_next=True,
            page_break_before=break_before,
        )
    if table.unit:
        font = _size_font(dec.size_pt)
        out += ox.paragraph(
            ox.run(table.unit, font=font),
            style="FormText",
            jc="right",
            keep_next=True,
            page_break_before=break_before and not table.title,
        )
    return out


def _size_font(size_pt: float) -> Font | None:
    # The styles carry the body's 3号 and its grid tracking; other sizes are set on the
    # runs, without tracking, as the PDF sets them: a cell's lines end where the PDF's do.
    return Font(size_pt=size_pt, spacing=0) if size_pt != SIZE_BODY_PT else None


def table_xml(
    table: Table,
    dec: TableDecision,
    profile: Profile,
    *,
    keep_last: bool = False,
    glyphs: Glyphs | None = None,
) -> str:
    """The w:tbl itself."""
    widths = [ox.mm_to_twips(w) for w in dec.widths_mm]
    pad = ox.mm_to_twips(TABLE_CELL_PAD_MM)
    eighths = max(2, min(96, round(profile.table_rule_pt * 8)))
    rule = f'w:val="single" w:sz="{eighths}" w:space="0" w:color="000000"'
    borders = "".join(
        f"<w:{s} {rule}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>',
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>',
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    parts += _rows_xml(table, dec, widths, keep_last, glyphs)
    parts.append("</w:tbl>")
    return "".join(parts)


def _rows_xml(
    table: Table,
    dec: TableDecision,
    widths: list[int],
    keep_last: bool = False,
    glyphs: Glyphs | None = None,
) -> list[str]:
    """The w:tr elements, from fragments made once (see _Rows)."""
    rows = _Rows(table, dec, widths, keep_last, glyphs)
    out: list[str] = []
    last = rows.keep_row
    # A table without merged cells has one cell a place: past the header and the
    # rows kept with it, every row is written the same way (_Rows.plain).
    lead = last if rows.merged else min(last, max(rows.header_rows, rows.keep_until))
    for r in range(lead):
        rows.row(r, out)
    if not rows.merged:
        rows.plain(lead, out, end=last)
    for r in range(last, rows.n_rows):
        rows.row(r, out)
    return out


class _Rows:
    """A table's rows as XML, cell by cell from fragments made once.

    A 10,000-row table has 60,000 cells, but few different ones in each
    column (units, dates, statuses): a cell's paragraphs are written once
    per text, alignment and header/keep-with-next state, and the cell's
    properties once per place and span.
    """

    def __init__(
        self,
        table: Table,
        dec: TableDecision,
        widths: list[int],
        keep_last: bool = False,
        glyphs: Glyphs | None = None,
    ) -> None:
        self.widths = widths
        self.aligns = dec.aligns
        # A number in a column of numbers: right-aligned this far in (twips), its point
        # on the column's (its tail counted in ems, as decide/figures.py counts it).
        self.insets: dict[tuple[int, int], int] = {}
        if dec.insets:
            em = dec.size_pt * MM_PER_PT
            for p in table.cells:
                point = dec.insets.get((p.row, p.col))
                amount = split_amount(p.cell.text) if point is not None else None
                if point is not None and amount is not None:
                    right = point - em_width(amount[1]) * em
                    self.insets[p.row, p.col] = ox.mm_to_twips(max(0.0, right))
        self.n_rows, self.columns = len(table.rows), table.columns
        self.header_rows = table.header_rows
        # As in the PDF, the title and header stay with the first body row: Word
        # keeps a row with the next one when its paragraphs are kept with the next.
        self.keep_until = min(self.header_rows + 1, self.n_rows - 1)
        # The text ends in this table: its last row kept with the signature (Word keeps a
        # row with what follows when its paragraphs are kept with the next). n_rows: none.
        body_rows = self.n_rows - self.header_rows
        self.keep_row = self.n_rows - 1 if keep_last and body_rows > 1 else self.n_rows
        self.writer = _CellXml(_size_font(dec.size_pt), CellLines(dec, glyphs))
        self.under = ox.paragraph("", style="FormText")  # what a covered place holds
        self.contents: dict[tuple[str, str, bool, bool, int, int, int], str] = {}
        self.tcprs: dict[tuple[int, int, str], str] = {}
        cells = table.cells
        self.merged = len(cells) != self.n_rows * self.columns  # else one cell a place
        self.starts: list[list[PlacedCell]] = []
        self.covered: dict[tuple[int, int], PlacedCell] = {}  # (row, first column) under one
        # Rows of one cell across the table (a group's heading): kept with the row after,
        # as the PDF keeps them (layout/table.py, _groups).
        self.banners: set[int] = set()
        if not self.merged:
            c = self.columns
            self.starts = [cells[r * c : (r + 1) * c] for r in range(self.n_rows)]
            return
        self.starts = [[] for _ in range(self.n_rows)]
        for p in cells:
            self.starts[p.row].append(p)
            for r in range(p.row + 1, p.last_row + 1):
                self.covered[r, p.col] = p
            if p.colspan == self.columns > 1 and p.rowspan == 1 and p.row >= self.header_rows:
                self.banners.add(p.row)

    def row(self, r: int, out: list[str]) -> None:
        """Row ``r``, any table: its cells, and the places merged cells above cover."""
        header = r < self.header_rows
        keep_next = r < self.keep_until or r == self.keep_row or r in self.banners
        out.append(_TR_HEADER if header else _TR)
        own = iter(self.starts[r])
        col = 0
        while col < self.columns:
            p = self.covered.get((r, col)) or next(own)
            if p.row == r:
                merge = _RESTART if p.rowspan > 1 else ""
                content = self.content(p, _JC[self.aligns[r, p.col]], header, keep_next)
            else:
                merge, content = _CONTINUE, self.under  # covered by the merged cell above
            out += (self.tcpr(p, merge), content, "</w:tc>")
            col = p.end_col
        out.append("</w:tr>")

    def plain(self, start: int, out: list[str], end: int | None = None) -> None:
        """Rows ``start`` to ``end`` of a table without merged cells: body rows, not kept."""
        aligns, contents = self.aligns, self.contents
        tcprs = [self.tcpr(p, "") for p in self.starts[0]]
        for r in range(start, self.n_rows if end is None else end):
            out.append(_TR)
            for c, p in enumerate(self.starts[r]):
                jc = _JC[aligns[r, c]]
                content = contents.get((p.cell.text, jc, False, False, 0, p.col, p.end_col))
                if content is None or (self.insets and (r, c) in self.insets):
                    content = self.content(p, jc, False, False)
                out += (tcprs[c], content, "</w:tc>")
            out.append("</w:tr>")

    def content(self, p: PlacedCell, jc: str, header: bool, keep_next: bool) -> str:
        inset = self.insets.get((p.row, p.col), 0) if self.insets else 0
        key = (p.cell.text, jc, header, keep_next, inset, p.col, p.end_col)
        made = self.contents.get(key)
        if made is None:
            made = self.writer.paragraphs(p, jc, header, keep_next, inset)
            self.contents[key] = made
        return made

    def tcpr(self, p: PlacedCell, merge: str) -> str:
        """A cell's opening: its width (the columns it spans), span and vertical merge."""
        key = (p.col, p.colspan, merge)
        made = self.tcprs.get(key)
        if made is None:
            width = sum(self.widths[p.col : p.end_col])
            span = f'<w:gridSpan w:val="{p.colspan}"/>' if p.colspan > 1 else ""
            made = self.tcprs[key] = (
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                '<w:vAlign w:val="center"/></w:tcPr>'
            )
        return made


_TR = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_TR_HEADER = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
_RESTART = '<w:vMerge w:val="restart"/>'
_CONTINUE = "<w:vMerge/>"


class _CellXml:
    """A table's cell paragraphs as ooxml.paragraph(ooxml.run(…)) writes them, faster.

    Printable text (no control character, tab or line break: nothing for
    run() to split or drop, and one paragraph) is escaped by str.replace and
    put between a paragraph's and a run's opening and closing, each made once
    by ooxml for the table; anything else goes through ooxml itself.
    """

    def __init__(self, font: Font | None, lines: CellLines) -> None:
        self.font = font
        self.lines = lines
        self.rprs = {header: ox.rpr(font, "Hei" if header else None) for header in (False, True)}
        self.frames: dict[tuple[str, bool, int], tuple[str, str]] = {}

    def paragraphs(
        self, p: PlacedCell, jc: str, header: bool, keep_next: bool, inset: int = 0
    ) -> str:
        """What "".join(paragraph(run(t)) for t in cell.paragraphs) gives, each paragraph
        broken by line breaks where the PDF breaks it (``inset``: a right indent in
        twips, a number aligned on its column's point)."""
        cell = p.cell
        frame = self.frames.get((jc, keep_next, inset))
        if frame is None:
            made = ox.paragraph(
                _HOLE, style="FormText", jc=jc, keep_next=keep_next, right=inset or None
            )
            opening, closing = made.split(_HOLE)
            frame = self.frames[jc, keep_next, inset] = (opening, closing)
        text = cell.text
        broken = [self.lines.of(t, p, header) for t in cell.paragraphs]
        if any(len(lines) > 1 for lines in broken):
            style = "Hei" if header else None
            return "".join(
                frame[0] + ox.run("\n".join(lines), style=style, font=self.font) + frame[1]
                for lines in broken
            )
        if text.isprintable():  # cell.paragraphs is [text.strip()]
            text = text.strip()
            rpr = self.rprs[header]
            if not text:
                return f"{frame[0]}<w:r>{rpr}</w:r>{frame[1]}"
            return f'{frame[0]}<w:r>{rpr}<w:t xml:space="preserve">{_escaped(text)}</w:t></w:r>{frame[1]}'
        style = "Hei" if header else None
        return "".join(
            frame[0] + ox.run(t, style=style, font=self.font) + frame[1] for t in cell.paragraphs
        )


_HOLE = "\x00"  # never in a paragraph's properties


def _escaped(text: str) -> str:
    """ooxml.esc for printable text (nothing to drop): the same five entities."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


# --- turned (landscape) sections ------------------------------------------------


def _spacer_with(sect: str) -> str:
    # A 1 pt paragraph ends a section: w:sectPr is the last child of its w:pPr.
    return ox.paragraph("", style="Spacer", line=20).replace("</w:pPr>", f"{sect}</w:pPr>", 1)


def turned_sect(sect: str, profile: Profile) -> str:
    """The template's section, set across the page: A4 landscape, the upright block turned.

    The turned page's top is the sheet's binding edge (GB/T 9704 §8), so its
    margins are the upright page's turned a quarter: top = 订口, right =
    天头, bottom = the right margin, left = the bottom margin.
    """
    size = f'<w:pgSz w:w="{ox.mm_to_twips(PAGE_HEIGHT)}" w:h="{ox.mm_to_twips(PAGE_WIDTH)}" w:orient="landscape"/>'
    sect = re.sub(r"<w:pgSz [^>]*/>", size, sect, count=1)
    bottom = PAGE_HEIGHT - profile.top_margin - BLOCK_HEIGHT

    def margins(m: re.Match[str]) -> str:
        tag = m.group(0)
        for name, mm in (
            ("top", profile.left_margin),
            ("right", profile.top_margin),
            ("bottom", profile.right_margin),
            ("left", bottom),
        ):
            tag = re.sub(rf'w:{name}="\d+"', f'w:{name}="{ox.mm_to_twips(mm)}"', tag)
        return tag

    sect = re.sub(r"<w:pgMar [^>]*/>", margins, sect, count=1)
    # The turned page number is a text box placed from the page's edges; its
    # footer paragraph only anchors it. At the upright page's footer distance
    # (25 mm) that paragraph would not fit the turned bottom margin (26 mm),
    # and LibreOffice then grows the footer into the block (a row less on
    # every turned page, about 48 mm left empty): the footer sits on the edge.
    sect = re.sub(r'w:footer="\d+"', 'w:footer="0"', sect, count=1)
    return re.sub(r"(<w:pgSz)", '<w:type w:val="nextPage"/>\\1', sect, count=1)


FOOTER_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
TURNED_FOOTERS = {"default": "footerTurnedOdd.xml", "even": "footerTurnedEven.xml"}


def turned_footer(profile: Profile, odd: bool) -> str:
    """A turned section's footer: "— N —" where the upright pages have it [7.5, §8].

    Word sets a landscape section's footer along the landscape page's bottom,
    which on the upright sheet is its right edge; the number goes instead in a
    text box turned a quarter, on the sheet's bottom, one 4号 character in
    from the block's right (odd page) or left (even page) edge.
    """
    from docgen.render.docx.template import FOOTER_LINE_TWIPS, footer_distance_mm

    line_mm = ox.twips_to_mm(FOOTER_LINE_TWIPS)
    one = ox.pt_to_twips(SIZE_PAGE_NUMBER_PT)
    number = ox.paragraph(
        ox.page_number_field_runs(),
        style="Footer",
        line=FOOTER_LINE_TWIPS,
        jc="right" if odd else "left",
        left=0 if odd else one,
        right=one if odd else 0,
    )
    box = ox.anchor_text_box(
        ox.DrawingIds(),
        number,
        x_mm=footer_distance_mm(profile),  # the sheet's bottom is the turned page's left
        y_mm=profile.left_margin,
        width_mm=line_mm,
        height_mm=BLOCK_WIDTH,
        x_from="page",
        y_from="page",
        vert="vert",
    )
    para = ox.paragraph(box, style="Footer")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {FOOTER_NS}>{para}</w:ftr>'


def add_turned_footers(parts: dict[str, bytes], profile: Profile) -> None:
    """The turned footers as parts of the package, with their relationships and types."""
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for kind, name in TURNED_FOOTERS.items():
        parts[f"word/{name}"] = turned_footer(profile, odd=kind == "default").encode("utf-8")
        rid = f"rIdTurned{kind.title()}"
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/footer" Target="{name}"/></Relationships>',
        )
        types = types.replace(
            "</Types>",
            f'<Override PartName="/word/{name}" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>',
        )
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")


def turned_sections(body: str, profile: Profile, parts: dict[str, bytes] | None = None) -> str:
    """Replace the turn markers with section breaks: upright before, landscape around the table.

    With ``parts``, the turned sections get footers of their own (turned_footer).
    """
    if TURN_BEGIN not in body:
        return body
    start = body.rfind("<w:sectPr")
    end = body.find("</w:sectPr>", start) + len("</w:sectPr>")
    if start < 0 or end < len("</w:sectPr>"):
        return body.replace(TURN_BEGIN, "").replace(TURN_END, "")
    sect = re.sub(r"<w:type [^>]*/>", "", body[start:end])
    upright = re.sub(r"(<w:pgSz)", '<w:type w:val="nextPage"/>\\1', sect, count=1)
    turned = turned_sect(sect, profile)
    if parts is not None and "word/_rels/document.xml.rels" in parts:
        add_turned_footers(parts, profile)
        turned = re.sub(r"<w:footerReference [^>]*/>", "", turned)
        refs = "".join(
            f'<w:footerReference w:type="{kind}" r:id="rIdTurned{kind.title()}"/>'
            for kind in TURNED_FOOTERS
        )
        turned = turned.replace("<w:sectPr>", "<w:sectPr>" + refs, 1)
    body = body.replace(TURN_BEGIN, _spacer_with(upright))
    return body.replace(TURN_END, _spacer_with(turned))
