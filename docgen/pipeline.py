"""Input file → checked model → prepared document → PDF and .docx bytes: the stages in order.

``load_prepared`` reads, checks and prepares an input (docgen/prepare.py: its
decisions and page plan, made once); ``render_prepared`` gives each asked
writer the one Prepared. ``load_checked``/``check_data`` (model and warnings)
and ``render_document`` (a model to files) wrap them for callers with a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.collector import collector_paused
from docgen.context import RenderContext
from docgen.fonts import FontSet
from docgen.prepare import Prepared, fallback_notes, prepare, printing_profile
from docgen.problems import InputError, Problem, errors
from docgen.spec import Profile

# The input side (loader, rules, items, the importer) is imported where it is used:
# rendering a model that is already built (supervise report) needs none of it.

if TYPE_CHECKING:
    from docgen.render.docx.worker import DocxWorker, Remake


@dataclass
class Rendered:
    files: dict[str, bytes]  # format → bytes
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # layout adjustments, font fallbacks
    pages: int = 0


# --- reading and checking ------------------------------------------------------------


def load_prepared(
    path: str | Path, context: RenderContext, fill: dict[str, Any] | None = None
) -> Prepared:
    """An input file (YAML, JSON or a draft) checked and prepared with ``context``; raises
    InputError with every problem, the layout's (text past the type block) included.
    ``fill``: --number/--signer/--issuer for what the input lacks."""
    path = Path(path)
    doc, problems = _checked_model(path, fill, context.fonts)
    return _prepared(doc, problems, context, path)


def load_checked(
    path: str | Path, fill: dict[str, Any] | None = None, fonts: FontSet | None = None
) -> tuple[Any, list[Problem]]:
    """The model of an input file (YAML, JSON or a draft) and its warnings; raises InputError
    with all errors. ``fill``: --number/--signer/--issuer for what the input lacks.

    ``fonts``: the fonts render will use, to refuse characters none of them
    has (default: the fonts ``docgen render`` would pick without options); the
    layout is checked with the default profile.
    """
    path = Path(path)
    doc, problems = _checked_model(path, fill, fonts)
    return _checked_fit(doc, problems, fonts, path)


def check_data(
    raw: dict[str, Any], source: str | Path, fonts: FontSet | None = None
) -> tuple[Any, list[Problem]]:
    """The model of an input mapping and its warnings; raises InputError with all errors.

    ``source`` names the input in messages, and its folder is where an
    items_file or member-units.yaml is looked for. The web workbench calls
    this with the JSON a page sends, so a page and `docgen check` agree.
    """
    path = Path(source)
    doc, problems = _model_of_data(raw, path, fonts)
    return _checked_fit(doc, problems, fonts, path)


def prepare_data(raw: dict[str, Any], source: str | Path, context: RenderContext) -> Prepared:
    """check_data and prepare in one: an input mapping checked and prepared with
    ``context``, laid out once (the web preview checks and renders from it); raises
    InputError with every problem, the layout's included."""
    path = Path(source)
    doc, problems = _model_of_data(raw, path, context.fonts)
    return _prepared(doc, problems, context, path)


def _checked_model(
    path: Path, fill: dict[str, Any] | None, fonts: FontSet | None
) -> tuple[Any, list[Problem]]:
    from docgen import loader
    from docgen.importer import is_draft
    from docgen.importer.checked import apply_fill

    if is_draft(path):
        return _draft_model(path, fill, fonts)
    return _model_of_data(apply_fill(loader.read_data(path), fill), path, fonts)


def _model_of_data(
    raw: dict[str, Any], path: Path, fonts: FontSet | None
) -> tuple[Any, list[Problem]]:
    """The model and its problems short of layout; raises InputError on any error."""
    from docgen import images, items, loader, rules

    settings = items.pop_settings(raw, str(path))  # 纪要: the batch's supervision: block
    doc, noted = loader.build_noted(raw, str(path))
    problems = noted + rules.check(doc, str(path))
    problems += images.check_seal(doc, path.parent, str(path))
    doc, found = items.attach_items(doc, path, settings)  # 纪要: items_file, beside the YAML
    problems += found
    if not errors(problems):
        problems += glyph_problems(doc, fonts, str(path))
    if errors(problems):
        raise InputError(problems)
    return doc, problems


