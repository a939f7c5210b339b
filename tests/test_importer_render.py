"""Imported drafts rendered and measured: every word of the draft on the page, in order, in the block.

The drafts are rendered the way a clerk runs `docgen render DRAFT.docx`,
with --number/--signer where the draft has no head.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import drafts
import pytest
from docx import Document
from pdfmeasure import MeasuredPDF, block_ok, page_number_value

from docgen.fonts import resolve_fonts
from docgen.pipeline import load_checked, render_document
from docgen.spec import Profile

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed-gaoping-18.txt"
FILL = {"number": "高文保发〔2025〕30号", "signers": ["李志刚"]}


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(expected: dict) -> list[str]:
    """Every text the draft carries, in reading order."""
    out = [expected["title"], *expected["body"]]
    for att in expected.get("attachments", []):
        out.append(att["title"])
        out += att.get("body", [])
        if att.get("table"):
            # A table's cells: set in columns, a cell's lines lie between its
            # neighbours' (see assert_in_order).
            out.append([cell for row in att["table"] for cell in row if cell])
    return out


def pdf_text(m: MeasuredPDF) -> str:
    numbers = {(ln.page, round(ln.baseline, 2)) for ln in m.page_number_lines()}
    return "".join(
        ln.text
        for p in range(1, m.pages + 1)
        for ln in m.rows(p)
        if (p, round(ln.baseline, 2)) not in numbers
    )


def assert_in_order(text: str, wanted: list, what: str) -> None:
    """Paragraphs in order; a table (a list of cells) after what precedes it, each
    cell's characters in order, the lines of a cell set in a column interleaved
    with its neighbours'."""
    text = flat(text)
    pos = 0
    for para in wanted:
        if isinstance(para, list):
            end = pos
            for cell in para:
                at = pos
                for ch in flat(cell):
                    at = text.find(ch, at)
                    assert at >= 0, f"{what}: table cell missing: {cell[:30]}"
                    at += 1
                end = max(end, at)
            pos = end
            continue
        found = text.find(flat(para), pos)
        assert found >= 0, f"{what}: missing or out of order: {para[:30]}"
        pos = found + len(flat(para))


CASES = [
    (drafts.request_without_head, drafts.EXPECTED_REQUEST, FILL),
    (drafts.letter_on_old_letterhead, drafts.EXPECTED_LETTERHEAD, {}),
    (drafts.letter_with_word_numbering, drafts.EXPECTED_NUMBERED, {}),
    (drafts.letter_pasted_from_pdf, drafts.EXPECTED_PASTED, {}),
]


@pytest.mark.parametrize(
    "build,expected,fill", CASES, ids=["请示", "旧版头", "自动编号", "PDF粘贴"]
)
def test_rendered_import_carries_every_word(tmp_path: Path, fonts, build, expected, fill) -> None:
    draft = build(tmp_path)
    doc, warnings = load_checked(draft, fill)
    result = render_document(doc, ("pdf", "docx"), Profile(), fonts, base_dir=draft.parent)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(result.files["pdf"])
    m = MeasuredPDF.open(pdf)
    assert m.missing_glyphs() == 0
    assert_in_order(pdf_text(m), words(expected), "PDF")
    # Body text stays in the 156 x 225 mm block (the letter format's first page has its own
    # frame, measured in test_pdf_layout); page numbers count up.
    numbered = m.page_number_lines()
    for ln in m.lines():
        if ln.page == 1 or ln in numbered:
            continue
        if abs(ln.size - 16) < 0.3 and ln.color in (None, (0, 0, 0)):
            assert block_ok(ln), f"page {ln.page}: {ln.text[:20]} outside the block"
    numbers = [page_number_value(ln) for ln in m.page_number_lines()]
    # (a one-page 函 carries no number: the letter format's page 1 has none; the
    # numbered draft fits one page since first lines hold 2 + 26, issue 18)
    assert numbers == sorted(numbers) and (numbers[0] in (1, 2) if m.pages > 1 else not numbers)
    # The .docx carries the same words.
    out = tmp_path / "out.docx"
    out.write_bytes(result.files["docx"])
    document = Document(out)
    text = "".join(p.text for p in document.paragraphs)
    text += "".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert_in_order(text, [w for w in words(expected) if w], "docx")


def test_render_a_draft_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "函"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "docgen",
            "render",
            str(SEED),
            "-o",
            str(out) + "/",
            "--format",
            "pdf,docx",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    pdf = out / "seed-gaoping-18.pdf"
    assert (out / "seed-gaoping-18.docx").exists()
    m = MeasuredPDF.open(pdf)
    mark = next(ln for ln in m.lines(1) if ln.color == (255, 0, 0))
    assert mark.text.replace(" ", "") == "高平市人民政府办公室"
    number = next(ln for ln in m.lines(1) if "〔2025〕18号" in ln.text)
    assert number.x1 > 180  # flush right under the letterhead, as in the sample
    text = flat(pdf_text(m))
    assert "中小学生" in text and "（此件公开发布）" in text
