"""Model + Decisions → .docx, by filling a docxtpl template.

The template (templates/official/<format>.docx, built by
tools/build_templates.py, or an office's own copy) holds the page set-up,
footers and styles, and the order of the document's parts as placeholders.
This module computes what goes in each placeholder: paragraphs that refer to
the template's styles by ID, with the positions the standard fixes (the mark
35 mm into the block, the separator 4 mm under the number, the colophon on the
block's bottom edge …) worked out here from docgen.spec, the same numbers the
PDF layout uses, and the same Decisions (title breaks, 附件说明, colophon).

Vertical positions rely on one rule Word and LibreOffice share: in a line of
exact height H the baseline sits 0.8 H below the line's top. Every paragraph
here has an exact height, so the position of everything on page 1 is a sum
of known heights.

Speed: a template is read, pre-processed by docxtpl (its tag clean-up) and
compiled by Jinja once per process; each render then only runs the compiled
document part and zips it with the template's other parts (already bytes).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from docgen.decisions import Decisions
from docgen.layout.meeting import FORM_RULE_GAP
from docgen.layout.meeting import LABEL_CHARS as FORM_LABEL_CHARS
from docgen.problems import InputError, Problem
from docgen.render import ooxml as ox
from docgen.render.ooxml import CHAR_TWIPS, LINE_TWIPS, Font
from docgen.spec import (
    BLOCK_HEIGHT,
    BLOCK_WIDTH,
    CHAR_PITCH,
    COLOPHON_THICK_MM,
    COLOPHON_THIN_MM,
    LATIN_ROLES,
    LETTER_7_8,
    LETTER_BOTTOM_LINE_FROM_BOTTOM,
    LETTER_LINE_LENGTH,
    LETTER_MARK_TOP,
    LETTER_TOP_LINE_GAP,
    LINE_PITCH,
    MARK_TOP_IN_BLOCK,
    MM_PER_PT,
    OFFICIAL_FONT_NAMES,
    PAGE_HEIGHT,
    PAGE_NUMBER_DASH_DROP,
    PAGE_WIDTH,
    SEPARATOR_BELOW_NUMBER,
    SIZE_BODY_PT,
    SIZE_COLOPHON_PT,
    SIZE_PAGE_NUMBER_PT,
    FontRole,
    Profile,
)

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "official"

# The footer's line: exact, so the page number's place is known (see footer_distance_mm).
FOOTER_LINE_TWIPS = 400
# The mark's line is a little taller than the mark so no renderer clips its glyphs.
MARK_LINE_FACTOR = 1.2
COLOPHON_MARK = "<!--docgen:colophon-->"
JOINT_MARK_STEP = 1.15  # stacked issuer names, as layout/head.py stacks them
FORM_RULE_EIGHTHS = 4  # 0.5 pt table rules

XBS = OFFICIAL_FONT_NAMES[FontRole.XIAOBIAOSONG][0]
HEI = OFFICIAL_FONT_NAMES[FontRole.HEITI][0]
KAI = OFFICIAL_FONT_NAMES[FontRole.KAITI][0]

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
    line_top = top - ox.exact_line_glyph_top(FOOTER_LINE_TWIPS, SIZE_PAGE_NUMBER_PT) * MM_PER_PT
    return PAGE_HEIGHT - (line_top + ox.twips_to_mm(FOOTER_LINE_TWIPS))


# --- templates -----------------------------------------------------------------


def _environment() -> SandboxedEnvironment:
    # Sandboxed: a template (an office's file) cannot reach Python; autoescaped:
    # plain strings are escaped, only the XML built here (Markup) passes as is.
    return SandboxedEnvironment(autoescape=True, keep_trailing_newline=True)


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


def _problem(message: str, path: Path) -> InputError:
    return InputError([Problem(message, field="--template", file=str(path))])


def compile_template(path: Path) -> CompiledTemplate:
    env = _environment()
    try:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
    except FileNotFoundError as exc:
        raise _problem("Word 模板文件不存在", path) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _problem(f"不是有效的 Word 文件（.docx）：{exc}", path) from exc
    if "word/document.xml" not in parts:
        raise _problem("不是有效的 Word 文件：缺少 word/document.xml", path)
    xml = parts.pop("word/document.xml").decode("utf-8")
    m = _BODY.search(xml)
    if not m:
        raise _problem("Word 文件的正文部分无法识别", path)
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
        raise _problem(f"模板占位符语法有误（第{exc.lineno}行附近）：{exc.message}", path) from exc
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


def load_template(path: Path) -> CompiledTemplate:
    """The compiled template for ``path``, compiled once per process (per file version)."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise _problem("Word 模板文件不存在", path) from exc
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


