"""A 通报's bar chart in Word.

The chart is a borderless table, one row a grid line:
the unit's name as text, its stacked bar as a small picture (grey levels
and hatching, drawn with Pillow, so it prints in black and white), its total
as text. Text stays text that Word can edit and search; only the bars are
pictures.
"""

from __future__ import annotations

import io
import math

from markupsafe import Markup

from docgen.models.circular import CHART_FILLS, ChartSpec
from docgen.render.docx import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.render.docx.tables import RULE_EIGHTHS, cell

DPI = 300
BAR_MM = 5.0
PAD_TW = 57  # 1 mm between text and rule
TWIPS_PER_MM = 1440 / 25.4


def _tw(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _lines(text: str, width_tw: int, size_pt: float) -> int:
    """How many lines a cell's text takes, counted as Word sets CJK: one em a character."""
    per_line = max(1, int(width_tw // (size_pt * 20)))
    return max(1, math.ceil(ox.em_width(text) / per_line)) if text else 1


def _table_xml(widths: list[int], borders: bool, rows: list[str]) -> str:
    rule = f'w:val="single" w:sz="{RULE_EIGHTHS}" w:space="0" w:color="000000"'
    kinds = ("top", "left", "bottom", "right", "insideH", "insideV")
    border = "".join(f"<w:{s} {rule}/>" if borders else f'<w:{s} w:val="nil"/>' for s in kinds)
    return (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{PAD_TW}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{PAD_TW}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr>'
        f"<w:tblGrid>{''.join(f'<w:gridCol w:w={chr(34)}{w}{chr(34)}/>' for w in widths)}</w:tblGrid>"
        + "".join(rows)
        + "</w:tbl>"
    )


def _row(cells: list[str], lines: int, header: bool = False) -> str:
    # Exact heights of whole grid lines: with "at least", LibreOffice adds each
    # row's rule to its height and the rows drift off the grid (see forms.py).
    head = "<w:tblHeader/>" if header else ""
    return (
        f'<w:tr><w:trPr><w:cantSplit/>{head}<w:trHeight w:val="{lines * LINE_TWIPS}" w:hRule="exact"/>'
        f"</w:trPr>{''.join(cells)}</w:tr>"
    )


# --- the chart ---------------------------------------------------------------------


def _bar_png(values: list[int], per_mm: float, length_mm: float) -> bytes:
    """One stacked bar, drawn at 300 dpi: grey fills and hatching, black outlines."""
    from PIL import Image, ImageDraw

    px = DPI / 25.4
    w, h = max(1, round(length_mm * px)), round(BAR_MM * px)
    im = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(im)
    x = 0.0
    for k, v in enumerate(values):
        if not v:
            continue
        grey, hatch = CHART_FILLS[k]
        x1 = x + v * per_mm * px
        box = (round(x), 0, min(w, round(x1)) - 1, h - 1)
        draw.rectangle(box, fill=round(grey * 255), outline=0, width=2)
        if hatch:
            step = round(1.2 * px)
            for k0 in range(round(x) - h, round(x1), step):
                lo, hi = max(k0, round(x)), min(k0 + h, round(x1) - 1)
                if hi > lo:  # the part of the "/" line inside the segment
                    draw.line((lo, h - 1 - (lo - k0), hi, h - 1 - (hi - k0)), fill=0, width=2)
                    if hatch == "x":
                        draw.line((lo, lo - k0, hi, hi - k0), fill=0, width=2)
            draw.rectangle(box, outline=0, width=2)
        x = x1
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _inline_picture(c: Ctx, data: bytes, width_mm: float, height_mm: float, name: str) -> str:
    """A picture in the line of text (w:drawing/wp:inline)."""
    n = len(c.media.files) + 1
    rid = f"rIdDocgenImage{n}"
    c.media.files.append((rid, f"media/docgen_image{n}.png", data))
    i = c.ids.take()
    cx, cy = ox.mm_to_emu(width_mm), ox.mm_to_emu(height_mm)
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{i}" name="{ox.esc(name)} {i}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{i}" name="{ox.esc(name)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def report_chart(c: Ctx, chart: ChartSpec, opens_page: bool = False) -> Markup:
    """Title, legend, then per category: name, bar picture, total; one grid line each.

    ``opens_page``: the PDF floated the chart to the next page (floats.py): the
    title opens it, without the empty line above the chart."""
    size = 14.0
    font = ox.Font(size_pt=size)
    totals = [sum(v) for v in chart.values]
    longest = max((ox.em_width(cat) for cat in chart.categories), default=0.0)
    label_mm = min(longest * size * 25.4 / 72 + 2, 0.38 * 156)
    count_mm = (ox.em_width(f"{max(totals, default=0)}{chart.unit}") * size * 25.4 / 72) + 4
    bar_mm = 156 - label_mm - count_mm - 3
    per = bar_mm / max(max(totals, default=1), 1)
    widths = [
        _tw(label_mm),
        _tw(bar_mm + 3),
        ox.BLOCK_WIDTH_TWIPS - _tw(label_mm) - _tw(bar_mm + 3),
    ]

    def para(content: str, jc: str, keep: bool) -> str:
        return ox.paragraph(content, style="FormText", jc=jc, keep_next=keep)

    out = [] if opens_page else [ox.paragraph("", style="Body")]
    out.append(
        ox.paragraph(
            ox.run(chart.title, style="Hei"),
            style="FormText",
            jc="center",
            keep_next=True,
            page_break_before=opens_page,
        )
    )
    legend = ""
    for k, name in enumerate(chart.series):
        key = _bar_png([1 if j == k else 0 for j in range(len(chart.series))], 8.0, 8.0)
        legend += _inline_picture(c, key, 8.0, BAR_MM, "图例") + ox.run(f" {name}　　", font=font)
    out.append(ox.paragraph(legend, style="FormText", jc="left", keep_next=True))
    rows = []
    # A chart that fits on a page is kept on one, as the PDF keeps it (layout/chart.py):
    # every row but the last kept with the next.
    for k, (cat, values, total) in enumerate(zip(chart.categories, chart.values, totals)):
        keep = chart.fits_a_page and k < len(totals) - 1
        # A very long unit name shrinks to its column rather than wrapping off the grid line.
        fit = min(size, max(9.0, (label_mm - 2) * 72 / 25.4 / max(ox.em_width(cat), 1)))
        length = max(sum(values) * per, 0.5)
        bar = _inline_picture(c, _bar_png(values, per, length), length, BAR_MM, cat)
        cells = [
            para(ox.run(cat, font=ox.Font(size_pt=fit)), "right", keep),
            para(bar, "left", keep),
            para(ox.run(f"{total}{chart.unit}", font=font), "left", keep),
        ]
        rows.append(_row([cell(w, x, v_center=True) for w, x in zip(widths, cells)], 1))
    out.append(_table_xml(widths, False, rows))
    return Markup("".join(out))
