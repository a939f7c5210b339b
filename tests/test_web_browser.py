"""The workbench in a real browser, doing what a clerk does; the results measured like every PDF.

Screenshots of each page are kept in build/test-artifacts/web/.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from browser import LiveServer, screenshot
from pdfmeasure import MeasuredPDF, block_ok

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

LETTER = {
    "issuer": "高平市人民政府办公室",
    "number": "高政办函〔2025〕18号",
    "title": "高平市人民政府办公室关于同意建立高平市文物保护工作联席会议制度的函",
    "recipient": "市文物保护中心",
    "body": [
        "你中心《关于建立〈高平市文物保护工作联席会议制度〉的请示》（高文保发〔2025〕25号）收悉。经市政府同意，现函复如下：",
        "市政府同意建立高平市文物保护工作联席会议制度。联席会议不刻制印章，不正式行文，请按照国家、省、晋城市及我市有关文件精神认真组织开展工作。",
    ],
    "date": "2025年7月7日",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("workbench")
    (data / "member-units.yaml").write_bytes((SAMPLES / "member-units.yaml").read_bytes())
    with LiveServer(data) as live:
        # The first check and render pay for loading fonts and dictionaries (seconds on a
        # busy machine); pay them here, not inside a test's wait for the preview.
        import json
        import urllib.request

        model = json.dumps(
            {
                "kind": "letter",
                "issuer": "某单位",
                "title": "关于某事的函",
                "body": "正文。",
                "date": "2025-07-07",
            }
        ).encode()
        for url in ("/api/check", "/api/render?format=png&page=1"):
            req = urllib.request.Request(
                live.url + url,
                data=model,
                method="POST",
                headers={"Content-Type": "application/json"},
            )
            urllib.request.urlopen(req, timeout=120).read()
        yield live


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def field(page, path: str):
    """The input of a form field by its model path (data-path), e.g. "recipients.0"."""
    return page.locator(f'[data-path="{path}"] input, [data-path="{path}"] textarea').first


def test_fill_a_letter_see_the_preview_download_and_measure_the_pdf(page, server, tmp_path):
    page.goto(f"{server.url}/draft")
    page.select_option("#kind", "letter")
    field(page, "issuer.0").fill(LETTER["issuer"])
    field(page, "number").fill(LETTER["number"])
    field(page, "title").fill(LETTER["title"])
    field(page, "recipients.0").fill(LETTER["recipient"])
    field(page, "body").fill("\n".join(LETTER["body"]))
    field(page, "date").fill("2025年7月")  # a half-typed date: the CLI's message, beside the field
    date_problem = page.locator('[data-path="date"] .field-problems .error')
    date_problem.wait_for(timeout=60_000)
    assert "2025-07-07" in date_problem.inner_text()
    field(page, "date").fill(LETTER["date"])
    # The preview: page 1 as an image, drawn by the server from the PDF.
    image = page.locator("#pages img[data-page='1']")
    image.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => { const i = document.querySelector(\"#pages img[data-page='1']\");"
        " return i && i.complete && i.naturalWidth > 800; }"
    )
    assert page.locator('[data-path="date"] .field-problems .error').count() == 0
    assert "共 1 页" in page.locator("#preview-status").inner_text()
    screenshot(page, "draft-letter")

    with page.expect_download() as info:
        page.click("#dl-pdf")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    target = tmp_path / "letter.pdf"
    download.save_as(target)
    pdf = MeasuredPDF(target)
    assert pdf.pages == 1
    width, height = pdf.page_sizes[0]
    assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5
    assert pdf.missing_glyphs() == 0
    text = pdf.text().replace(" ", "")
    for paragraph in LETTER["body"]:
        assert paragraph in text.replace("\n", "")
    assert "高政办函〔2025〕18号" in text and "市文物保护中心：" in text
    assert "2025年7月7日" in text
    # The body: 3号 black lines inside the block, on the 22-line grid, paragraphs indented 2 em.
    body = [
        ln
        for ln in pdf.lines(1)
        if abs(ln.size - 16) < 0.3 and ln.color in (None, (0, 0, 0)) and ln.top > 36
    ]
    assert body and all(block_ok(ln) for ln in body)
    first = next(ln for ln in body if ln.text.startswith("你中心"))
    assert abs(first.x0 - (28 + 2 * 156 / 28)) < 0.1
    para = [ln for ln in body if ln.baseline >= first.baseline][:3]
    for a, b in zip(para, para[1:]):
        assert abs(b.baseline - a.baseline - 225 / 22) < 0.05
    red = [r for r in pdf.rules(1) if r.color and r.color[0] > 200 and r.color[1] < 60]
    assert len(red) >= 2, "a letter has red lines at the top and bottom of its first page"

    # The draft is saved and reopened from the list.
    page.click("#save-draft")
    page.locator("#draft-status.ok").wait_for()
    page.goto(f"{server.url}/draft")
    page.click("#drafts-box summary")
    page.get_by_role("button", name="打开").first.click()
    page.wait_for_function(
        "t => document.querySelector('[data-path=\"title\"] input').value === t",
        arg=LETTER["title"],
    )


def test_upload_items_with_a_bad_row_fix_it_generate_and_download_the_zip(page, server, tmp_path):
    rows = (SAMPLES / "agreed-items-2025-1.csv").read_text("utf-8").splitlines()
    # Row 4 as Excel numbers it (header = row 1): an impossible deadline in column E.
    cells = rows[3].split(",")
    assert cells[4] == "2025年9月30日"
    cells[4] = "2025年9月31日"
    rows[3] = ",".join(cells)
    items = tmp_path / "议定事项.csv"
    items.write_text("\n".join(rows) + "\n", "utf-8")

    page.goto(f"{server.url}/batch")
    page.set_input_files("#meeting", str(SAMPLES / "meeting-2025-1.yaml"))
    page.set_input_files("#items", str(items))
    page.click("#check")
    bad = page.locator("table.grid td.cell-error")
    bad.first.wait_for(timeout=60_000)
    assert bad.count() == 1
    assert bad.first.get_attribute("data-cell") == "E4"
    assert "不存在" in bad.first.inner_text()
    assert "第4行" in page.locator("#batch-problems").inner_text()
    assert page.locator("#run").is_disabled()
    screenshot(page, "batch-error")

    # Fix the cell where it is marked; the table is checked again.
    editable = page.locator("table.grid td[data-cell='E4'] .cell-text")
    editable.click()
    editable.fill("2025年9月30日")
    page.locator("#batch-problems").click()  # leaving the cell saves it
    page.wait_for_function("() => !document.querySelector('table.grid td.cell-error')")
    page.wait_for_function("() => !document.querySelector('#run').disabled")
    page.click("#run")
    page.locator("#job-done").wait_for(timeout=120_000)
    assert page.locator("progress").get_attribute("value") == page.locator(
        "progress"
    ).get_attribute("max")
    manifest_rows = page.locator("#manifest tbody tr")
    assert manifest_rows.count() == 2 * 14  # the minutes and 13 notices, PDF and Word each
    screenshot(page, "batch-done")

    with page.expect_download() as info:
        page.click("#download-zip")
    archive = tmp_path / "batch.zip"
    info.value.save_as(archive)
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert len([n for n in names if n.endswith(".pdf")]) == 14
        assert len([n for n in names if n.endswith(".docx")]) == 14
        assert "manifest.csv" in names and any(n.endswith(".xlsx") for n in names)
        notice = next(n for n in names if n.startswith("督办单-") and n.endswith(".pdf"))
        pdf_path = tmp_path / "notice.pdf"
        pdf_path.write_bytes(zf.read(notice))
    assert MeasuredPDF(pdf_path).missing_glyphs() == 0

    # A manifest link serves the file itself.
    href = page.locator("#manifest tbody a").first.get_attribute("href")
    assert href and href.startswith("/api/jobs/")
    response = page.request.get(server.url + href)
    assert response.ok and len(response.body()) > 1000
    assert io.BytesIO(response.body()).read(4) in (b"%PDF", b"PK\x03\x04")


def test_number_page_next_reserve_and_search(page, server):
    # Every check waits for its condition (expect retries until the page shows it): the
    # page's load-time request may answer after the click's on a busy machine.
    from playwright.sync_api import expect

    asked: list[str] = []

    def answer(dialog):  # reserving asks first (issue 23): the clerk confirms
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{server.url}/numbers")
    page.fill("#code", "高政办函")
    page.fill("#year", "2025")
    page.click("#show")
    expect(page.locator("#next-number")).to_have_text("高政办函〔2025〕1号")
    expect(page.locator("#reserve-code")).to_have_value("高政办函")
    page.fill("#reserve-title", "关于文物安全检查情况的报告")
    page.fill("#reserve-reason", "在省平台上制作的文件")
    page.click("#reserve")
    expect(page.locator("#reserved")).to_contain_text("高政办函〔2025〕1号")
    # The list and the next number were refreshed before the confirmation appeared.
    expect(page.locator("#next-number")).to_have_text("高政办函〔2025〕2号")
    rows = page.locator("#issued tbody tr")
    page.fill("#search", "没有这样的文件")
    expect(rows).to_have_text(["没有符合条件的文号"])
    page.fill("#search", "省平台")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("关于文物安全检查情况的报告")
    assert any("高政办函〔2025〕1号" in m for m in asked)
    screenshot(page, "numbers")


def test_number_page_keeps_the_newest_answer(page, server):
    """The load-time list, answered after the click's, does not paint over it."""
    from playwright.sync_api import expect

    held = []

    def hold_the_first(route):  # the request the page makes on load, before a code is typed
        if "code=" in route.request.url:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/numbers*", hold_the_first)
    page.goto(f"{server.url}/numbers")
    page.fill("#code", "高政办督")
    page.fill("#year", "2024")
    page.click("#show")
    expect(page.locator("#next-number")).to_have_text("高政办督〔2024〕1号")
    assert len(held) == 1
    with page.expect_event("requestfinished"):
        held[0].continue_()
    page.evaluate("() => new Promise((done) => setTimeout(done, 200))")  # its answer handled
    expect(page.locator("#next-number")).to_have_text("高政办督〔2024〕1号")


