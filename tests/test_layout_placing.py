"""Placing rows on a page: joining a table's borders run by run gives exactly the items
that joining them segment by segment gives (the layout before runs), so the PDF is the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import loader
from docgen.decide.decisions import decide
from docgen.fonts import resolve_fonts
from docgen.layout import layout_document, placing
from docgen.layout.placing import merge_rules, place_page
from docgen.layout.plan import Item, RuleItem, TextItem
from docgen.layout.rows import Row
from docgen.spec import LINE_PITCH, FontRole, Profile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
W = 0.18  # a table rule's width, mm


def _segment_by_segment(items: list[Item]) -> list[Item]:
    """merge_rules as it was before runs: one sort, one pass over every segment."""
    rules = [i for i in items if isinstance(i, RuleItem)]
    if len(rules) < 2:
        return items
    merged: list[RuleItem] = []
    key = lambda r: (r.x0 != r.x1, r.x0, r.x1, r.y, r.y_end)  # noqa: E731
    for r in sorted(rules, key=key):
        last = merged[-1] if merged else None
        same_line = last is not None and (last.width_mm, last.color) == (r.width_mm, r.color)
        if same_line and r.x0 == r.x1 == last.x0 == last.x1 and abs(last.y_end - r.y) < 1e-6:
            last.y1 = r.y_end
        elif same_line and (last.x0, last.x1, last.y, last.y_end) == (r.x0, r.x1, r.y, r.y_end):
            continue
        else:
            merged.append(RuleItem(r.x0, r.x1, r.y, r.width_mm, r.color, r.y1))
    return [i for i in items if not isinstance(i, RuleItem)] + merged


def _reference(items: list[Item], rows: list[Row], tops: list[float], pitch: float) -> list[Item]:
    placed = list(items)
    for row, top in zip(rows, tops):
        placed += row.place(top, pitch=pitch)
    return _segment_by_segment(placed)


def _band(*xs: float) -> tuple[RuleItem, ...]:
    return tuple(RuleItem(x, x, 0.0, W, y1=LINE_PITCH) for x in xs)


def _table_rows(n: int, band: tuple[RuleItem, ...]) -> list[Row]:
    """Lines of a table: text, the borders, a rule under every third line."""
    rows = []
    for k in range(n):
        row = Row(texts=[TextItem(30.0, 0.5, [(FontRole.FANGSONG, f"第{k}行")], 14.0)], band=band)
        if k % 3 == 2:
            row.rules.append(RuleItem(28.0, 184.0, LINE_PITCH, W))
        rows.append(row)
    return rows


def _tops(n: int, pitch: float = LINE_PITCH, gap_after: int | None = None) -> list[float]:
    tops = [37.0 + k * pitch for k in range(n)]
    if gap_after is not None:  # a band skipped: the borders stop and start again
        tops = tops[: gap_after + 1] + [t + pitch for t in tops[gap_after + 1 :]]
    return tops


CASES = {
    "one run": ([], _table_rows(20, _band(28.0, 60.0, 184.0)), _tops(20), LINE_PITCH),
    "tightened pitch": (
        [],
        _table_rows(22, _band(28.0, 60.0, 184.0)),
        _tops(22, LINE_PITCH - 0.1),
        LINE_PITCH - 0.1,
    ),
    "a gap": ([], _table_rows(12, _band(28.0, 100.0, 184.0)), _tops(12, gap_after=5), LINE_PITCH),
    "two patterns": (
        [],
        _table_rows(6, _band(28.0, 60.0, 184.0)) + _table_rows(6, _band(28.0, 184.0)),
        _tops(12),
        LINE_PITCH,
    ),
    "a column of no width": (
        [],
        _table_rows(8, _band(28.0, 60.0, 60.0, 184.0)),
        _tops(8),
        LINE_PITCH,
    ),
    # A head's vertical rule on the run's line, starting inside the run: segment by segment
    # the run's bands would come on both sides of it.
    "another rule inside a run": (
        [RuleItem(60.0, 60.0, 37.0 + 3 * LINE_PITCH, W, y1=37.0 + 4.5 * LINE_PITCH)],
        _table_rows(10, _band(28.0, 60.0, 184.0)),
        _tops(10),
        LINE_PITCH,
    ),
    "another rule of the run's first band": (
        [RuleItem(60.0, 60.0, 37.0, W, y1=37.0 + LINE_PITCH)],
        _table_rows(10, _band(28.0, 60.0, 184.0)),
        _tops(10),
        LINE_PITCH,
    ),
    "one rule": (
        [],
        [Row(texts=[TextItem(30.0, 0.5, [(FontRole.FANGSONG, "文")], 16.0)])],
        [37.0],
        LINE_PITCH,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_runs_joined_as_segments_would_be(name: str) -> None:
    head, rows, tops, pitch = CASES[name]
    got = place_page(list(head), rows, tops, pitch)
    assert got == _reference(list(head), rows, tops, pitch)


def test_runs_are_joined_at_once_where_nothing_comes_between() -> None:
    head, rows, tops, pitch = CASES["one run"]
    placed = placing._place_joining_runs(head, rows, tops, pitch)
    assert placed is not None
    verticals = [i for i in placed if isinstance(i, RuleItem) and i.x0 == i.x1]
    assert [(v.x0, v.y, v.y1) for v in verticals] == [
        (x, 37.0, tops[-1] + LINE_PITCH) for x in (28.0, 60.0, 184.0)
    ]
    head, rows, tops, pitch = CASES["another rule inside a run"]
    assert placing._place_joining_runs(head, rows, tops, pitch) is None


def test_merge_rules_is_the_segment_by_segment_join() -> None:
    _, rows, tops, pitch = CASES["two patterns"]
    items: list[Item] = []
    for row, top in zip(rows, tops):
        items += row.place(top, pitch=pitch)
    assert merge_rules(list(items)) == _segment_by_segment(list(items))


@pytest.mark.parametrize(
    "sample", ["request-gaoping-wenbao-funds.yaml", "request-gaoping-wenbao-25.yaml"]
)
def test_document_laid_out_alike_either_way(sample: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables across pages, merged cells, a turned page: the same plan with runs as without."""
    path = SAMPLES / sample
    doc = loader.build(loader.read_data(path), str(path))
    profile = Profile()
    fonts = resolve_fonts(use_system=False)
    plan = layout_document(doc, profile, fonts, decide(doc, profile, fonts=fonts))
    assert any(isinstance(i, RuleItem) for p in plan.pages for i in p.items + p.turned)
    monkeypatch.setattr(placing, "_place_joining_runs", lambda *a: None)
    monkeypatch.setattr(placing, "merge_rules", _segment_by_segment)
    reference = layout_document(doc, profile, fonts, decide(doc, profile, fonts=fonts))
    assert plan == reference
