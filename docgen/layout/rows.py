"""Rows: one grid line's worth of content, positioned horizontally, not yet vertically.

Composition turns paragraphs into rows; pagination then gives each row a
band (a grid line) and only then are baselines known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.fonts.metrics import Measurer
from docgen.layout.plan import BoxItem, ImageItem, RuleItem, TextItem
from docgen.spec import BASELINE_IN_LINE, LINE_PITCH


@dataclass
class Row:
    # Baselines are set at placement; a text's own ``baseline`` is an offset
    # from the band's (table cells centre their glyphs in their lines).
    texts: list[TextItem] = field(default_factory=list)
    rules: list[RuleItem] = field(default_factory=list)  # y relative to the band's top
    # A table's column borders on this band, each from the band's top to its
    # bottom (y 0, y1 LINE_PITCH). Shared by the lines of a table, never
    # changed: placing joins a run of bands with the same borders at once.
    band: tuple[RuleItem, ...] = ()
    images: list[ImageItem] = field(default_factory=list)  # top relative to the band's top
    boxes: list[BoxItem] = field(default_factory=list)  # top relative to the band's top
    blank: bool = False
    body: bool = False  # body text: may be carried over to keep a signature company
    fixed: bool = False  # a table's line: never carried over with the signature
    keep_next: bool = False  # a heading's line: never the last line of a page
    # A paragraph's last line of under four characters, after lines of its own:
    # never alone at the top of a page (a widow), the line before goes with it.
    short_tail: bool = False

    def place(
        self, band_top: float, measurer: Measurer | None = None, pitch: float = LINE_PITCH
    ) -> list[TextItem | RuleItem | ImageItem | BoxItem]:
        """Fix this row's items on the band whose top edge is ``band_top`` (mm)."""
        return [
            *self.placed_texts(band_top, pitch),
            *self.placed_rules(band_top, pitch),
            *self.placed_figures(band_top),
        ]

    def placed_texts(self, band_top: float, pitch: float = LINE_PITCH) -> list[TextItem]:
        baseline = band_top + BASELINE_IN_LINE * pitch
        return [
            TextItem(
                t.x, baseline + t.baseline, t.runs, t.size_pt, t.char_space_pt, t.color, t.kerns
            )
            for t in self.texts
        ]

    def placed_rules(self, band_top: float, pitch: float = LINE_PITCH) -> list[RuleItem]:
        # Rules are drawn for the grid's pitch; a page whose lines were
        # tightened moves them with its lines.
        scale = pitch / LINE_PITCH
        placed: list[RuleItem] = []
        for r in (*self.band, *self.rules):
            y1 = None if r.y1 is None else band_top + r.y1 * scale
            placed.append(RuleItem(r.x0, r.x1, band_top + r.y * scale, r.width_mm, r.color, y1))
        return placed

    def placed_figures(self, band_top: float) -> list[ImageItem | BoxItem]:
        placed: list[ImageItem | BoxItem] = []
        for im in self.images:
            placed.append(ImageItem(im.path, im.x, band_top + im.top, im.width, im.height))
        for b in self.boxes:
            placed.append(
                BoxItem(b.x, band_top + b.top, b.width, b.height, b.grey, b.hatch, b.stroke_mm)
            )
        return placed


def blank() -> Row:
    return Row(blank=True)
