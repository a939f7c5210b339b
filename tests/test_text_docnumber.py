"""发文字号: parse, normalise, refuse with a Chinese message, round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from docgen.text.docnumber import DocNumber, DocNumberError, DocNumberField


def test_parse_and_format() -> None:
    n, w = DocNumber.parse("高政办函〔2025〕18号")
    assert (n.code, n.year, n.seq, w) == ("高政办函", 2025, 18, [])
    assert str(n) == n.format() == "高政办函〔2025〕18号"


@pytest.mark.parametrize(
    "text",
    [
        "高政办函[2025]18号",
        "高政办函(2025)18号",
        "高政办函（2025）18号",
        "高政办函【2025】18号",
        "高政办函﹝2025﹞18号",
        "高政办函［2025］18号",
    ],
)
def test_brackets_normalised(text: str) -> None:
    n, w = DocNumber.parse(text)
    assert str(n) == "高政办函〔2025〕18号"
    assert len(w) == 1 and "〔〕" in w[0]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("高政办函〔2025〕第18号", "第"),
        ("高政办函〔2025〕018号", "虚位"),
        ("高政办函〔25〕18号", "4 位"),
        ("高政办函〔2025〕18", "号"),
        ("〔2025〕18号", "机关代字"),
        ("高政办函2025年18号", "无法识别"),
    ],
)
def test_errors(text: str, hint: str) -> None:
    with pytest.raises(DocNumberError, match=hint) as e:
        DocNumber.parse(text)
    assert isinstance(e.value, ValueError)


codes = st.text(alphabet="高平市政府办函文联督发", min_size=1, max_size=8)


@given(codes, st.integers(1000, 9999), st.integers(1, 100_000))
def test_round_trip(code: str, year: int, seq: int) -> None:
    n = DocNumber(code=code, year=year, seq=seq)
    assert DocNumber.parse(n.format()) == (n, [])


def test_field_type() -> None:
    class M(BaseModel):
        number: DocNumberField

    assert M(number="高政办函[2025]18号").number == DocNumber(code="高政办函", year=2025, seq=18)
    assert M(number=DocNumber(code="高政办函", year=2025, seq=1)).number.seq == 1
    with pytest.raises(ValidationError, match="第"):
        M(number="高政办函〔2025〕第18号")


def test_frozen() -> None:
    n, _ = DocNumber.parse("高政办函〔2025〕18号")
    with pytest.raises(ValidationError):
        n.seq = 2  # type: ignore[misc]
