"""A document prepared once: its model, warnings, decisions and page plan, for every reader.

Checking (what would not fit the type block), the PDF, the .docx (whether the
colophon gets a page of its own) and the preview all read one
:class:`Prepared`, so they cannot disagree and nothing is laid out twice. A
writer is a function of a Prepared: ``render/pdf.py`` draws ``prepared.plan``,
``render/docx`` fills its template from ``prepared.decisions`` and asks the plan
only about the colophon's page; a third writer (OFD) reads ``prepared.plan``
like the PDF does.

The plan is made on first use, then kept: a .docx-only run of documents
without a colophon never needs one (the batch's 督办单), and any reader that
asks gets the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from docgen import images, layout
from docgen.context import RenderContext
from docgen.decide.decisions import Decisions, decide
from docgen.fonts import FontSet
from docgen.layout.plan import Plan as PagePlan
from docgen.problems import InputError, Problem
from docgen.spec import Profile


@dataclass
class Prepared:
    """One document ready for its writers. Build it with :func:`prepare`."""

    model: Any
    warnings: list[Problem]
    decisions: Decisions
    profile: Profile  # the context's, as this document prints (a 催办单 may print black)
    fonts: FontSet
    file: str = ""  # names the input in layout problems

    @cached_property
    def plan(self) -> PagePlan:
        """The pages, laid out on first use; InputError (located to ``file``) if the text
        would leave the type block (layout/bounds.py)."""
        try:
            return layout.layout_document(self.model, self.profile, self.fonts, self.decisions)
        except InputError as exc:
            raise InputError([p.located(self.file) for p in exc.problems]) from None

    def fit_problems(self) -> list[Problem]:
        """What the layout would push outside the type block, as problems (empty if it fits)."""
        try:
            _ = self.plan  # laid out here once; the writers read the same plan
        except InputError as exc:
            return exc.problems
        return []

    @property
    def pages(self) -> int:
        return len(self.plan.pages)


def prepare(
    doc: Any,
    context: RenderContext,
    warnings: list[Problem] | None = None,
    *,
    base_dir: Path | None = None,
    file: str = "",
) -> Prepared:
    """The model's decisions made once, with the profile and fonts of ``context``.

    ``base_dir``: where the input's relative paths (the seal image) are found.
    The page plan follows on first use (:attr:`Prepared.plan`).
    """
    doc = _with_seal_resolved(doc, base_dir)
    profile = printing_profile(doc, context.profile)
    decisions = decide(doc, profile, fonts=context.fonts)
    return Prepared(doc, list(warnings or []), decisions, profile, context.fonts, file)


def printing_profile(doc: Any, profile: Profile) -> Profile:
    """The profile as this document prints: a kind may print some of its documents in its
    own colours (a 催办单 below the red-head grade has a black head). Per document, so one
    batch can mix them."""
    # Asked of the class (a kind's method): a model without it would answer through
    # pydantic's lookup of a missing attribute, an exception each notice.
    if getattr(type(doc), "house_profile", None) is None:
        return profile
    return doc.house_profile(profile)


def fallback_notes(fonts: FontSet) -> list[str]:
    """Characters drawn from a fallback font, or from none, since the last report reset
    (the PDF writer draws through :meth:`FontSet.runs`, which records them)."""
    notes = []
    for role, used in sorted(fonts.fallbacks_used.items(), key=lambda kv: kv[0].value):
        if used:
            primary = fonts.primary(role).family
            notes.append(f"{primary} 缺少 {''.join(sorted(used))}，已改用后备字体显示")
    if fonts.missing:
        notes.append(f"所有字体都缺少 {''.join(sorted(fonts.missing))}：请安装或指定含这些字的字体")
    return notes


def _with_seal_resolved(doc: Any, base_dir: Path | None) -> Any:
    """The model naming its seal image by its full path (the input names it relative to
    its own folder); one that is not a sane PNG/JPEG stops here too, for callers that
    render a model without load_checked. The validated model is not changed: a copy
    with the path is built when it differs."""
    path = images.seal_path(doc, base_dir)
    if path is None:
        return doc
    found = images.check_image(path)
    if found:
        raise InputError([found])
    resolved = str(path.resolve())
    if resolved == doc.signature.seal_image:
        return doc
    signature = doc.signature.model_copy(update={"seal_image": resolved})
    return doc.model_copy(update={"signature": signature})
