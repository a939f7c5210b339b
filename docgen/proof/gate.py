"""核稿 before layout: print what a proof-reader would mark; stop the render only when asked."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docgen.problems import InputError, Problem
from docgen.proof import load_units, proofread
from docgen.proof.finding import Finding


def print_findings(
    doc: Any,
    src: Path,
    *,
    units_file: Path | None = None,
    allow_chars: str = "",
    strict: bool = False,
) -> list[Finding]:
    """Print the findings before rendering; raise InputError to stop when they must stop it."""
    found = find(doc, src, units_file=units_file, allow_chars=allow_chars)
    return show(found, src, strict=strict)


def find(
    doc: Any, src: Path, *, units_file: Path | None = None, allow_chars: str = ""
) -> list[Finding]:
    """print_findings' findings, not printed (a batch has them made by a worker process)."""
    units = load_units(src, units_file)
    return proofread(doc, file=str(src), units=units, allow_chars=allow_chars)


def show(findings: list[Finding], src: Path, *, strict: bool = False) -> list[Finding]:
    """Print findings; raise InputError when they must stop the render (``strict``)."""
    for f in findings:
        print(f, file=sys.stderr)
    stop = stops(findings, src, strict=strict)
    if stop:
        raise InputError(stop)
    return findings


def stops(findings: list[Finding], src: Path, *, strict: bool = False) -> list[Problem]:
    """The problem that stops the render when ``strict`` and anything was found (else none)."""
    if not (strict and findings):
        return []
    return [
        Problem(
            f"核稿发现 {len(findings)} 个问题；要求核稿无问题时不排版",
            file=str(src),
            remedy="strict",
        )
    ]


def find_said(
    doc: Any, src: Path, *, units_file: Path | None, allow_chars: str, strict: bool
) -> tuple[list[str], list[Problem]]:
    """print_findings' lines and what stops the render, as text and problems: what a batch's
    worker process hands back, so the main process need not load the checks to print them."""
    findings = find(doc, src, units_file=units_file, allow_chars=allow_chars)
    return [str(f) for f in findings], stops(findings, src, strict=strict)
