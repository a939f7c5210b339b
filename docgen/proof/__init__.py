"""核稿: what a proof-reader marks in the text before layout.

Plain functions for every caller (the CLI, render, batch, the web service):

* :func:`proofread` — document model → list of :class:`Finding`;
* :func:`fix_text` — one string → the mended string and the changes made
  (traditional → simplified, half-width → full-width punctuation, unit
  aliases → canonical names); what cannot be decided is left alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.proof import brackets, dates, doubled, punctuation, traditional
from docgen.proof import units as _units
from docgen.proof.finding import Finding, Fix
from docgen.proof.punctuation import normalise_punctuation
from docgen.proof.spots import Spot, raw_spots, spots
from docgen.proof.units import UnitMatcher
from docgen.units import UnitRegistry

__all__ = [
    "Finding",
    "Fix",
    "Spot",
    "UnitMatcher",
    "fix_text",
    "load_units",
    "normalise_punctuation",
    "proofread",
    "proofread_spots",
    "raw_spots",
    "spots",
]


def proofread(
    doc: Any,
    *,
    file: str = "",
    units: UnitMatcher | None = None,
    allow_chars: str = "",
) -> list[Finding]:
    """Every finding of the text checks on a document model, in reading order."""
    return proofread_spots(spots(doc), file=file, units=units, allow_chars=allow_chars) + (
        dates.order(doc, file)
    )


def proofread_spots(
    texts: list[Spot],
    *,
    file: str = "",
    units: UnitMatcher | None = None,
    allow_chars: str = "",
) -> list[Finding]:
    """The text checks on texts already gathered (a model's, or a raw input's: raw_spots)."""
    per_spot: dict[tuple[str, int | None], list[Finding]] = {}
    for spot in texts:
        found = per_spot.setdefault((spot.field, spot.paragraph), [])
        found += traditional.check(spot, file, allow_chars)
        found += punctuation.check(spot, file)
        found += brackets.check(spot, file)
        found += doubled.check(spot, file)
        found += dates.check(spot, file)
    if units is not None:
        for f in _units.check(texts, file, units):
            per_spot.setdefault((f.field, f.paragraph), []).append(f)
    out: list[Finding] = []
    for found in per_spot.values():
        out += sorted(found, key=lambda f: f.offset or 0)
    return out


def fix_text(
    text: str,
    *,
    units: UnitMatcher | None = None,
    allow_chars: str = "",
    own: frozenset[str] = frozenset(),
) -> tuple[str, list[tuple[str, str]]]:
    """``text`` mended where the checks are sure, and (before, after) for each change."""
    made: list[tuple[str, str]] = []
    text, ch = traditional.fix_traditional(text, allow_chars)
    made += ch
    text, changes = normalise_punctuation(text)
    made += [(c.old, c.new) for c in changes]
    if units is not None:
        text, ch = _units.fix_units(text, units, own)
        made += ch
    return text, made


@lru_cache(maxsize=8)
def _matcher(path: str, mtime: float) -> UnitMatcher:
    return UnitMatcher(UnitRegistry.load(path))


def load_units(input_file: Path, named: Path | None = None) -> UnitMatcher | None:
    """The member-unit list: ``--units FILE``, else member-units.yaml beside the input."""
    from docgen.units import find_registry

    path = Path(named) if named else find_registry(Path(input_file).parent)
    if path is None or not path.is_file():
        if named:
            from docgen.problems import InputError, Problem

            raise InputError([Problem("找不到成员单位名录文件", file=str(named))])
        return None
    return _matcher(str(path), path.stat().st_mtime)
