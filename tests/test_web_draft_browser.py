"""A draft with tables in a real browser: the body's and an attachment's tables edited as cells.

Empty cells stay cells (a row ["", "合计", "186.5"] keeps three), a block pasted from
Excel fills the grid, and the PDF downloaded carries every cell's text.
"""

from __future__ import annotations

import pytest
from browser import LiveServer, screenshot
from pdfmeasure import MeasuredPDF

PASTE = "序号\t项目名称\t金额（万元）\n1\t羊头山石窟保护工程\t120.00\n2\t古建筑修缮\t66.50\n\t合计\t186.5\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("tables")) as live:
        yield live


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(
        viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def fill_letter(page) -> None:
    def field(path: str):
        return page.locator(f'[data-path="{path}"] input, [data-path="{path}"] textarea').first

    field("issuer.0").fill("高平市人民政府办公室")
    field("title").fill("关于下达文物保护项目资金的函")
    field("recipients.0").fill("市文物保护中心")
    field("date").fill("2025年7月7日")


def paste(page, locator, text: str) -> None:
    locator.focus()
    locator.evaluate(
        "(node, text) => { const data = new DataTransfer(); data.setData('text/plain', text);"
        " node.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,"
        " cancelable: true})); }",
        text,
    )


def download_pdf(page, tmp_path) -> MeasuredPDF:
    with page.expect_download(timeout=60_000) as info:
        page.click("#dl-pdf")
    target = tmp_path / "draft.pdf"
    info.value.save_as(target)
    return MeasuredPDF(target)


def test_a_body_table_pasted_from_excel_keeps_its_empty_cells(page, server, tmp_path):
    page.goto(f"{server.url}/draft")
    page.select_option("#kind", "letter")
    fill_letter(page)
    page.locator('[data-path="body"] textarea').first.fill("现将2025年文物保护项目资金下达如下：")
    page.get_by_role("button", name="＋ 插入表格").first.click()
    first_cell = page.locator(".table-editor input.cell").first
    paste(page, first_cell, PASTE)
    cells = page.locator(".table-editor tbody tr")
    assert cells.count() == 4
    last = page.locator(".table-editor tbody tr").nth(3).locator("input.cell")
    assert [last.nth(i).input_value() for i in range(3)] == ["", "合计", "186.5"]
    # Add a row, then remove it; add and remove a column.
    page.get_by_role("button", name="＋ 行").click()
    assert page.locator(".table-editor tbody tr").count() == 5
    page.get_by_role("button", name="删除第 5 行").click()
    page.get_by_role("button", name="＋ 列").click()
    assert page.locator(".table-editor tbody tr").first.locator("input.cell").count() == 4
    page.get_by_role("button", name="删除第 4 列").click()
    page.locator('[data-path="body"] textarea').last.fill("请按规定用途使用。")
    assert "[object Object]" not in page.locator("#form").inner_text()
    page.locator("#pages img[data-page='1']").wait_for(timeout=60_000)
    screenshot(page, "draft-table")
    pdf = download_pdf(page, tmp_path)
    text = pdf.text().replace(" ", "")
    for word in ("羊头山石窟保护工程", "120.00", "合计", "186.5", "请按规定用途使用。"):
        assert word in text, word
    assert text.index("现将2025年") < text.index("羊头山") < text.index("请按规定用途使用")


def test_an_attachment_table_is_edited_as_cells_never_as_object_text(page, server, tmp_path):
    page.goto(f"{server.url}/draft")
    page.wait_for_function("() => window.draftPage && window.draftPage.state.form")
    model = {
        "kind": "letter",
        "issuer": "高平市人民政府办公室",
        "title": "关于报送文物保护项目清单的函",
        "recipients": ["市文物局"],
        "body": ["现将项目清单报送你局。"],
        "date": "2025-07-07",
        "attachments": [
            {
                "title": "文物保护项目清单",
                "body": [
                    "说明：金额为预算数。",
                    {
                        "table": {
                            "rows": [
                                ["序号", "项目", "金额"],
                                ["1", "羊头山", "120.00"],
                                ["", "合计", "120.00"],
                            ]
                        }
                    },
                ],
            }
        ],
    }
    page.evaluate("m => window.draftPage.loadKind('letter', m)", model)
    editor = page.locator('[data-path="attachments.0.body"] .table-editor')
    editor.wait_for()
    assert "[object Object]" not in page.locator("#form").inner_text()
    for area in page.locator("#form textarea").all():
        assert "[object Object]" not in area.input_value()
    # Typing in the attachment's text keeps its table.
    page.locator('[data-path="attachments.0.body"] textarea').first.fill(
        "说明：金额为预算数，单位万元。"
    )
    assert editor.locator("input.cell").nth(7).input_value() == "合计"
    editor.locator("input.cell").nth(5).fill("126.00")
    page.locator("#pages img[data-page='1']").wait_for(timeout=60_000)
    pdf = download_pdf(page, tmp_path)
    text = pdf.text().replace(" ", "")
    assert "单位万元" in text and "羊头山" in text and "126.00" in text and "合计" in text


DRAFT = """高平市文物局关于申请文物保护资金的请示
市人民政府：
一、基本情况
我局负责全市文物保护工作。
妥否，请批示。
附件：项目清单
高平市文物局
2025年7月7日
附件
项目清单
羊头山石窟保护工程。
二期工程另行申请。
"""

FITS_JS = """sel => {
  const style = getComputedStyle(sel);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const widest = Math.max(...[...sel.options].map(o => ctx.measureText(o.text).width));
  return sel.clientWidth - 24 >= widest;  // room for the arrow
}"""


@pytest.mark.parametrize("width", [1366, 800])
def test_roles_readable_and_a_change_moves_the_paragraph_in_place(page, server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{server.url}/draft")
    page.click("#import-box summary")
    page.fill("#import-text", DRAFT)
    page.click("#import-run")
    rows = page.locator("#paragraph-roles tbody tr")
    rows.first.wait_for(timeout=60_000)
    for select in page.locator("#paragraph-roles select").all():
        assert select.evaluate(FITS_JS), select.input_value()
    row = page.locator("#paragraph-roles tbody tr", has_text="二期工程另行申请。")
    assert row.locator("select").input_value() == "附件正文"
    row.locator("select").select_option("正文")
    body = page.locator('[data-path="body"] textarea').first
    page.wait_for_function(
        "() => document.querySelector('[data-path=\"body\"] textarea').value.endsWith('二期工程另行申请。')"
    )
    assert body.input_value().split("\n")[-2:] == ["妥否，请批示。", "二期工程另行申请。"]
    attachment = page.locator('[data-path="attachments.0.body"] textarea').first
    assert "二期工程" not in attachment.input_value()
    screenshot(page, f"draft-roles-{width}")


def test_what_is_missing_is_linked_and_hints_are_fixed_at_once(page, server):
    page.goto(f"{server.url}/draft")
    page.select_option("#kind", "letter")

    def field(path: str):
        return page.locator(f'[data-path="{path}"] input, [data-path="{path}"] textarea').first

    field("issuer.0").fill("高平市人民政府办公室")
    field("recipients.0").fill("市文物保护中心")
    field("body").fill("你中心的请示收悉,经研究，同意所请。")  # a half-width comma: a 核稿 hint
    field("date").fill("2025年7月7日")
    from playwright.sync_api import expect

    # The check after the last keystroke (an earlier one, of a blank form, may show first).
    expect(page.locator("#to-fix")).to_contain_text("还有 1 处需要填写或改正", timeout=60_000)
    missing = page.locator("#to-fix a", has_text="标题")
    missing.click()
    assert page.evaluate("() => document.activeElement.name") == "title"
    page.keyboard.type("关于同意所请事项的函")
    page.wait_for_function("() => !document.querySelector('#to-fix')", timeout=60_000)
    # Valid now: the 核稿 hints are listed apart from errors, and do not stop the preview.
    hints = page.locator("#hints")
    hints.wait_for(timeout=60_000)
    assert "核稿提示" in hints.inner_text() and "，" in hints.inner_text()
    page.locator("#pages img[data-page='1']").wait_for(timeout=60_000)
    page.click("#fix-all")
    page.wait_for_function(
        "() => document.querySelector('[data-path=\"body\"] textarea').value.includes('收悉，经研究')",
        timeout=60_000,
    )
    assert "已改正 1 处" in page.locator("#draft-status").inner_text()
    page.wait_for_function("() => !document.querySelector('#hints')", timeout=60_000)
    assert field("title").input_value() == "关于同意所请事项的函"


def test_at_800_px_the_preview_is_a_tab_away_and_the_ledger_reads(page, server):
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto(f"{server.url}/draft")
    page.select_option("#kind", "letter")
    fill_letter(page)
    page.locator('[data-path="body"] textarea').first.fill("请于七月底前报送。")
    assert not page.locator("#pages").is_visible()  # the form's tab
    page.click("#tab-preview")
    image = page.locator("#pages img[data-page='1']")
    image.wait_for(timeout=60_000)
    box = page.locator(".preview").bounding_box()
    assert box and box["y"] < 200, box  # at the top, not 2,000 px below the form
    assert page.locator("#dl-pdf").is_visible()
    screenshot(page, "draft-800-preview")
    page.click("#tab-form")
    assert page.locator('[data-path="title"] input').is_visible()

    page.goto(f"{server.url}/ledger")
    header = page.locator("#notices th:nth-child(2)")
    assert header.bounding_box()["width"] >= 5 * 14, header.bounding_box()


def test_a_number_from_the_register_after_confirmation_then_voided(page, server, tmp_path):
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        if dialog.type == "prompt":
            dialog.accept("取号后未发文")
        else:
            dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{server.url}/draft")
    page.select_option("#kind", "letter")
    fill_letter(page)
    page.locator('[data-path="body"] textarea').first.fill("请于七月底前报送。")
    page.click("#number-box summary")
    page.fill("#take-code", "高政办函")
    page.fill("#take-year", "2025")
    from playwright.sync_api import expect

    expect(page.locator("#take-next")).to_have_text("高政办函〔2025〕1号")
    page.click("#take-number")
    expect(page.locator("#take-result")).to_contain_text("已取号并登记：高政办函〔2025〕1号")
    assert "高政办函〔2025〕1号" in asked[0] and "确定取号" in asked[0]
    assert page.locator('[data-path="number"] input').input_value() == "高政办函〔2025〕1号"
    expect(page.locator("#take-next")).to_have_text("高政办函〔2025〕2号")
    pdf = download_pdf(page, tmp_path)
    assert "高政办函〔2025〕1号" in pdf.text().replace(" ", "")

    page.goto(f"{server.url}/numbers")
    page.fill("#code", "高政办函")
    page.fill("#year", "2025")
    page.click("#show")
    row = page.locator("#issued tbody tr", has_text="高政办函〔2025〕1号")
    row.get_by_role("button", name="作废…").click()
    expect(row).to_contain_text("已作废：取号后未发文")
    expect(page.locator("#next-number")).to_have_text("高政办函〔2025〕2号")  # never reused


def test_one_sided_printing_and_the_reason_for_a_colophon_page(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server.url}/draft")
    page.select_option("#kind", "letter")
    fill_letter(page)
    page.locator('[data-path="body"] textarea').first.fill("请于七月底前报送。")
    page.locator('[data-path="cc"] input').first.fill("市公安局")
    expect(page.locator("#preview-status")).to_have_text("共 2 页", timeout=60_000)
    note = page.locator("#layout-note")
    expect(note).to_be_visible()
    assert "第 2 页只有版记" in note.inner_text() and "单面" in note.inner_text()
    screenshot(page, "draft-colophon-note")
    page.select_option("#sided", "one")
    expect(page.locator("#preview-status")).to_have_text("共 1 页", timeout=60_000)
    expect(note).to_be_hidden()


def test_a_word_draft_with_a_table_imported_and_downloaded_as_pdf(page, server, tmp_path):
    from docx import Document

    draft = Document()
    for text in ("高平市文物局", "关于下达2025年文物保护项目资金的函", "市文物保护中心："):
        draft.add_paragraph(text)
    draft.add_paragraph("现将2025年文物保护项目资金下达如下：")
    rows = [
        ["序号", "项目名称", "金额（万元）"],
        ["1", "羊头山石窟保护工程", "120.00"],
        ["2", "古建筑修缮", "66.50"],
        ["", "合计", "186.5"],
    ]
    table = draft.add_table(rows=4, cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for text in ("请按规定用途使用。", "高平市文物局", "2025年7月7日"):
        draft.add_paragraph(text)
    path = tmp_path / "资金函.docx"
    draft.save(path)

    page.goto(f"{server.url}/draft")
    page.click("#import-box summary")
    page.set_input_files("#import-file", str(path))
    page.click("#import-run")
    editor = page.locator('[data-path="body"] .table-editor')
    editor.wait_for(timeout=60_000)
    last = editor.locator("tbody tr").nth(3).locator("input.cell")
    assert [last.nth(i).input_value() for i in range(3)] == ["", "合计", "186.5"]
    assert "[object Object]" not in page.locator("#form").inner_text()
    page.locator("#pages img[data-page='1']").wait_for(timeout=60_000)
    pdf = download_pdf(page, tmp_path)
    text = pdf.text().replace(" ", "")
    for word in (
        "羊头山石窟保护工程",
        "古建筑修缮",
        "66.50",
        "合计",
        "186.5",
        "请按规定用途使用。",
    ):
        assert word in text, word
    assert pdf.missing_glyphs() == 0
