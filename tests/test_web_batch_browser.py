"""纪要与督办 in a real browser: an empty cell with an error is clicked and filled; a job cut
short offers 继续生成 in 以往的任务 and finishes on its numbers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from pathlib import Path

import pytest
from browser import LiveServer, screenshot

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("batchpage")
    with LiveServer(data, batch_jobs=1) as live:
        yield live


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def items(rows: int, blank: tuple[int, str] | None = None) -> str:
    with (SAMPLES / "agreed-items-2025-1.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))[: rows + 1]
    if blank:
        table[blank[0] - 1][table[0].index(blank[1])] = ""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(table)
    return out.getvalue()


def test_an_empty_cell_with_an_error_is_clicked_and_filled(page, server, tmp_path):
    table = tmp_path / "议定事项.csv"
    table.write_text(items(3, blank=(3, "牵头单位")), "utf-8")
    page.goto(f"{server.url}/batch")
    page.set_input_files("#meeting", str(SAMPLES / "meeting-2025-1.yaml"))
    page.set_input_files("#items", str(table))
    page.click("#check")
    bad = page.locator("table.grid td.cell-error[data-cell='C3']")
    bad.wait_for(timeout=60_000)
    editable = bad.locator(".cell-text")
    box = editable.bounding_box()
    assert box and box["width"] >= 30 and box["height"] >= 12, box
    editable.click()  # a real click at its centre, as a clerk does
    assert page.evaluate("() => document.activeElement.classList.contains('cell-text')")
    page.keyboard.type("市公安局")
    page.locator("#batch-problems").click()
    page.wait_for_function(
        "() => !document.querySelector('table.grid td.cell-error')", timeout=60_000
    )
    assert page.locator("table.grid td[data-cell='C3']").inner_text().startswith("市公安局")
    screenshot(page, "batch-empty-cell")


def test_a_job_cut_short_offers_to_continue_and_keeps_its_numbers(page, server):
    meeting = (SAMPLES / "meeting-2025-1.yaml").read_text("utf-8").replace("第一次", "第七次")
    response = page.request.post(
        f"{server.url}/api/batch",
        multipart={
            "meeting": {"name": "会议.yaml", "mimeType": "text/yaml", "buffer": meeting.encode()},
            "items": {"name": "i.csv", "mimeType": "text/csv", "buffer": items(2).encode()},
        },
        headers={"Origin": server.url},
    )
    assert response.status == 202, response.text()
    job = response.json()["job"]
    deadline = time.monotonic() + 120
    while page.request.get(f"{server.url}/api/jobs/{job}").json()["state"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    registry = server.config.registry_path
    with sqlite3.connect(registry) as db:
        before = db.execute("SELECT count(*), max(seq) FROM issued").fetchone()
    folder = server.config.jobs_dir / job
    (folder / "status.json").write_text(json.dumps({"state": "running", "done": 1, "total": 5}))
    for made in (folder / "out").glob("*.zip"):
        made.unlink()
    # Once its process has exited, the job reads as cut short (its status never said done).
    deadline = time.monotonic() + 30
    while page.request.get(f"{server.url}/api/jobs/{job}").json()["state"] != "interrupted":
        assert time.monotonic() < deadline
        time.sleep(0.2)

    page.goto(f"{server.url}/batch")
    row = page.locator(f"#jobs tr[data-job='{job}']")
    row.wait_for()
    assert "已中断" in row.inner_text()
    row.get_by_role("button", name="继续生成").click()
    page.locator("#job-done").wait_for(timeout=120_000)
    assert "--" not in page.locator("main").inner_text()
    with sqlite3.connect(registry) as db:
        assert db.execute("SELECT count(*), max(seq) FROM issued").fetchone() == before
    screenshot(page, "batch-resumed")


def test_the_member_list_hint_follows_the_file_chosen(page, server):
    page.goto(f"{server.url}/batch")
    hint = page.locator("#units").locator("xpath=..").locator(".hint")
    page.set_input_files("#units", str(SAMPLES / "member-units.yaml"))
    assert "member-units.yaml" in hint.inner_text() and "尚无名录" not in hint.inner_text()
