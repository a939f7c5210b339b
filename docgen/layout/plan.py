"""The page plan: what goes where, in millimetres, knowing nothing of reportlab.

The layout stage produces a :class:`Plan`; the PDF writer only draws it.
Vertical positions are measured from the top of the paper, as a reader (and
a proof-reader's ruler) measures them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from docgen.spec import PAGE_HEIGHT, FontRole

RGB = tuple[int, int, int]
BLACK: RGB = (0, 0, 0)


@dataclass
class TextItem:
    """One line of text at one size; runs may change role (run-in headings)."""

    x: float  # left edge of the first glyph, mm from the paper's left
    baseline: float  # mm from the paper's top
    runs: list[tuple[FontRole, str]]
    size_pt: float
    char_space_pt: float = 0.0  # added after every glyph (PDF Tc)
    color: RGB = BLACK
    # Punctuation set half-width (标点挤压): (i, dx) moves glyph i and every
    # glyph after it by dx pt (negative); i == the glyph count narrows the
    # line's end (a closing mark at the line's end keeps only its inked half).
    kerns: tuple[tuple[int, float], ...] = ()

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.runs)


@dataclass
class RuleItem:
    """A straight line; y is the centre of a horizontal stroke. A vertical
    line (table borders) has x0 == x1 and runs from y to y1."""

    x0: float
    x1: float
    y: float
    width_mm: float
    color: RGB = BLACK
    y1: float | None = None

    @property
    def y_end(self) -> float:
        return self.y if self.y1 is None else self.y1


@dataclass
class ImageItem:
    path: str
    x: float
    top: float
    width: float
    height: float


@dataclass
class BoxItem:
    """A filled, outlined rectangle (a chart's bar segment, a legend key).

    ``grey`` is the fill's level (0 black … 1 white); ``hatch`` draws lines
    across it ("/" diagonal, "x" crossed), so series differ when printed in
    black and white, not by colour alone.
    """

    x: float
    top: float
    width: float
    height: float
    grey: float = 1.0
    hatch: str | None = None
    stroke_mm: float = 0.2


Item = TextItem | RuleItem | ImageItem | BoxItem


def copied(item: Item) -> Item:
    """A copy of a remembered item for one document's plan (layout/memo.py), so that no
    two plans share an item."""
    if isinstance(item, TextItem):
        t = item
        return TextItem(t.x, t.baseline, list(t.runs), t.size_pt, t.char_space_pt, t.color, t.kerns)
    if isinstance(item, RuleItem):
        return RuleItem(item.x0, item.x1, item.y, item.width_mm, item.color, item.y1)
    return replace(item)


# Names of figures in Plan.floats: the 通报's chart, a table by its place.
CHART_FIGURE = "chart"


def table_figure(place: int) -> str:
    return f"table{place}"


@dataclass
class Page:
    items: list[Item] = field(default_factory=list)
    number_label: str | None = None  # "— 3 —", or None when the page carries no number
    # A page set across (a wide table, GB/T 9704 §8): ``turned`` items are
    # measured on the page turned a quarter clockwise to read it, 297 mm wide
    # and 210 mm high, from its top-left corner; see turned_to_upright().
    # ``items`` (the page number) stay measured on the upright page.
    landscape: bool = False
    turned: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        self.items.append(item)


@dataclass
class Plan:
    pages: list[Page]
    title_lines: list[str]
    notes: list[str] = field(default_factory=list)  # what the layout adjusted, for the user
    # The top (mm) of page 1's first line after the head: where the .docx starts its
    # title or text too (a letter's head counts its lines from the bottom up).
    first_line_top: float | None = None
    # A figure that floated to the next page (its name: "chart", "table3" by the table's
    # place) → the text that went above it, so the .docx writes the same order.
    floats: dict[str, str] = field(default_factory=dict)
    # Floated figures whose page holds nothing after them: the text goes on on the next.
    alone: set[str] = field(default_factory=set)


def turned_to_upright(x: float, y: float) -> tuple[float, float]:
    """A point of a turned page, (x, y) mm on the page as read, on the upright sheet.

    The reader turns the sheet a quarter clockwise, so the turned page's top
    edge is the sheet's left edge (the binding edge of an odd page, the outer
    edge of an even one, as §8 asks) and its left edge the sheet's bottom.
    """
    return y, PAGE_HEIGHT - x
