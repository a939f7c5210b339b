"""Rows onto a page's bands: every item fixed, a table's border segments joined into lines.

A table draws its borders band by band, since a page may cut it at any
line; on paper each border is one line per page. :func:`merge_rules` joins
segments one at a time, the reference. A table of 10,000 rows has some
400,000 segments, so :func:`place_page` joins a run of bands that carry
the same borders (``Row.band``) at once and gives the same items: where
another rule on one of the run's lines could come between its segments,
the page is placed segment by segment instead.
"""

from __future__ import annotations

from operator import itemgetter

from docgen.layout.memo import Memo
from docgen.layout.plan import Item, RuleItem
from docgen.layout.rows import Row
from docgen.spec import LINE_PITCH

_JOIN_MM = 1e-6  # segments closer than this are one line

# A rule as placed: y, y_end, width, colour, x0, x1, y1, and for a run of
# joined bands the top of its last band (else None).
_Segment = tuple[
    float, float, float, tuple[int, int, int], float, float, float | None, float | None
]
_BY_Y = itemgetter(0, 1)


def place_page(items: list[Item], rows: list[Row], tops: list[float], pitch: float) -> list[Item]:
    """``items`` (a head already on the page) and ``rows`` placed on the bands at ``tops``.

    The same list as placing each row (Row.place) and then merge_rules().
    """
    fast = _place_joining_runs(items, rows, tops, pitch)
    if fast is not None:
        return fast
    placed = list(items)
    for row, top in zip(rows, tops):
        placed += row.place(top, pitch=pitch)
    return merge_rules(placed)


def merge_rules(items: list[Item]) -> list[Item]:
    """Join a table's border segments, drawn band by band, into whole lines; drop repeats.

    Rules go after the other items, sorted by (horizontal, x0, x1, y, y_end);
    a page with fewer than two rules is left as it is.
    """
    rules = [i for i in items if isinstance(i, RuleItem)]
    if len(rules) < 2:
        return items
    segments: list[_Segment] = [
        (r.y, r.y_end, r.width_mm, r.color, r.x0, r.x1, r.y1, None) for r in rules
    ]
    joined = _join(segments)
    assert joined is not None  # without runs there is nothing to refuse
    return [i for i in items if not isinstance(i, RuleItem)] + joined


def _place_joining_runs(
    items: list[Item], rows: list[Row], tops: list[float], pitch: float
) -> list[Item] | None:
    """place_page() with each run of bands' borders joined at once; None where that may differ."""
    scale = pitch / LINE_PITCH
    band_height = LINE_PITCH * scale  # a band's rule ends at top + y1 * scale, as Row.place has it
    out: list[Item] = [i for i in items if not isinstance(i, RuleItem)]
    segments: list[_Segment] = [
        (r.y, r.y_end, r.width_mm, r.color, r.x0, r.x1, r.y1, None)
        for r in items
        if isinstance(r, RuleItem)
    ]
    n_rules = len(segments)  # as merge_rules() would count them
    simple: dict[int, bool] = {}  # id(band) → may be joined as a run
    run: tuple[RuleItem, ...] = ()
    run_first = run_last = 0.0

    def close_run() -> None:
        end = run_last + band_height
        for r in run:
            segments.append((run_first, end, r.width_mm, r.color, r.x0, r.x1, end, run_last))

    for row, top in zip(rows, tops):
        if row.texts:
            out += row.placed_texts(top, pitch)
        band = row.band
        if band:
            n_rules += len(band)
            if band is run and abs(run_last + band_height - top) < _JOIN_MM:
                run_last = top  # the next band of the run
            else:
                close_run()
                run = ()
                ok = simple.get(id(band))
                if ok is None:
                    ok = simple[id(band)] = _joinable(band)
                if ok:
                    run, run_first, run_last = band, top, top
                else:
                    segments += _placed_segments(band, top, scale)
        elif run:
            close_run()
            run = ()
        if row.rules:
            n_rules += len(row.rules)
            segments += _placed_segments(row.rules, top, scale)
        if row.images or row.boxes:
            out += row.placed_figures(top)
    close_run()
    if n_rules < 2:
        return None  # merge_rules leaves such a page's items in their order
    joined = _joined(segments)
    if joined is None:
        return None
    out += joined
    return out


# A page's few rules joined, by their segments: every 督办单 of a batch has the same head
# and borders, its rows' heights vary in a few ways. Bounded; a long table's pages, with
# more segments, are joined each time. () where _join refused (the caller then places
# the page segment by segment, which gives the same items in any case).
_Rule = tuple[float, float, float, float, tuple[int, int, int], float | None]  # RuleItem's fields
_JOINED: Memo[tuple[_Rule, ...]] = Memo(kept=1024)
_JOINED_SEGMENTS = 64


def _joined(segments: list[_Segment]) -> list[RuleItem] | None:
    """_join(segments), remembered for a page of few rules; fresh items each time."""
    if len(segments) > _JOINED_SEGMENTS:
        return _join(segments)
    key = tuple(segments)
    made = _JOINED.get(key)  # one look (another thread may clear the memo)
    if made is None:
        joined = _join(segments) or []
        made = _JOINED.keep(
            key, tuple((r.x0, r.x1, r.y, r.width_mm, r.color, r.y1) for r in joined)
        )
    if not made:
        return None
    return [RuleItem(x0, x1, y, w, color, y1) for x0, x1, y, w, color, y1 in made]


def _joinable(band: tuple[RuleItem, ...]) -> bool:
    """Borders whose segments on consecutive bands touch: vertical, the band's full height."""
    return all(r.x0 == r.x1 and r.y == 0.0 and r.y1 == LINE_PITCH for r in band)


def _placed_segments(
    rules: tuple[RuleItem, ...] | list[RuleItem], top: float, scale: float
) -> list[_Segment]:
    """Rules of the band at ``top`` as segments, placed as Row.place places them."""
    out: list[_Segment] = []
    for r in rules:
        y = top + r.y * scale
        y1 = None if r.y1 is None else top + r.y1 * scale
        out.append((y, y if y1 is None else y1, r.width_mm, r.color, r.x0, r.x1, y1, None))
    return out


def _join(segments: list[_Segment]) -> list[RuleItem] | None:
    """merge_rules' join, line by line; None if a run shares its place with another segment.

    A rule joins the one before it on the same line (x0, x1) when they touch
    (vertical) or repeat it. Runs are already joined: that is the same only
    if nothing else on their line starts from the run's first band to its
    last, so that band by band nothing would have come between.
    """
    lines: dict[tuple[float, float], list[_Segment]] = {}
    for s in segments:
        lines.setdefault((s[4], s[5]), []).append(s)
    out: list[RuleItem] = []
    for x0, x1 in sorted(lines, key=lambda k: (k[0] != k[1], k[0], k[1])):
        line = sorted(lines[x0, x1], key=_BY_Y)
        for i, (y, _, _, _, _, _, _, run_last) in enumerate(line):
            if run_last is None:
                continue
            before = line[i - 1][0] == y if i else False
            after = i + 1 < len(line) and line[i + 1][0] <= run_last
            if before or after:
                return None
        last: RuleItem | None = None
        for y, y_end, width, color, sx0, sx1, y1, _ in line:
            if last is not None and (last.width_mm, last.color) == (width, color):
                if sx0 == sx1 and abs(last.y_end - y) < _JOIN_MM:
                    last.y1 = y_end  # a vertical border continued in the next band
                    continue
                if (last.y, last.y_end) == (y, y_end):
                    continue  # one row's bottom border is the next row's top
            last = RuleItem(sx0, sx1, y, width, color, y1)
            out.append(last)
    return out
