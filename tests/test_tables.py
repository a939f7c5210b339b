"""Tables end to end: the model and its Chinese errors, the shared decisions, the PDF
measured in millimetres, the .docx as a file.

The sample samples/request-gaoping-wenbao-funds.yaml holds a table in the body,
a long table crossing pages (附件1 项目清单) and a wide one set across an A4
page (附件2 资金预算表). Expected positions come from the spec (§8, §7.5).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pdfmeasure import MeasuredPDF, sheet_page

from docgen import loader
from docgen.decide.decisions import decide
from docgen.fonts import resolve_fonts
from docgen.layout import layout_document
from docgen.models import KINDS
from docgen.models.tables import Table, TableItem, body_texts
from docgen.pipeline import render_document
from docgen.problems import InputError
from docgen.render.docx import render_docx
from docgen.spec import Profile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE = SAMPLES / "request-gaoping-wenbao-funds.yaml"
LEFT, TOP, RIGHT, BOTTOM = 28.0, 37.0, 184.0, 262.0
PITCH = 225 / 22
MM = 25.4 / 72
PROFILE = Profile()


def letter_with(*blocks) -> dict:
    data = yaml.safe_load((SAMPLES / "letter-gaoping-18.yaml").read_text(encoding="utf-8"))
    data["body"] = ["第一段。", *blocks]
    return data


def problems(data: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        loader.build(data, "函.yaml")
    return [str(p) for p in exc.value.problems]


# --- the model ---------------------------------------------------------------


def test_table_in_body_natural_yaml():
    data = letter_with(
        {
            "table": {
                "title": "项目清单",
                "header_rows": 1,
                "widths": [1, "30mm", 2],
                "rows": [
                    ["序号", "项目", "金额"],
                    [1, "羊头山石窟保护", "120.00"],
                    [{"text": "合计", "colspan": 2}, 120.5],
                ],
            }
        },
        "末段。",
    )
    doc = loader.build(data, "函.yaml")
    table = doc.body[1].table
    assert isinstance(doc.body[1], TableItem)
    assert table.columns == 3
    assert [(p.row, p.col, p.colspan, p.cell.text) for p in table.cells][-2:] == [
        (2, 0, 2, "合计"),
        (2, 2, 1, "120.5"),
    ]
    assert [w.mm for w in table.widths] == [None, 30.0, None]
    assert body_texts(doc.body)[:3] == ["第一段。", "项目清单", "序号"]


def test_chinese_aliases():
    data = letter_with(
        {"表格": {"表头行数": 2, "行": [["类别", "金额"], ["（万元）", ""], ["a", "1"]]}}
    )
    table = loader.build(data, "函.yaml").body[1].table
    assert table.header_rows == 2 and table.columns == 2


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ({"rows": [["a", "b", "c"], ["1", "2"]]}, "第2行有 2 列，第1行有 3 列"),
        ({"rows": [["a", "b"], [{"text": "x", "rowspan": 3}, "2"]]}, "第2行第1列的单元格跨 3 行"),
        ({"rows": [["a", "b"], [{"text": "x", "colspan": 3}]]}, "跨 3 列，超出表格的 2 列"),
        ({"header_rows": 3, "rows": [["a", "b"]]}, "表头行数为 3，但表格只有 1 行"),
        ({"rows": [["a", "b"]], "widths": [1]}, "列宽写了 1 项，表格有 2 列"),
        ({"rows": [["a", "b"]], "widths": ["abc", 1]}, "列宽“abc”无法识别"),
        ({"rows": [["a", "b"]], "widths": ["200mm", "100mm"]}, "超过横排页版心宽度 225 毫米"),
        (
            {"rows": [[{"text": "a", "rowspan": 2}, "b"], ["c"]]},
            "从表头跨到了表头以下",
        ),
    ],
)
def test_table_errors_in_chinese_name_the_place(table, said):
    found = problems(letter_with(table and {"table": table}))
    assert len(found) == 1, found
    assert said in found[0]
    # File, the body entry (English and Chinese field names), the row.
    assert found[0].startswith("错误：函.yaml，body[2].table")
    assert "（正文[2].表格" in found[0]


# Cell texts a pasted table may carry: what plain_rows takes in one pass must come out as
# validating cell by cell makes it (stripped, cleaned), and what it leaves must be refused alike.
ODD_CELLS = [
    "普通文字",
    "  两端空格  ",
    "",
    "   ",
    "a\tb",
    "第一段\n第二段",
    "x\r\ny",
    "零宽\u200b空格",
    "软\u00ad连字符",
    "响铃\x07",
    "方向\u202e覆盖",
    "私用\ue000",
    "\x1c文件分隔符在前",
    "文件分隔符在后\x1f",
    "e\u0301",
    "\u0301开头的附加符号",
    "全角\u3000空格",
    "\u3000两端全角空格\u3000",
    "替换\ufffd",
    "a&b<c>\"'",
    "😀",
    "\ud800",
]


def _validated(rows: list) -> object:
    """The cells' dumps and fields set, or the errors' places and messages."""
    from pydantic import ValidationError

    try:
        table = Table.model_validate({"rows": rows})
    except ValidationError as exc:
        return [(e["loc"], e["msg"]) for e in exc.errors()]
    return [[(c.model_dump(), c.model_fields_set) for c in row] for row in table.rows]


@pytest.mark.parametrize("text", ODD_CELLS)
def test_plain_rows_give_what_validating_cell_by_cell_gives(text, monkeypatch):
    from docgen.models import tables

    rows = [["序号", "内容", "备注"], ["1", text, "备注"], ["2", "b", text]]
    data = letter_with({"table": {"rows": rows}})
    quick = _validated(rows)
    try:
        said = [str(p) for p in loader.build(data, "函.yaml").body[1].table.texts()]
    except InputError as exc:
        said = [str(p) for p in exc.problems]
    monkeypatch.setattr(tables, "plain_rows", lambda value: None)
    assert _validated(rows) == quick
    try:
        slow = [str(p) for p in loader.build(data, "函.yaml").body[1].table.texts()]
    except InputError as exc:
        slow = [str(p) for p in exc.problems]
    assert slow == said


def test_plain_rows_are_taken_in_one_pass_and_equal_validated_cells():
    from docgen.models.tables import Cell, plain_rows

    rows = [["序号", "单位"], ["1", " 市文物局 "], ["2", " 市文物局 "]]
    quick = plain_rows(rows)
    assert quick is not None
    cell = quick[1][1]
    full = Cell.model_validate({"text": " 市文物局 "})
    assert cell == full and cell.model_fields_set == full.model_fields_set == {"text"}
    assert cell.__pydantic_extra__ is full.__pydantic_extra__ is None
    assert cell.__pydantic_private__ is full.__pydantic_private__ is None
    assert list(vars(cell)) == list(Cell.model_fields)
    # Not taken in one pass: numbers, mappings, uneven rows, text that cleaning changes.
    for other in (
        [["a", 1]],
        [["a", {"text": "b"}]],
        [["a", "b"], ["c"]],
        [["a", "b\tc"]],
        ("a", "b"),
        [],
    ):
        assert plain_rows(other) is None, other


def test_unknown_key_in_a_cell_is_named():
    found = problems(letter_with({"table": {"rows": [[{"text": "a", "span": 2}]]}}))
    assert "无法识别的字段“span”" in found[0]
    assert "body[2].table.rows[1][1]" in found[0]


def test_schema_shows_the_table():
    schema = KINDS["letter"].model_json_schema(by_alias=False)
    defs = schema["$defs"]
    assert {"header_rows", "rows", "widths", "title", "landscape"} <= set(
        defs["Table"]["properties"]
    )
    assert {"text", "colspan", "rowspan"} <= set(defs["Cell"]["properties"])
    body = str(schema["properties"]["body"])
    assert "TableItem" in body


# --- shared decisions ----------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return loader.build(loader.read_data(SAMPLE), str(SAMPLE))


def sample_tables(doc) -> list[Table]:
    out = [b.table for b in doc.body if isinstance(b, TableItem)]
    for att in doc.attachments:
        out += [b.table for b in att.body if isinstance(b, TableItem)]
    return out


def test_decisions_size_page_and_widths(sample):
    d = decide(sample, PROFILE)
    body, listing, budget = (d.table(t) for t in sample_tables(sample))
    # A narrow table in the body: 3号 inside the 156 mm block, the given shares 5:2:3.
    assert (body.size_pt, body.landscape) == (16, False)
    assert [round(w, 1) for w in body.widths_mm] == [78.0, 31.2, 46.8]
    # The long list would wrap in most cells at 3号: 4号, still upright, full width.
    assert (listing.size_pt, listing.landscape) == (14, False)
    assert sum(listing.widths_mm) == pytest.approx(156)
    # Ten columns of amounts do not fit 156 mm even at 4号: across the page, 225 mm.
    assert budget.landscape and sum(budget.widths_mm) == pytest.approx(225)
    assert not any(t.squeezed for t in (body, listing, budget))


# --- the PDF -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


@pytest.fixture(scope="module")
def rendered(sample, fonts, tmp_path_factory):
    d = decide(sample, PROFILE)
    plan = layout_document(sample, PROFILE, fonts, d)
    result = render_document(sample, ("pdf", "docx"), PROFILE, fonts, base_dir=SAMPLES)
    folder = tmp_path_factory.mktemp("tables")
    pdf = folder / "funds.pdf"
    pdf.write_bytes(result.files["pdf"])
    docx_path = folder / "funds.docx"
    docx_path.write_bytes(result.files["docx"])
    return {"plan": plan, "pdf": pdf, "docx": docx_path, "d": d}


def test_the_document_has_turned_pages_and_they_are_numbered_like_the_others(rendered):
    m = MeasuredPDF.open(rendered["pdf"])
    plan = rendered["plan"]
    turned = [i for i, p in enumerate(plan.pages, 1) if p.landscape]
    assert turned, "the wide table is on a page set across"
    # The turned pages are landscape A4 (as Word and WPS export a landscape section), the
    # rest upright; measured on the upright sheet they are bound with (pdfmeasure.sheet_obj).
    for n, size in enumerate(m.page_sizes, 1):
        want = (297, 210) if n in turned else (210, 297)
        assert size == pytest.approx(want, abs=0.1), n
    assert m.landscape == turned
    numbers = {int(re.sub(r"\D", "", ln.text)): ln for ln in m.page_number_lines()}
    upright = [n for n in numbers if n not in turned]
    for n in turned:
        ln = numbers[n]
        # Where an upright page of the same parity has it [7.5]: odd right, even left.
        same = numbers[next(k for k in upright if k % 2 == n % 2)]
        assert ln.baseline == pytest.approx(same.baseline, abs=0.05)
        assert ln.top > BOTTOM + 4  # below the block, as on every page
        if n % 2:
            assert ln.x1 == pytest.approx(same.x1, abs=0.3)
            assert ln.x1 == pytest.approx(RIGHT - 14 * MM, abs=0.6)  # one 4号 character in
        else:
            assert ln.x0 == pytest.approx(same.x0, abs=0.3)
            assert ln.x0 == pytest.approx(LEFT + 14 * MM, abs=0.6)


def _turned_chars(pdf: Path, page: int) -> list[dict]:
    with pdfplumber.open(str(pdf)) as doc:
        return [c for c in sheet_page(doc.pages[page - 1]).chars if not c["upright"]]


def test_turned_table_head_at_binding_edge_odd_and_outer_edge_even(rendered):
    """§8: the table's head at 订口 on an odd page, at 切口 on an even one: on the
    upright sheet both are its left edge, so the header row is the leftmost text."""
    plan = rendered["plan"]
    turned = [i for i, p in enumerate(plan.pages, 1) if p.landscape]
    assert {n % 2 for n in turned} == {0, 1}, (
        "the sample's wide table spans an odd and an even page"
    )
    for n in turned:
        chars = _turned_chars(rendered["pdf"], n)
        assert chars
        header = [c for c in chars if c["text"] in "序补"]
        data = [c for c in chars if c["text"] == "."]  # the amounts' decimal points
        assert max(c["x1"] for c in header) < min(c["x0"] for c in data)
        # Turned text reads from the sheet's bottom to its top (turn the sheet a quarter clockwise).
        assert all(c["matrix"][:4] == (0, 1, -1, 0) for c in chars)
        # Everything of the table inside the upright block, as on every other page.
        for c in chars:
            x0, x1, top, bottom = (c[k] * MM for k in ("x0", "x1", "top", "bottom"))
            assert LEFT - 0.3 <= x0 and x1 <= RIGHT + 0.3, c["text"]
            assert TOP - 0.3 <= top and bottom <= BOTTOM + 0.3, c["text"]


def _rules(pdf: Path, page: int) -> tuple[list[dict], list[dict]]:
    with pdfplumber.open(str(pdf)) as doc:
        lines = sheet_page(doc.pages[page - 1]).lines
    horizontal = [ln for ln in lines if abs(ln["top"] - ln["bottom"]) < 0.3]
    vertical = [ln for ln in lines if abs(ln["x0"] - ln["x1"]) < 0.3]
    return horizontal, vertical


def table_pages(plan) -> list[int]:
    return [i for i, p in enumerate(plan.pages, 1) if p.landscape or _has_table_rules(p)]


def _has_table_rules(page) -> bool:
    from docgen.layout.plan import RuleItem

    return any(isinstance(i, RuleItem) and i.x0 == i.x1 for i in page.items)


def test_rules_inside_the_block_half_a_point(rendered):
    for n in table_pages(rendered["plan"]):
        horizontal, vertical = _rules(rendered["pdf"], n)
        assert horizontal and vertical
        for ln in horizontal + vertical:
            assert ln["linewidth"] == pytest.approx(0.5, abs=0.01)
            x0, x1 = ln["x0"] * MM, ln["x1"] * MM
            top, bottom = ln["top"] * MM, ln["bottom"] * MM
            assert LEFT - 0.2 <= x0 and x1 <= RIGHT + 0.2
            assert TOP - 0.2 <= top and bottom <= BOTTOM + 0.2


def test_header_repeated_on_every_page_the_list_spans(rendered):
    m = MeasuredPDF.open(rendered["pdf"])
    pages = [
        n
        for n in range(1, m.pages + 1)
        if any("清梦观" in r.text or "序号" in r.text for r in m.rows(n))
        and not rendered["plan"].pages[n - 1].landscape
        and any("项目名称" in r.text for r in m.rows(n))
    ]
    assert len(pages) >= 3, "the list crosses pages"
    for n in pages:
        rows = [r for r in m.rows(n) if TOP <= r.baseline <= BOTTOM]
        first_table_row = next(r for r in rows if "序号" in r.text)
        assert "项目名称" in first_table_row.text and "保护级别" in first_table_row.text
        # 黑体 (the bundled one is Noto Sans CJK), the cells 仿宋.
        assert all("Hei" in f or "Sans" in f for f in first_table_row.fonts), first_table_row.fonts
        # The header's top rule is the first rule of the table on the page.
        horizontal, _ = _rules(rendered["pdf"], n)
        top_rule = min(ln["top"] * MM for ln in horizontal)
        assert top_rule < first_table_row.top


def test_rows_never_split_and_pages_end_on_a_rule(rendered):
    """A table row's lines stay on one page: each table page's last text line in the
    table is followed by a rule before the block's bottom."""
    m = MeasuredPDF.open(rendered["pdf"])
    for n in table_pages(rendered["plan"]):
        if rendered["plan"].pages[n - 1].landscape:
            continue
        horizontal, _ = _rules(rendered["pdf"], n)
        last_rule = max(ln["top"] * MM for ln in horizontal)
        table_rows = [r for r in m.rows(n) if TOP <= r.baseline <= last_rule + 0.1]
        rows_below = [r for r in m.rows(n) if last_rule < r.baseline <= BOTTOM]
        assert table_rows
        # Below the last rule only text that is not the table's (the text that follows it).
        for r in rows_below:
            assert not re.search(r"\d+\.\d\d$", r.text), r.text


