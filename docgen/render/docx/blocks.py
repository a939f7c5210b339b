"""The main text: body paragraphs with their headings, 附件说明, 附注, attachments [7.3]."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from docgen.decisions import Decisions
from docgen.render import ooxml as ox
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import chars_tw
from docgen.render.ooxml import Font
from docgen.spec import Profile


def body_paragraph(text: str, keep_next: bool = False) -> str:
    """A body paragraph; headings 一、（一）1.（1） in their styles (run-in ones as character styles)."""
    from docgen.text.headings import classify

    heading = classify(text)
    if heading is None:
        return ox.paragraph(ox.run(text), style="Body", keep_next=keep_next)
    if not heading.rest:
        return ox.paragraph(ox.run(heading.heading_text), style=f"Heading{heading.level}")
    return ox.paragraph(
        ox.run(heading.heading_text, style=f"Heading{heading.level}Char") + ox.run(heading.rest),
        style="Body",
        keep_next=keep_next,
    )


def body_text(doc: Any, keep_last: bool) -> Markup:
    """Body paragraphs; the last kept with the signature so the signature never opens a page."""
    paras = list(getattr(doc, "body", []) or [])
    return Markup(
        "".join(
            body_paragraph(p, keep_next=keep_last and i == len(paras) - 1)
            for i, p in enumerate(paras)
        )
    )


def empty_line(style: str = "Normal", keep_next: bool = False) -> str:
    return ox.paragraph("", style=style, keep_next=keep_next)


def attachment_note(names: list[str]) -> Markup:
    """附件说明: one empty line, then 附件：names, wrapped names under the name's first character."""
    if not names:
        return Markup("")
    first = chars_tw(2)
    label = "附件："
    label_w = ox.text_twips(label)
    paras = [empty_line(keep_next=True)]
    if len(names) == 1:
        paras.append(
            ox.paragraph(
                ox.run(label + names[0]),
                style="AttachmentNote",
                keep_next=True,
                left=first + label_w,
                hanging=label_w,
            )
        )
    else:
        for i, name in enumerate(names, 1):
            num = f"{i}."
            num_w = ox.text_twips(num)
            if i == 1:
                paras.append(
                    ox.paragraph(
                        ox.run(label + num + name),
                        style="AttachmentNote",
                        keep_next=True,
                        left=first + label_w + num_w,
                        hanging=label_w + num_w,
                    )
                )
            else:
                paras.append(
                    ox.paragraph(
                        ox.run(num + name),
                        style="AttachmentNote",
                        keep_next=True,
                        left=first + label_w + num_w,
                        hanging=num_w,
                    )
                )
    return Markup("".join(paras))


def note(d: Decisions) -> Markup:
    return Markup(ox.paragraph(ox.run(d.note), style="Note")) if d.note else Markup("")


def attachments(c: Ctx) -> Markup:
    """Each attachment on a new page: 附件N on line 1, title on line 3, its text below."""
    atts = list(getattr(c.doc, "attachments", []))
    paras: list[str] = []
    for i, (att, lines) in enumerate(zip(atts, c.d.attachment_title_lines), 1):
        label = "附件" if len(atts) == 1 else f"附件{i}"
        paras.append(ox.paragraph(ox.run(label), style="AttachmentLabel", page_break_before=True))
        paras.append(empty_line())
        # The template's style has the default size; an office profile's size wins.
        size = c.profile.attachment_title_size_pt
        font = Font(size_pt=size) if size != Profile().attachment_title_size_pt else None
        paras.append(ox.paragraph(ox.lines_run(lines, font=font), style="AttachmentTitle"))
        paras.append(empty_line())
        paras += [body_paragraph(p) for p in att.body]
    return Markup("".join(paras))