def check_template(path: Path, fmt: str) -> list[Problem]:
    """The placeholders ``fmt`` needs that the template at ``path`` lacks, said in Chinese."""
    found = template_placeholders(path)
    return [
        Problem(
            f"{FORMAT_NAMES.get(fmt, fmt)}模板缺少占位符 {{{{ {name} }}}}（{what}）",
            field="--template",
            file=str(path),
        )
        for name, what in PLACEHOLDERS[fmt].items()
        if name not in found
    ]


# --- measures ------------------------------------------------------------------


def _mm_tw(value_mm: float) -> int:
    return ox.mm_to_twips(value_mm)


PITCH = LINE_PITCH  # the PDF's grid pitch, mm: head positions follow the PDF's
BODY_GLYPH_TOP_PT = ox.exact_line_glyph_top(LINE_TWIPS, SIZE_BODY_PT)
BODY_GLYPH_BOTTOM_PT = ox.exact_line_glyph_bottom(LINE_TWIPS, SIZE_BODY_PT)
BODY_MM = SIZE_BODY_PT * MM_PER_PT


def chars_tw(n: float) -> int:
    """n grid characters (the unit of the spec's indents), in twips."""
    return _mm_tw(n * CHAR_PITCH)


def snap_to_grid(profile: Profile, wanted_top: float) -> float:
    """The PDF's rule (layout/head.py): the grid band nearest ``wanted_top``, never above it by half a line."""
    k = round((wanted_top - profile.top_margin) / PITCH)
    top = profile.top_margin + k * PITCH
    if top < wanted_top - PITCH / 2:
        top += PITCH
    return top


class Flow:
    """Paragraphs of the head, whose heights add up to known positions.

    ``y`` is the running top of the next paragraph in twips below the block's
    top edge; ``space_to`` inserts an empty exact-height paragraph to move it.
    """

    def __init__(self) -> None:
        self.paras: list[str] = []
        self.y = 0

    def add(self, xml: str, height: int = LINE_TWIPS) -> None:
        self.paras.append(xml)
        self.y += height

    def space_to(self, y: int) -> None:
        gap = y - self.y
        if gap > 0:
            self.add(ox.paragraph("", style="Spacer", line=gap), gap)

    def to_band(self, k: int) -> None:
        """Move to the top of the block's k-th line (the Word grid)."""
        self.space_to(k * LINE_TWIPS)

    def markup(self) -> Markup:
        return Markup("".join(self.paras))


def _band_index(profile: Profile, top_mm: float) -> int:
    return round((top_mm - profile.top_margin) / PITCH)


# --- context ---------------------------------------------------------------------


@dataclass
class Media:
    """Images added to the package for one document."""

    files: list[tuple[str, str, bytes]] = field(default_factory=list)  # (rid, target, bytes)

    def add(self, path: str) -> str:
        data = Path(path).read_bytes()
        ext = "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
        n = len(self.files) + 1
        rid = f"rIdDocgenImage{n}"
        self.files.append((rid, f"media/docgen_image{n}.{ext}", data))
        return rid


@dataclass
class Ctx:
    doc: Any
    d: Decisions
    profile: Profile
    ids: ox.DrawingIds
    media: Media

    @property
    def red(self) -> str:
        return self.profile.red_hex


def _mark_paragraph(c: Ctx, flow: Flow, text: str, size: float, target_top_mm: float) -> None:
    """The red mark in the flow, its em box's top edge at ``target_top_mm`` below the block top."""
    target = _mm_tw(target_top_mm)
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
    top = _mm_tw(target_top_mm) - round(ox.exact_line_glyph_top(step, size) * 20)
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
        + _cell(names_w, cell1)
        + _cell(suffix_w, cell2, v_center=True)
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


