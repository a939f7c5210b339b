"""Tables and charts that read (issue 18), measured on the produced files.

- the 通报's item table: a row of an ordinary item takes at most four lines, a row
  per lead unit heads its items, deadlines whole, digits never letter-spaced;
- numbers in a column of numbers on one decimal point, the block centred under
  its centred header, in the PDF and as the .docx's right indents;
- a figure that does not fit the rest of a page floats: the text after it fills
  the page (at most three empty lines above the moved figure), in the PDF and in
  the .docx's order (and LibreOffice's render of it keeps the PDF's pages).
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_pdf_edges import letter

from docgen.cli import main
from docgen.decide.decisions import decide
from docgen.fonts import resolve_fonts
from docgen.layout import layout_document
from docgen.layout.plan import RuleItem, TextItem
from docgen.loader import build
from docgen.pipeline import render_document
from docgen.spec import Profile

PROFILE = Profile()
PITCH_MM = 225 / 22
PITCH_PT = PITCH_MM * 72 / 25.4
MM = 25.4 / 72
TOP, BOTTOM = 37.0, 262.0
DATE = "2025年7月7日"


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


# --- the 通报's item table ----------------------------------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench", Path(__file__).resolve().parent.parent / "tools" / "bench.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    return bench


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report-rows")
    reg = base / "r.sqlite3"
    _bench().write_ledger(reg, 60)
    out = base / "通报.pdf"
    args = ["supervise", "report", "--as-of", "2025-10-08", "-o", str(out)]
    assert main([*args, "--registry", str(reg), "--format", "pdf,docx"]) == 0
    return out


def _table_rows(path: Path) -> list[tuple[int, str]]:
    """(lines, text) of every body row of the attachment's table, read from its rules:
    the rows between two full-width horizontal rules, in grid lines."""
    out: list[tuple[int, str]] = []
    with pdfplumber.open(path) as pdf:
        started = False
        for page in pdf.pages:
            text = page.extract_text() or ""
            started = started or "督办事项办理情况一览表" in text
            if not started:
                continue
            verticals = [ln for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.1]
            if not verticals:
                continue
            left = min(v["x0"] for v in verticals)
            right = max(v["x0"] for v in verticals)
            ys = sorted(
                {
                    round(ln["top"], 1)
                    for ln in page.lines
                    if abs(ln["top"] - ln["bottom"]) < 0.1
                    and ln["x0"] < left + 1
                    and ln["x1"] > right - 1
                }
            )
            for a, b in list(zip(ys, ys[1:]))[1:]:  # the repeated header first
                inside = page.crop((left, a + 0.5, right, b - 0.5)).extract_text() or ""
                out.append((round((b - a) / PITCH_PT), inside.replace("\n", "")))
    return out


def test_report_rows_take_at_most_four_lines_units_head_their_items(report: Path) -> None:
    rows = _table_rows(report)
    items = [(n, t) for n, t in rows if not re.search(r"（\d+项）$", t)]
    units = [(n, t) for n, t in rows if re.search(r"（\d+项）$", t)]
    assert len(items) >= 30 and units
    assert max(n for n, _ in items) <= 4, sorted({n for n, _ in items})
    assert all(n == 1 for n, _ in units)  # a unit's name on one line across the table


def test_report_cells_never_letter_space_digits(report: Path) -> None:
    with pdfplumber.open(report) as pdf:
        digits = 0
        for page in pdf.pages[4:]:
            chars = sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"]))
            for a, b in zip(chars, chars[1:]):
                if (
                    a["text"].isdigit()
                    and b["text"].isdigit()
                    and round(a["top"]) == round(b["top"])
                    and b["x0"] - a["x1"] < 6  # one cell's (spread digits were 1-3 pt apart)
                ):
                    digits += 1
                    assert b["x0"] - a["x1"] < 0.3, (a["text"], b["text"], b["x0"] - a["x1"])
    assert digits > 50


def test_report_docx_columns_are_the_pdfs(report: Path) -> None:
    xml = zipfile.ZipFile(report.with_suffix(".docx")).read("word/document.xml").decode()
    table = xml[xml.index("<w:tbl>", xml.index("督办事项办理情况一览表")) :]
    grid = [
        int(w)
        for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table[: table.index("</w:tblGrid>")])
    ]
    with pdfplumber.open(report) as pdf:
        page = next(p for p in pdf.pages if "序号" in (p.extract_text() or ""))
        xs = sorted({round(ln["x0"], 1) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.1})
    pdf_mm = [(b - a) * MM for a, b in zip(xs, xs[1:])]
    assert len(grid) == len(pdf_mm) == 4
    for tw, mm in zip(grid, pdf_mm):
        assert abs(tw / 1440 * 25.4 - mm) < 0.3


# --- numbers on the decimal point -----------------------------------------------------

AMOUNTS = ["1,200.5", "12.25", "3", "—", "860.125"]


def _amounts_letter() -> dict:
    rows = [["序号", "项目", "金额（万元）"]]
    rows += [[str(k), f"项目{k}", a] for k, a in enumerate(AMOUNTS, 1)]
    return letter(body=["第一段。", {"table": {"header_rows": 1, "rows": rows}}])


def test_numbers_align_on_the_decimal_point(fonts, tmp_path: Path) -> None:
    out = render_document(build(_amounts_letter()), ("pdf", "docx"), PROFILE, fonts)
    path = tmp_path / "函.pdf"
    path.write_bytes(out.files["pdf"])
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        xs = sorted({round(ln["x0"], 2) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.1})
        left, right = xs[-2], xs[-1]  # the amounts' column
        lines: dict[int, list[dict]] = {}
        for c in page.chars:
            if left < c["x0"] < right:
                lines.setdefault(round(c["top"]), []).append(c)
    texts = {
        "".join(c["text"] for c in sorted(v, key=lambda c: c["x0"])): v for v in lines.values()
    }
    assert set(AMOUNTS) <= set(texts)
    points = []
    for a in AMOUNTS:
        chars = sorted(texts[a], key=lambda c: c["x0"])
        if a == "—":  # a dash centred in the column
            mid = (chars[0]["x0"] + chars[-1]["x1"]) / 2
            assert abs(mid - (left + right) / 2) < 1.0
            continue
        whole = a.split(".")[0]
        points.append(chars[len(whole) - 1]["x1"])  # the point's place: after the whole part
        for x, y in zip(chars, chars[1:]):
            assert y["x0"] - x["x1"] < 0.3  # digits not letter-spaced
    assert max(points) - min(points) < 0.3, points
    header = sorted(
        next(v for t, v in texts.items() if t.startswith("金额")), key=lambda c: c["x0"]
    )
    assert abs((header[0]["x0"] + header[-1]["x1"]) / 2 - (left + right) / 2) < 1.0
    # The .docx: right-aligned with a right indent making up for the tail each lacks.
    xml = zipfile.ZipFile(_write(tmp_path / "函.docx", out.files["docx"])).read("word/document.xml")
    cells = {
        m.group(2): int(m.group(1))
        for m in re.finditer(
            rb'<w:ind w:right="(\d+)"/><w:jc w:val="right"/></w:pPr><w:r>.*?<w:t[^>]*>([^<]+)</w:t>',
            xml,
        )
    }
    size_tw = 16 * 20  # the table's size: 3号
    half = size_tw / 2
    by = {k.decode(): v for k, v in cells.items()}
    assert abs((by["3"] - by["860.125"]) - 4 * half) <= 2  # ".125" is four half ems
    assert abs((by["12.25"] - by["860.125"]) - 1 * half) <= 2


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_sequence_column_stays_centred_a_count_column_aligns() -> None:
    from docgen.decide.tables import decide_table

    doc = build(_amounts_letter())
    table = doc.body[1].table
    dec = decide_table(table, PROFILE)
    assert all(dec.aligns[r, 0] == "center" for r in range(1, len(AMOUNTS) + 1))
    assert dec.aligns[4, 2] == "center"  # the dash
    assert {dec.aligns[r, 2] for r in (1, 2, 3, 5)} == {"right"}
    assert (1, 0) not in dec.insets and (3, 2) in dec.insets


# --- figures float --------------------------------------------------------------------


def _floating_letter(lead: int) -> dict:
    rows = [["项目", "内容"]] + [[f"项目{k}", "内容" * 40] for k in range(4)]  # tall rows
    body = ["前文" * lead + "。", {"table": {"title": "项目一览", "rows": rows}}]
    body += ["后文第一段" + "说明" * 40 + "。", "后文第二段" + "说明" * 30 + "。", "后文第三段。"]
    return letter(body=body)


def _floated(fonts) -> tuple[dict, object]:
    """A 函 whose table does not fit under its first paragraph with lines to spare."""
    for lead in range(20, 400, 7):
        data = _floating_letter(lead)
        doc = build(data)
        plan = layout_document(doc, PROFILE, fonts, decide(doc, PROFILE, fonts=fonts))
        if plan.floats:
            return data, plan
    pytest.fail("no example floated")


def _page_of(plan, text: str) -> int:
    return next(
        k
        for k, p in enumerate(plan.pages, 1)
        if any(isinstance(i, TextItem) and i.text.startswith(text) for i in p.items)
    )


def test_a_table_that_does_not_fit_floats_and_the_text_fills_the_page(fonts, tmp_path) -> None:
    data, plan = _floated(fonts)
    moved = _page_of(plan, "项目一览")
    before = plan.pages[moved - 2]
    body = [i for i in before.items if isinstance(i, TextItem) and i.size_pt == 16]
    last = max(i.baseline for i in body)
    assert (BOTTOM - last) / PITCH_MM < 4  # at most three empty lines above the moved table
    assert _page_of(plan, "后文第一段") == moved - 1  # the text after it went up
    title = next(
        i for i in plan.pages[moved - 1].items if isinstance(i, TextItem) and i.text == "项目一览"
    )
    assert title.baseline < TOP + PITCH_MM  # the table opens its page
    # The .docx in the PDF's order: the text that went up, then the table on a new page.
    out = render_document(build(data), ("pdf", "docx"), PROFILE, fonts)
    xml = (
        zipfile.ZipFile(_write(tmp_path / "函.docx", out.files["docx"]))
        .read("word/document.xml")
        .decode()
    )
    assert xml.index("后文第一段") < xml.index("项目一览")
    title_p = xml[xml.rindex("<w:p>", 0, xml.index("项目一览")) : xml.index("项目一览")]
    assert "<w:pageBreakBefore/>" in title_p
    flowed = plan.floats[next(iter(plan.floats))].replace(" ", "")
    assert flowed.startswith("后文第一段")


def test_libreoffice_keeps_the_floated_pages(fonts, soffice, fonts_conf, tmp_path) -> None:
    from lo import soffice_convert
    from pdfmeasure import MeasuredPDF

    data, plan = _floated(fonts)
    out = render_document(build(data), ("pdf", "docx"), PROFILE, fonts)
    ours = _write(tmp_path / "ours.pdf", out.files["pdf"])
    (lo,) = soffice_convert(
        [_write(tmp_path / "函.docx", out.files["docx"])],
        tmp_path / "lo",
        fonts_conf,
        soffice=soffice,
    )
    for made in (MeasuredPDF.open(ours), MeasuredPDF.open(lo)):
        title = next(ln for ln in made.lines() if ln.text.replace(" ", "") == "项目一览")
        first = next(ln for ln in made.lines() if ln.text.replace(" ", "").startswith("后文第一段"))
        assert first.page == title.page - 1, (made, first.page, title.page)
        assert title.top < TOP + PITCH_MM


def _table(rows: int, cell: int) -> dict:
    """A table of ``rows`` rows whose second cells hold ``cell`` characters (tall rows)."""
    return {
        "table": {"rows": [["项目", "内容"]] + [[f"项目{i}", "内" * cell] for i in range(rows)]}
    }


block = st.one_of(
    st.integers(1, 140).map(lambda n: "正文" * n + "。"),
    st.builds(_table, st.integers(1, 10), st.integers(2, 160)),
)


def _named(body: list) -> list:
    """The blocks told apart: paragraph k opens with 段k, table k's header with 表k."""
    out: list = []
    for k, b in enumerate(body):
        if isinstance(b, str):
            out.append(f"段{k}" + b)
        else:
            rows = [[f"表{k}", "内容"], *b["table"]["rows"][1:]]
            out.append({"table": {"rows": rows}})
    return out


