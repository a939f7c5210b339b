"""The last guard before drawing: no text item outside the type block.

Check-time rules (rules.py) refuse the inputs known to overflow (long
signature names, marks that would shrink to nothing); anything else that a
layout could push past the block's edges stops here with a message, rather
than being drawn off the page or cut.
"""

from __future__ import annotations

from docgen.fonts.metrics import Measurer
from docgen.layout.memo import FontMemos
from docgen.layout.plan import Plan, TextItem
from docgen.problems import InputError, Problem, excerpt
from docgen.spec import BLOCK_WIDTH, PT_PER_MM, Profile

TOLERANCE_MM = 0.5  # glyph advances and rounding; a character is 5.6 mm


def _width(item: TextItem, m: Measurer) -> float:
    if len(item.runs) == 1:  # most lines: the sums below of one term
        role, text = item.runs[0]
        glyphs, n = m.width_pt(role, text, item.size_pt), len(text)
    else:
        glyphs = sum(m.width_pt(role, text, item.size_pt) for role, text in item.runs)
        n = sum(len(text) for _, text in item.runs)
    squeezed = sum(dx for _, dx in item.kerns)
    return (glyphs + item.char_space_pt * max(n - 1, 0) + squeezed) / PT_PER_MM


# Widths of the lines already checked, per set of fonts (layout/memo.py): a batch's notices
# draw the same head, labels and signature, only the values differ.
_WIDTHS: FontMemos[float] = FontMemos()


def check_bounds(plan: Plan, profile: Profile, m: Measurer) -> None:
    left = profile.left_margin
    right = left + BLOCK_WIDTH
    widths = _WIDTHS.of(m)
    # Items placed from one composed line (a long table's cells alike) share
    # its runs: a line already checked at the same place passes again.
    checked: dict[int, TextItem] = {}  # id(runs) → the last item checked with them
    for page_no, page in enumerate(plan.pages, 1):
        for item in page.items:
            if not isinstance(item, TextItem):
                continue
            like = checked.get(id(item.runs))
            if (  # the same glyphs at the same place across: the same extent
                like is not None
                and like.x == item.x
                and like.size_pt == item.size_pt
                and like.char_space_pt == item.char_space_pt
                and like.kerns == item.kerns
            ):
                continue
            checked[id(item.runs)] = item  # the item keeps the runs, and so the id, alive
            key = (*item.runs, item.size_pt, item.char_space_pt, item.kerns)
            width = widths.get(key)
            if width is None:
                width = widths.keep(key, _width(item, m))
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
