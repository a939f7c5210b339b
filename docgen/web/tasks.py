"""What the worker processes (workers.py) may run: plain data in, plain data out.

Each function here reads an upload or lays out a document, the work that may
take much memory or time on hostile input; the server calls them through
``WorkerPool.run(name, ...)``. The render context (profile and fonts) is
loaded once per worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.problems import InputError, Problem
from docgen.web.zipcheck import zip_refusal

_context: tuple[Any, Any] | None = None


def _render_context() -> tuple[Any, Any]:
    """The profile and fonts `docgen render` uses without options (once per worker)."""
    global _context
    if _context is None:
        from docgen.context import resolve_context

        ctx = resolve_context()
        _context = (ctx.profile, ctx.fonts)
    return _context


# --- 拟文 ---------------------------------------------------------------------------------


def _checked(prepared: dict[str, Any], data_dir: str, proofread: bool) -> dict[str, Any]:
    from dataclasses import replace

    from docgen.pipeline import check_data
    from docgen.web.service import SOURCE_NAME, finding_json

    profile, fonts = _render_context()
    source = Path(data_dir) / SOURCE_NAME

    def local(problems: list[Problem]) -> list[Problem]:
        """Messages name no server path: the stand-in input file is dropped."""
        return [replace(p, file="") if p.file == str(source) else p for p in problems]

    try:
        doc, problems = check_data(prepared, source, fonts)
    except InputError as exc:
        return {"doc": None, "problems": local(exc.problems), "findings": []}
    findings: list[dict[str, Any]] = []
    if proofread:
        from docgen.proof import load_units
        from docgen.proof import proofread as read

        units = load_units(source)  # member-units.yaml in the data folder, if any
        found = read(doc, units=units, allow_chars=profile.allow_chars)
        findings = [finding_json(f) for f in found]
    return {"doc": doc, "problems": local(problems), "findings": findings}


def check(prepared: dict[str, Any], data_dir: str, proofread: bool) -> dict[str, Any]:
    """Problems (errors, warnings) and, for a valid model, the 核稿 findings as JSON."""
    checked = _checked(prepared, data_dir, proofread)
    return {
        "valid": checked["doc"] is not None,
        "problems": checked["problems"],
        "findings": checked["findings"],
    }


COLOPHON_ALONE = "版记单独成页"  # the note's first words; the page shows the note as it is


def _colophon_alone(pdf: bytes) -> bool:
    """True when the PDF's last page holds the 版记 (抄送 / 印发) and nothing before it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        if len(doc) < 2:
            return False
        page = doc[len(doc) - 1]
        text = page.get_textpage().get_text_range()
    finally:
        doc.close()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not re.fullmatch(r"[—\-\s\d]+", ln)]  # the page number
    first = lines[0].replace(" ", "") if lines else ""
    return first.startswith("抄送") or "印发" in first


def render(
    prepared: dict[str, Any], fmt: str, data_dir: str, double_sided: bool | None = None
) -> Any:
    """The document as ``fmt`` (a pipeline.Rendered); InputError with the check's problems.

    ``double_sided``: the clerk's choice on the page (None: the profile's); a note says
    why a last page holds only the 版记, when it does."""
    from dataclasses import replace

    from docgen.context import RenderContext
    from docgen.pipeline import prepare_data, render_prepared
    from docgen.web.service import SOURCE_NAME, RenderFailed

    profile, fonts = _render_context()
    if double_sided is not None and double_sided != profile.double_sided:
        profile = profile.model_copy(update={"double_sided": double_sided})
    source = Path(data_dir) / SOURCE_NAME

    def local(problems: list[Problem]) -> list[Problem]:
        """Messages name no server path: the stand-in input file is dropped."""
        return [replace(p, file="") if p.file == str(source) else p for p in problems]

    # Checked and laid out once (one Prepared), then written from it; as `docgen
    # render`, 核稿 findings never stop it.
    try:
        document = prepare_data(prepared, source, RenderContext(profile, fonts))  # laid out here
        result = render_prepared(document, (fmt,))
    except InputError as exc:
        raise InputError(local(exc.problems)) from None
    except MemoryError:
        raise
    except Exception as exc:  # the server goes on; the page says what happened
        raise RenderFailed(
            f"排版时出错（{type(exc).__name__}：{str(exc)[:200]}）；输入已通过检查，"
            "请保存草稿并把此消息告诉管理员"
        ) from None
    result.warnings = local(document.warnings)
    if fmt == "pdf" and _colophon_alone(result.files["pdf"]):
        why = (
            "双面印刷时版记须印在最后一张纸的背面（偶数页）"
            if profile.double_sided
            else "正文末页放不下版记"
        )
        hint = "；如单面印刷，请在“印刷”中选“单面”" if profile.double_sided else ""
        result.notes.append(f"{COLOPHON_ALONE}：第 {result.pages} 页只有版记，因为{why}{hint}")
    return result


