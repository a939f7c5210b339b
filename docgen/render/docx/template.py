"""The Word templates: where they are, what placeholders they keep, compiling and checking them.

Speed: a template is read, pre-processed by docxtpl (its tag clean-up) and
compiled by Jinja once per process; each render then only runs the compiled
document part and zips it with the template's other parts (already bytes).
"""

from __future__ import annotations

import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

from docgen.fonts import bundled_ink_top
from docgen.problems import InputError, Problem
from docgen.render.docx import ooxml as ox
from docgen.render.docx.sandbox import GuardedEnvironment
from docgen.resources import templates_dir
from docgen.spec import (
    BLOCK_HEIGHT,
    MM_PER_PT,
    PAGE_HEIGHT,
    PAGE_NUMBER_DASH_DROP,
    PAGE_WIDTH,
    SIZE_PAGE_NUMBER_PT,
    FontRole,
    Profile,
)

TEMPLATE_DIR = templates_dir()  # in the package when installed, else the checkout's top

# The footer's line: exact, so the page number's place is known (see footer_distance_mm).
FOOTER_LINE_TWIPS = 400

# Placeholders each format's template must keep, with what they hold (for
# `docgen templates` and its --check). ``doc_title``/``doc_author`` (file
# properties) are optional.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "file": {
        "head": "版头（发文机关标志、发文字号、签发人、红色分隔线）",
        "title": "标题（按断行结果分行）",
        "recipients": "主送机关",
        "body": "正文",
        "attachment_note": "附件说明",
        "signature": "署名和成文日期（含印章）",
        "note": "附注",
        "attachments": "附件（各自另起一页）",
        "colophon": "版记（抄送、印发机关和印发日期）",
    },
    "letter": {
        "head": "版头（发文机关标志、红色双线、发文字号）",
        "title": "标题（按断行结果分行）",
        "recipients": "主送机关",
        "body": "正文",
        "attachment_note": "附件说明",
        "signature": "署名和成文日期（含印章）",
        "note": "附注",
        "attachments": "附件（各自另起一页）",
        "colophon": "版记（抄送）",
    },
    "minutes": {
        "head": "版头（纪要标志、期数、编发机关和日期、红色分隔线）",
        "title": "标题",
        "body": "会议基本情况",
        "items": "议定事项",
        "attendance": "出席、请假、列席",
        "colophon": "版记（分送、抄送、印发）",
    },
    "supervision": {
        "head": "版头（督办机关、督办单标题、编号和日期、红色分隔线）",
        "form": "督办事项表格",
        "signature": "督办机关署名和日期",
    },
}
FORMAT_NAMES = {
    "file": "文件格式",
    "letter": "信函格式",
    "minutes": "纪要格式",
    "supervision": "督办单",
}


def page_setup(profile: Profile) -> tuple[str, str]:
    """(w:pgSz, w:pgMar) of a profile: A4, its margins, the footer where the page number goes."""
    return ox.page_setup_xml(
        top_mm=profile.top_margin,
        left_mm=profile.left_margin,
        right_mm=profile.right_margin,
        bottom_mm=profile.bottom_margin,
        footer_mm=footer_distance_mm(profile),
        width_mm=PAGE_WIDTH,
        height_mm=PAGE_HEIGHT,
    )


def footer_distance_mm(profile: Profile) -> float:
    """Footer distance that puts the top of "— N —" 7 mm below the block [7.5].

    Word measures the footer distance from the paper's bottom to the bottom
    of the footer's (one, exact-height) line.
    """
    top = profile.top_margin + BLOCK_HEIGHT + PAGE_NUMBER_DASH_DROP
    # The dashes' ink top, not the em box's, lies 7 mm below the block: an em
    # dash sits mid-em. Word and LibreOffice draw 宋体 with the office's font;
    # its outline is read from the bundled 宋体, the one the tests map it to.
    ink = bundled_ink_top(FontRole.SONGTI, "—")
    above = ox.EM_ASCENT if ink is None else ink
    baseline = ox.EXACT_BASELINE * FOOTER_LINE_TWIPS / ox.TWIPS_PER_PT
    line_top = top - (baseline - above * SIZE_PAGE_NUMBER_PT) * MM_PER_PT
    return PAGE_HEIGHT - (line_top + ox.twips_to_mm(FOOTER_LINE_TWIPS))


# --- templates -----------------------------------------------------------------


def _environment() -> SandboxedEnvironment:
    # Sandboxed and bounded (sandbox.py): a template (an office's file) cannot reach Python,
    # misspell a placeholder unnoticed, or run without end; autoescaped: plain strings are
    # escaped, only the XML built here (Markup) passes as is.
    return GuardedEnvironment(autoescape=True, keep_trailing_newline=True)


_BODY = re.compile(r"(<w:body>)(.*)(</w:body>)", re.DOTALL)
_TAGGED = re.compile(r"\{\{|\{%")


@dataclass
class CompiledTemplate:
    path: Path
    parts: dict[str, bytes]  # every part but the rendered ones, as stored
    document_head: str
    document_tail: str
    body: Any  # jinja2.Template
    others: dict[str, Any]  # other parts with tags (core.xml, footers): name → Template
    placeholders: set[str]


def _patch(xml: str) -> str:
    """docxtpl's clean-up of tags split over runs, {%p/{{p/{{r paragraph and run tags."""
    from docxtpl import DocxTemplate

    return DocxTemplate.patch_xml(DocxTemplate.__new__(DocxTemplate), xml)


def template_problem(message: str, path: Path) -> InputError:
    return InputError([Problem(message, field="--template", file=str(path))])


