"""The 督办情况通报 measured as every file-format 公文 is (GB/T 9704, in mm), its totals
against `list`'s, its chart as vector boxes, its table of every item; and the export."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pdfmeasure import MeasuredPDF, page_number_value
from svhelp import copy_of, notices_by_deadline
from test_docx_lo import strip_hanging

from docgen.cli import main

LEFT, TOP, RIGHT, BOTTOM = 28.0, 37.0, 184.0, 262.0
PITCH = 225 / 22
CHAR = 156 / 28
RED = (255, 0, 0)
AS_OF = dt.date(2025, 10, 8)
NO_LINE_START = set("。，、；：？！）》」』】”’")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
TOTALS = re.compile(r"议定事项(\d+)项，已办结(\d+)项，正在办理(\d+)项，逾期未办结(\d+)项")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The sample batch, feedback on three items (one closed), then the report and `list`."""
    base = tmp_path_factory.mktemp("report")
    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", base)
    table = base / "反馈.csv"
    table.write_text(
        "编号,办理情况,是否办结,反馈日期\n"
        "高文联办督〔2025〕4号,年度经费已全部落实,是,2025-09-02\n"
        "高文联办督〔2025〕3号,检查已完成八成,否,2025-09-25\n"
        "高文联办督〔2025〕1号,专项行动已开展两轮,否,2025-09-20\n",
        encoding="utf-8",
    )
    assert main(["supervise", "feedback", str(table), "--registry", str(reg)]) == 0
    out = base / "通报.pdf"
    args = ["supervise", "report", "--as-of", AS_OF.isoformat(), "-o", str(out)]
    # --all: the table lists every item (by default only those not yet done, issue 18)
    assert main([*args, "--format", "pdf,docx", "--registry", str(reg), "--all"]) == 0
    return {"reg": reg, "pdf": MeasuredPDF.open(out), "path": out, "docx": out.with_suffix(".docx")}


def listed(reg: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    args = ["supervise", "list", "--registry", str(reg), "--as-of", AS_OF.isoformat(), "--json"]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)["counts"]


def text_of(m: MeasuredPDF) -> str:
    return "".join(ln.text for ln in m.rows()).replace(" ", "")


def test_the_totals_are_the_totals_of_list(made: dict, capsys: pytest.CaptureFixture[str]) -> None:
    found = TOTALS.findall(text_of(made["pdf"]))
    assert len(found) == 1
    total, done, open_, late = (int(x) for x in found[0])
    c = listed(made["reg"], capsys)
    assert (total, done, open_, late) == (
        c["total"],
        c["by_group"]["已办结"],
        c["by_group"]["正在办理"],
        c["by_group"]["逾期未办结"],
    )
    # And independently of docgen: the sample's deadlines, less the item closed above.
    overdue = sum(1 for _, d in notices_by_deadline() if d < AS_OF)
    assert (total, done, late) == (13, 1, overdue - 1)


def test_head_title_and_body_on_the_grid(made: dict) -> None:
    m: MeasuredPDF = made["pdf"]
    assert m.missing_glyphs() == 0
    mark = next(ln for ln in m.lines(1) if ln.color == RED)
    assert mark.text.replace(" ", "") == "高平市文物保护工作联席会议办公室文件"
    assert abs(mark.top - (TOP + 35.0)) < 0.3 and abs(mark.center - 106.0) < 0.3
    assert LEFT - 0.1 <= mark.x0 and mark.x1 <= RIGHT + 0.1
    number = next(ln for ln in m.rows(1) if "高文联办通〔2025〕1号" in ln.text)
    assert abs(number.center - 106.0) < 0.5
    assert abs(number.baseline - mark.bottom - 2.8 * PITCH) < 0.1  # two empty lines below
    sep = next(r for r in m.rules(1) if r.color == RED)
    assert abs(sep.length - 156.0) < 0.1 and abs(sep.x0 - LEFT) < 0.1
    assert abs(sep.y - (number.bottom + 4.0)) < 0.1
    titles = [ln for ln in m.lines(1) if abs(ln.size - 22) < 0.3]
    assert "".join(t.text for t in titles).replace(" ", "") == (
        "关于高平市文物保护工作联席会议议定事项落实情况的通报"
    )
    gap = titles[0].top - sep.y  # as tests/test_pdf_layout.py measures the request's
    assert 1.5 * PITCH <= gap <= 2.5 * PITCH + (PITCH - 22 * 25.4 / 72) / 2 + 0.1, gap
    assert len(titles) >= 2 and len({round(t.x1 - t.x0) for t in titles}) == len(titles)
    recipients = next(ln for ln in m.rows(1) if ln.text.startswith("联席会议各成员单位"))
    assert abs(recipients.x0 - LEFT) < 0.2
    # Every 3号 line: inside the block, on the 22-line grid, no forbidden line start.
    for page in range(1, m.pages + 1):
        below = sep.y if page == 1 else 0.0  # the head's lines keep their own measures
        body = [
            ln
            for ln in m.rows(page)
            if abs(ln.size - 16) < 0.3 and ln.color != RED and ln.baseline > below
        ]
        for ln in body:
            assert LEFT - 0.3 <= ln.x0 and ln.x1 <= RIGHT + 0.3, ln.text
            assert TOP - 0.5 <= ln.top and ln.bottom <= BOTTOM + 0.5, ln.text
            assert ln.text.strip()[0] not in NO_LINE_START, ln.text
        baselines = sorted(ln.baseline for ln in body)
        for a, b in zip(baselines, baselines[1:]):
            steps = (b - a) / PITCH
            assert abs(steps - round(steps)) < 0.02, (page, a, b)


