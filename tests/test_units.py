"""Member units: exact names, aliases, several to a cell, and pinyin-aware hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.units import UnitRegistry, split_units

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def units() -> UnitRegistry:
    return UnitRegistry.load(SAMPLES / "member-units.yaml")


def test_registry_has_the_eighteen_units(units: UnitRegistry) -> None:
    assert len(units.units) == 18
    assert units.office == "高平市文物保护工作联席会议办公室"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("市公安局", "市公安局"),
        ("高平市公安局", "市公安局"),
        ("市住建局", "市住房和城乡建设局"),
        ("市发展改革和科技局", "市发展和改革委员会"),
        ("市委党史研究室(市地方志研究室)", "市委党史研究室（市地方志研究室）"),
        (" 市消防救援大队 ", "市消防救援大队"),
    ],
)
def test_resolve_by_name_or_alias(units: UnitRegistry, written: str, canonical: str) -> None:
    assert units.resolve(written) == canonical


def test_unknown_names_do_not_resolve(units: UnitRegistry) -> None:
    assert units.resolve("市公按局") is None
    assert units.resolve("公安局") is None  # close is not good enough: it must be registered


@pytest.mark.parametrize(
    "cell",
    [
        "市公安局、市财政局",
        "市公安局，市财政局",
        "市公安局,市财政局",
        "市公安局;市财政局",
        "市公安局；市财政局",
    ],
)
def test_split_on_every_separator(cell: str) -> None:
    assert split_units(cell) == ["市公安局", "市财政局"]


def test_split_drops_empty_parts() -> None:
    assert split_units("市公安局、、 ；") == ["市公安局"]
    assert split_units(None) == []


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("市公按局", "市公安局"),  # homophone typed with a pinyin input method
        ("市自然资原局", "市自然资源局"),
        ("市住房城乡建设局", "市住房和城乡建设局"),
        ("市消防大队", "市消防救援大队"),
        ("公安局", "市公安局"),
    ],
)
def test_suggestion_ranks_the_right_unit_first(
    units: UnitRegistry, typo: str, expected: str
) -> None:
    assert units.suggest(typo)[0] == expected


def test_suggestion_via_alias_names_the_canonical_unit(units: UnitRegistry) -> None:
    assert units.suggest("市住见局")[0] == "市住建局（即市住房和城乡建设局）"


def test_check_cell_reports_row_column_and_suggestion(units: UnitRegistry) -> None:
    names, problems = units.check_cell(
        "市公安局、市公按局、市住建局", column="配合单位", file="items.csv", row=4
    )
    assert names == ["市公安局", "市住房和城乡建设局"]
    assert len(problems) == 1
    text = str(problems[0])
    assert "items.csv" in text and "第4行" in text and "配合单位" in text
    assert "市公按局" in text and "是不是 市公安局" in text
