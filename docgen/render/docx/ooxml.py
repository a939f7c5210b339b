"""Every raw WordprocessingML detail docgen writes, in one place.

The .docx writer and the template builder describe a document with these
helpers (``paragraph``, ``run``, ``anchor_line``, ``anchor_image_behind_text``,
``add_page_number_field`` …) so neither has to spell out OOXML itself.

Two kinds of helper live here:

* string builders (``run``, ``paragraph``, ``anchor_line`` …) return XML text.
  The renderer fills a cached template with them, which is what makes it fast;
  every piece of user text goes through :func:`esc` on the way in.
* lxml mutators (``set_east_asian_font``, ``add_page_number_field``) change
  a python-docx element tree, for adapting an existing document or an
  office's template in Python; the official templates are written as text
  by ``tools/build_templates.py`` with the string builders.

Units: twips (1/20 pt) for indents and spacing, half-points for font sizes,
EMU (36,000 per mm) for drawing positions, eighths of a point for borders.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from docgen.spec import (
    BLOCK_WIDTH,
    CHARS_PER_LINE,
    LINE_PITCH_PT,
    MM_PER_PT,
    PT_PER_MM,
    SIZE_BODY_PT,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
}

EMU_PER_MM = 36000
TWIPS_PER_PT = 20

# --- the grid, in Word's units -------------------------------------------------
#
# Word and LibreOffice both lay out exact line spacing the same way (the line
# is the given height; the baseline sits 80 % of it below the line's top) but
# they do not agree on w:docGrid's character grid (LibreOffice puts each
# character in two cells). So the grid is written as exact spacing plus a
# small negative character spacing, which both honour alike.
#
# 22 lines must fit in 225 mm: 28.99 pt rounded *down* to whole twips (579 =
# 28.95 pt) – 580 twips would make 22 lines 225.07 mm and Word would push the
# 22nd line to the next page.
LINE_TWIPS = math.floor(LINE_PITCH_PT * TWIPS_PER_PT)
# 28 characters must fit in 156 mm and 29 must not. Word adds the spacing
# after every character, the last one too. Between those bounds (−0.21 to
# −0.75 pt) the tracking is chosen to leave a full line room for one gap of
# 1/5 em: LibreOffice puts that gap between a CJK character and a Latin
# letter or digit (年7, 5号) whatever w:autoSpaceDE/DN say (its importer
# ignores both), and without the room a full line holding a number would
# lose a character to the next line there. −7 twips = −0.35 pt; 29
# characters stay 11.7 pt too wide, and a line needs 23 half-width digits
# before Word could set half an em more than the PDF (docs/docx-settings.md).
LO_SCRIPT_GAP_PT = SIZE_BODY_PT / 5
BODY_SPACING_TWIPS = math.floor(
    ((BLOCK_WIDTH * PT_PER_MM - LO_SCRIPT_GAP_PT) / CHARS_PER_LINE - SIZE_BODY_PT) * TWIPS_PER_PT
)
# A line of table text: a grid line less a 0.5 pt rule. LibreOffice adds a
# row's rule to its height, so rows of n such lines take about n grid lines
# (n × 28.95 pt + 0.5 pt would push a page's last row over, where the PDF's
# rows are exactly n × 28.99 pt); a form's rows are "at least" n grid lines.
TABLE_LINE_TWIPS = LINE_TWIPS - 10
# One character as Word advances it: the glyph plus the spacing.
CHAR_TWIPS = round(SIZE_BODY_PT * TWIPS_PER_PT) + BODY_SPACING_TWIPS
# One character of the grid (156 mm / 28): the unit of indents, as in the PDF.
GRID_CHAR_TWIPS = round(BLOCK_WIDTH / CHARS_PER_LINE * PT_PER_MM * TWIPS_PER_PT)
BLOCK_WIDTH_TWIPS = round(BLOCK_WIDTH * PT_PER_MM * TWIPS_PER_PT)
# Where Word and LibreOffice put the baseline in a line of exact height.
EXACT_BASELINE = 0.8
# CJK fonts draw the ideographic em box from 0.88 em above the baseline to
# 0.12 em below it (方正, Noto CJK, Fandol alike). PDF readers report a glyph's
# box from the font's descent, so this is how far a glyph's top lies above
# its baseline when measured.
EM_ASCENT = 0.88
EM_DESCENT = 0.12


def mm_to_twips(value_mm: float) -> int:
    return round(value_mm * PT_PER_MM * TWIPS_PER_PT)


def pt_to_twips(value_pt: float) -> int:
    return round(value_pt * TWIPS_PER_PT)


def twips_to_mm(twips: float) -> float:
    return twips / TWIPS_PER_PT * MM_PER_PT


def mm_to_emu(value_mm: float) -> int:
    return round(value_mm * EMU_PER_MM)


def half_points(size_pt: float) -> int:
    return round(size_pt * 2)


def em_width(text: str) -> float:
    """Advance of ``text`` in em, counting wide characters 1 and the rest ½.

    Offices' CJK fonts (and the bundled ones) set ideographs and full-width
    punctuation on a full em and digits and Latin letters on half an em, so
    this is what Word will measure, without reading a font file.
    """
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def text_twips(text: str, size_pt: float = SIZE_BODY_PT, spacing: int = BODY_SPACING_TWIPS) -> int:
    """Width Word gives ``text`` at ``size_pt`` with ``spacing`` twips after each character."""
    return round(em_width(text) * size_pt * TWIPS_PER_PT) + spacing * len(text)


def exact_line_glyph_top(line_twips: int, size_pt: float) -> float:
    """Distance (pt) from the top of an exact-height line to its glyphs' em-box top."""
    return EXACT_BASELINE * line_twips / TWIPS_PER_PT - EM_ASCENT * size_pt


