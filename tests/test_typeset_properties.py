"""Body text on the grid, over many generated paragraphs, measured on the PDF (issue 18).

A proof-reader's checks of every line of body text, whatever the text:

- a full line starts at the block's left edge, or two grid cells in on a
  paragraph's first line, and its last glyph ends on the block's right edge;
  no glyph box leaves the block;
- a full line holds 28 characters (26 after the indent); it holds one or two
  fewer, or one more with punctuation set half-width (标点挤压), only where the
  paragraph has punctuation for 避头尾 to move the break over (at most two
  characters either way); a paragraph
  without punctuation is all on the grid;
- no line starts with a closing mark or ends with an opening one;
- within a line, glyphs advance evenly, except after a mark set half-width
  (half an em less);
- no paragraph's last line holds a single character;
- every character of the input is on the page, in order.

The examples are derived, not random, so a run is the same everywhere.
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
from docgen.text.punctuation import NO_LINE_END, NO_LINE_START

MM = 72 / 25.4
LEFT, RIGHT = 28.0, 184.0
CELL = (156 * MM + (156 * MM - 28 * 16) / 27) / 28 / MM  # a glyph's advance on the grid, mm
TOL = 0.05  # mm


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


WORDS = (
    "文物", "保护", "工作", "高平市", "联席会议", "加强", "管理", "责任", "落实", "单位",
    "市文物局", "安全", "检查", "整改", "制度", "部门", "开展", "推进", "利用", "不可移动文物",
)  # fmt: skip
_word = st.sampled_from(WORDS)
_phrase = st.lists(_word, min_size=1, max_size=6).map("".join)
_piece = st.one_of(
    _phrase,
    st.builds(lambda p, m: p + m, _phrase, st.sampled_from("，，，、、；：。")),
    st.builds(lambda p: f"（{p}）", _phrase),
    st.builds(lambda p: f"《{p}》", _phrase),
    st.builds(lambda p: f"“{p}”", _phrase),
)
paragraph = st.lists(_piece, min_size=1, max_size=40).map(
    lambda ps: "".join(ps).rstrip("，、；：") + "。"
)
plain = st.lists(_word, min_size=20, max_size=60).map("".join)  # no punctuation at all


def _lines(pdf: bytes) -> list[list[dict]]:
    """The 16 pt lines of body text, in reading order, each a list of glyphs (boxes in mm)."""
    out: list[list[dict]] = []
    for page in pymupdf.open(stream=pdf, filetype="pdf"):
        rows: dict[int, list[dict]] = {}
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    if 15.5 <= sp["size"] <= 16.5:
                        for c in sp["chars"]:
                            if c["c"].strip():
                                g = {"c": c["c"], "x0": c["bbox"][0] / MM, "x1": c["bbox"][2] / MM}
                                rows.setdefault(round(c["origin"][1]), []).append(g)
        for y in sorted(rows):
            out.append(sorted(rows[y], key=lambda g: g["x0"]))
    return out


def _paragraphs(lines: list[list[dict]], texts: list[str]) -> list[list[list[dict]]]:
    """Lines grouped into the body's paragraphs (each begins two cells in)."""
    body = "".join(texts)
    groups: list[list[list[dict]]] = []
    for ln in lines:
        x0 = ln[0]["x0"]
        if abs(x0 - (LEFT + 2 * CELL)) < TOL:
            groups.append([ln])
        elif abs(x0 - LEFT) < TOL and groups:
            groups[-1].append(ln)
    return [g for g in groups if "".join(c["c"] for ln in g for c in ln) in body]