def compile_template(path: Path) -> CompiledTemplate:
    env = _environment()
    from docgen.wordfile import as_document_types, what_it_is
    from docgen.ziplimit import DOCX, ZipRefused, open_zip

    try:
        with open_zip(path, DOCX) as z:
            parts = {name: z.read(name) for name in z.namelist()}
    except FileNotFoundError as exc:
        raise template_problem("Word 模板文件不存在", path) from exc
    except ZipRefused as exc:
        raise template_problem(str(exc), path) from None
    except (zipfile.BadZipFile, OSError) as exc:
        said = None
        try:
            with open(path, "rb") as fh:
                said = what_it_is(fh.read(2_000_000))
        except OSError:
            pass
        raise template_problem(
            said or "不是有效的 Word 文件（.docx），可能已损坏；请在 Word 中另存为 .docx", path
        ) from exc
    if "[Content_Types].xml" in parts:  # a .dotx/.docm template makes a .docx Word opens
        parts["[Content_Types].xml"] = as_document_types(parts["[Content_Types].xml"])
    if "word/document.xml" not in parts:
        raise template_problem("不是有效的 Word 文件：缺少 word/document.xml", path)
    xml = parts.pop("word/document.xml").decode("utf-8")
    m = _BODY.search(xml)
    if not m:
        raise template_problem("Word 文件的正文部分无法识别", path)
    names: set[str] = set()
    try:
        body_src = _patch(m.group(2))
        body = env.from_string(body_src)
        names |= meta.find_undeclared_variables(env.parse(body_src))
        others = {}
        for name in list(parts):
            if name.endswith(".xml") and (
                name.startswith("word/footer")
                or name.startswith("word/header")
                or name == "docProps/core.xml"
            ):
                text = parts[name].decode("utf-8")
                if _TAGGED.search(text):
                    src = _patch(text)
                    others[name] = env.from_string(src)
                    names |= meta.find_undeclared_variables(env.parse(src))
                    del parts[name]
    except TemplateSyntaxError as exc:
        raise template_problem(f"模板占位符语法有误：{_syntax_said(exc)}", path) from exc
    return CompiledTemplate(
        path=path,
        parts=parts,
        document_head=xml[: m.start(2)],
        document_tail=xml[m.end(2) :],
        body=body,
        others=others,
        placeholders=names,
    )


_cache: dict[tuple[str, float, int], CompiledTemplate] = {}
_cache_lock = threading.Lock()


def _syntax_said(exc: TemplateSyntaxError) -> str:
    """Jinja's syntax errors in words a template's author can act on, with the text around it."""
    text = str(exc.message or "")
    if "unexpected end of template" in text or "end of print statement" in text:
        said = "有占位符没有闭合（{{ 须有对应的 }}，{% 须有对应的 %}）"
    elif "Unexpected end of template" in text or "endfor" in text or "endif" in text:
        said = "{% for %} 或 {% if %} 缺少对应的 {% endfor %} / {% endif %}"
    elif "unexpected char" in text:
        said = "占位符中有不能识别的字符"
    elif "expected token" in text:
        said = "占位符写法不对（{{ 名称 }} 中间只能是一个名称）"
    else:
        said = "占位符写法不对"
    source = exc.source or ""
    spot = ""
    if exc.lineno and source:
        lines = source.splitlines()
        if 0 < exc.lineno <= len(lines):
            plain = re.sub(r"<[^>]+>", "", lines[exc.lineno - 1])
            tag = re.search(r"\{[{%].{0,30}", plain)
            spot = f"（附近：{tag[0] if tag else plain[:30]}）"
    return said + spot


def load_template(path: Path) -> CompiledTemplate:
    """The compiled template for ``path``, compiled once per process (per file version)."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise template_problem("Word 模板文件不存在", path) from exc
    key = (str(path.resolve()), st.st_mtime, st.st_size)
    found = _cache.get(key)
    if found is None:
        found = compile_template(path)
        with _cache_lock:
            _cache[key] = found
    return found


def template_placeholders(path: Path) -> set[str]:
    return load_template(path).placeholders


def default_template(fmt: str) -> Path:
    return TEMPLATE_DIR / f"{fmt}.docx"


# Every name a template can use (document.build_context fills them; a test keeps this true).
CONTEXT_NAMES = frozenset(
    {name for names in PLACEHOLDERS.values() for name in names}
    | {"doc_title", "doc_author", "date", "number", "issuer", "recipients", "body", "title"}
    | {"attachment_note", "signature", "note", "attachments", "items", "attendance", "form"}
    | {"colophon", "head"}
)


def unknown_placeholders(path: Path) -> list[Problem]:
    """Placeholders no document fills ({{ titel }}): each an error with the nearest name."""
    import difflib

    out = []
    for name in sorted(template_placeholders(path) - CONTEXT_NAMES):
        near = difflib.get_close_matches(name, sorted(CONTEXT_NAMES), n=1, cutoff=0.6)
        hint = (
            f"；是不是 {{{{ {near[0]} }}}}？"
            if near
            else "；请删除或改为 docgen templates 列出的名称"
        )
        out.append(
            Problem(
                f"模板中的占位符 {{{{ {name} }}}} 不是 docgen 提供的内容，会无法填充{hint}",
                field="--template",
                file=str(path),
            )
        )
    return out


def check_template(path: Path, fmt: str) -> list[Problem]:
    """What is wrong with the template at ``path`` for ``fmt``: placeholders it lacks or
    misspells, said in Chinese (syntax errors raise InputError when it is loaded)."""
    found = template_placeholders(path)
    return unknown_placeholders(path) + [
        Problem(
            f"{FORMAT_NAMES.get(fmt, fmt)}模板缺少占位符 {{{{ {name} }}}}（{what}）",
            field="--template",
            file=str(path),
        )
        for name, what in PLACEHOLDERS[fmt].items()
        if name not in found
    ]