def test_text_after_a_table_is_back_on_the_grid(rendered):
    m = MeasuredPDF.open(rendered["pdf"])
    after = next(r for r in m.rows() if r.text.startswith("上述项目中"))
    k = (after.baseline - TOP - 0.8 * PITCH) / PITCH
    assert k == pytest.approx(round(k), abs=0.02)


def test_every_cell_in_the_plan_and_in_extractable_text(rendered, sample):
    """Each cell's text, as broken into lines, is drawn whole, and every line of it
    can be extracted from the PDF (pdftotext reads turned text too)."""
    plan = rendered["plan"]
    drawn: list[str] = []
    for page in plan.pages:
        drawn += [i.text for i in page.items + page.turned if hasattr(i, "runs")]
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered["pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    extracted = re.sub(r"\s+", "", text)
    pieces = "".join(re.sub(r"\s+", "", t) for t in drawn)
    for table in sample_tables(sample):
        for p in table.cells:
            cell = re.sub(r"\s+", "", p.cell.text)
            if not cell:
                continue
            assert all(ch in pieces for ch in cell), cell
        for line in drawn:
            assert re.sub(r"\s+", "", line) in extracted or not line.strip()
    assert MeasuredPDF.open(rendered["pdf"]).missing_glyphs() == 0


def test_cell_text_follows_the_line_breaking_rules(rendered):
    no_start = set("。，、；：？！）》」』】”’")
    for page in rendered["plan"].pages:
        for item in page.items + page.turned:
            if hasattr(item, "runs") and item.text:
                assert item.text[0] not in no_start, item.text


# --- the .docx ---------------------------------------------------------------------


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_docx_real_tables_with_widths_headers_and_turned_section(rendered, sample):
    xml = _document_xml(rendered["docx"])
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)
    assert len(tables) == 3
    d = rendered["d"]
    for tbl, table in zip(tables, sample_tables(sample)):
        dec = d.table(table)
        cols = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', tbl)]
        assert [round(c / 56.6929, 1) for c in cols] == pytest.approx(
            [round(w, 1) for w in dec.widths_mm], abs=0.1
        )
        assert tbl.count("<w:tblHeader/>") == table.header_rows
        assert tbl.count("<w:cantSplit/>") == len(table.rows)
        assert 'w:sz="4"' in tbl  # 0.5 pt rules
    # The budget table's merged header cells.
    assert '<w:gridSpan w:val="3"/>' in tables[2] and '<w:vMerge w:val="restart"/>' in tables[2]
    # One landscape section, A4 across, holding the wide table.
    sects = re.findall(r"<w:sectPr>.*?</w:sectPr>", xml, re.DOTALL)
    turned = [s for s in sects if 'w:orient="landscape"' in s]
    assert len(turned) == 1
    assert 'w:w="16838" w:h="11906"' in turned[0]
    body = xml[: xml.index(turned[0])]
    assert tables[2] in body and tables[1] in body
    # Official fonts: the header in 黑体 (character style), cells in the table style.
    assert '<w:rStyle w:val="Hei"/>' in tables[0]


