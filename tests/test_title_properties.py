"""Titles over many generated 函, measured on the PDF (issue 18, GB/T 9704 7.3.1).

A title is built of pieces a reader takes whole: the issuer's name, a member
unit, a date, a sum with its unit, a 《》 title, a term of the trade. On the
page, every break of a long title falls between pieces (or between the
words of a free phrase), never inside one, and the lines form a trapezoid or
a diamond: never equal lengths (a rectangle).
"""

from __future__ import annotations

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pdf_edges import letter

from docgen.fonts import resolve_fonts
from docgen.loader import build
from docgen.pipeline import render_document
from docgen.spec import Profile

ISSUERS = ("高平市人民政府办公室", "高平市文物保护中心", "高平市文物保护工作联席会议办公室")
UNITS = ("市公安局", "市住房和城乡建设局", "市发展和改革委员会", "市文物局", "市自然资源局")
TERMS = (
    "文物保护单位", "不可移动文物", "安全检查", "专项资金", "宣传月", "实施方案",
    "联席会议", "议定事项", "落实情况", "建设控制地带", "保护范围", "专项整治",
)  # fmt: skip
DATES = ("2025年11月", "2025年度", "2025年7月18日", "第三季度", "1200万元", "第十三届")
BOOKS = ("《高平市文物保护工作联席会议制度》", "《山西省文物保护条例》")
VERBS = ("开展", "商请", "印发", "报送", "申请", "做好", "加强", "转发", "同意")
ENDS = ("的函", "的请示", "的通知", "的报告")


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


_whole = st.one_of(
    st.sampled_from(UNITS), st.sampled_from(TERMS), st.sampled_from(DATES), st.sampled_from(BOOKS)
)
titles = st.builds(
    lambda issuer, lead, verb, pieces, end: (
        issuer,
        [p for p in ([issuer] if lead else []) + ["关于", verb, *pieces, end]],
    ),
    st.sampled_from(ISSUERS),
    st.booleans(),
    st.sampled_from(VERBS),
    st.lists(_whole, min_size=1, max_size=4, unique=True),
    st.sampled_from(ENDS),
)


def _title_lines(pdf: bytes) -> list[tuple[str, float]]:
    """The title's lines (22 pt) on page 1: text and width in points."""
    out = []
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    rows: dict[int, list] = {}
    for b in page.get_text("rawdict")["blocks"]:
        for ln in b.get("lines", []):
            for sp in ln["spans"]:
                if 21.5 <= sp["size"] <= 22.5:
                    for c in sp["chars"]:
                        rows.setdefault(round(c["origin"][1]), []).append(c)
    for y in sorted(rows):
        cs = sorted(rows[y], key=lambda c: c["origin"][0])
        out.append(("".join(c["c"] for c in cs), cs[-1]["bbox"][2] - cs[0]["bbox"][0]))
    return out


@settings(max_examples=60, deadline=None, derandomize=True)
@given(titles)
def test_title_breaks_keep_words_whole(fonts, made: tuple[str, list[str]]) -> None:
    issuer, pieces = made
    title = "".join(pieces)
    data = letter(issuer=issuer, title=title, recipients=["市公安局"])
    # Member units reach the title lexicon through the profile's title_terms.
    out = render_document(build(data), ("pdf",), Profile(title_terms=list(UNITS)), fonts)
    lines = _title_lines(out.files["pdf"])
    assert "".join(t for t, _ in lines) == title
    breaks = set()
    pos = 0
    for t, _ in lines[:-1]:
        pos += len(t)
        breaks.add(pos)
    start = 0
    for piece in pieces:
        inside = set(range(start + 1, start + len(piece)))
        if piece not in ("关于",) and len(piece) <= 20:
            assert not (breaks & inside), f"标题在“{piece}”中间断行：{[t for t, _ in lines]}"
        start += len(piece)
    if len(lines) == 2:  # (more lines of whole words may leave no uneven choice)
        widths = [w for _, w in lines]
        assert max(widths) - min(widths) > 11, f"标题各行等长（矩形）：{[t for t, _ in lines]}"
