"""Model + Decisions → .docx: every placeholder's value, the template filled and zipped.

The template (templates/official/<format>.docx, built by
tools/build_templates.py, or an office's own copy) holds the page set-up,
footers and styles, and the order of the document's parts as placeholders.
The element modules compute what goes in each placeholder: paragraphs that
refer to the template's styles by ID, with the positions the standard fixes
worked out from docgen.spec, the same numbers the PDF layout uses, and the
same Decisions (title breaks, 附件说明, colophon).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from docgen.decide.decisions import Decisions
from docgen.models.circular import Circular
from docgen.models.documents import Document, Letter, Request
from docgen.models.meeting import Minutes
from docgen.problems import InputError
from docgen.render.docx import ooxml as ox
from docgen.render.docx import sandbox
from docgen.render.docx.blocks import attachment_note, attachments, body_text, chart_in_body, note
from docgen.render.docx.colophon import (
    COLOPHON_MARK,
    colophon,
    colophon_page_numbered,
    section_break,
)
from docgen.render.docx.context import Ctx, Media
from docgen.render.docx.fontnames import body_font_styles
from docgen.render.docx.forms import supervision_form
from docgen.render.docx.head import HEADS
from docgen.render.docx.minutes import attendance, minutes_items
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.render.docx.signature import form_break, page_starts, signature, squeeze_twips
from docgen.render.docx.tables import turned_sections
from docgen.render.docx.template import (
    check_template,
    default_template,
    load_template,
    page_setup,
    template_problem,
)
from docgen.spec import LATIN_ROLES, OFFICIAL_FONT_NAMES, Profile


def build_context(
    doc: Document,
    d: Decisions,
    profile: Profile,
    ids: ox.DrawingIds,
    media: Media,
    starts: list[tuple[str, int]] | None = None,
    squeeze: int = 0,
    first_line_top: float | None = None,
    floats: dict[str, str] | None = None,
    alone: set[str] | None = None,
    form_break: str | None = None,
) -> dict[str, Any]:
    """Every placeholder's value; user text is plain str (escaped by Jinja), XML is Markup."""
    fmt = doc.format
    c = Ctx(
        doc,
        d,
        profile,
        ids,
        media,
        list(starts or []),
        squeeze,
        first_line_top,
        floats=dict(floats or {}),
        alone=set(alone or ()),
        form_break=form_break,
    )
    head, _band = HEADS[fmt](c)
    ctx: dict[str, Any] = {
        "head": head,
        "title": Markup(ox.lines_run(d.title_lines))
        if d.title_lines and fmt != "supervision"
        else "",
        "recipients": d.recipients_text if not d.recipients_in_colophon else "",
        "body": body_text(c, keep_last=fmt in ("file", "letter")),
        "doc_title": doc.title or "",
        "doc_author": "、".join(doc.issuer),
        # Plain values for house templates that want to place things themselves.
        "date": d.date_text,
        "number": str(doc.number) if doc.number else "",
        "issuer": "、".join(doc.issuer),
    }
    chart = doc.chart if isinstance(doc, Circular) else None
    if chart is not None:  # 通报: a chart in the text, after the paragraph it illustrates
        from docgen.render.docx.chart import report_chart

        moved = report_chart(c, chart, opens_page=True) if c.floats else ""
        ctx["body"] = chart_in_body(c, chart, report_chart(c, chart), moved)
    # One branch per kind of form; a kind's format names its template (file, letter,
    # minutes, supervision), so these are the branches the format chose before.
    if isinstance(doc, Letter | Request | Circular):
        sig = doc.signature
        ctx["attachment_note"] = attachment_note(d.attachment_names)
        ctx["signature"] = signature(
            c, d.signature_issuers, d.date_text, sig.mode if sig else "sealed", sig
        )
        ctx["note"] = note(d)
        ctx["attachments"] = attachments(c)
    elif isinstance(doc, Minutes):
        ctx["items"] = minutes_items(c)
        ctx["attendance"] = attendance(c)
    else:  # 督办单, 催办单
        ctx["form"] = supervision_form(c)
        # Word and LibreOffice set the ruled table a fraction of a millimetre
        # lower than the PDF; a shorter empty line keeps a full form on one page.
        # A body without a seal signs per 7.3.5.2, as the PDF (layout/meeting.py, issue 18).
        sealed = doc.sealed if doc.sealed is not None else c.profile.sealed
        ctx["signature"] = signature(
            c,
            [doc.office],
            d.date_text,
            "sealed" if sealed else "unsealed",
            None,
            blanks=1,
            blank_twips=LINE_TWIPS * 4 // 5,
        )
    if fmt != "supervision":
        ctx["colophon"] = colophon(c, fmt)
    return ctx