def _stack_runs(doc: Any) -> list[str]:
    """份号, 密级和保密期限, 紧急程度 as runs, in that order [7.2]."""
    out = []
    if getattr(doc, "copy_no", None):
        out.append(ox.run(doc.copy_no))
    if getattr(doc, "secrecy", None):
        text = doc.secrecy + (f"★{doc.secrecy_term}" if doc.secrecy_term else "")
        out.append(ox.run(text, style="Hei"))
    if getattr(doc, "urgency", None):
        out.append(ox.run(doc.urgency, style="Hei"))
    return out


def file_head(c: Ctx) -> tuple[Markup, int]:
    """文件格式: stack, mark 35 mm into the block, number/signers, red separator."""
    doc, d, profile = c.doc, c.d, c.profile
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
    number = str(doc.number) if getattr(doc, "number", None) else ""
    signers: list[str] = list(getattr(doc, "signers", []))
    flow.space_to(_mm_tw(band - profile.top_margin))
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
    k = _band_index(profile, snap_to_grid(profile, pdf_separator + 2 * PITCH))
    flow.to_band(k)
    return flow.markup(), k


def letter_head(c: Ctx) -> tuple[Markup, int]:
    """信函格式 [10.1]: mark 30 mm from the paper's top, red double lines, number flush right."""
    doc, d, profile = c.doc, c.d, c.profile
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
    flow.space_to(_mm_tw(para_top - profile.top_margin))
    stack = _stack_runs(doc)
    number = ox.run("\t" + str(doc.number)) if getattr(doc, "number", None) else ""
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
    flow.space_to(_mm_tw(title_top - profile.top_margin))
    return flow.markup(), round(flow.y / LINE_TWIPS)


def minutes_head(c: Ctx) -> tuple[Markup, int]:
    """纪要: red ……纪要 mark 35 mm into the block, 第N期, compiler and date, red separator."""
    doc, d, profile = c.doc, c.d, c.profile
    flow = Flow()
    size = d.mark_size_pt
    _mark_paragraph(c, flow, doc.mark, size, MARK_TOP_IN_BLOCK)
    mark_bottom = profile.top_margin + MARK_TOP_IN_BLOCK + size * MM_PER_PT
    band = mark_bottom + PITCH  # one empty line under the mark
    flow.space_to(_mm_tw(band - profile.top_margin))
    flow.add(ox.paragraph(ox.run(d.issue_text), style="IssueNo"))
    band += PITCH
    flow.space_to(_mm_tw(band - profile.top_margin))
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
    k = _band_index(profile, snap_to_grid(profile, separator + gap * PITCH))
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
    flow.space_to(_mm_tw(band - profile.top_margin))
    for text in d.title_lines:
        flow.add(ox.paragraph(ox.run(text), style="FormTitle"))
        band += PITCH
    flow.space_to(_mm_tw(band - profile.top_margin))
    # The red line just under the number line; the table on the next line (layout/meeting.py).
    line = _red_line_in(c, _number_glyph_bottom_mm() + FORM_RULE_GAP, profile.separator_width)
    flow.add(
        ox.paragraph(
            ox.run(str(doc.number)) + ox.run("\t" + d.date_text) + line,
            style="HeadLine",
            jc="left",
            tabs=ox.tab_stops([("right", ox.BLOCK_WIDTH_TWIPS)]),
        )
    )
    k = _band_index(profile, band + PITCH)
    flow.to_band(k)
    return flow.markup(), k


HEADS: dict[str, Callable[[Ctx], tuple[Markup, int]]] = {
    "file": file_head,
    "letter": letter_head,
    "minutes": minutes_head,
    "supervision": supervision_head,
}


# --- the main text -----------------------------------------------------------------


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


def _body(doc: Any, keep_last: bool) -> Markup:
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


def _centered_over(center: int, style: str, text: str, extra: str = "") -> str:
    """A centred paragraph whose centre lies ``center`` twips from the block's left edge.

    A name too wide to centre there without crossing the block's right edge
    is set flush right instead (the PDF would let it run past the edge).
    """
    half = min(center, ox.BLOCK_WIDTH_TWIPS - center)
    if ox.text_twips(text) > 2 * half:
        return ox.paragraph(
            ox.run(text) + extra, style=style, jc="right", left=0, right=0, keep_next=True
        )
    return ox.paragraph(
        ox.run(text) + extra,
        style=style,
        jc="center",
        left=center - half,
        right=ox.BLOCK_WIDTH_TWIPS - center - half,
        keep_next=True,
    )