def _check(texts: list[str], pdf: bytes) -> tuple[int, int]:
    groups = _paragraphs(_lines(pdf), texts)
    assert ["".join(c["c"] for ln in g for c in ln) for g in groups] == texts
    on_grid = full = 0
    for text, lines in zip(texts, groups):
        marks = any(ch in NO_LINE_START or ch in NO_LINE_END for ch in text)
        for k, ln in enumerate(lines):
            s = "".join(g["c"] for g in ln)
            assert ln[0]["x0"] >= LEFT - TOL and ln[-1]["x1"] <= RIGHT + TOL, s
            if k:
                assert s[0] not in NO_LINE_START, s
            if k == len(lines) - 1:
                assert len(ln) > 1 or len(lines) == 1, f"段末一字独占一行：{text}"
                continue
            assert s[-1] not in NO_LINE_END, s
            assert abs(ln[-1]["x1"] - RIGHT) < TOL, f"未排满：{s}"
            grid = 26 if k == 0 else 28
            full += 1
            on_grid += len(ln) == grid
            if not marks:
                assert len(ln) == grid, s
            assert grid - 3 <= len(ln) <= grid + 2, s
            steps = [b["x0"] - a["x0"] for a, b in zip(ln, ln[1:])]
            usual = max(steps)
            short = [d for d in steps if abs(d - usual) > 0.02]
            assert len(short) <= 4, s
            for d in short:  # a mark set half-width: half an em (16 pt) less
                assert abs(usual - d - 8 / MM) < 0.05, (s, steps)
    return on_grid, full


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(paragraph, min_size=1, max_size=6))
def test_body_lines_hold_the_grid(fonts, texts: list[str]) -> None:
    out = render_document(build(letter(body=texts)), ("pdf",), Profile(), fonts)
    _check(texts, out.files["pdf"])


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.lists(st.tuples(plain, st.booleans()), min_size=1, max_size=4))
def test_unpunctuated_text_is_all_on_the_grid(fonts, spec: list[tuple[str, bool]]) -> None:
    texts = [t + "。" if stop else t for t, stop in spec]
    out = render_document(build(letter(body=texts)), ("pdf",), Profile(), fonts)
    on_grid, full = _check(texts, out.files["pdf"])
    # Only the final 。 may move a break: the last full line's, once a paragraph.
    assert on_grid >= full - len(texts)


_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_GIVEN = "志强俊杰建华晓东丽萍海燕卫东晋红国庆宏伟建平晓军彦斌福林玉梅文斌永福立民鹏勇峰"
_person = st.builds(
    lambda s, g: s + g, st.sampled_from(_SURNAMES), st.text(alphabet=_GIVEN, min_size=1, max_size=2)
)
_unit = st.builds(
    lambda a, b: a + b,
    st.sampled_from(("市", "高平市", "晋城市", "米山镇", "寺庄镇")),
    st.sampled_from(
        ("人民政府", "文物局", "公安局", "住房和城乡建设局", "市场监督管理局", "行政审批服务管理局",
         "委党史研究室（市地方志研究室）", "消防救援大队", "退役军人事务局", "文物保护中心")
    ),
)  # fmt: skip
_attendee = st.builds(
    lambda u, ps: (u, ps), _unit, st.lists(_person, min_size=1, max_size=3, unique=True)
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(_attendee, min_size=1, max_size=24))
def test_attendance_names_stand_whole(fonts, people: list[tuple[str, list[str]]]) -> None:
    """出席: every unit and every person's name on one line, the gap between them kept."""
    from test_pdf_edges import minutes

    present = [f"{u} {'、'.join(ps)}" for u, ps in people]
    out = render_document(build(minutes(present=present)), ("pdf",), Profile(), fonts)
    lines = ["".join(g["c"] for g in ln) for ln in _lines(out.files["pdf"])]
    for unit, persons in people:
        for name in (unit, *persons):
            assert any(name in ln for ln in lines), f"“{name}”被断开：{lines[-12:]}"
    text = "".join(page.get_text() for page in pymupdf.open(stream=out.files["pdf"]))
    for unit, persons in people:
        assert f"{unit}\u3000{persons[0]}" in text.replace("\n", "") or unit in lines[-1]


def _page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's 16 pt lines (text, x0 in mm) top to bottom."""
    pages = []
    for page in pymupdf.open(stream=pdf, filetype="pdf"):
        rows: dict[int, list] = {}
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    if 15.5 <= sp["size"] <= 16.5:
                        for c in sp["chars"]:
                            if c["c"].strip():
                                rows.setdefault(round(c["origin"][1]), []).append(c)
        lines = []
        for y in sorted(rows):
            cs = sorted(rows[y], key=lambda c: c["origin"][0])
            lines.append(("".join(c["c"] for c in cs), cs[0]["bbox"][0] / MM))
        pages.append(lines)
    return pages


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.integers(20, 140), min_size=8, max_size=24))
def test_no_widow_opens_a_page(fonts, sizes: list[int]) -> None:
    """No page opens with a paragraph's last line of under four characters."""
    texts = [("文物保护" * 40)[: n - 1] + "。" for n in sizes]
    out = render_document(build(letter(body=texts)), ("pdf",), Profile(), fonts)
    pages = _page_lines(out.files["pdf"])
    for k, lines in enumerate(pages[1:], 2):
        body = [(t, x) for t, x in lines if abs(x - LEFT) < TOL or abs(x - LEFT - 2 * CELL) < TOL]
        if len(body) < 2:
            continue
        (first, x0), (_, x1) = body[0], body[1]
        opens_with_tail = abs(x0 - LEFT) < TOL and abs(x1 - LEFT - 2 * CELL) < TOL
        assert not (opens_with_tail and len(first) < 4), f"第{k}页以段末“{first}”开头"