def _draft_model(
    path: Path, fill: dict[str, Any] | None, fonts: FontSet | None = None
) -> tuple[Any, list[Problem]]:
    """A .docx/.txt/.md draft: imported first, then checked like a YAML input."""
    from docgen import loader, rules
    from docgen.importer.checked import draft_input, without_duplicates

    raw, gaps = draft_input(path, fill)
    try:
        doc, noted = loader.build_noted(dict(raw), str(path))
    except InputError as exc:
        raise InputError(gaps + without_duplicates(exc.problems, gaps)) from None
    problems = gaps + without_duplicates(noted + rules.check(doc, str(path)), gaps)
    if not errors(problems):
        problems += glyph_problems(doc, fonts, str(path))
    if errors(problems):
        raise InputError(problems)
    return doc, problems


def _prepared(doc: Any, problems: list[Problem], context: RenderContext, path: Path) -> Prepared:
    """Prepared with its plan made: the layout's problems join the input's."""
    prepared = prepare(doc, context, problems, base_dir=path.parent, file=str(path))
    fit = prepared.fit_problems()
    if fit:
        raise InputError(problems + fit)
    return prepared


def _checked_fit(
    doc: Any, problems: list[Problem], fonts: FontSet | None, path: Path
) -> tuple[Any, list[Problem]]:
    """The layout's problems with the default profile, for callers that only check."""
    fonts = fonts or _default_fonts()
    if fonts is None:  # no fonts, no layout: rendering will say so in its own way
        return doc, problems
    return _prepared(doc, problems, RenderContext(Profile(), fonts), path).model, problems


def fit_problems(doc: Any, context: RenderContext, file: str = "") -> list[Problem]:
    """Anything the layout would push outside the type block (layout/bounds.py)."""
    return prepare(doc, context, file=file).fit_problems()


@lru_cache(maxsize=1)
def _default_fonts() -> FontSet | None:
    from docgen.fonts import FontError, resolve_fonts

    try:
        return resolve_fonts()
    except FontError:
        return None


MAX_GLYPH_PROBLEMS = 10


def glyph_problems(doc: Any, fonts: FontSet | None = None, file: str = "") -> list[Problem]:
    """Characters no font in use can draw (emoji, scripts without a font): refused, never blank."""
    from docgen import loader
    from docgen.fonts.coverage import undrawable
    from docgen.text import chars

    fonts = fonts or _default_fonts()
    if fonts is None:
        return []
    dump = doc.model_dump()
    texts = list(chars.strings(dump))
    missing = undrawable(fonts, (t for _, t in texts))
    if not missing:
        return []
    out: list[Problem] = []
    for loc, text in texts:
        found = "".join(dict.fromkeys(c for c in text if c in missing))
        if not found:
            continue
        shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in found[:3])
        more = f" 等 {len(found)} 个" if len(found) > 3 else ""
        out.append(
            Problem(
                f"含有所用字体都没有的字符 {shown}{more}（如表情符号或少见文字），"
                "印出来会是空白；请删除或改用文字说明，或指定含这些字符的字体",
                field=loader.field_label(loc, type(doc)),
                file=file,
                remedy="font",
            )
        )
        if len(out) >= MAX_GLYPH_PROBLEMS:
            break
    return out


def render_document(
    doc: Any,
    formats: tuple[str, ...],
    profile: Profile,
    fonts: FontSet,
    template: Path | None = None,
    base_dir: Path | None = None,
    *,
    remake: Remake | None = None,
) -> Rendered:
    """Prepare one model and render it to the asked formats (render_prepared).

    ``remake``: how another process can make the same model (its class and
    input data). Given, a large document's .docx is written by a worker process
    while the PDF is made here (render/docx/worker.py); the files are the same.
    """
    # Started before the decisions (a long table's take a while) so it is ready for them.
    worker = _docx_worker(doc, formats, printing_profile(doc, profile), template, remake)
    try:
        prepared = prepare(doc, RenderContext(profile, fonts), base_dir=base_dir)
        return render_prepared(prepared, formats, template, worker)
    finally:
        if worker is not None:
            worker.stop()


