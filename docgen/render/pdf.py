"""Draw a page plan with reportlab. No layout decisions are made here."""

from __future__ import annotations

import io

from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from docgen.fonts import FontSet, register_font
from docgen.layout.plan import ImageItem, Plan, RuleItem, TextItem
from docgen.spec import PAGE_HEIGHT, PAGE_WIDTH, FontRole, mm


def render_pdf(plan: Plan, fonts: FontSet, *, title: str = "", author: str = "") -> bytes:
    """The PDF bytes of a plan; every glyph drawn from a font that has it."""
    buf = io.BytesIO()
    canvas = Canvas(
        buf,
        pagesize=(mm(PAGE_WIDTH), mm(PAGE_HEIGHT)),
        pageCompression=1,
        initialFontName=register_font(fonts.primary(FontRole.FANGSONG)),
        initialFontSize=16,
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("docgen")
    for page in plan.pages:
        for item in page.items:
            if isinstance(item, RuleItem):
                _rule(canvas, item)
            elif isinstance(item, ImageItem):
                _image(canvas, item)
        for item in page.items:
            if isinstance(item, TextItem):
                _text(canvas, item, fonts)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _y(top_mm: float) -> float:
    return mm(PAGE_HEIGHT - top_mm)


def _rule(canvas: Canvas, r: RuleItem) -> None:
    canvas.setStrokeColorRGB(*(v / 255 for v in r.color))
    canvas.setLineWidth(mm(r.width_mm))
    canvas.line(mm(r.x0), _y(r.y), mm(r.x1), _y(r.y_end))


def _image(canvas: Canvas, im: ImageItem) -> None:
    canvas.drawImage(
        im.path,
        mm(im.x),
        _y(im.top + im.height),
        mm(im.width),
        mm(im.height),
        mask="auto",
        preserveAspectRatio=True,
    )


def _text(canvas: Canvas, t: TextItem, fonts: FontSet) -> None:
    """One line; every font or subset change restarts at its computed position.

    reportlab splits a font into 256-glyph subsets, each a PDF font of its
    own. Viewers apply the character spacing (Tc) across such switches, but
    pdfminer (pdfplumber) drops it after each string; positioning every piece
    explicitly makes all readers, and every proof-reader's tool, agree.
    """
    y = _y(t.baseline)
    x = mm(t.x)
    cs = t.char_space_pt
    obj = canvas.beginText(x, y)
    obj.setFillColorRGB(*(v / 255 for v in t.color))
    obj.setCharSpace(cs)
    doc = canvas._doc
    for role, text in t.runs:
        for font, part in fonts.runs(role, text):
            rl_font = getFont(register_font(font))
            obj.setFont(font.rl_name, t.size_pt)
            start = 0
            for _subset, codes in rl_font.splitString(part, doc):
                piece = part[start : start + len(codes)]  # one byte per character in a subset
                start += len(codes)
                obj.setTextOrigin(x, y)
                obj.textOut(piece)
                x += rl_font.stringWidth(piece, t.size_pt) + len(piece) * cs
    canvas.drawText(obj)
