"""Input file → checked model → PDF and .docx bytes: the stages in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import items, loader, rules
from docgen.decisions import decide
from docgen.fonts import FontSet
from docgen.importer import is_draft
from docgen.importer.checked import apply_fill, draft_input, without_duplicates
from docgen.problems import InputError, Problem, errors
from docgen.spec import Profile


@dataclass
class Rendered:
    files: dict[str, bytes]  # format → bytes
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # layout adjustments, font fallbacks
    pages: int = 0


def load_checked(path: str | Path, fill: dict[str, Any] | None = None) -> tuple[Any, list[Problem]]:
    """The model of an input file (YAML, JSON or a draft) and its warnings; raises InputError
    with all errors. ``fill``: --number/--signer/--issuer for what the input lacks."""
    path = Path(path)
    if is_draft(path):
        return _load_draft(path, fill)
    raw = apply_fill(loader.read_data(path), fill)
    settings = items.pop_settings(raw, str(path))  # 纪要: the batch's supervision: block
    doc = loader.build(raw, str(path))
    problems = rules.check(doc, raw, str(path))
    problems += items.attach_items(doc, path, settings)  # 纪要: items_file, beside the YAML
    if errors(problems):
        raise InputError(problems)
    return doc, problems


def _load_draft(path: Path, fill: dict[str, Any] | None) -> tuple[Any, list[Problem]]:
    """A .docx/.txt/.md draft: imported first, then checked like a YAML input."""
    raw, gaps = draft_input(path, fill)
    try:
        doc = loader.build(dict(raw), str(path))
    except InputError as exc:
        raise InputError(gaps + without_duplicates(exc.problems, gaps)) from None
    problems = gaps + without_duplicates(rules.check(doc, raw, str(path)), gaps)
    if errors(problems):
        raise InputError(problems)
    return doc, problems


def render_document(
    doc: Any,
    formats: tuple[str, ...],
    profile: Profile,
    fonts: FontSet,
    template: Path | None = None,
    base_dir: Path | None = None,
) -> Rendered:
    """Render one model to the asked formats, sharing the decisions between them."""
    _resolve_paths(doc, base_dir)
    decisions = decide(doc, profile, fonts=fonts)
    out = Rendered(files={})
    plan = None
    if "pdf" in formats:
        from docgen.layout import layout_document
        from docgen.render.pdf import render_pdf

        fonts.reset_report()
        plan = layout_document(doc, profile, fonts, decisions)
        out.files["pdf"] = render_pdf(
            plan, fonts, title=doc.title, author="、".join(getattr(doc, "issuer", []))
        )
        out.pages = len(plan.pages)
        out.notes += plan.notes
        out.notes += _fallback_notes(fonts)
    if "docx" in formats:
        from docgen.render.docx import render_docx

        out.files["docx"] = render_docx(doc, decisions, profile, template=template, plan=plan)
    return out


def _resolve_paths(doc: Any, base_dir: Path | None) -> None:
    """Seal images are named relative to the input file."""
    sig = getattr(doc, "signature", None)
    if base_dir and sig is not None and sig.seal_image and not Path(sig.seal_image).is_absolute():
        sig.seal_image = str((base_dir / sig.seal_image).resolve())
    if sig is not None and sig.seal_image and not Path(sig.seal_image).exists():
        raise InputError(
            [
                Problem(
                    f"印章图片“{sig.seal_image}”不存在",
                    field="signature.seal_image（署名方式.印章图片）",
                )
            ]
        )


def _fallback_notes(fonts: FontSet) -> list[str]:
    notes = []
    for role, chars in sorted(fonts.fallbacks_used.items(), key=lambda kv: kv[0].value):
        if chars:
            primary = fonts.primary(role).family
            notes.append(f"{primary} 缺少 {''.join(sorted(chars))}，已改用后备字体显示")
    if fonts.missing:
        notes.append(
            f"所有字体都缺少 {''.join(sorted(fonts.missing))}：请安装含这些字的字体（--font）"
        )
    return notes
