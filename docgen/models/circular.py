"""通报 with a table and a chart: the 督办情况通报 (file format, red head, number, title, body).

The table of every item is an ordinary table (models.tables) in the
attachment (附件：督办事项办理情况一览表), one row a notice; the chart (items
per unit by status) stands in the body text (after a given paragraph), as
plain data here that the layout and the .docx writer draw.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from docgen.models.parts import ClosingPart, ColophonPart, HeadPart, MainPart, Part
from docgen.spec import LINES_PER_PAGE


class ChartSpec(Part):
    """A horizontal stacked bar chart: one bar per category, one segment per series.

    Printed in black and white: the series differ by fill (grey levels and
    hatching, from ``CHART_FILLS``), never by colour alone, and a legend names them.
    """

    title: str = Field(..., alias="标题")
    series: list[str] = Field(..., alias="系列", min_length=1, max_length=4)
    categories: list[str] = Field(..., alias="类别")
    values: list[list[int]] = Field(..., alias="数值", description="one list per category")
    unit: str = Field("项", alias="单位")
    # Where the chart stands: after this many body paragraphs (None: after the whole
    # body). A chart before the closing paragraphs leaves text to go with the signature.
    after: int | None = Field(
        None, alias="位置", ge=0, description="正文第几段之后（默认正文之后）"
    )

    @property
    def fits_a_page(self) -> bool:
        """Title, legend and a line a category within a page, less two lines: kept on one
        page, in the PDF (layout/chart.py) and the .docx (render/docx/chart.py) alike."""
        return len(self.categories) + 2 <= LINES_PER_PAGE - 2


class Circular(HeadPart, MainPart, ClosingPart, ColophonPart):
    """通报：表彰先进、批评错误、传达重要精神和告知重要情况；文件格式。"""

    kind: Literal["circular"] = Field("circular", alias="类型")
    chart: ChartSpec | None = Field(None, alias="图表", description="正文中的条形图")

    @property
    def format(self) -> str:
        return "file"

    @model_validator(mode="after")
    def _chart_in_the_body(self) -> Circular:
        if self.chart is not None and (self.chart.after or 0) > len(self.body):
            raise ValueError(
                f"图表位置为正文第{self.chart.after}段之后，但正文只有{len(self.body)}段"
            )
        return self


# Fills of a chart's series, readable in black and white: (grey level 0 black..1 white, hatch).
CHART_FILLS: tuple[tuple[float, str | None], ...] = (
    (0.35, None),  # solid dark grey
    (1.0, "/"),  # white with diagonal hatching
    (0.0, None),  # solid black
    (0.8, "x"),  # light grey, cross-hatched
)
