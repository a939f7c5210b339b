"""Input file → checked model → PDF and .docx bytes: the stages in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import images
from docgen.collector import collector_paused
from docgen.decide.decisions import decide
from docgen.fonts import FontSet
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


def load_checked(
    path: str | Path, fill: dict[str, Any] | None = None, fonts: FontSet | None = None
) -> tuple[Any, list[Problem]]:
    """The model of an input file (YAML, JSON or a draft) and its warnings; raises InputError
    with all errors. ``fill``: --number/--signer/--issuer for what the input lacks.

    ``fonts``: the fonts render will use, to refuse characters none of them
    has (default: the fonts ``docgen render`` would pick without options).
    """
    from docgen import loader
    from docgen.importer import is_draft
    from docgen.importer.checked import apply_fill

    path = Path(path)
    if is_draft(path):
        return _load_draft(path, fill, fonts)
    return check_data(apply_fill(loader.read_data(path), fill), path, fonts)


def check_data(
    raw: dict[str, Any], source: str | Path, fonts: FontSet | None = None
) -> tuple[Any, list[Problem]]:
    """The model of an input mapping and its warnings; raises InputError with all errors.

    ``source`` names the input in messages, and its folder is where an
    items_file or member-units.yaml is looked for. The web workbench calls
    this with the JSON a page sends, so a page and `docgen check` agree.
    """
    from docgen import items, loader, rules

    path = Path(source)
    settings = items.pop_settings(raw, str(path))  # 纪要: the batch's supervision: block
    doc = loader.build(raw, str(path))
    problems = rules.check(doc, raw, str(path))
    problems += images.check_seal(doc, path.parent, str(path))
    problems += items.attach_items(doc, path, settings)  # 纪要: items_file, beside the YAML
    if not errors(problems):
        problems += glyph_problems(doc, fonts, str(path))
    if not errors(problems):
        problems += fit_problems(doc, fonts, str(path))
    if errors(problems):
        raise InputError(problems)
    return doc, problems


def _load_draft(
    path: Path, fill: dict[str, Any] | None, fonts: FontSet | None = None
) -> tuple[Any, list[Problem]]:
    """A .docx/.txt/.md draft: imported first, then checked like a YAML input."""
    from docgen import loader, rules
    from docgen.importer.checked import draft_input, without_duplicates

    raw, gaps = draft_input(path, fill)
    try:
        doc = loader.build(dict(raw), str(path))
    except InputError as exc:
        raise InputError(gaps + without_duplicates(exc.problems, gaps)) from None
    problems = gaps + without_duplicates(rules.check(doc, raw, str(path)), gaps)
    if not errors(problems):
        problems += glyph_problems(doc, fonts, str(path))
    if not errors(problems):
        problems += fit_problems(doc, fonts, str(path))
    if errors(problems):
        raise InputError(problems)
    return doc, problems


def fit_problems(doc: Any, fonts: FontSet | None = None, file: str = "") -> list[Problem]:
    """Anything the layout would push outside the type block (layout/bounds.py), found at
    check time: a .docx-only render never lays the document out, and check should say it."""
    fonts = fonts or _default_fonts()
    if fonts is None:
        return []
    from docgen.layout import layout_document
    from docgen.spec import Profile

    profile = Profile()
    try:
        layout_document(doc, profile, fonts, decide(doc, profile, fonts=fonts))
    except InputError as exc:
        return [p.located(file) for p in exc.problems]
    except Exception:  # noqa: BLE001 - render lays it out again and reports in its own way
        return []
    finally:
        fonts.reset_report()
    return []


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
    from docgen.text import chars

    fonts = fonts or _default_fonts()
    if fonts is None:
        return []
    dump = doc.model_dump()
    texts = list(chars.strings(dump))
    missing = chars.undrawable(fonts, (t for _, t in texts))
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
                "印出来会是空白；请删除或改用文字说明，或用 --font 指定含这些字符的字体",
                field=loader.field_label(loc, type(doc)),
                file=file,
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
    """Render one model to the asked formats, sharing the decisions between them.

    ``remake``: how another process can make the same model (its class and
    input data). Given, a large document's .docx is written by a worker process
    while the PDF is made here (render/docx/worker.py); the files are the same.
    """
    _resolve_paths(doc, base_dir)
    # A kind may print some of its documents in its own colours: a 催办单 below the
    # red-head grade has a black head. Per document, so one batch can mix them.
    adjust = getattr(doc, "house_profile", None)
    if adjust is not None:
        profile = adjust(profile)
    worker = _docx_worker(doc, formats, profile, template, remake)
    # A long table's layout plan and files are millions of objects without cycles:
    # the collector would rescan them as they grow (collector.py).
    try:
        with collector_paused():
            return _render(doc, formats, profile, fonts, template, worker)
    finally:
        if worker is not None:
            worker.stop()


def _docx_worker(
    doc: Any,
    formats: tuple[str, ...],
    profile: Profile,
    template: Path | None,
    remake: Remake | None,
) -> DocxWorker | None:
    """A worker for the .docx, started before the decisions so it is ready for them."""
    if remake is None or not {"pdf", "docx"} <= set(formats):
        return None
    from docgen.render.docx.worker import DocxWorker, worth_it

    return DocxWorker.start(remake, profile, template) if worth_it(doc) else None


def _render(
    doc: Any,
    formats: tuple[str, ...],
    profile: Profile,
    fonts: FontSet,
    template: Path | None,
    worker: DocxWorker | None,
) -> Rendered:
    decisions = decide(doc, profile, fonts=fonts)
    if worker is not None:
        signature = getattr(doc, "signature", None)
        worker.send_decisions(decisions, doc, getattr(signature, "seal_image", None))
    out = Rendered(files={})
    plan = None
    if "pdf" in formats:
        from docgen.layout import layout_document
        from docgen.render.pdf import render_pdf

        fonts.reset_report()
        plan = layout_document(doc, profile, fonts, decisions)
        if worker is not None:
            worker.send_last_page(plan)
        out.files["pdf"] = render_pdf(
            plan, fonts, title=doc.title, author="、".join(getattr(doc, "issuer", []))
        )
        out.pages = len(plan.pages)
        out.notes += plan.notes
        out.notes += _fallback_notes(fonts)
    if "docx" in formats:
        made = worker.result() if worker is not None else None
        if made is None:  # no worker, or it failed: written here, the same file
            from docgen.render.docx import render_docx

            made = render_docx(doc, decisions, profile, template=template, plan=plan)
        out.files["docx"] = made
    return out


def _resolve_paths(doc: Any, base_dir: Path | None) -> None:
    """Seal images are named relative to the input file; one that is not a sane PNG/JPEG
    stops here too, for callers that render a model without load_checked."""
    path = images.seal_path(doc, base_dir)
    if path is None:
        return
    found = images.check_image(path)
    if found:
        raise InputError([found])
    doc.signature.seal_image = str(path.resolve())


def _fallback_notes(fonts: FontSet) -> list[str]:
    notes = []
    for role, used in sorted(fonts.fallbacks_used.items(), key=lambda kv: kv[0].value):
        if used:
            primary = fonts.primary(role).family
            notes.append(f"{primary} 缺少 {''.join(sorted(used))}，已改用后备字体显示")
    if fonts.missing:
        notes.append(
            f"所有字体都缺少 {''.join(sorted(fonts.missing))}：请安装含这些字的字体（--font）"
        )
    return notes
