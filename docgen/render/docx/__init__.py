"""Model + Decisions → .docx, by filling a docxtpl template; one module per element.

Mirrors docgen/layout/: ``template`` (finding, compiling, checking Word
templates), ``measures`` (twips and the grid), ``head``, ``blocks`` (body,
附件说明, attachments), ``signature``, ``colophon``, ``minutes``, ``forms``
(督办单), ``tables``, and ``document`` (placeholders filled, parts zipped).
The raw OOXML helpers stay in docgen/render/docx/ooxml.py.
"""

from docgen.render.docx.colophon import colophon_on_own_page
from docgen.render.docx.document import build_context, render_docx
from docgen.render.docx.fontnames import gb2312_note, model_texts
from docgen.render.docx.template import (
    FOOTER_LINE_TWIPS,
    FORMAT_NAMES,
    PLACEHOLDERS,
    TEMPLATE_DIR,
    CompiledTemplate,
    check_template,
    compile_template,
    default_template,
    footer_distance_mm,
    load_template,
    page_setup,
    template_placeholders,
)

__all__ = [
    "FOOTER_LINE_TWIPS",
    "FORMAT_NAMES",
    "PLACEHOLDERS",
    "TEMPLATE_DIR",
    "CompiledTemplate",
    "build_context",
    "check_template",
    "colophon_on_own_page",
    "compile_template",
    "default_template",
    "footer_distance_mm",
    "gb2312_note",
    "load_template",
    "model_texts",
    "page_setup",
    "render_docx",
    "template_placeholders",
]
