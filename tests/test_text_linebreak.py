"""Line breaking: 避头尾, unsplit ——/……, whole numbers and words, justified lines."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.text.linebreak import Line, break_paragraph, justify_gaps
from docgen.text.punctuation import NO_LINE_END, NO_LINE_START, is_fullwidth, is_word_char

WIDTH = 28.0  # the grid: 28 characters a line


def units(ch: str) -> float:
    return 1.0 if is_fullwidth(ch) else 0.5


# Realistic pieces: CJK runs, an opening mark before text, text then a closing mark,
# short numbers and Latin words, —— and …….
_cjk = st.text(alphabet="高平市文物保护工作联席会议制度关于建立的函请示", min_size=1, max_size=12)
_piece = st.one_of(
    _cjk,
    st.builds(
        lambda o, t, c: o + t + c,
        st.sampled_from(["（", "《", "“"]),
        _cjk,
        st.sampled_from(["）", "》", "”"]),
    ),
    st.builds(lambda t, p: t + p, _cjk, st.sampled_from(list("。，、；：？！"))),
    st.sampled_from(["2025年", "12.5%的", "电话0356-5220000", "PDF版", "GB/T", "——", "……"]),
)
paragraphs = st.lists(_piece, min_size=1, max_size=30).map("".join)


def _check(lines: list[Line], text: str) -> None:
    assert "".join(ln.text for ln in lines) == text
    for i, ln in enumerate(lines):
        assert ln.indent + ln.natural_width <= WIDTH + 1e-6
        if i > 0:
            assert ln.text[0] not in NO_LINE_START, (i, ln.text)
        if not ln.last:
            assert ln.text[-1] not in NO_LINE_END, (i, ln.text)
            gap = justify_gaps(ln, WIDTH)
            assert gap >= 0
            # at most ~2 characters of slack, plus a number or word carried down whole
            nxt = lines[i + 1].text
            # (推出 carries one character plus the marks / word glued to it)
            k = 1
            while k < len(nxt) and (
                nxt[k] in NO_LINE_START or is_word_char(nxt[k]) or nxt[k - 1] in NO_LINE_END
            ):
                k += 1
            # (the paragraph's line choice may carry one more, to keep later lines on the grid)
            allowed = 2.5 + sum(units(ch) for ch in nxt[:k])
            assert gap * (len(ln.text) - 1) <= allowed + 1e-9, ln.text
    assert lines[-1].last and not any(ln.last for ln in lines[:-1])


@settings(max_examples=300, deadline=None)
@given(paragraphs)
def test_rules_hold(text: str) -> None:
    _check(break_paragraph(text, WIDTH, units, first_indent=2.0), text)


def test_pairs_and_numbers_not_split() -> None:
    for glue in ("——", "……", "0356-5220000", "2025"):
        for k in range(20, 30):
            text = "文" * k + glue + "物保护工作"
            lines = break_paragraph(text, WIDTH, units)
            assert any(glue in ln.text for ln in lines), (k, glue, [ln.text for ln in lines])


def test_push_down_before_closing_mark() -> None:
    text = "文" * 28 + "。后文"
    lines = break_paragraph(text, WIDTH, units)
    assert lines[0].text == "文" * 27
    assert lines[1].text.startswith("文。")


def test_indents() -> None:
    lines = break_paragraph("文" * 60, WIDTH, units, first_indent=2.0)
    assert [len(ln.text) for ln in lines] == [26, 28, 6]
    assert [ln.indent for ln in lines] == [2.0, 0.0, 0.0]
    assert justify_gaps(lines[-1], WIDTH) == 0.0


def test_empty() -> None:
    assert break_paragraph("", WIDTH, units) == []


def test_speed() -> None:
    text = "高平市文物保护工作联席会议制度，于2025年7月7日建立（试行）。“文物”——保护……" * 200
    t0 = time.perf_counter()
    for _ in range(10):
        break_paragraph(text, WIDTH, units)
    rate = 10 * len(text) / (time.perf_counter() - t0)
    assert rate > 200_000, rate  # chars/s; a 1,000-document batch must not wait on this


def _half(ch: str) -> float:
    return 0.5 if ch in "，、；：。（）" else 0.0


def test_squeeze_in_before_pushing_out() -> None:
    # 28 fit; the 29th is a comma that may not start a line. Two marks inside the
    # line set half-width (标点挤压) bring it in rather than carry a character down.
    text = "文" * 10 + "，" + "文" * 10 + "、" + "文" * 6 + "，" + "后文" * 20
    lines = break_paragraph(text, WIDTH, units, squeeze=_half)
    assert lines[0].text == text[:29]
    assert lines[0].squeezed == (10, 21)
    assert lines[0].natural_width == 28.0
    # Without punctuation to squeeze the character is carried down (推出).
    lines = break_paragraph(text, WIDTH, units)
    assert len(lines[0].text) == 27


def test_line_end_and_start_marks_never_squeezed() -> None:
    text = "文" * 27 + "，" + "。" + "后文" * 20
    lines = break_paragraph(text, WIDTH, units, squeeze=_half)
    for ln in lines:
        assert 0 not in ln.squeezed and len(ln.text) - 1 not in ln.squeezed


def test_first_line_holds_26_after_the_indent_at_the_grid_advance() -> None:
    # The indent is two cells of the glyphs' own advance, so 2 + 26 fill the line
    # exactly (issue 18: an indent of 2 x 15.793 pt against an advance of 15.785 pt
    # left room for only 25).
    from docgen.spec import BLOCK_WIDTH, BODY_CELL_PT, BODY_CHAR_SPACE_PT, mm

    width = mm(BLOCK_WIDTH) + BODY_CHAR_SPACE_PT  # the composer's: no tracking after the last
    lines = break_paragraph(
        "文" * 80, width, lambda ch: BODY_CELL_PT, first_indent=2 * BODY_CELL_PT
    )
    assert [len(ln.text) for ln in lines[:2]] == [26, 28]


def test_last_line_never_one_character() -> None:
    for k in range(1, 120):
        lines = break_paragraph("文" * k, WIDTH, units, first_indent=2.0)
        if k > 1:
            assert len(lines[-1].text) > 1 or len(lines) == 1, (k, [ln.text for ln in lines])


def _searched(
    text: str, advances: list[float], width: float, savings: list[float] | None
) -> list[Line]:
    """break_measured() with its shortcut for full lines turned off: the search alone."""
    import docgen.text.linebreak as lb

    shortcut = lb._full_lines
    lb._full_lines = lambda *_: None  # type: ignore[assignment]
    try:
        return lb.break_measured(text, advances, width, first_indent=2.0, savings=savings)
    finally:
        lb._full_lines = shortcut


@settings(max_examples=300, deadline=None)
@given(paragraphs, st.sampled_from([28.0, 19.5, 9.0]), st.booleans())
def test_full_lines_are_what_the_search_finds(text: str, width: float, squeeze: bool) -> None:
    """A paragraph whose full lines may all end where they are full takes them without the
    search (break_measured's shortcut): the lines must be the search's, to the last bit."""
    from docgen.text.linebreak import break_measured

    advances = [units(ch) for ch in text]
    savings = [0.5 if ch in "，。、）”" else 0.0 for ch in text] if squeeze else None
    quick = break_measured(text, advances, width, first_indent=2.0, savings=savings)
    assert quick == _searched(text, advances, width, savings)