def fix(prepared: dict[str, Any], data_dir: str) -> dict[str, Any]:
    """全部改正: the model mended where the 核稿 checks are sure, as `docgen check --fix` does;
    returns the model and each change (field, before, after)."""
    import copy

    from docgen.proof import fix_text, load_units, raw_spots
    from docgen.proof.fix import _fix_mapping, _model
    from docgen.proof.units import issuer_names
    from docgen.web.service import SOURCE_NAME

    profile, _fonts = _render_context()
    data = copy.deepcopy(prepared)
    units = load_units(Path(data_dir) / SOURCE_NAME)
    own = issuer_names(raw_spots(data))  # the 发文机关 is written in full by rule

    def mend(text: str) -> tuple[str, list[tuple[str, str]]]:
        return fix_text(text, units=units, allow_chars=profile.allow_chars, own=own)

    changes = [
        {"field": f, "before": a, "after": b}
        for f, a, b in _fix_mapping(data, _model(data), "", mend)
    ]
    return {"model": data, "changes": changes}


def page_png(pdf: bytes, page: int) -> bytes:
    from docgen.render.raster import page_png as draw

    return draw(pdf, page)


def import_draft(data: bytes, name: str, kind: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    from docgen.importer import DraftError, draft_to_model

    if name.lower().endswith(".docx"):
        refusal = zip_refusal(data, name)
        if refusal is not None:
            raise DraftError(f"{name}：{refusal.message}")
    return draft_to_model(data, name=name, kind=kind)


# --- 纪要与督办, 督办台账 -------------------------------------------------------------------


def batch_create(config: Any, *args: Any) -> Any:
    """An upload stored under the server's names and checked (a batches.CheckReport)."""
    from docgen.web.batches import Batches

    return Batches(config).create_here(*args)


def batch_check(config: Any, upload: str) -> Any:
    """The check `docgen batch` runs before it issues anything (a batches.CheckReport)."""
    from docgen.web.batches import Batches

    return Batches(config).check_here(upload)


def batch_replace_table(config: Any, upload: str, grid: list[list[Any]]) -> Any:
    from docgen.web.batches import Batches

    return Batches(config).replace_table(upload, grid)


def feedback(paths: list[str], shown: dict[str, str], registry: str) -> list[dict[str, Any]]:
    """Returned notices and feedback tables recorded in the ledger (supervision.api)."""
    from docgen.supervision import api

    refused: list[dict[str, Any]] = []
    readable: list[str | Path] = []
    for path in map(Path, paths):
        if path.suffix.lower() in (".docx", ".xlsx"):
            refusal = zip_refusal(path, shown.get(str(path), path.name))
            if refusal is not None:
                refused.append(
                    {"file": str(path), "problems": [refusal.message], "recorded": 0, "closed": []}
                )
                continue
        readable.append(path)
    results = api.record_feedback(readable, Path(registry)) if readable else []
    return [*refused, *results]


def remind(kwargs: dict[str, Any]) -> dict[str, Any]:
    from docgen.supervision import api

    return api.remind(**kwargs)


def report(kwargs: dict[str, Any]) -> dict[str, Any]:
    from docgen.supervision import api

    return api.report(**kwargs)


TASKS: dict[str, Callable[..., Any]] = {
    "check": check,
    "render": render,
    "page_png": page_png,
    "fix": fix,
    "import_draft": import_draft,
    "batch_create": batch_create,
    "batch_check": batch_check,
    "batch_replace_table": batch_replace_table,
    "feedback": feedback,
    "remind": remind,
    "report": report,
}