def _image_size(path: str, height_mm: float) -> tuple[float, float]:
    from PIL import Image

    with Image.open(path) as im:
        w, h = im.size
    return height_mm * w / h, height_mm


def signature(
    c: Ctx,
    issuers: list[str],
    date_text: str,
    mode: str,
    sig: Any,
    blanks: int = 2,
    blank_twips: int = LINE_TWIPS,
) -> Markup:
    """署名 and 成文日期 in the three modes of [7.3.5].

    ``blanks``: empty lines above a sealed signature (two leave the seal its
    room under the text; the 督办单 keeps one, as its PDF does).
    """
    W = ox.BLOCK_WIDTH_TWIPS
    paras: list[str] = []
    if mode == "unsealed":
        name_w = max(ox.text_twips(n) for n in issuers)
        date_w = ox.text_twips(date_text)
        name_x = W - chars_tw(2) - name_w
        date_x = name_x + chars_tw(2)
        if date_x + date_w > W - chars_tw(2):
            date_x = W - chars_tw(2) - date_w
            name_x = date_x - chars_tw(2)
        paras.append(empty_line())
        paras += [
            ox.paragraph(ox.run(n), style="Signature", jc="left", left=name_x) for n in issuers
        ]
        paras.append(ox.paragraph(ox.run(date_text), style="Date", jc="left", left=date_x, right=0))
    elif mode == "stamp":
        right = chars_tw(4)
        paras += [empty_line(), empty_line()]
        if sig is not None and sig.seal_image:
            w_mm, h_mm = _image_size(sig.seal_image, 2 * PITCH)
            rid = c.media.add(sig.seal_image)
            x_mm = ox.twips_to_mm(W - right) - w_mm
            img = ox.anchor_image_behind_text(
                c.ids,
                rid,
                x_mm=x_mm,
                y_mm=(ox.twips_to_mm(LINE_TWIPS) - h_mm) / 2,
                width_mm=w_mm,
                height_mm=h_mm,
                name="签名章",
            )
            title = ox.run(sig.signer_title) if sig.signer_title else ""
            paras.append(
                ox.paragraph(
                    title + img,
                    style="Signature",
                    jc="right",
                    right=right + _mm_tw(w_mm) + chars_tw(2),
                    left=0,
                )
            )
        else:
            runs = ""
            if sig is not None and sig.signer_title:
                runs += ox.run(sig.signer_title + "　　")
            runs += ox.run(getattr(sig, "signer", None) or "", style="SignerName")
            paras.append(ox.paragraph(runs, style="Signature", jc="right", right=right, left=0))
        paras += [empty_line(), ox.paragraph(ox.run(date_text), style="Date", right=right)]
    else:  # sealed
        right = chars_tw(4)
        date_w = ox.text_twips(date_text) - ox.BODY_SPACING_TWIPS
        center = W - right - date_w // 2
        # Kept with the date: Word cannot tighten the lines as the PDF does
        # [7.3.5.5], so the signature at least never stands apart from its date.
        paras += [ox.paragraph("", style="Normal", keep_next=True, line=blank_twips)] * blanks
        for i, name in enumerate(issuers):
            extra = ""
            if i == 0 and sig is not None and sig.seal_image:
                rid = c.media.add(sig.seal_image)
                dia = c.profile.seal_diameter
                extra = ox.anchor_image_behind_text(
                    c.ids,
                    rid,
                    x_mm=ox.twips_to_mm(center) - dia / 2,
                    y_mm=-1.5 * PITCH,
                    width_mm=dia,
                    height_mm=dia,
                )
            paras.append(_centered_over(center, "Signature", name, extra))
        paras.append(ox.paragraph(ox.run(date_text), style="Date", right=right))
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


# --- colophon ---------------------------------------------------------------------


def _wrapped_lines(label: str, text: str, width: int, size: float) -> int:
    """Lines a labelled colophon entry takes (wrapped lines hang after the label)."""
    label_w = ox.text_twips(label, size, 0)
    rest = ox.text_twips(text, size, 0)
    if label_w + rest <= width:
        return 1
    return 1 + math.ceil((label_w + rest - width) / max(1, width - label_w))


