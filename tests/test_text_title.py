"""Title breaking: word boundaries, fewest lines, trapezoid or diamond, never a rectangle or hourglass."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.text.title import break_title, title_warnings

LETTER = "高平市人民政府办公室关于同意建立高平市文物保护工作联席会议制度的函"
REQUEST = "高平市文物保护中心关于建立《高平市文物保护工作联席会议制度》的请示"
PROTECTED = ("高平市人民政府办公室", "高平市文物保护中心")
SHAPES = ("auto", "widening", "narrowing", "diamond")


def _shape_ok(lengths: list[float]) -> bool:
    if len(lengths) == 1:
        return True
    if len(lengths) == 2:
        return lengths[0] != lengths[1]
    pairs = list(zip(lengths, lengths[1:]))
    if all(b > a for a, b in pairs) or all(b < a for a, b in pairs):
        return True
    peak = lengths.index(max(lengths))
    return all(b > a for a, b in pairs[:peak]) and all(b < a for a, b in pairs[peak:])


def _inside(lines: list[str], term: str) -> bool:
    """Is ``term`` split across two lines?"""
    title = "".join(lines)
    cuts, pos = set(), 0
    for ln in lines[:-1]:
        pos += len(ln)
        cuts.add(pos)
    start = title.find(term)
    if start < 0:
        return False  # not in this title: nothing to split
    return any(start < c < start + len(term) for c in cuts)


@pytest.mark.parametrize("shape", SHAPES)
def test_letter_title(shape: str) -> None:
    lines = break_title(LETTER, 20, shape=shape, protected=PROTECTED)  # type: ignore[arg-type]
    assert "".join(lines) == LETTER and len(lines) == 2
    assert all(len(ln) <= 20 for ln in lines) and _shape_ok([len(ln) for ln in lines])
    for term in ("高平市人民政府办公室", "联席会议", "文物保护"):
        assert not _inside(lines, term), lines


@pytest.mark.parametrize("shape", SHAPES)
def test_request_title(shape: str) -> None:
    lines = break_title(REQUEST, 20, shape=shape, protected=PROTECTED)  # type: ignore[arg-type]
    assert "".join(lines) == REQUEST and len(lines) == 2
    assert not _inside(lines, "《高平市文物保护工作联席会议制度》")
    assert _shape_ok([len(ln) for ln in lines])


def test_short_title_untouched() -> None:
    assert break_title("关于召开会议的通知", 20) == ["关于召开会议的通知"]


def test_warnings() -> None:
    assert title_warnings("关于召开会议的通知。")
    assert title_warnings(LETTER) == []


_words = st.sampled_from(
    [
        "高平市",
        "人民政府",
        "办公室",
        "关于",
        "同意",
        "建立",
        "文物保护",
        "工作",
        "联席会议",
        "制度",
        "和",
        "实施方案",
        "2025年度",
        "《管理办法》",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_words, min_size=3, max_size=20).map("".join), st.sampled_from(SHAPES))
def test_titles_property(body: str, shape: str) -> None:
    title = body + "的通知"
    lines = break_title(title, 20, shape=shape)  # type: ignore[arg-type]
    assert "".join(lines) == title
    widths = [sum(1.0 if not ch.isascii() else 0.5 for ch in ln) for ln in lines]
    assert all(w <= 20 for w in widths)
    assert _shape_ok(widths), lines  # type: ignore[arg-type]
    assert not any(_inside(lines, g) for g in ("《管理办法》", "2025"))


@pytest.mark.parametrize(
    ("title", "whole"),
    [
        (
            "高平市人民政府办公室关于印发高平市文物建筑消防安全专项整治三年行动实施方案的通知",
            "消防安全",
        ),
        ("高平市文物保护中心关于申请拨付2025年度市级文物保护单位保养维护经费的请示", "2025年度"),
        ("关于进一步加强全市不可移动文物安全管理工作的函", "不可移动文物"),
    ],
)
def test_unseen_titles_keep_terms_and_numbers_whole(title: str, whole: str) -> None:
    lines = break_title(title, 20, protected=["高平市人民政府办公室", "高平市文物保护中心"])
    assert "".join(lines) == title
    assert any(whole in ln for ln in lines), lines
    assert not any(ln.endswith("关于") for ln in lines), lines


NUMERAL_TITLES = {
    "关于印发高平市二〇二五年度文物安全专项检查工作方案的通知": "二〇二五年度",
    "关于召开高平市第十三届文物保护工作联席会议全体会议的通知": "第十三届",
    "关于编制高平市十四五文物保护和科技创新规划有关事项的函": "十四五",
    "关于报送二〇二四年度和二〇二五年上半年文物安全检查情况的函": "二〇二四年度",
}


@pytest.mark.parametrize("title", sorted(NUMERAL_TITLES))
@pytest.mark.parametrize("units", [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
def test_numbers_in_chinese_numerals_are_never_broken(title: str, units: int) -> None:
    """二〇|二五 was seen: Chinese-numeral years, ordinals and 十四五 are as whole as 2025年."""
    for shape in SHAPES:
        lines = break_title(title, units, shape=shape)
        assert "".join(lines) == title
        for term in (NUMERAL_TITLES[title], "二〇二五年", "十四五", "第十三届"):
            assert not _inside(lines, term), (units, shape, lines)
