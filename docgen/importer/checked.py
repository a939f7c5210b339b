"""Drafts accepted where YAML is: ``docgen render/check DRAFT.docx`` import first, then go on as usual.

The gaps a draft leaves (no number, no signer, no issuer) become errors that
name the option that fills them, once each; the paragraphs the importer
could not place and the images it skipped become warnings.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from docgen.problems import InputError, Problem

_OPTION = {"number": "--number", "signers": "--signer", "issuer": "--issuer"}
_MODEL_REQUIRED = ("issuer", "title", "body", "date", "meeting", "issue_no", "compiler", "mark")


def add_fill_arguments(p: argparse.ArgumentParser) -> None:
    """--number, --signer, --issuer (and --kind for drafts) on render and check."""
    g = p.add_argument_group("补全（草稿或输入中缺少时）")
    g.add_argument("--number", help="发文字号，如 高政办函〔2025〕18号")
    g.add_argument("--signer", action="append", help="签发人姓名，可多次使用")
    g.add_argument("--issuer", action="append", help="发文机关全称，可多次使用（联合行文）")
    g.add_argument(
        "--kind", choices=("letter", "request", "minutes"), help="草稿的文种（默认由标题判断）"
    )


def fill_from(args: argparse.Namespace) -> dict[str, Any]:
    fill: dict[str, Any] = {}
    if getattr(args, "number", None):
        fill["number"] = args.number.strip()
    if getattr(args, "signer", None):
        fill["signers"] = [s.strip() for s in args.signer if s.strip()]
    if getattr(args, "issuer", None):
        fill["issuer"] = [s.strip() for s in args.issuer if s.strip()]
    if getattr(args, "kind", None):
        fill["kind"] = args.kind
    return fill


def draft_input(
    path: Path, fill: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """A draft's model mapping and the problems its import leaves, or InputError if unreadable."""
    from docgen.importer import DraftError, import_draft

    fill = dict(fill or {})
    kind = fill.pop("kind", None)
    try:
        result = import_draft(path, kind=kind, fill=fill)
    except DraftError as exc:
        raise InputError([Problem(str(exc).removeprefix(f"{path}："), file=str(path))]) from None
    problems: list[Problem] = []
    for gap in result.report.gaps:
        option = _OPTION.get(gap.field)
        hint = f"，或用 {option} 指定" if option else ""
        problems.append(
            Problem(
                f"缺少{gap.name}：草稿中没有，请在草稿中补上{hint}",
                field=f"{gap.field}（{gap.name}）",
                file=str(path),
            )
        )
    for p in result.report.unplaced:
        problems.append(
            Problem(
                f"{p.where}“{p.text[:20]}”未能识别，已按原位置保留在正文中，请核对",
                file=str(path),
                severity="warning",
            )
        )
    for said in result.report.warnings:  # what reading changed: revisions, control characters
        problems.append(Problem(said, file=str(path), severity="warning"))
    for p in result.report.images:
        problems.append(Problem(f"{p.where}有图片，未导入", file=str(path), severity="warning"))
    return result.data, problems


def without_duplicates(problems: list[Problem], gaps: list[Problem]) -> list[Problem]:
    """The model's own "missing" errors for fields a gap already names are said once, by the gap."""
    named = {g.field.split("（")[0] for g in gaps if g.severity == "error"}
    return [p for p in problems if p.field.split("（")[0].split("[")[0] not in named or p in gaps]


def apply_fill(raw: dict[str, Any], fill: dict[str, Any] | None) -> dict[str, Any]:
    """--number/--signer/--issuer given with a YAML input fill its gaps the same way."""
    for key, value in (fill or {}).items():
        if key != "kind" and value and not raw.get(key):
            raw[key] = value
    return raw


__all__ = ["add_fill_arguments", "apply_fill", "draft_input", "fill_from", "without_duplicates"]