def colophon(c: Ctx, fmt: str) -> Markup:
    """版记 [7.4]: a frame whose last line lies on the block's bottom edge, with its rules.

    A frame (w:framePr) at a computed page position rather than a floating
    table: LibreOffice 7.4 ignores w:tblpPr and a frame's w:yAlign, and drops
    paragraph borders inside frames, so the rules are anchored lines.
    """
    d, profile = c.d, c.profile
    size = SIZE_COLOPHON_PT
    one = ox.pt_to_twips(size)
    width = ox.BLOCK_WIDTH_TWIPS - 2 * one
    entries: list[tuple[str, str]] = []
    if d.recipients_in_colophon and d.recipients_text:
        entries.append(("主送：", d.recipients_text.rstrip("：") + "。"))
    if d.distribute_text:
        entries.append(("分送：", d.distribute_text))
    if d.cc_text:
        entries.append(("抄送：", d.cc_text))
    printed = fmt not in ("letter", "supervision")
    if not entries and not printed:
        return Markup("")
    rows = [_wrapped_lines(label, text, width, size) for label, text in entries]
    n_lines = sum(rows) + (1 if printed else 0)
    height = n_lines * LINE_TWIPS
    bottom = profile.top_margin + BLOCK_HEIGHT
    top_mm = bottom - ox.twips_to_mm(height)
    frame = ox.Frame(
        width=ox.BLOCK_WIDTH_TWIPS, v_anchor="page", y=_mm_tw(top_mm), wrap="notBeside"
    )
    # Where render_docx puts a section break when the colophon needs a page of its own.
    paras: list[str] = [COLOPHON_MARK]
    lines = ""
    if printed:
        x0 = profile.left_margin
        printed_top = bottom - ox.twips_to_mm(LINE_TWIPS)
        rules = [(top_mm, COLOPHON_THICK_MM), (bottom, COLOPHON_THICK_MM)]
        if entries:
            rules.insert(1, (printed_top, COLOPHON_THIN_MM))
        lines = "".join(
            ox.anchor_line(
                c.ids, x_mm=x0, y_mm=y, length_mm=BLOCK_WIDTH, width_mm=w, color="000000"
            )
            for y, w in rules
        )
    for i, (label, text) in enumerate(entries):
        label_w = ox.text_twips(label, size, 0)
        paras.append(
            ox.paragraph(
                ox.run(label + text) + (lines if i == 0 else ""),
                style="Colophon",
                frame=frame,
                left=one + label_w,
                hanging=label_w,
                right=one,
            )
        )
    if printed:
        paras.append(
            ox.paragraph(
                ox.run(d.printer) + ox.run("\t" + d.print_date_text) + ("" if entries else lines),
                style="Colophon",
                frame=frame,
                tabs=ox.tab_stops([("right", ox.BLOCK_WIDTH_TWIPS - one)]),
            )
        )
    # The frame anchors to the paragraph after it: a last, minimal one.
    paras.append(ox.paragraph("", style="Spacer", line=20))
    return Markup("".join(paras))


# --- minutes and supervision --------------------------------------------------------


def minutes_items(c: Ctx) -> Markup:
    doc, d = c.doc, c.d
    if not d.item_texts:
        return Markup("")
    paras = [ox.paragraph(ox.run(doc.items_intro), style="Body")]
    # Agreed items are numbered 一、 but are not headings: all 仿宋.
    paras += [ox.paragraph(ox.run(t), style="Body") for t in d.item_texts]
    return Markup("".join(paras))


def attendance(c: Ctx) -> Markup:
    """出席/请假/列席: label in 黑体, wrapped lines aligned after the colon."""
    if not c.d.attendance:
        return Markup("")
    paras = [empty_line()]
    first = chars_tw(2)
    for label, names in c.d.attendance:
        head = f"{label}："
        w = ox.text_twips(head)
        paras.append(
            ox.paragraph(
                ox.run(head, style="Hei") + ox.run(names),
                style="Attendance",
                left=first + w,
                hanging=w,
            )
        )
    return Markup("".join(paras))


def _cell(width: int, content: str, v_center: bool = False) -> str:
    v = '<w:vAlign w:val="center"/>' if v_center else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{v}</w:tcPr>{content}</w:tc>'