_PAGE_MARGINS = re.compile(r"<w:pgMar [^>]*/>")

# A value this long (characters) is set aside while the document around it is made.
ASIDE_MIN_CHARS = 200_000
# What the steps after filling the template look for: docgen's marks (turned pages, the
# colophon: all begin so), section properties and their margins.
_KEEP_IN_PLACE = ("<!--docgen:", "<w:sectPr", "<w:pgMar")


def _set_aside(ctx: dict[str, Any]) -> dict[str, str]:
    """Large XML values replaced in ``ctx`` by a mark each; returns mark → value.

    The 10,000-row 通报's attachments are 17 million characters: filling the
    template, the colophon's section break and joining the document's head
    and tail copied them four times (0.13 s). Set aside, they are put back
    once, as the file's bytes are made (_put_back). Values holding what those
    steps look for (turn markers, the colophon mark, section properties) stay
    in place, so the steps see exactly what they saw before (and the marks
    are docgen's own: user text never holds a raw "<").
    """
    aside: dict[str, str] = {}
    for key, value in ctx.items():
        if not isinstance(value, Markup) or len(value) < ASIDE_MIN_CHARS:
            continue
        if any(m in value for m in _KEEP_IN_PLACE):
            continue
        mark = f"<!--docgen:aside:{key}-->"
        aside[mark] = value
        ctx[key] = Markup(mark)
    return aside


def _put_back(document: str, aside: dict[str, str]) -> bytes:
    """The document's bytes with each set-aside value where its mark is."""
    if not aside:
        return document.encode("utf-8")
    found = re.compile("|".join(re.escape(mark) for mark in aside))
    pieces: list[bytes] = []
    at = 0
    for m in found.finditer(document):
        pieces += (document[at : m.start()].encode("utf-8"), aside[m.group()].encode("utf-8"))
        at = m.end()
    pieces.append(document[at:].encode("utf-8"))
    return b"".join(pieces)


def _profile_margins(xml: str, profile: Profile) -> str:
    """An office profile's margins replace the template's (A4 and the footer stay)."""
    if profile.top_margin == Profile().top_margin and profile.left_margin == Profile().left_margin:
        return xml
    _, margins = page_setup(profile)
    return _PAGE_MARGINS.sub(margins, xml)


def _latin_styles(styles: bytes, latin: str) -> bytes:
    """Name the office's Latin font (w:ascii, w:hAnsi) where the text roles name theirs."""
    family = latin
    if Path(latin).suffix.lower() in (".ttf", ".ttc", ".otf"):
        from docgen.fonts import read_faces

        path, _, index = latin.partition("#")
        family = read_faces(Path(path))[int(index or 0)].family
    xml = styles.decode("utf-8")
    for role in LATIN_ROLES:
        name = ox.esc(OFFICIAL_FONT_NAMES[role][0])
        for attr in ("ascii", "hAnsi"):
            xml = xml.replace(f'w:{attr}="{name}"', f'w:{attr}="{ox.esc(family)}"')
    return xml.encode("utf-8")


def _add_media(parts: dict[str, bytes], media: Media) -> None:
    rels = parts.get("word/_rels/document.xml.rels", b"").decode("utf-8")
    extra = "".join(
        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{target}"/>'
        for rid, target, _ in media.files
    )
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", extra + "</Relationships>"
    ).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for ext, mime in (("png", "image/png"), ("jpeg", "image/jpeg")):
        if f'Extension="{ext}"' not in types:
            types = types.replace(
                "</Types>", f'<Default Extension="{ext}" ContentType="{mime}"/></Types>'
            )
    parts["[Content_Types].xml"] = types.encode("utf-8")
    for _, target, data in media.files:
        parts[f"word/{target}"] = data


