"""The last guard before drawing: no text item outside the type block.

Check-time rules (rules.py) refuse the inputs known to overflow (long
signature names, marks that would shrink to nothing); anything else that a
layout could push past the block's edges stops here with a message, rather
than being drawn off the page or cut.
"""

from __future__ import annotations

from docgen.layout.metrics import Measurer
from docgen.layout.plan import Plan, TextItem
from docgen.problems import InputError, Problem, excerpt
from docgen.spec import BLOCK_WIDTH, PT_PER_MM, Profile

TOLERANCE_MM = 0.5  # glyph advances and rounding; a character is 5.6 mm


def item_extent(item: TextItem, m: Measurer) -> tuple[float, float]:
    """Left and right edges (mm) of a text item as drawn, character spacing included."""
    return item.x, item.x + _width(item, m)


def _width(item: TextItem, m: Measurer) -> float:
    glyphs = sum(m.width_pt(role, text, item.size_pt) for role, text in item.runs)
    n = sum(len(text) for _, text in item.runs)
    return (glyphs + item.char_space_pt * max(n - 1, 0)) / PT_PER_MM


def check_bounds(plan: Plan, profile: Profile, m: Measurer) -> None:
    left = profile.left_margin
    right = left + BLOCK_WIDTH
    # Items placed from one composed line (a long table's cells alike) share
    # its runs, so each such line is measured once.
    widths: dict[int, tuple[TextItem, float]] = {}  # id(runs) → an item with them, its width
    for page_no, page in enumerate(plan.pages, 1):
        for item in page.items:
            if not isinstance(item, TextItem):
                continue
            seen = widths.get(id(item.runs))
            if seen is not None and _same_line(seen[0], item):
                width = seen[1]
            else:
                width = _width(item, m)
                widths[id(item.runs)] = (item, width)  # the item keeps the runs, and the id, alive
            x0, x1 = item.x, item.x + width
            over = max(left - x0, x1 - right)
            if over > TOLERANCE_MM:
                text = "".join(t for _, t in item.runs)
                raise InputError(
                    [
                        Problem(
                            f"第{page_no}页“{excerpt(text, 20)}”排不进版心（超出 {over:.0f} 毫米），"
                            "会印到页边或页面外；请缩短这一项（署名机关、签发人职务、发文机关标志等"
                            "可用规范化简称）"
                        )
                    ]
                )


def _same_line(a: TextItem, b: TextItem) -> bool:
    return a.runs is b.runs and a.size_pt == b.size_pt and a.char_space_pt == b.char_space_pt