def _first_page(plan, text: str) -> int | None:
    for n, page in enumerate(plan.pages, 1):
        for item in [*page.items, *page.turned]:
            if isinstance(item, TextItem) and item.text.startswith(text):
                return n
    return None


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.lists(block, min_size=2, max_size=12))
@example(  # the text after the table is the text's last two lines: the signature's
    ["正文" * n + "。" for n in (40, 54, 96, 82, 110)] + [_table(1, 82), "正文。", "正文。"]
)
def test_no_page_leaves_more_than_three_lines_above_a_moved_figure(fonts, body) -> None:
    """Wherever tables fall among paragraphs: a table that opens a page while the page
    before has more than three empty lines under its text has no paragraph after it
    that could have filled them: the next paragraph went up (it floated), or there is
    none before the next table, or it is the text's last, which the signature takes
    along [7.3.5.5]. (A table set across the page opens a page of its own.)"""
    body = _named(body)
    doc = build(letter(body=body))
    plan = layout_document(doc, PROFILE, fonts, decide(doc, PROFILE, fonts=fonts))
    for k, b in enumerate(body):
        if isinstance(b, str):
            continue
        n = _first_page(plan, f"表{k}")
        if n is None or n == 1 or plan.pages[n - 1].landscape:
            continue
        prev = plan.pages[n - 2]
        lines = [i for i in prev.items if isinstance(i, TextItem) and i.baseline < BOTTOM + 1]
        last = max(lines, key=lambda i: i.baseline)  # (not the page number)
        in_table = any(
            isinstance(r, RuleItem) and r.x0 == r.x1 and r.y <= last.baseline <= (r.y1 or r.y)
            for r in prev.items
        )
        if in_table or (BOTTOM - last.baseline) / PITCH_MM < 4:
            continue
        after = body[k + 1] if k + 1 < len(body) else None
        if not isinstance(after, str):
            continue  # no text to fill the page
        # It went up, or it is among the text's last lines the signature took along.
        assert _first_page(plan, f"段{k + 1}") in (n - 1, _first_page(plan, DATE)), (k, n)


