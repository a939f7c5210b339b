"""A workbook or Word file refused before any parser opens it, worded for the page."""

from __future__ import annotations

from pathlib import Path

from docgen.problems import Problem


def zip_refusal(data: bytes | Path, shown: str, field: str = "") -> Problem | None:
    """A .docx/.xlsx that would unpack past the limits (docgen.ziplimit, a Word file's text
    part held tighter), refused before any parser opens it."""
    from docgen.ziplimit import DOCX, XLSX, zip_problem

    limits = DOCX if shown.lower().endswith(".docx") else XLSX
    why = zip_problem(data, limits)
    return Problem(why, field=field, file=shown) if why else None