def test_docx_cells_are_what_ooxml_writes_for_each_paragraph():
    """The table writer builds cells from fragments; each must read as ooxml writes it."""
    from docgen.render.docx import ooxml as ox
    from docgen.render.docx.tables import table_xml

    odd = ["a&b<c>'\"", "第一行\n第二行", "制表\t符", "", "x", "a&b<c>'\""]
    rows = [["序号", "内容", "备注"], ["1", odd[0], odd[1]], ["2", odd[2], odd[3]]]
    rows += [[str(k), odd[4], odd[5]] for k in range(3, 8)]
    data = letter_with({"table": {"rows": rows}})
    doc = loader.build(data, "函.yaml")
    table = doc.body[1].table
    dec = decide(doc, PROFILE).table(table, PROFILE)
    xml = table_xml(table, dec, PROFILE)
    jc = {"left": "both", "center": "center", "right": "right"}
    at = 0
    for p in table.cells:
        header, keep = p.row < 1, p.row < 2
        expected = "".join(
            ox.paragraph(
                ox.run(t, style="Hei" if header else None), style="FormText",
                jc=jc[dec.aligns[p.row, p.col]], keep_next=keep,
            )
            for t in p.cell.paragraphs
        )  # fmt: skip
        found = xml.find(expected, at)
        assert found >= 0, (p, expected)
        at = found + len(expected)
    assert xml.count("<w:tr>") == len(rows) and xml.count("<w:tc>") == len(rows) * 3