def test_page_numbers_signature_and_colophon(made: dict) -> None:
    m: MeasuredPDF = made["pdf"]
    last = m.pages
    assert last % 2 == 0  # double-sided: the 版记 on an even page
    numbered = {ln.page: ln for ln in m.page_number_lines()}
    one = 14 * 25.4 / 72  # one 4号 character: the page number's own size
    for page, ln in numbered.items():
        assert page_number_value(ln) == page
        if page % 2:
            assert abs(ln.x1 - (RIGHT - one)) < 0.3
        else:
            assert abs(ln.x0 - (LEFT + one)) < 0.3
    assert set(numbered) >= set(range(1, last))
    sign = next(
        p for p in range(1, last + 1) if any("2025年10月8日" == ln.text.strip() for ln in m.rows(p))
    )
    date = next(ln for ln in m.rows(sign) if ln.text.strip() == "2025年10月8日")
    assert abs(date.x1 - (RIGHT - 4 * CHAR)) < 0.5  # sealed: four characters in from the right
    rules = sorted(
        (r for r in m.rules(last) if r.color in (None, (0, 0, 0)) and r.length > 150),
        key=lambda r: r.y,
    )
    assert abs(rules[-1].y - BOTTOM) < 0.5  # the last 版记 line on the block's bottom
    assert any("印发" in ln.text for ln in m.rows(last))


def test_chart_is_vector_and_readable_in_black_and_white(made: dict) -> None:
    import pdfplumber

    units = {u for u, _ in notices_by_deadline()}
    with pdfplumber.open(made["path"]) as pdf:
        for page in pdf.pages:
            text = (page.extract_text() or "").replace(" ", "")
            if "各牵头单位督办事项办理情况" in text:
                break
        else:
            pytest.fail("chart title not found")
        boxes = [r for r in page.rects if 10 < r["height"] < 20]  # 5 mm bars, in points
        fills = set()
        for r in boxes:
            color = r["non_stroking_color"]
            color = color if isinstance(color, (tuple, list)) else (color,)
            fills.add(tuple(round(float(v), 2) for v in color))
        hatch = [
            ln
            for ln in page.lines
            if abs(ln["x1"] - ln["x0"]) > 0.1 and abs(ln["top"] - ln["bottom"]) > 0.1
        ]
        assert not page.images  # drawn, not pasted in
    # One bar per unit plus three legend keys; the series differ by grey level or hatching.
    assert len(boxes) >= len(units) + 3
    assert len(fills) >= 2 and hatch
    assert all(len(set(f)) <= 1 for f in fills if f)  # greys only: nothing told apart by colour
    for u in units:
        assert u in text


def test_table_lists_every_item(made: dict) -> None:
    m: MeasuredPDF = made["pdf"]
    att = next(
        p for p in range(1, m.pages + 1) if any(ln.text.strip() == "附件" for ln in m.rows(p))
    )
    text = "".join(text_of_page(m, p) for p in range(att, m.pages + 1))
    # Four columns (issue 18): each lead unit heads its items in a row across the table,
    # a passed deadline says so under the date, the status leads the 办理情况.
    for col in ("序号", "议定事项", "完成时限", "办理情况"):
        assert col in text
    for unit, _ in notices_by_deadline():
        assert re.search(re.escape(unit) + r"（\d+项）", text), unit
    # The 办理情况 column read down its cells: each feedback recorded, after its status.
    said = _last_column(made["path"], att)
    for piece in ("已办结：年度经费已全部落实", "检查已完成八成", "专项行动已开展两轮", "未反馈"):
        assert piece in said, piece
    assert "逾期" in text
    firsts = []
    for p in range(att, m.pages + 1):
        for ln in m.rows(p):
            head = "".join(g.text for g in ln.glyphs if g.x1 < LEFT + 12).strip()
            if head.isdigit():
                firsts.append(int(head))
    assert sorted(set(firsts)) == list(range(1, 14))


