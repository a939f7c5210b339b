"""The page plan: what goes where, in millimetres, knowing nothing of reportlab.

The layout stage produces a :class:`Plan`; the PDF writer only draws it.
Vertical positions are measured from the top of the paper, as a reader (and
a proof-reader's ruler) measures them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.spec import FontRole

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
class Page:
    items: list[TextItem | RuleItem | ImageItem] = field(default_factory=list)
    number_label: str | None = None  # "— 3 —", or None when the page carries no number

    def add(self, item: TextItem | RuleItem | ImageItem) -> None:
        self.items.append(item)


@dataclass
class Plan:
    pages: list[Page]
    title_lines: list[str]
    notes: list[str] = field(default_factory=list)  # what the layout adjusted, for the user