@pytest.mark.parametrize("landscape", [False, True])
@pytest.mark.parametrize("alone", [False, True])
def test_docx_with_its_largest_values_set_aside_is_the_same_file(landscape, alone, monkeypatch):
    """render_docx fills the template with a 1,000-row table set aside (document._set_aside)
    and puts it back at the end: the same parts as filling it in place; a turned table,
    which the section breaks must see, stays in place."""
    from docgen.render.docx import document
    from docgen.render.docx.colophon import COLOPHON_MARK
    from docgen.render.docx.tables import TURN_BEGIN, TURN_END

    assert all(m.startswith("<!--docgen:") for m in (TURN_BEGIN, TURN_END, COLOPHON_MARK))
    rows = [["序号", "事项", "单位"]] + [[str(k), f"第{k}项事项", "市文物局"] for k in range(1000)]
    data = letter_with("正文。")
    data["attachments"] = [
        {"title": "一览表", "body": [{"table": {"rows": rows, "landscape": landscape}}]}
    ]
    doc = loader.build(data, "函.yaml")
    dec = decide(doc, PROFILE)
    seen: list[dict] = []
    real = document._set_aside

    def spy(ctx):
        seen.append(real(ctx))
        return seen[-1]

    monkeypatch.setattr(document, "_set_aside", spy)
    quick = render_docx(doc, dec, PROFILE, colophon_alone=lambda: alone)
    assert bool(seen[-1]) is not landscape  # set aside unless turned
    monkeypatch.setattr(document, "ASIDE_MIN_CHARS", 10**12)
    slow = render_docx(doc, dec, PROFILE, colophon_alone=lambda: alone)
    assert not seen[-1]

    def parts(data: bytes) -> dict:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}

    assert parts(quick) == parts(slow)