def render_docx(
    doc: Document,
    decisions: Decisions,
    profile: Profile,
    template: Path | None = None,
    *,
    colophon_alone: Callable[[], bool] | None = None,
    plan: Any = None,
) -> bytes:
    """The .docx of ``doc`` as bytes, from ``template`` or the format's official one.

    ``plan``: the PDF's page plan when it is already made (rendering both
    formats): where the PDF carried the text's last lines or tightened a page to
    keep the signature with them, and whether the colophon's own page is numbered,
    are read from it [7.3.5.5, 7.5]. Without it the .docx keeps the signature
    with its text by paragraph keeps alone.

    ``colophon_alone``: asked, once the rest is written, whether the PDF gives
    the colophon a page of its own (the prepared document's plan:
    colophon_on_own_page; a worker process writing the .docx while the PDF is
    laid out asks for the last page: render/docx/worker.py). Not given, the
    colophon stays under the text.
    """
    fmt = doc.format
    path = Path(template) if template else default_template(fmt)
    tpl = load_template(path)
    if template:
        missing = check_template(path, fmt)
        if missing:
            raise InputError(missing)
    ids = ox.DrawingIds()
    media = Media()
    ctx = build_context(
        doc,
        decisions,
        profile,
        ids,
        media,
        page_starts(plan, profile, decisions.date_text, letter=doc.format == "letter"),
        squeeze_twips(plan),
        plan.first_line_top if plan is not None else None,
        plan.floats if plan is not None else None,
        plan.alone if plan is not None else None,
        form_break(plan, [label for label, _p, _m in decisions.form_rows]),
    )
    parts = dict(tpl.parts)
    # Our own templates: the largest values wait outside the text worked on below.
    body_ctx = dict(ctx)
    aside = _set_aside(body_ctx) if template is None else {}
    try:
        limited = template is not None  # an office's own file; ours are trusted
        body = sandbox.render(tpl.body, body_ctx, limited=limited)
        for part_name, t in tpl.others.items():
            parts[part_name] = sandbox.render(t, ctx, limited=limited).encode("utf-8")
    except SecurityError as exc:
        said = exc.args[0] if exc.args and not str(exc.args[0]).isascii() else "不允许的写法"
        raise template_problem(
            f"模板中有不允许的表达式（{said}；模板只能填入内容，不能执行代码或做大量运算）", path
        ) from exc
    except sandbox.UndefinedError as exc:
        name = sandbox.undefined_name(exc)
        shown = f"{{{{ {name} }}}}" if name else "某个占位符"
        raise template_problem(
            f"模板中的占位符 {shown} 没有对应的内容（拼写有误？可逐一检查模板的占位符）",
            path,
        ) from exc
    except sandbox.TemplateLimit as exc:
        raise template_problem(str(exc), path) from exc
    except TemplateError as exc:
        raise template_problem("模板无法填充（占位符的写法有误）", path) from exc
    tail = tpl.document_tail
    body = turned_sections(body, profile, parts)
    if COLOPHON_MARK in body:
        if colophon_alone is not None and colophon_alone():
            numbered = colophon_page_numbered(plan)
            # The PDF's blank page before the colophon [7.5], when the plan is known:
            # written as a page, not left to an evenPage break.
            blank = plan is not None and not numbered
            kind = "evenPage" if profile.double_sided and not blank else "nextPage"
            body = section_break(body, kind, numbered, blank_first=blank)
        else:
            body = body.replace(COLOPHON_MARK, "")
    document = _profile_margins(tpl.document_head + body + tail, profile)
    if profile.latin_font:
        parts["word/styles.xml"] = _latin_styles(parts["word/styles.xml"], profile.latin_font)
    for name in ("word/styles.xml", "word/fontTable.xml"):
        if name in parts:
            parts[name] = body_font_styles(parts[name].decode("utf-8"), profile).encode("utf-8")
    if media.files:
        _add_media(parts, media)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        z.writestr("word/document.xml", _put_back(document, aside))
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()