def test_api_docs_page_is_served_locally(page, server):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None,
    )
    page.goto(f"{server.url}/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=15_000)
    assert page.locator(".swagger-ui").get_by_text("/api/render").count() >= 1
    screenshot(page, "api-docs")
    assert not outside, f"requests left the machine: {outside}"


def test_ledger_page_overdue_feedback_and_reminders(page, server, tmp_path):
    # A batch of three notices, made through the API as the 纪要与督办 page would.
    rows = (SAMPLES / "agreed-items-2025-1.csv").read_text("utf-8").splitlines()[:4]
    meeting = (SAMPLES / "meeting-2025-1.yaml").read_text("utf-8")
    meeting = meeting.replace("第一次全体会议", "第九次全体会议")  # not the other test's items
    response = page.request.post(
        f"{server.url}/api/batch",
        multipart={
            "meeting": {"name": "会议.yaml", "mimeType": "text/yaml", "buffer": meeting.encode()},
            "items": {"name": "i.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()},
        },
        headers={"Origin": server.url},
    )
    assert response.status == 202, response.text()
    job = response.json()["job"]
    state, deadline = "", time.monotonic() + 120
    while state != "done" and time.monotonic() < deadline:
        state = page.request.get(f"{server.url}/api/jobs/{job}").json()["state"]
        assert state != "failed"
        page.wait_for_timeout(200)
    assert state == "done", "the batch did not finish in two minutes"

    from playwright.sync_api import expect

    page.goto(f"{server.url}/ledger")
    page.fill("#as-of", "2026-01-15")
    page.fill("#unit", "市公安局")
    page.click("#refresh")
    # The rows the page had (its load-time list) stay until the filtered list arrives.
    expect(page.locator("#notices")).to_have_attribute("aria-busy", "false")
    # Dates, statuses and days overdue read on one line, not a character a line.
    lines_js = (
        "c => { const r = document.createRange(); r.selectNodeContents(c);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    for col in (4, 5, 6):
        cell = page.locator(f"#notices tbody tr:first-child td:nth-child({col})")
        assert cell.evaluate(lines_js) == 1, (col, cell.inner_text())
    overdue = page.locator("#notices tbody tr.overdue")
    expect(page.locator("#notices tbody tr").filter(has_not_text="市公安局")).to_have_count(0)
    expect(overdue.first).to_contain_text("逾期")
    overdue.first.get_by_role("button", name="记录反馈").click()
    page.locator("tr.feedback-form textarea").fill("专项行动已完成，案件线索全部核查")
    page.locator("tr.feedback-form input[type=checkbox]").check()
    page.get_by_role("button", name="保存反馈").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#notices tbody tr')].some(r => r.innerText.includes('已办结'))"
    )
    page.fill("#unit", "")
    page.click("#refresh")
    expect(page.locator("#notices")).to_have_attribute("aria-busy", "false")
    expect(overdue.first).to_be_visible()
    page.fill("#remind-code", "高文联办催")
    page.click("#remind")
    page.locator("#remind-done").wait_for(timeout=60_000)
    assert page.locator("#remind-result a[href*='/files/']").count() >= 2
    page.fill("#report-code", "高文联办通")
    page.click("#report")
    page.locator("#report-done").wait_for(timeout=60_000)
    assert page.locator("#report-result a[href$='/files/0']").count() == 1
    screenshot(page, "ledger")


DRAFT_TEXT = """高平市人民政府办公室
高政办函〔2025〕18号
关于同意建立高平市文物保护工作联席会议制度的函
市文物保护中心：
你中心的请示收悉。经市政府同意，现函复如下：
市政府同意建立联席会议制度。
高平市人民政府办公室
2025年7月7日
"""


def test_import_pasted_draft_shows_roles_and_one_click_changes_one(page, server):
    page.goto(f"{server.url}/draft")
    page.click("#import-box summary")
    page.fill("#import-text", DRAFT_TEXT)
    page.click("#import-run")
    rows = page.locator("#paragraph-roles tbody tr")
    rows.first.wait_for(timeout=60_000)
    assert rows.count() == 8
    assert field(page, "title").input_value() == "关于同意建立高平市文物保护工作联席会议制度的函"
    image = page.locator("#pages img[data-page='1']")
    image.wait_for(timeout=60_000)
    before = image.get_attribute("src")
    row = page.locator("#paragraph-roles tbody tr", has_text="市政府同意建立联席会议制度。")
    assert row.locator("select").input_value() == "正文"
    row.locator("select").select_option("附注")
    page.wait_for_function(
        '() => document.querySelector(\'[data-path="note"] textarea, [data-path="note"] input\')'
        ".value === '市政府同意建立联席会议制度。'"
    )
    assert "市政府同意建立联席会议制度" not in field(page, "body").input_value()
    page.wait_for_function(
        "src => { const i = document.querySelector(\"#pages img[data-page='1']\");"
        " return i && i.src !== src && i.complete; }",
        arg=before,
        timeout=60_000,
    )
    screenshot(page, "draft-import")


def test_api_docs_page_draws_chinese_with_a_chinese_font(page, server):
    """Each summary's computed font list names a font with Chinese (no boxes, issue 23)."""
    page.goto(f"{server.url}/docs")
    summary = page.locator(".swagger-ui .opblock-summary-description").first
    summary.wait_for(timeout=15_000)
    family = summary.evaluate("n => getComputedStyle(n).fontFamily")
    assert "DocgenUI" in family and family.index("DocgenUI") < family.index("sans-serif")
    assert page.evaluate("() => document.fonts.check('16px DocgenUI', '检查')")