# Writers beside the PDF's and the .docx's: format → "module:function", the function
# taking the Prepared (its plan: pages of placed lines, rules and images, in mm, as
# render/pdf.py draws them) and returning the file's bytes. Imported when asked for.
# The OFD writer (docgen/render/ofd/) joins with one line, e.g.
#     "ofd": "docgen.render.ofd:write_ofd",
WRITERS: dict[str, str] = {}


def render_prepared(
    prepared: Prepared,
    formats: tuple[str, ...],
    template: Path | None = None,
    worker: DocxWorker | None = None,
) -> Rendered:
    """Each asked writer reads the one Prepared: the PDF its plan, the .docx its decisions
    (and the plan for the colophon's page). Another writer (OFD) joins here, reading
    ``prepared.plan`` as the PDF does."""
    # A long table's layout plan and files are millions of objects without cycles:
    # the collector would rescan them as they grow (collector.py).
    with collector_paused():
        return _render(prepared, formats, template, worker)


def _docx_worker(
    doc: Any,
    formats: tuple[str, ...],
    profile: Profile,
    template: Path | None,
    remake: Remake | None,
) -> DocxWorker | None:
    """A worker for the .docx when it is worth one: a large document in both formats."""
    if remake is None or not {"pdf", "docx"} <= set(formats):
        return None
    from docgen.render.docx.worker import DocxWorker, worth_it

    return DocxWorker.start(remake, profile, template) if worth_it(doc) else None


def _form(doc: Any) -> bool:
    return doc.kind in ("supervision", "reminder")


def _render(
    prepared: Prepared,
    formats: tuple[str, ...],
    template: Path | None,
    worker: DocxWorker | None,
) -> Rendered:
    doc, decisions, fonts = prepared.model, prepared.decisions, prepared.fonts
    if "docx" in formats:
        from docgen.decide.decisions import with_glyphs

        with_glyphs(doc, decisions, fonts)
    if worker is not None:
        signature = getattr(doc, "signature", None)
        worker.send_decisions(decisions, getattr(signature, "seal_image", None))
    out = Rendered(files={}, warnings=list(prepared.warnings))
    if "pdf" in formats or "ofd" in formats:
        plan = prepared.plan
        if worker is not None:
            worker.send_last_page(plan)
        fonts.reset_report()  # the fallbacks this document's drawing needs, reported below
        if "pdf" in formats:
            from docgen.render.pdf import render_pdf

            out.files["pdf"] = render_pdf(
                plan, fonts, title=doc.title, author="、".join(getattr(doc, "issuer", []))
            )
        if "ofd" in formats:  # the same plan as the PDF: same pages, lines and positions
            from docgen.render.ofd import info_of, render_ofd

            out.files["ofd"] = render_ofd(plan, fonts, info_of(doc))
        out.pages = len(plan.pages)
        out.notes += plan.notes
        out.notes += fallback_notes(fonts)
    if "docx" in formats:
        made = worker.result() if worker is not None else None
        if made is not None and "pdf" in formats and prepared.plan.floats:
            # The worker wrote the text in its own order; the PDF floated a figure
            # (layout/paginate.py), and the .docx follows the PDF's order: written here.
            made = None
        if made is None:  # no worker, or it failed: written here, the same file
            from docgen.render.docx import colophon_on_own_page, render_docx

            made = render_docx(
                doc,
                decisions,
                prepared.profile,
                template=template,
                colophon_alone=lambda: colophon_on_own_page(prepared.plan),
                # The PDF's pages (laid out already when the PDF was made, else now): the
                # .docx breaks its pages where the PDF's begin. A form's (the batch's
                # 督办单) is skipped for a .docx alone: one page, nothing to follow.
                plan=prepared.plan if "pdf" in formats or not _form(doc) else None,
            )
        out.files["docx"] = made
        from docgen.render.docx import gb2312_note, model_texts

        said = gb2312_note(model_texts(doc), prepared.profile)
        if said:
            out.notes.append(said)
    for fmt in formats:
        if fmt in WRITERS:
            module, _, name = WRITERS[fmt].partition(":")
            write = getattr(import_module(module), name)
            out.files[fmt] = write(prepared)
    return out
