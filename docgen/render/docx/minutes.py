"""纪要 parts: the agreed items and the attendance lists [10.3]."""

from __future__ import annotations

from markupsafe import Markup

from docgen.render.docx import ooxml as ox
from docgen.render.docx.blocks import body_paragraph, empty_line, take_breaks
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import attendance_lines, chars_tw


def minutes_items(c: Ctx) -> Markup:
    doc, d = c.doc, c.d
    if not d.item_texts:
        return Markup("")
    texts = [doc.items_intro, *d.item_texts]
    breaks = take_breaks(c, texts)  # where the PDF begins a page (signature.page_starts)
    # The run-in heading rule of every kind, as the PDF applies it (issue 18).
    paras = [body_paragraph(t, d.glyphs, page_break_at=breaks.get(i)) for i, t in enumerate(texts)]
    return Markup("".join(paras))


def attendance(c: Ctx) -> Markup:
    """出席/请假/列席: label in 黑体, wrapped lines aligned after the colon, each line
    ending where the PDF ends it (after a whole name: layout/meeting.py), by a line break."""
    if not c.d.attendance:
        return Markup("")
    paras = [empty_line()]
    first = chars_tw(2)
    for label, names in c.d.attendance:
        head = f"{label}："
        w = ox.text_twips(head)
        lines = [line.text for line in attendance_lines(head, names, c.d.glyphs)]
        paras.append(
            ox.paragraph(
                ox.run(head, style="Hei") + ox.run("\n".join(lines)),
                style="Attendance",
                left=first + w,
                hanging=w,
            )
        )
    return Markup("".join(paras))
