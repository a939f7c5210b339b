"""Heading levels, run-in headings, numerals, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.text.dates import format_date
from docgen.text.headings import chinese_numeral, classify


@pytest.mark.parametrize(
    ("para", "level", "marker"),
    [
        ("一、工作目标", 1, "一、"),
        ("十二、附则", 1, "十二、"),
        ("（一）组织领导", 2, "（一）"),
        ("1.会议制度", 3, "1."),
        ("2．会议制度", 3, "2．"),
        ("3、会议制度", 3, "3、"),
        ("（1）联络员", 4, "（1）"),
    ],
)
def test_levels(para: str, level: int, marker: str) -> None:
    h = classify(para)
    assert h is not None and (h.level, h.marker, h.heading_text, h.rest) == (
        level,
        marker,
        para,
        "",
    )


def test_run_in() -> None:
    h = classify("（一）明确职责。各成员单位按照分工落实。")
    assert h is not None
    assert h.heading_text == "（一）明确职责。" and h.rest == "各成员单位按照分工落实。"


def test_run_in_phrase_ends_at_the_first_stop_or_colon() -> None:
    # issue 18: one rule in every kind; the phrase up to 。 or ：, the rest 仿宋.
    h = classify("一、保护对象：全市各级文物保护单位。")
    assert h is not None and (h.heading_text, h.rest) == (
        "一、保护对象：",
        "全市各级文物保护单位。",
    )
    # A colon inside brackets ends nothing; a single numbered sentence is no heading.
    item = "十二、起草制度，提交会议审议（牵头单位：市文物保护中心）。"
    h = classify(item)
    assert h is not None and (h.level, h.heading_text, h.rest) == (1, "", item)
    h = classify("（二）加强巡查（每月一次）。各单位落实。")
    assert h is not None and h.heading_text == "（二）加强巡查（每月一次）。"


def test_not_headings() -> None:
    for para in ("为加强文物保护工作，现函复如下。", "2025年7月7日召开会议。", "12.5%的经费", ""):
        assert classify(para) is None, para


@given(st.integers(1, 99))
def test_numeral_headings(n: int) -> None:
    h = classify(f"{chinese_numeral(n)}、标题")
    assert h is not None and h.level == 1
    h = classify(f"（{n}）标题")
    assert h is not None and h.level == 4


def test_chinese_numeral() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 12, 20, 99)] == [
        "一",
        "十",
        "十二",
        "二十",
        "九十九",
    ]


def test_format_date() -> None:
    assert format_date(dt.date(2025, 7, 7)) == "2025年7月7日"
    assert format_date(dt.date(2025, 12, 31)) == "2025年12月31日"