def test_docx_without_tables_is_unchanged_by_them():
    data = yaml.safe_load((SAMPLES / "letter-gaoping-18.yaml").read_text(encoding="utf-8"))
    doc = loader.build(data, "x")
    data = render_docx(doc, decide(doc, PROFILE), PROFILE)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "landscape" not in xml and "docgen:turned" not in xml


def test_docx_turned_section_numbers_pages_where_the_upright_ones_are(rendered):
    with zipfile.ZipFile(rendered["docx"]) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        odd = z.read("word/footerTurnedOdd.xml").decode("utf-8")
        even = z.read("word/footerTurnedEven.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        types = z.read("[Content_Types].xml").decode("utf-8")
    turned = next(
        s for s in re.findall(r"<w:sectPr>.*?</w:sectPr>", xml, re.DOTALL) if "landscape" in s
    )
    assert 'r:id="rIdTurnedDefault"' in turned and 'r:id="rIdTurnedEven"' in turned
    assert 'Target="footerTurnedOdd.xml"' in rels and "/word/footerTurnedEven.xml" in types
    for footer, jc in ((odd, "right"), (even, "left")):
        assert 'vert="vert"' in footer and "PAGE" in footer and f'<w:jc w:val="{jc}"/>' in footer


def test_libreoffice_shows_the_tables_and_the_turned_pages(rendered, soffice, fonts_conf, tmp_path):
    from lo import soffice_convert

    (pdf,) = soffice_convert([rendered["docx"]], tmp_path / "pdf", fonts_conf, soffice=soffice)
    with pdfplumber.open(str(pdf)) as doc:
        sizes = [(round(p.width * MM), round(p.height * MM)) for p in doc.pages]
        text = "".join(p.extract_text() or "" for p in doc.pages)
        turned = [i for i, s in enumerate(sizes, 1) if s == (297, 210)]
        assert turned, sizes  # the landscape section
        for n in turned:
            page = doc.pages[n - 1]
            # The budget table's rules inside the turned block (225 x 156 mm from 35, 28).
            for ln in page.lines:
                assert 35 - 0.5 <= ln["x0"] * MM and ln["x1"] * MM <= 260 + 0.5
                assert 28 - 0.5 <= ln["top"] * MM and ln["bottom"] * MM <= 184 + 0.5
            # The page number turned, on the sheet's bottom: the turned page's left margin.
            # (宋体 dashes: the table's own "—" cells are 仿宋.)
            number = [c for c in page.chars if c["text"] == "—" and "Song" in c["fontname"]]
            assert number and all(c["x0"] * MM < 35 and not c["upright"] for c in number)
    flat = re.sub(r"\s+", "", text)
    for word in ("2025年度文物保护项目资金需求汇总", "项目名称", "中央", "1,224.30", "2,233.10"):
        assert word in flat, word


# --- a table that ends the text goes with the signature [7.3.5.5] ----------------------


def _ending_in_table(lead: int, rows: int) -> object:
    data = letter_with(*(["短句。"] * lead), {"table": {"rows": [["项目", "金额"]] + [
        [f"项目{i}", f"{i}.00"] for i in range(rows)]}})  # fmt: skip
    data.pop("attachments", None)
    return loader.build(data, "函.yaml")


@pytest.mark.parametrize("rows", [1, 2, 3, 8, 15])
def test_a_signature_after_a_table_never_stands_alone(rows: int) -> None:
    """The text ends in a table: wherever the page falls, the signature's page holds a
    table row under the repeated header (or the text), never the signature alone."""
    fonts = resolve_fonts(use_system=False)
    for lead in range(0, 30):
        doc = _ending_in_table(lead, rows)
        plan = layout_document(doc, PROFILE, fonts, decide(doc, PROFILE, fonts=fonts))
        date = next(
            p for p in plan.pages if any(getattr(i, "text", "") == "2025年7月7日" for i in p.items)
        )
        texts = [getattr(i, "text", "") for i in date.items]
        assert any(t.startswith(("项目", "短句", "第一段")) for t in texts), (lead, rows, texts)
        if any(t == "项目" for t in texts) and "第一段。" not in texts:
            # a continued table: its header again, then at least one row
            assert any(re.fullmatch(r"项目\d+", t) for t in texts), (lead, rows)


def test_docx_keeps_a_closing_tables_last_row_with_the_signature(
    soffice, fonts_conf, tmp_path: Path
) -> None:
    from docx import Document
    from lo import soffice_convert

    doc = _ending_in_table(4, 8)
    fonts = resolve_fonts(use_system=False)
    rendered = render_document(doc, ("pdf", "docx"), PROFILE, fonts)
    path = tmp_path / "函.docx"
    path.write_bytes(rendered.files["docx"])
    table = Document(str(path)).tables[-1]
    kept = [bool(r.cells[0].paragraphs[0]._p.xpath("./w:pPr/w:keepNext")) for r in table.rows]
    assert kept[-1] and not kept[-2]  # the last row only (and the header with the first row)
    (pdf,) = soffice_convert([path], tmp_path / "lo", fonts_conf, soffice=soffice)
    ours = tmp_path / "函.pdf"
    ours.write_bytes(rendered.files["pdf"])
    for made in (MeasuredPDF.open(ours), MeasuredPDF.open(pdf)):
        sign = next(ln.page for ln in made.lines() if ln.text.replace(" ", "") == "2025年7月7日")
        on_page = [ln.text.replace(" ", "") for ln in made.lines(sign)]
        assert any(t.startswith("项目7") for t in on_page), on_page