def _last_column(path: Path, first_page: int) -> str:
    """The text of a table's last column, cell by cell down the pages (pdfplumber crop)."""
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[first_page - 1 :]:
            xs = sorted({round(ln["x0"], 1) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.1})
            if len(xs) < 2:
                continue
            column = page.crop((xs[-2], 0, xs[-1], page.height))
            out.append((column.extract_text() or "").replace("\n", "").replace(" ", ""))
    return "".join(out)


def text_of_page(m: MeasuredPDF, page: int) -> str:
    return "".join(ln.text for ln in m.rows(page)).replace(" ", "")


def test_docx_has_the_table_the_chart_and_the_totals(
    made: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    doc = Document(str(made["docx"]))
    text = "".join(p.text for p in doc.paragraphs)
    c = listed(made["reg"], capsys)
    g = c["by_group"]
    assert (
        f"议定事项{c['total']}项，已办结{g['已办结']}项，正在办理{g['正在办理']}项，"
        f"逾期未办结{g['逾期未办结']}项"
    ) in text
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert [cell.text for cell in table.rows[0].cells] == [
        "序号",
        "议定事项",
        "完成时限",
        "办理情况",
    ]
    units = {u for u, _ in notices_by_deadline()}
    assert len(table.rows) == 14 + len(units)  # the header, 13 items, a row per unit
    heads = [r for r in table.rows if len({id(c._tc) for c in r.cells}) == 1]
    assert {r.cells[0].text.split("（")[0] for r in heads} == units
    for r in heads:  # a unit's row kept with its first item
        assert "keepNext" in r.cells[0].paragraphs[0]._p.xml
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # repeated on each page
    pictures = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(pictures) >= len({u for u, _ in notices_by_deadline()})


@pytest.mark.usefixtures("soffice")
def test_report_docx_in_libreoffice_keeps_head_and_grid(
    made: dict, tmp_path: Path, fonts_conf: Path
) -> None:
    from lo import soffice_convert

    (pdf,) = soffice_convert([made["docx"]], tmp_path, fonts_conf)
    m = MeasuredPDF.open(pdf)
    mark = next(ln for ln in m.lines(1) if ln.color == RED)
    assert abs(mark.top - (TOP + 35.0)) < 1.5
    assert TOTALS.search(text_of(m))
    for page in range(1, m.pages + 1):
        for ln in m.rows(page):
            if abs(ln.size - 16) < 0.3 and ln.color != RED:
                # LibreOffice hangs a closing mark past the edge, as test_docx_lo allows.
                _, right = strip_hanging(ln)
                assert LEFT - 0.5 <= ln.x0 and right <= RIGHT + 0.5, ln.text


# --- the export ------------------------------------------------------------------------


def test_export_sheets_styles_and_summary(made: dict, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from docgen.ledger.store import Ledger, NoticeRecord
    from docgen.registry import Request

    reg = tmp_path / "r.sqlite3"
    reg.write_bytes(made["reg"].read_bytes())
    with Ledger(reg) as led:  # a second meeting's notice, for a second sheet

        def then(db: object, issued: list) -> None:
            led.record_notices(db, [NoticeRecord(issued[0], "第二次全体会议", "第2期", "1", "市教育局",
                                                 "=HYPERLINK(\"x\")开展研学", deadline=dt.date(2025, 9, 1))])  # fmt: skip

        led.registry.allocate(
            "高文联办督", 2025, [Request("supervision", item_key="m2")], then=then
        )
    out = tmp_path / "台账.xlsx"
    args = ["supervise", "export", "-o", str(out), "--as-of", AS_OF.isoformat()]
    assert main([*args, "--registry", str(reg)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "高平市文物保护工作联席会议第一次全体会议"[:31],
        "第二次全体会议",
        "汇总",
    ]
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    col = {name: i + 1 for i, name in enumerate(header)}
    assert ws.freeze_panes == "B3" and ws.auto_filter.ref.startswith("A2:")
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    assert len(rows) == 13
    done, late = rows["高文联办督〔2025〕4号"], rows["高文联办督〔2025〕8号"]
    assert ws.cell(done, col["状态"]).value == "已办结"
    assert ws.cell(done, col["状态"]).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.cell(late, col["逾期"]).value.startswith("逾期")
    for c in ("编号", "承办单位", "督办事项"):
        cell = ws.cell(late, col[c])
        assert cell.fill.fgColor.rgb.endswith("FFC7CE") and cell.font.color.rgb.endswith("9C0006")
    fb = ws.cell(rows["高文联办督〔2025〕3号"], col["办理情况"])
    assert fb.value == "检查已完成八成" and fb.alignment.wrap_text
    second = wb["第二次全体会议"]
    assert second.cell(3, col["督办事项"]).data_type == "s"  # a formula-looking text stays text
    summary = wb["汇总"]
    assert len(summary._charts) == 1
    total_row = next(r for r in summary.iter_rows(values_only=True) if r[0] == "合计")
    assert total_row[-1] == 14


@pytest.fixture(scope="module")
def many_units(tmp_path_factory: pytest.TempPathFactory) -> MeasuredPDF:
    """200 notices over every member unit: the chart then takes most of a page."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench", Path(__file__).resolve().parent.parent / "tools" / "bench.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    base = tmp_path_factory.mktemp("report-units")
    reg = base / "r.sqlite3"
    bench.write_ledger(reg, 200)
    out = base / "通报.pdf"
    args = ["supervise", "report", "--as-of", AS_OF.isoformat(), "-o", str(out)]
    assert main([*args, "--registry", str(reg)]) == 0
    return MeasuredPDF.open(out)


def test_a_page_sized_chart_leaves_no_blank_page_and_text_with_the_signature(
    many_units: MeasuredPDF,
) -> None:
    m = many_units
    chart = next(
        p for p in range(1, m.pages + 1) if "各牵头单位督办事项办理情况" in text_of_page(m, p)
    )
    attachment = next(
        p for p in range(1, m.pages + 1) if any(ln.text.strip() == "附件" for ln in m.rows(p))
    )
    for page in range(1, attachment):
        words = [ln for ln in m.rows(page) if not PAGE_NUMBER.match(ln.text.strip())]
        assert words, f"第{page}页是空白页"
    # The chart stands before 五、有关要求, so the closing text can go with the signature.
    order = "".join(text_of_page(m, p) for p in range(1, attachment))
    assert order.index("四、逾期未办结事项") < order.index("各牵头单位督办事项办理情况")
    assert order.index("各牵头单位督办事项办理情况") < order.index("五、有关要求")
    sign = next(
        p
        for p in range(chart, attachment)
        if any(ln.text.strip() == "2025年10月8日" for ln in m.rows(p))
    )
    date = next(ln for ln in m.rows(sign) if ln.text.strip() == "2025年10月8日")
    body_above = [
        ln
        for ln in m.rows(sign)
        if abs(ln.size - 16) < 0.3 and ln.baseline < date.baseline - 2.5 * PITCH
    ]
    assert body_above, "署名页没有正文"


def _runs(path: Path) -> list[list[str]]:
    """Each page's text runs: the characters on one baseline within one cell (as
    /work/shared/tools/whole-in-lines.py reads them: a gap of over two characters splits)."""
    import pymupdf

    pages = []
    for page in pymupdf.open(path):
        rows: dict[int, list] = {}
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    for c in sp["chars"]:
                        if c["c"].strip():
                            rows.setdefault(round(c["origin"][1] / 2), []).append(c)
        runs = []
        for y in sorted(rows):
            run, last = "", None
            for c in sorted(rows[y], key=lambda c: c["origin"][0]):
                w = c["bbox"][2] - c["bbox"][0]
                if last is not None and c["bbox"][0] - last > 2.2 * max(w, 6):
                    runs.append(run)
                    run = ""
                run += c["c"]
                last = c["bbox"][2]
            runs.append(run)
        pages.append(runs)
    return pages


def test_table_lists_what_is_not_done_with_dates_whole(tmp_path: Path) -> None:
    """By default the table lists the items not yet done (--all: every item); no
    deadline breaks, no number is letter-spaced (issue 18)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench", Path(__file__).resolve().parent.parent / "tools" / "bench.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    reg = tmp_path / "r.sqlite3"
    bench.write_ledger(reg, 40)
    out = tmp_path / "通报.pdf"
    args = ["supervise", "report", "--as-of", AS_OF.isoformat(), "-o", str(out)]
    assert main([*args, "--registry", str(reg)]) == 0
    pages = _runs(out)
    att = next(k for k, runs in enumerate(pages) if "附件" in runs)
    table = [r for runs in pages[att:] for r in runs]
    assert not any("已办结" in r for r in table)  # done items are counted, not listed
    dates = [d for r in table for d in re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", r)]
    assert len(dates) >= 10
    for r in table:  # (runs join neighbouring cells; a broken date leaves a stub at an end)
        stub = re.search(r"\d{4}年(\d{1,2}(月\d{0,2})?)?$", r)
        assert not (stub and not re.search(r"月\d{1,2}日$", r)), f"日期被断开：{r}"
        assert not re.match(r"(\d{1,2}月)?\d{1,2}日|月|日", r), f"日期被断开：{r}"
    out_all = tmp_path / "全部.pdf"
    args = ["supervise", "report", "--as-of", AS_OF.isoformat(), "-o", str(out_all), "--all"]
    assert main([*args, "--registry", str(reg), "--force"]) == 0
    every = [r for runs in _runs(out_all) for r in runs]
    assert any(r.startswith("已办结") for r in every)
