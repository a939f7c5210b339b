"""Agreed items from CSV/xlsx: encodings, row-and-column errors, items_file beside the YAML."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from docgen.items import load_items
from docgen.problems import InputError, errors
from docgen.units import UnitRegistry

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

HEADER = "序号,议定事项,牵头单位,配合单位,完成时限,督办要求,备注"
GOOD = [
    "1,开展打击文物犯罪专项行动,市公安局,市文物局、市文物保护中心,2025-12-31,每月报送进展,重点：丹河沿线",
    "2,将保护范围纳入国土空间规划,市自然资源局,市文物保护中心,2025/10/31,,",
    "3,开展文物建筑消防安全检查,市消防救援大队,市住建局；市民族宗教局,2025年9月30日,报送隐患清单,",
]


@pytest.fixture(scope="module")
def units() -> UnitRegistry:
    return UnitRegistry.load(SAMPLES / "member-units.yaml")


def write(
    tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "items.csv"
) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def problems_of(path: Path, units: UnitRegistry) -> list[str]:
    try:
        result = load_items(path, units)
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in errors(result.problems)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_every_office_encoding_reads_the_same(
    tmp_path: Path, units: UnitRegistry, encoding: str
) -> None:
    result = load_items(write(tmp_path, [HEADER, *GOOD], encoding), units)
    assert not errors(result.problems)
    assert [i.seq for i in result.items] == [1, 2, 3]
    first, _, third = result.items
    assert first.lead == ["市公安局"]
    assert first.support == ["市文物局", "市文物保护中心"]
    assert first.extra == {"备注": "重点：丹河沿线"}
    assert [i.deadline for i in result.items] == [
        dt.date(2025, 12, 31),
        dt.date(2025, 10, 31),
        dt.date(2025, 9, 30),
    ]
    assert third.support == ["市住房和城乡建设局", "市民族宗教局"]  # alias resolved, split on ；
    assert result.rows == [2, 3, 4]  # Excel's row numbers: the header is row 1


def test_undecodable_file_says_save_as_utf8(tmp_path: Path, units: UnitRegistry) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode("utf-8") + b"\r\n1,\x80\xff\x80,x,,,\r\n")
    msgs = problems_of(path, units)
    assert len(msgs) == 1 and "bad.csv" in msgs[0] and "UTF-8" in msgs[0]


def test_mangled_text_is_refused(tmp_path: Path, units: UnitRegistry) -> None:
    path = write(tmp_path, [HEADER, "1,开展\ufffd\ufffd检查,市公安局,,,,"])
    msgs = problems_of(path, units)
    assert len(msgs) == 1 and "乱码" in msgs[0] and "UTF-8" in msgs[0]


def test_missing_column_names_it(tmp_path: Path, units: UnitRegistry) -> None:
    path = write(tmp_path, ["序号,议定事项,配合单位,完成时限", "1,某事项,市公安局,2025-09-30"])
    msgs = problems_of(path, units)
    assert len(msgs) == 1
    assert "items.csv" in msgs[0] and "第1行" in msgs[0] and "牵头单位" in msgs[0]


def test_empty_matter(tmp_path: Path, units: UnitRegistry) -> None:
    msgs = problems_of(write(tmp_path, [HEADER, GOOD[0], "2,,市公安局,,2025-09-30,,"]), units)
    assert len(msgs) == 1
    assert "第3行" in msgs[0] and "议定事项" in msgs[0] and "为空" in msgs[0]


@pytest.mark.parametrize("bad", ["2025年9月底", "2025-13-01", "九月三十日", "2025-02-30"])
def test_bad_deadline(tmp_path: Path, units: UnitRegistry, bad: str) -> None:
    msgs = problems_of(write(tmp_path, [HEADER, f"1,某事项,市公安局,,{bad},,"]), units)
    assert len(msgs) == 1
    assert "第2行" in msgs[0] and "完成时限" in msgs[0] and "2025-09-30" in msgs[0]


@pytest.mark.parametrize("bad", ["一", "1.5", "0", "-2", "abc"])
def test_non_integer_seq(tmp_path: Path, units: UnitRegistry, bad: str) -> None:
    msgs = problems_of(write(tmp_path, [HEADER, f"{bad},某事项,市公安局,,,,"]), units)
    assert len(msgs) == 1 and "第2行" in msgs[0] and "序号" in msgs[0]


def test_duplicate_seq_names_both_rows(tmp_path: Path, units: UnitRegistry) -> None:
    msgs = problems_of(write(tmp_path, [HEADER, GOOD[0], GOOD[1], GOOD[0]]), units)
    assert len(msgs) == 1 and "第4行" in msgs[0] and "第2行重复" in msgs[0]


def test_unknown_unit_with_suggestion(tmp_path: Path, units: UnitRegistry) -> None:
    msgs = problems_of(write(tmp_path, [HEADER, "1,某事项,市公按局,市财政局,,,"]), units)
    assert len(msgs) == 1
    assert "第2行" in msgs[0] and "牵头单位" in msgs[0] and "市公安局" in msgs[0]


def test_all_errors_of_all_rows_at_once(tmp_path: Path, units: UnitRegistry) -> None:
    lines = [
        HEADER,
        GOOD[0],
        "x,,市公按局,市财正局,明年,,",  # four errors in row 3 (序号, 议定事项, 牵头, 配合) + date
        "3,某事项,,,,,",  # row 4: no lead unit
    ]
    result = load_items(write(tmp_path, lines), units)
    found = {(p.row, p.field) for p in errors(result.problems)}
    assert found == {
        (3, "序号"),
        (3, "议定事项"),
        (3, "牵头单位"),
        (3, "配合单位"),
        (3, "完成时限"),
        (4, "牵头单位"),
    }
    assert result.bad_rows == [3, 4] and [i.seq for i in result.items] == [1]


def test_blank_lines_are_skipped_but_rows_still_counted(
    tmp_path: Path, units: UnitRegistry
) -> None:
    msgs = problems_of(write(tmp_path, [HEADER, GOOD[0], ",,,,,,", "2,,市公安局,,,,"]), units)
    assert len(msgs) == 1 and "第4行" in msgs[0]


def test_xlsx_with_title_row_dates_and_numbers(tmp_path: Path, units: UnitRegistry) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "议定事项"
    ws.append(["高平市文物保护工作联席会议第一次全体会议议定事项"])  # a title row above the header
    ws.append(HEADER.split(","))
    ws.append(
        [
            1,
            "开展打击文物犯罪专项行动",
            "市公安局",
            "市文物局",
            dt.datetime(2025, 12, 31),
            None,
            None,
        ]
    )
    ws.append([2.0, "将保护范围纳入国土空间规划", "市住建局", None, "2025/10/31", "按期报送", "x"])
    ws.append([3, "", "市公按局", None, "明天", None, None])
    path = tmp_path / "items.xlsx"
    wb.save(path)
    result = load_items(path, units)
    assert [i.seq for i in result.items] == [1, 2]
    assert result.items[0].deadline == dt.date(2025, 12, 31)
    assert result.items[1].lead == ["市住房和城乡建设局"]
    assert result.rows == [3, 4]
    assert {(p.row, p.field) for p in errors(result.problems)} == {
        (5, "议定事项"),
        (5, "牵头单位"),
        (5, "完成时限"),
    }


def test_sample_table_is_clean_and_spread_over_units(units: UnitRegistry) -> None:
    result = load_items(SAMPLES / "agreed-items-2025-1.csv", units)
    assert not errors(result.problems)
    assert len(result.items) >= 8
    leads = {u for i in result.items for u in i.lead}
    assert len(leads) >= 8
    assert any(len(i.support) >= 2 for i in result.items)
    assert any(len(i.lead) >= 2 for i in result.items)


def test_meeting_yaml_reads_items_file_beside_it(tmp_path: Path) -> None:
    from docgen.pipeline import load_checked

    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    doc, _ = load_checked(tmp_path / "meeting-2025-1.yaml")  # cwd is elsewhere: relative to YAML
    assert len(doc.items) == 12 and doc.items[0].lead == ["市公安局"]


def test_meeting_yaml_reports_row_errors_of_its_items_file(tmp_path: Path) -> None:
    from docgen.pipeline import load_checked

    shutil.copy(SAMPLES / "meeting-2025-1.yaml", tmp_path / "m.yaml")
    shutil.copy(SAMPLES / "member-units.yaml", tmp_path / "member-units.yaml")
    write(tmp_path, [HEADER, GOOD[0], "2,,市公按局,,,,"], name="agreed-items-2025-1.csv")
    with pytest.raises(InputError) as info:
        load_checked(tmp_path / "m.yaml")
    text = "\n".join(str(p) for p in info.value.problems)
    assert "第3行" in text and "议定事项" in text and "市公安局" in text


def test_meeting_yaml_with_missing_items_file(tmp_path: Path) -> None:
    from docgen.pipeline import load_checked

    shutil.copy(SAMPLES / "meeting-2025-1.yaml", tmp_path / "m.yaml")
    with pytest.raises(InputError) as info:
        load_checked(tmp_path / "m.yaml")
    assert "agreed-items-2025-1.csv" in str(info.value) and "不存在" in str(info.value)