def supervision_form(c: Ctx) -> Markup:
    """The ruled form: label column 7 characters, 0.5 pt black rules, one grid line a row line."""
    W = ox.BLOCK_WIDTH_TWIPS
    label_w = chars_tw(FORM_LABEL_CHARS)
    pad = chars_tw(0.5)
    rule = f'w:val="single" w:sz="{FORM_RULE_EIGHTHS}" w:space="0" w:color="000000"'
    borders = "".join(
        f"<w:{s} {rule}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    xml = (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{W}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{label_w}"/><w:gridCol w:w="{W - label_w}"/></w:tblGrid>'
    )
    per_line = (W - label_w - 2 * pad) // CHAR_TWIPS
    for label, paragraphs, min_lines in c.d.form_rows:
        content = "".join(ox.paragraph(ox.run(p), style="FormText") for p in paragraphs)
        if not content:
            content = ox.paragraph("", style="FormText")
        # Exact row heights of whole grid lines: with "at least", LibreOffice
        # adds each row's rule to its height and the form outgrows its page.
        lines = max(
            min_lines, sum(max(1, math.ceil(ox.em_width(p) / per_line)) for p in paragraphs)
        )
        xml += (
            f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{lines * LINE_TWIPS}" w:hRule="exact"/></w:trPr>'
            + _cell(label_w, ox.paragraph(ox.run(label), style="FormLabel"), v_center=True)
            + _cell(W - label_w, content)
            + "</w:tr>"
        )
    xml += "</w:tbl>"
    return Markup(xml)


# --- assembling ----------------------------------------------------------------------


def build_context(
    doc: Any, d: Decisions, profile: Profile, ids: ox.DrawingIds, media: Media
) -> dict[str, Any]:
    """Every placeholder's value; user text is plain str (escaped by Jinja), XML is Markup."""
    fmt = getattr(doc, "format", "file")
    c = Ctx(doc, d, profile, ids, media)
    head, _band = HEADS[fmt](c)
    ctx: dict[str, Any] = {
        "head": head,
        "title": Markup(ox.lines_run(d.title_lines))
        if d.title_lines and fmt != "supervision"
        else "",
        "recipients": d.recipients_text if not d.recipients_in_colophon else "",
        "body": _body(doc, keep_last=fmt in ("file", "letter")),
        "doc_title": getattr(doc, "title", "") or "",
        "doc_author": "、".join(getattr(doc, "issuer", []) or []),
        # Plain values for house templates that want to place things themselves.
        "date": d.date_text,
        "number": str(doc.number) if getattr(doc, "number", None) else "",
        "issuer": "、".join(getattr(doc, "issuer", []) or []),
    }
    if fmt in ("file", "letter"):
        sig = getattr(doc, "signature", None)
        ctx["attachment_note"] = attachment_note(d.attachment_names)
        ctx["signature"] = signature(
            c, d.signature_issuers, d.date_text, sig.mode if sig else "sealed", sig
        )
        ctx["note"] = note(d)
        ctx["attachments"] = attachments(c)
    elif fmt == "minutes":
        ctx["items"] = minutes_items(c)
        ctx["attendance"] = attendance(c)
    elif fmt == "supervision":
        ctx["form"] = supervision_form(c)
        # Word and LibreOffice set the ruled table a fraction of a millimetre
        # lower than the PDF; a shorter empty line keeps a full form on one page.
        ctx["signature"] = signature(
            c, [doc.office], d.date_text, "sealed", None, blanks=1, blank_twips=LINE_TWIPS * 4 // 5
        )
    if fmt != "supervision":
        ctx["colophon"] = colophon(c, fmt)
    return ctx


_PAGE_MARGINS = re.compile(r"<w:pgMar [^>]*/>")


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


_fontset: Any = None


def colophon_on_own_page(
    doc: Any, decisions: Decisions, profile: Profile, plan: Any = None
) -> bool:
    """Whether the PDF gives the colophon a page of its own (an even one when double-sided).

    Word cannot know its own page parity, so the decision is the PDF
    layout's: its plan (``plan``, or laid out here with the same fonts the
    PDF would use) shows the colophon alone on its last page when the text
    ended on an odd page or left no room [7.4]. Without the layout stage
    (fonts missing) the colophon stays under the text.
    """
    global _fontset
    from docgen.layout.plan import TextItem

    if plan is None:
        try:
            from docgen.fonts import resolve_fonts
            from docgen.layout import layout_document

            if _fontset is None:
                _fontset = resolve_fonts()
            plan = layout_document(doc, profile, _fontset, decisions)
        except Exception:  # no fonts or no layout: keep the colophon under the text
            return False
    last = plan.pages[-1]
    return not any(
        isinstance(i, TextItem) and i.size_pt > SIZE_COLOPHON_PT + 0.5 for i in last.items
    )


