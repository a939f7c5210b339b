"""The PDF writer's shortcuts: a repeated line or rule is written from a memo, and
reportlab's pdfdocEnc takes a direct path for ASCII; both must give what reportlab would.

The byte-for-byte check over whole documents is tools/golden.py; these tests
open small documents built for the case and look at what a reader finds.
"""

from __future__ import annotations

import io
from argparse import Namespace

import pdfplumber
import pytest
from reportlab.pdfbase import pdfdoc

from docgen.cli import load_context
from docgen.layout.plan import Page, Plan, RuleItem, TextItem
from docgen.render.pdf import _fast_pdfdoc_enc, render_pdf
from docgen.spec import FontRole, mm

CELL = "已完成整改"  # one table cell, the same on every row and page
ROWS_MM = [50.0, 62.5, 75.0]


@pytest.fixture(scope="module")
def repeated() -> pdfplumber.PDF:
    """Two pages, each with the same cell on three rows and the same rule under them."""
    _, fonts = load_context(Namespace(profile=None, font=[]))
    pages = []
    for _ in range(2):
        items: list = [RuleItem(x0=30, x1=180, y=80, width_mm=0.3)]
        items += [
            TextItem(x=40, baseline=y, runs=[(FontRole.FANGSONG, CELL)], size_pt=14)
            for y in ROWS_MM
        ]
        items.append(TextItem(x=40, baseline=90, runs=[(FontRole.HEITI, "序号")], size_pt=14))
        pages.append(Page(items=items))
    data = render_pdf(Plan(pages=pages, title_lines=[]), fonts)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        yield pdf


def test_a_repeated_line_is_drawn_at_each_baseline(repeated: pdfplumber.PDF) -> None:
    for page in repeated.pages:
        words = [w for w in page.extract_words() if w["text"] == CELL]
        # pdfplumber's "bottom" of a word sits a little below the baseline
        bottoms = sorted(w["bottom"] for w in words)
        assert len(bottoms) == len(ROWS_MM)
        for bottom, row in zip(bottoms, ROWS_MM, strict=True):
            assert mm(row) <= bottom <= mm(row) + 4
        assert {round(w["x0"], 1) for w in words} == {round(mm(40), 1)}
        assert "序号" in page.extract_text()


def test_a_repeated_rule_is_drawn_on_every_page(repeated: pdfplumber.PDF) -> None:
    for page in repeated.pages:
        (line,) = page.lines
        assert line["x0"] == pytest.approx(mm(30)) and line["x1"] == pytest.approx(mm(180))
        assert line["top"] == pytest.approx(mm(80))


def test_fast_pdfdoc_enc_gives_reportlab_bytes() -> None:
    fast = _fast_pdfdoc_enc(pdfdoc.pdfdocEnc)
    samples = [chr(c) for c in range(128) if not 0x18 <= c <= 0x1F]
    samples += ["/MediaBox", "12 0 obj\n", "Gar<~87cURD]i,~>", "é", "«»", "–", b"\x00\xff"]
    for s in samples:
        assert fast(s) == pdfdoc.pdfdocEnc(s), repr(s)
    for refused in ("\x18", "ab\x1fcd", "Ŀ"):  # reportlab's codec refuses these; so must we
        with pytest.raises(UnicodeEncodeError):
            pdfdoc.pdfdocEnc(refused)
        with pytest.raises(UnicodeEncodeError):
            fast(refused)


def test_threads_saving_at_once_leave_reportlab_as_it_was() -> None:
    """The web server renders in threads: each save swaps reportlab's helpers and puts
    them back, one save at a time, so none is left swapped and every PDF is whole."""
    from concurrent.futures import ThreadPoolExecutor

    from reportlab.pdfbase import ttfonts

    _, fonts = load_context(Namespace(profile=None, font=[]))
    before = pdfdoc.zlib, ttfonts.makeToUnicodeCMap, pdfdoc.pdfdocEnc, pdfdoc.PDFName

    def one(k: int) -> str:
        text = f"第{k}份{CELL}"
        page = Page(
            items=[TextItem(x=40, baseline=60, runs=[(FontRole.FANGSONG, text)], size_pt=16)]
        )
        data = render_pdf(Plan(pages=[page] * 3, title_lines=[]), fonts)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "|".join(p.extract_text() for p in pdf.pages)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(one, range(40)))
    assert got == ["|".join([f"第{k}份{CELL}"] * 3) for k in range(40)]
    assert (pdfdoc.zlib, ttfonts.makeToUnicodeCMap, pdfdoc.pdfdocEnc, pdfdoc.PDFName) == before
