"""Rows: one grid line's worth of content, positioned horizontally, not yet vertically.

Composition turns paragraphs into rows; pagination then gives each row a
band (a grid line) and only then are baselines known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.layout.metrics import Measurer
from docgen.layout.plan import ImageItem, RuleItem, TextItem
from docgen.spec import LINE_PITCH, MM_PER_PT


@dataclass
class Row:
    texts: list[TextItem] = field(default_factory=list)  # baselines set at placement
    rules: list[RuleItem] = field(default_factory=list)  # y relative to the band's top
    images: list[ImageItem] = field(default_factory=list)  # top relative to the band's top
    blank: bool = False
    body: bool = False  # body text: may be carried over to keep a signature company

    def place(
        self, band_top: float, measurer: Measurer, pitch: float = LINE_PITCH
    ) -> list[TextItem | RuleItem | ImageItem]:
        """Fix this row's items on the band whose top edge is ``band_top`` (mm)."""
        placed: list[TextItem | RuleItem | ImageItem] = []
        for t in self.texts:
            role = t.runs[0][0]
            size = t.size_pt * MM_PER_PT
            # The em box sits centred in the band, like Word's exact line spacing.
            box_top = band_top + (pitch - size) / 2
            placed.append(
                TextItem(
                    x=t.x,
                    baseline=box_top + measurer.box_to_baseline(role, t.size_pt),
                    runs=t.runs,
                    size_pt=t.size_pt,
                    char_space_pt=t.char_space_pt,
                    color=t.color,
                )
            )
        for r in self.rules:
            y1 = None if r.y1 is None else band_top + r.y1
            placed.append(RuleItem(r.x0, r.x1, band_top + r.y, r.width_mm, r.color, y1))
        for im in self.images:
            placed.append(ImageItem(im.path, im.x, band_top + im.top, im.width, im.height))
        return placed


def blank() -> Row:
    return Row(blank=True)
