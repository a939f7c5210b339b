"""Table sizing reads each text once (ColumnEms) and counts ems: the same widths, to the bit,
as measuring every cell at every trial size, character by character."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from docgen import loader
from docgen.decide.tables import (
    _UNBREAKABLE,
    HEADER_MIN_CHARS,
    cell_aligns,
    is_number,
    min_widths,
    natural_widths,
)
from docgen.decide.widths import em_width
from docgen.models.tables import Table, tables_of
from docgen.spec import MM_PER_PT, TABLE_CELL_PAD_MM, TABLE_MIN_CHARS

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "request-gaoping-wenbao-funds.yaml"


def _em_by_char(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _min_by_cell(table: Table, size_pt: float) -> list[float]:
    em = size_pt * MM_PER_PT
    out = [0.0] * table.columns
    for p in table.cells:
        if p.colspan != 1:
            continue
        need = 1.0
        chars = HEADER_MIN_CHARS if p.row < table.header_rows else TABLE_MIN_CHARS
        for para in p.cell.paragraphs:
            # A word kept whole, with LibreOffice's 1/5-em gap at each CJK/digit boundary.
            whole = _UNBREAKABLE.findall(para) + re.findall(r"（[^（）]{1,6}）", para)
            words = [_em_by_char(w) + 0.2 * _script_gaps(w) for w in whole]
            need = max(need, min(_em_by_char(para), chars), *words)
        out[p.col] = max(out[p.col], need * em + 2 * TABLE_CELL_PAD_MM)
    return out


def _script_gaps(text: str) -> int:
    def latin(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in "WF"

    return sum(1 for a, b in zip(text, text[1:]) if latin(a) != latin(b) and (wide(a) or wide(b)))


def _natural_by_cell(table: Table, size_pt: float) -> list[float]:
    em = size_pt * MM_PER_PT
    out = [em + 2 * TABLE_CELL_PAD_MM] * table.columns
    for p in table.cells:
        if p.colspan != 1:
            continue
        longest = max(_em_by_char(para) for para in p.cell.paragraphs)
        out[p.col] = max(out[p.col], longest * em + 2 * TABLE_CELL_PAD_MM)
    return out


def _tables() -> list[Table]:
    doc = loader.build(loader.read_data(SAMPLE), str(SAMPLE))
    found = list(tables_of(doc.body))
    for att in doc.attachments:
        found += tables_of(att.body)
    assert len(found) >= 3
    return found


@pytest.mark.parametrize("text", ["", "GB/T 9704", "关于2025年“文物”安全", "½é—…", "Ａ１　α"])
def test_em_width_counts_as_the_characters_add_up(text: str) -> None:
    assert em_width(text) == _em_by_char(text)


@pytest.mark.parametrize("size", [16.0, 14.0, 10.5])
def test_column_widths_as_measured_cell_by_cell(size: float) -> None:
    for table in _tables():
        assert min_widths(table, size) == _min_by_cell(table, size)
        assert natural_widths(table, size) == _natural_by_cell(table, size)


def test_aligns_by_text_as_cell_by_cell() -> None:
    for table in _tables():
        aligns = cell_aligns(table)
        for p in table.cells:
            text = p.cell.text.strip()
            if p.cell.align or p.row < table.header_rows or table.align:
                continue
            if re.fullmatch(r"[0-9]{1,3}", text):
                assert aligns[p.row, p.col] == "center"
            elif is_number(text):
                assert aligns[p.row, p.col] == "right"


def test_a_date_stands_whole_with_the_gaps_a_word_processor_adds() -> None:
    """2025年12月31日 is 7 em; LibreOffice adds 1/5 em at each of its 5 script boundaries,
    so its column holds 8 em: the date stays on one line in the .docx too (issue 18)."""
    table = Table.model_validate(
        {"rows": [["事项", "完成时限"], ["检查", "2025年12月31日"], ["整改", "2025年9月8日"]]}
    )
    size = 14.0
    em = size * MM_PER_PT
    assert min_widths(table, size)[1] == pytest.approx(8 * em + 2 * TABLE_CELL_PAD_MM)