def _section_break(body: str, kind: str) -> str:
    """End the text's section before the colophon; the colophon's section starts on ``kind``.

    The first section repeats the template's page set-up and footers (the
    body's last w:sectPr); the last gains ``<w:type w:val=kind>`` (evenPage:
    Word adds a blank page when the text ends on an even page, as the PDF
    does).
    """
    start = body.rfind("<w:sectPr")
    end = body.find("</w:sectPr>", start)
    if start < body.find(COLOPHON_MARK) or end < 0:
        return body.replace(COLOPHON_MARK, "")
    end += len("</w:sectPr>")
    sect = body[start:end]
    # w:sectPr is the last child of w:pPr.
    first = ox.paragraph("", style="Spacer", line=20).replace("</w:pPr>", f"{sect}</w:pPr>", 1)
    typed = re.sub(r"(<w:pgSz)", f'<w:type w:val="{kind}"/>\\1', sect, count=1)
    body = body[:start] + typed + body[end:]
    return body.replace(COLOPHON_MARK, first)


def render_docx(
    doc: Any,
    decisions: Decisions,
    profile: Profile,
    template: Path | None = None,
    *,
    plan: Any = None,
) -> bytes:
    """The .docx of ``doc`` as bytes, from ``template`` or the format's official one.

    ``plan``: the PDF layout's plan when the caller has one (saves laying the
    document out again to place the colophon the way the PDF does).
    """
    fmt = getattr(doc, "format", "file")
    path = Path(template) if template else default_template(fmt)
    tpl = load_template(path)
    if template:
        missing = check_template(path, fmt)
        if missing:
            raise InputError(missing)
    ids = ox.DrawingIds()
    media = Media()
    ctx = build_context(doc, decisions, profile, ids, media)
    parts = dict(tpl.parts)
    try:
        body = tpl.body.render(ctx)
        for name, t in tpl.others.items():
            parts[name] = t.render(ctx).encode("utf-8")
    except SecurityError as exc:
        raise _problem(f"模板中有不允许的表达式（模板不能执行代码）：{exc}", path) from exc
    except TemplateError as exc:
        raise _problem(f"模板无法填充：{exc}", path) from exc
    tail = tpl.document_tail
    if COLOPHON_MARK in body:
        if colophon_on_own_page(doc, decisions, profile, plan):
            kind = "evenPage" if profile.double_sided else "nextPage"
            body = _section_break(body, kind)
        else:
            body = body.replace(COLOPHON_MARK, "")
    document = _profile_margins(tpl.document_head + body + tail, profile)
    if profile.latin_font:
        parts["word/styles.xml"] = _latin_styles(parts["word/styles.xml"], profile.latin_font)
    if media.files:
        _add_media(parts, media)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        z.writestr("word/document.xml", document.encode("utf-8"))
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


# --- benchmark -------------------------------------------------------------------------


def benchmark(count: int = 1000, doc: Any = None, profile: Profile | None = None) -> float:
    """Render ``count`` one-page 督办单 (or ``doc``) in this process; return documents a second."""
    from docgen.decisions import decide

    profile = profile or Profile()
    doc = doc or sample_supervision()
    d = decide(doc, profile)
    render_docx(doc, d, profile)  # compile the template outside the timing
    t0 = time.perf_counter()
    for _ in range(count):
        render_docx(doc, decide(doc, profile), profile)
    return count / (time.perf_counter() - t0)


def sample_supervision() -> Any:
    from docgen.models import Supervision

    return Supervision.model_validate(
        {
            "office": "高平市文物保护工作联席会议办公室",
            "number": "高文联办督〔2025〕1号",
            "unit": "市公安局",
            "meeting": "高平市文物保护工作联席会议第一次全体会议",
            "minutes_ref": "第1期",
            "items": [
                {
                    "seq": 3,
                    "matter": "开展文物安全专项整治行动，严厉打击盗掘、盗窃、倒卖文物等违法犯罪活动",
                    "lead": ["市公安局"],
                    "support": ["市文物局", "市文物保护中心"],
                    "deadline": dt.date(2025, 9, 30),
                }
            ],
            "contact": "王晓燕",
            "phone": "0356-5220000",
            "date": dt.date(2025, 7, 15),
        }
    )