def exact_line_glyph_bottom(line_twips: int, size_pt: float) -> float:
    """Distance (pt) from the top of an exact-height line to its glyphs' em-box bottom."""
    return EXACT_BASELINE * line_twips / TWIPS_PER_PT + EM_DESCENT * size_pt


# --- text ----------------------------------------------------------------------

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def esc(text: str) -> str:
    """Escape user text for element content and attribute values alike.

    Characters XML 1.0 forbids (control characters from a pasted file) are
    dropped: Word refuses a file containing them.
    """
    clean = "".join(
        ch for ch in str(text) if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff")
    )
    return clean.translate(_XML_ESCAPES)


@dataclass(frozen=True)
class Font:
    """Direct font settings for a run; None leaves the style's value."""

    east_asia: str | None = None
    ascii: str | None = None
    size_pt: float | None = None
    color: str | None = None  # RRGGBB
    spacing: int | None = None  # twips after each character


def rpr(font: Font | None = None, style: str | None = None) -> str:
    """A w:rPr for a run style and direct font settings (children in schema order)."""
    parts: list[str] = []
    if style:
        parts.append(f'<w:rStyle w:val="{esc(style)}"/>')
    if font is not None:
        if font.east_asia or font.ascii:
            latin = esc(font.ascii or font.east_asia or "")
            ea = esc(font.east_asia or font.ascii or "")
            parts.append(f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{ea}"/>')
        if font.color:
            parts.append(f'<w:color w:val="{font.color}"/>')
        if font.spacing is not None:
            parts.append(f'<w:spacing w:val="{font.spacing}"/>')
        if font.size_pt:
            hp = half_points(font.size_pt)
            parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(text: str, *, style: str | None = None, font: Font | None = None) -> str:
    """A run of user text; newlines become line breaks, tabs become tabs."""
    pieces: list[str] = []
    for i, line in enumerate(str(text).split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{esc(chunk)}</w:t>')
    return f"<w:r>{rpr(font, style)}{''.join(pieces)}</w:r>"


def lines_run(lines: Sequence[str], *, style: str | None = None, font: Font | None = None) -> str:
    """One run holding ``lines`` separated by line breaks (a title as decided)."""
    return run("\n".join(lines), style=style, font=font)


def page_break_run() -> str:
    return '<w:r><w:br w:type="page"/></w:r>'


# --- paragraphs -----------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A w:framePr: a paragraph placed at a fixed spot, out of the text flow.

    ``x``/``y`` are twips from the anchors; ``y_align="bottom"`` with
    ``v_anchor="margin"`` puts the frame's bottom on the text block's bottom
    edge (the colophon's place).
    """

    width: int  # twips
    height: int | None = None  # twips, exact; None = as tall as its text
    h_anchor: str = "margin"
    v_anchor: str = "page"
    x_align: str | None = "center"
    y: int | None = None
    y_align: str | None = None
    wrap: str = "notBeside"

    def xml(self) -> str:
        attrs = [f'w:w="{self.width}"']
        if self.height is not None:
            attrs += [f'w:h="{self.height}"', 'w:hRule="exact"']
        attrs += [
            f'w:wrap="{self.wrap}"',
            f'w:hAnchor="{self.h_anchor}"',
            f'w:vAnchor="{self.v_anchor}"',
        ]
        if self.x_align:
            attrs.append(f'w:xAlign="{self.x_align}"')
        if self.y_align:
            attrs.append(f'w:yAlign="{self.y_align}"')
        elif self.y is not None:
            attrs.append(f'w:y="{self.y}"')
        return f"<w:framePr {' '.join(attrs)}/>"


@dataclass(frozen=True)
class Border:
    """One side of a paragraph border: width in mm, colour RRGGBB."""

    width_mm: float
    color: str = "000000"
    space_pt: int = 0

    def xml(self, side: str) -> str:
        eighths = max(2, min(96, round(self.width_mm * PT_PER_MM * 8)))
        return (
            f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{self.space_pt}" '
            f'w:color="{self.color}"/>'
        )


def set_paragraph_border(
    top: Border | None = None, bottom: Border | None = None, between: Border | None = None
) -> str:
    """A w:pBdr with the given sides (a rule drawn by the paragraph itself)."""
    sides = [(s, b) for s, b in (("top", top), ("bottom", bottom), ("between", between)) if b]
    if not sides:
        return ""
    return "<w:pBdr>" + "".join(b.xml(s) for s, b in sides) + "</w:pBdr>"


def indent_xml(
    *,
    left: int | None = None,
    right: int | None = None,
    first_line: int | None = None,
    hanging: int | None = None,
) -> str:
    """w:ind in twips; a hanging indent wins over a first-line one (Word allows one)."""
    ind = []
    if left is not None:
        ind.append(f'w:left="{left}"')
    if right is not None:
        ind.append(f'w:right="{right}"')
    if hanging is not None:
        ind.append(f'w:hanging="{hanging}"')
    elif first_line is not None:
        ind.append(f'w:firstLine="{first_line}"')
    return f"<w:ind {' '.join(ind)}/>" if ind else ""


def paragraph(
    content: str | Iterable[str],
    *,
    style: str | None = None,
    jc: str | None = None,
    left: int | None = None,
    right: int | None = None,
    first_line: int | None = None,
    hanging: int | None = None,
    before: int | None = None,
    line: int | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
    page_break_before: bool = False,
    widow_control: bool = False,
    frame: Frame | None = None,
    borders: str = "",
    tabs: str = "",
    mark_font: Font | None = None,
) -> str:
    """A w:p with its properties in schema order; ``content`` is run XML.

    ``line`` is an exact line height in twips (None keeps the style's grid
    line). ``mark_font`` formats the paragraph mark, which sets the height of
    an empty paragraph.
    """
    ppr: list[str] = []
    if style:
        ppr.append(f'<w:pStyle w:val="{esc(style)}"/>')
    if keep_next:
        ppr.append("<w:keepNext/>")
    if keep_lines:
        ppr.append("<w:keepLines/>")
    if page_break_before:
        ppr.append("<w:pageBreakBefore/>")
    if frame is not None:
        ppr.append(frame.xml())
    if widow_control:  # the styles switch it off; on, the last two lines move together
        ppr.append("<w:widowControl/>")
    ppr.append(borders)
    ppr.append(tabs)
    if before is not None or line is not None:
        sp = []
        if before is not None:
            sp.append(f'w:before="{max(0, before)}"')
        if line is not None:
            sp.append(f'w:line="{line}" w:lineRule="exact"')
        ppr.append(f"<w:spacing {' '.join(sp)}/>")
    ppr.append(indent_xml(left=left, right=right, first_line=first_line, hanging=hanging))
    if jc:
        ppr.append(f'<w:jc w:val="{jc}"/>')
    if mark_font is not None:
        ppr.append(rpr(mark_font))
    body = content if isinstance(content, str) else "".join(content)
    inner = "".join(ppr)
    return f"<w:p>{'<w:pPr>' + inner + '</w:pPr>' if inner else ''}{body}</w:p>"


def tab_stops(stops: Sequence[tuple[str, int]]) -> str:
    """w:tabs for (alignment, position in twips) pairs."""
    return "<w:tabs>" + "".join(f'<w:tab w:val="{a}" w:pos="{p}"/>' for a, p in stops) + "</w:tabs>"


# --- drawings -----------------------------------------------------------------

_DOC_PR_BASE = 5000  # drawing ids in the template stay below this


class DrawingIds:
    """Unique wp:docPr ids within one document (Word repairs duplicates)."""

    def __init__(self) -> None:
        self.next = _DOC_PR_BASE

    def take(self) -> int:
        self.next += 1
        return self.next


def _wps_run(drawing: str) -> str:
    """A run holding a DrawingML shape the way Word writes one: in mc:AlternateContent.

    Word puts every wps shape in an mc:Choice that requires the wps namespace
    (with a VML fallback for Word 2007, omitted here); LibreOffice reads the
    same Choice.
    """
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        f"{drawing}</mc:Choice></mc:AlternateContent></w:r>"
    )


def _anchor_start(
    n: int, x_mm: float, y_mm: float, x_from: str, y_from: str, *, behind: bool, locked: bool
) -> str:
    """The opening of a wp:anchor placed by offsets from ``x_from``/``y_from``."""
    return (
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{n}" '
        f'behindDoc="{int(behind)}" locked="{int(locked)}" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="{x_from}"><wp:posOffset>{mm_to_emu(x_mm)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{y_from}"><wp:posOffset>{mm_to_emu(y_mm)}</wp:posOffset></wp:positionV>'
    )


def anchor_line(
    ids: DrawingIds,
    *,
    x_mm: float,
    y_mm: float,
    length_mm: float,
    width_mm: float,
    color: str,
    x_from: str = "page",
    y_from: str = "page",
) -> str:
    """A run holding a horizontal line anchored at (x, y) = the stroke's centre line.

    DrawingML (wps) is used rather than a paragraph border because its place
    does not depend on how a renderer measures the text around it; Word and
    LibreOffice both position it from the anchor's offsets alone.
    ``y_from="paragraph"`` keeps it with the paragraph that holds it.
    """
    n = ids.take()
    cx = mm_to_emu(length_mm)
    w = mm_to_emu(width_mm)
    return _wps_run(
        "<w:drawing>"
        + _anchor_start(n, x_mm, y_mm, x_from, y_from, behind=False, locked=True)
        + f'<wp:extent cx="{cx}" cy="0"/><wp:effectExtent l="0" t="{w // 2}" r="0" b="{w // 2}"/>'
        f'<wp:wrapNone/><wp:docPr id="{n}" name="Line {n}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        "<wps:cNvCnPr/><wps:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm>'
        '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{w}" cap="flat"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
        '<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
        "</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing>"
    )


def anchor_text_box(
    ids: DrawingIds,
    paragraphs: str,
    *,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    height_mm: float,
    x_from: str = "margin",
    y_from: str = "page",
    vert: str = "horz",
) -> str:
    """A run holding a borderless text box at a fixed spot, out of the text flow.

    ``vert="vert"``: its text turned a quarter clockwise (a turned page's page number).

    For text that must sit outside the block (the letter format's mark, 30 mm
    from the paper's top): a DrawingML box with wrapNone moves nothing in the
    flow in Word or LibreOffice, where a w:framePr frame is pushed about by
    wrapping rules the two apply differently. Insets are zero, so the text's
    first line starts at the box's top edge.
    """
    n = ids.take()
    cx, cy = mm_to_emu(width_mm), mm_to_emu(height_mm)
    return _wps_run(
        "<w:drawing>"
        + _anchor_start(n, x_mm, y_mm, x_from, y_from, behind=False, locked=True)
        + f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{n}" name="Text {n}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        f"</wps:spPr><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx>"
        f'<wps:bodyPr rot="0" vert="{vert}" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
        'anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )


def anchor_image_behind_text(
    ids: DrawingIds,
    rid: str,
    *,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    height_mm: float,
    x_from: str = "margin",
    y_from: str = "paragraph",
    name: str = "印章",
) -> str:
    """A run holding a picture anchored behind the text (a seal pressing on the signature)."""
    n = ids.take()
    cx, cy = mm_to_emu(width_mm), mm_to_emu(height_mm)
    return (
        "<w:r><w:drawing>"
        + _anchor_start(n, x_mm, y_mm, x_from, y_from, behind=True, locked=False)
        + f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{n}" name="{esc(name)} {n}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{n}" name="{esc(name)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )


# --- fields ----------------------------------------------------------------------


def page_number_field_runs(font: Font | None = None) -> str:
    """ "— N —" with N a PAGE field: what Word updates as pages move."""
    r = rpr(font)
    return (
        f'<w:r>{r}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{r}<w:t>1</w:t></w:r>"
        f'<w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{r}<w:t xml:space="preserve"> —</w:t></w:r>'
    )


# --- lxml mutators for the template builder ----------------------------------------


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def parse_fragment(xml: str) -> etree._Element:
    """Parse one element written with the w:/wp:/a: prefixes."""
    decl = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items())
    wrapper = etree.fromstring(f"<root {decl}>{xml}</root>")
    return wrapper[0]


def set_east_asian_font(rpr_el: etree._Element, east_asia: str, latin: str | None = None) -> None:
    """Name the font Word uses for CJK text (w:eastAsia) and for Latin text (ascii/hAnsi)."""
    fonts = rpr_el.find(_w("rFonts"))
    if fonts is None:
        fonts = etree.SubElement(rpr_el, _w("rFonts"))
        rpr_el.insert(0, fonts)
    for attr in ("ascii", "hAnsi"):
        fonts.set(_w(attr), latin or east_asia)
    fonts.set(_w("eastAsia"), east_asia)
    fonts.set(_w("cs"), latin or east_asia)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(_w(theme), None)


def add_page_number_field(p_el: etree._Element, font: Font | None = None) -> None:
    """Append "— PAGE —" runs to a paragraph element."""
    holder = parse_fragment(f"<w:p>{page_number_field_runs(font)}</w:p>")
    for r in list(holder):
        p_el.append(r)


def page_setup_xml(
    *,
    top_mm: float,
    left_mm: float,
    right_mm: float,
    bottom_mm: float,
    footer_mm: float,
    width_mm: float,
    height_mm: float,
) -> tuple[str, str]:
    """w:pgSz and w:pgMar for a page (A4 and the block's margins)."""
    size = f'<w:pgSz w:w="{mm_to_twips(width_mm)}" w:h="{mm_to_twips(height_mm)}"/>'
    margins = (
        f'<w:pgMar w:top="{mm_to_twips(top_mm)}" w:right="{mm_to_twips(right_mm)}" '
        f'w:bottom="{mm_to_twips(bottom_mm)}" w:left="{mm_to_twips(left_mm)}" '
        f'w:header="851" w:footer="{mm_to_twips(footer_mm)}" w:gutter="0"/>'
    )
    return size, margins


def doc_grid_xml() -> str:
    """The grid's pitch recorded without a grid type (w:type defaults to "no grid").

    LibreOffice 7.4 gives every line the grid's pitch under ``type="lines"``,
    whatever its exact height (so the head's spacers collapse), and doubles
    CJK cells under ``linesAndChars``; with no grid type both Word and
    LibreOffice lay out the exact line heights as written, and Word still
    shows 579 twips (22 lines) in its page set-up.
    """
    return f'<w:docGrid w:linePitch="{LINE_TWIPS}"/>'
