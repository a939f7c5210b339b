"""A bar chart in the flow of a document, on the 22-line grid.

Built of rows, one grid band each, like the 督办单's form: its labels sit
on the grid's baselines, so the page keeps its 22 lines. The bars are
vector boxes (grey levels and hatching, readable in black and white), one
bar per band, the labels in 4号 beside them.
"""

from __future__ import annotations

from docgen.layout.compose import Composer
from docgen.layout.paginate import FlowItem, Keep
from docgen.layout.plan import CHART_FIGURE, BoxItem
from docgen.layout.rows import Row, blank
from docgen.models.circular import CHART_FILLS, ChartSpec
from docgen.spec import BASELINE_IN_LINE, LINE_PITCH, MM_PER_PT, FontRole

FS, HEI = FontRole.FANGSONG, FontRole.HEITI
LABEL_SIZE_PT = 14.0  # 4号
MIN_LABEL_PT = 9.0  # a very long unit name shrinks to fit its column, never below 小五
BAR_MM = 5.0


def _fit_size(c: Composer, text: str, width: float) -> float:
    size = LABEL_SIZE_PT
    while size > MIN_LABEL_PT and c.text_width([(FS, text)], size) > width:
        size -= 0.5
    return size


def chart_flow(c: Composer, chart: ChartSpec) -> list[FlowItem]:
    """Title, legend, then one band per category: label, stacked bar, total."""
    size = LABEL_SIZE_PT
    size_mm = size * MM_PER_PT
    # The bar is centred on the label's glyphs, not on the band: text sits low in a grid line.
    glyph_mid = BASELINE_IN_LINE * LINE_PITCH - 0.38 * size_mm
    bar_top = glyph_mid - BAR_MM / 2
    rows: list[Row] = [Row(texts=[c.aligned([(HEI, chart.title)], center=(c.left + c.right) / 2)])]
    legend = Row()
    x = c.left
    for k, name in enumerate(chart.series):
        grey, hatch = CHART_FILLS[k]
        legend.boxes.append(BoxItem(x, bar_top, 8.0, BAR_MM, grey, hatch))
        label = c.aligned([(FS, name)], x=x + 10.0, size_pt=size)
        legend.texts.append(label)
        x = label.x + c.text_width([(FS, name)], size) + 8.0
    rows.append(legend)
    totals = [sum(v) for v in chart.values]
    longest = max((c.text_width([(FS, cat)], size) for cat in chart.categories), default=0.0)
    label_w = min(longest, 0.38 * (c.right - c.left))
    count_w = c.text_width([(FS, f"{max(totals, default=0)}{chart.unit}")], size) + 2.0
    bar_x0 = c.left + label_w + 3.0
    bar_w = c.right - count_w - bar_x0
    per = bar_w / max(max(totals, default=1), 1)
    for cat, values, total in zip(chart.categories, chart.values, totals):
        row = Row()
        fit = _fit_size(c, cat, label_w)
        row.texts.append(c.aligned([(FS, cat)], right=bar_x0 - 3.0, size_pt=fit))
        x = bar_x0
        for k, v in enumerate(values):
            if v:
                grey, hatch = CHART_FILLS[k]
                row.boxes.append(BoxItem(x, bar_top, v * per, BAR_MM, grey, hatch))
                x += v * per
        row.texts.append(c.aligned([(FS, f"{total}{chart.unit}")], x=x + 1.5, size_pt=size))
        rows.append(row)
    # Never carried over to keep a signature company: that takes text (paginate.keep).
    for row in rows:
        row.fixed = True
    # A chart that fits on a page stays on one page; a longer one runs on like text.
    if chart.fits_a_page:
        return [blank(), Keep(rows, with_previous=0, squeeze=False, figure=CHART_FIGURE)]
    return [blank(), *rows]
