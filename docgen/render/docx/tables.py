"""Word tables: cells and the 0.5 pt rules every ruled table here uses."""

from __future__ import annotations

RULE_EIGHTHS = 4  # 0.5 pt table rules, in eighths of a point (w:sz)


def cell(width: int, content: str, v_center: bool = False) -> str:
    v = '<w:vAlign w:val="center"/>' if v_center else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{v}</w:tcPr>{content}</w:tc>'