# --- a row of one cell across the table (a group's heading) ---------------------------

BANNER_ROWS = [
    ["序号", "事项", "完成时限"],
    [{"text": " 市文物局（2项） ", "colspan": 3, "align": "left"}],
    ["1", "检查", "2025年9月8日"],
    ["2", "整改", "2025年12月31日"],
    [{"text": "市公安局（1项）", "colspan": 3}],
    ["3", "巡查", "2025年10月1日"],
]


def test_rows_across_the_table_take_the_fast_path_and_equal_validated_cells(monkeypatch):
    from docgen.models import tables
    from docgen.models.tables import Table, plain_rows

    assert plain_rows(BANNER_ROWS) is not None
    quick = Table.model_validate({"rows": BANNER_ROWS})
    monkeypatch.setattr(tables, "plain_rows", lambda value: None)
    slow = Table.model_validate({"rows": BANNER_ROWS})
    assert [[c.model_dump() for c in r] for r in quick.rows] == [
        [c.model_dump() for c in r] for r in slow.rows
    ]
    assert [p[:4] for p in quick.cells] == [p[:4] for p in slow.cells]
    # Not the fast path: a cell across only part of the table, or one spanning rows.
    for odd in ({"text": "x", "colspan": 2}, {"text": "x", "colspan": 3, "rowspan": 2}):
        assert plain_rows([["a", "b", "c"], [odd]]) is None


def test_a_group_heading_row_never_ends_a_page(fonts) -> None:
    """The unit's row goes with its first item, in the PDF's pagination."""
    rows = [BANNER_ROWS[0]]
    for u in range(12):
        rows.append([{"text": f"单位{u}（2项）", "colspan": 3}])
        rows += [[str(2 * u + k), "事项" * 9, "2025年9月8日"] for k in (1, 2)]
    for lead in range(0, 40, 3):  # wherever the pages fall (without the rule: 20 of them)
        doc = build(letter(body=["第一段" * lead + "。", {"table": {"rows": rows}}]))
        plan = layout_document(doc, PROFILE, fonts, decide(doc, PROFILE, fonts=fonts))
        for page in plan.pages:
            texts = sorted(
                (i for i in page.items if isinstance(i, TextItem) and i.baseline < BOTTOM + 1),
                key=lambda i: i.baseline,
            )
            if texts:
                assert not re.fullmatch(r"单位\d+（2项）", texts[-1].text), (lead, texts[-1].text)
