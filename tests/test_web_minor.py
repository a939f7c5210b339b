"""The workbench's smaller promises, one API test each (issue 23's minor items).

In-process (TestClient): symlinks in the data folder, Chinese answers for unknown
URLs and bad requests, history without server paths, local times, the 文号 page's
year, reminders without a code or twice a day, no empty job left by a failure.
"""

from __future__ import annotations

import json
import os
import re
import time
import warnings
from pathlib import Path

import pytest
from test_web_api import _items, _meeting

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from docgen.web.app import create_app
from docgen.web.config import WebConfig

STATIC = Path(__file__).resolve().parent.parent / "docgen" / "web" / "static"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def client(data: Path):
    cfg = WebConfig(data_dir=data, batch_jobs=1)
    with TestClient(create_app(cfg), base_url="http://127.0.0.1:8765") as c:
        yield c


def batch(client: TestClient, rows: int = 2) -> str:
    job = client.post(
        "/api/batch", files={"meeting": ("会议.yaml", _meeting()), "items": ("i.csv", _items(rows))}
    ).json()["job"]
    deadline = time.monotonic() + 120
    while (state := client.get(f"/api/jobs/{job}").json()["state"]) in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert state == "done"
    return job


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symlink_placed_in_the_data_folder_is_not_served(
    client: TestClient, data: Path, tmp_path
):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:机密", "utf-8")
    job = "ab" * 16
    out = data / "jobs" / job / "out"
    out.mkdir(parents=True)
    (out / "督办单.pdf").symlink_to(secret)
    (out / "all.zip").symlink_to(secret)
    status = {
        "state": "done",
        "files": [{"name": "督办单.pdf", "kind": "督办单", "size": 1}],
        "archive": "all.zip",
    }
    (data / "jobs" / job / "status.json").write_text(json.dumps(status), "utf-8")
    for url in (f"/api/jobs/{job}/files/0", f"/api/jobs/{job}/result"):
        response = client.get(url)
        assert response.status_code == 404 and "机密" not in response.text, url
    linked_job = "cd" * 16
    (data / "jobs" / linked_job).symlink_to(data / "jobs" / job)
    assert client.get(f"/api/jobs/{linked_job}").status_code == 404
    draft = "ef" * 16
    (data / "drafts" / f"{draft}.json").symlink_to(secret)
    assert client.get(f"/api/drafts/{draft}").status_code == 404
    assert all(d["id"] != draft for d in client.get("/api/drafts").json())
    seal = "seal-" + "0" * 32 + ".png"
    (data / "seals" / seal).symlink_to(secret)
    model = {
        "kind": "letter",
        "issuer": "某单位",
        "title": "关于某事的函",
        "body": "正文。",
        "date": "2025-07-07",
        "signature": {"mode": "sealed", "seal_image": seal},
    }
    assert client.post("/api/check", json=model).status_code == 422


@pytest.mark.parametrize("url", ["/nope", "/static/nope.js", "/api/nope", "/static/docs/nope"])
def test_unknown_urls_answer_in_chinese(client: TestClient, url: str):
    page = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*"})
    assert page.status_code == 404
    if not url.startswith("/api"):
        assert page.headers["content-type"].startswith("text/html")
        assert "没有这个页面" in page.text and "Not Found" not in page.text
    plain = client.get(url, headers={"Accept": "application/json"})
    assert plain.status_code == 404 and "Not Found" not in plain.text
    assert plain.json()["problems"][0]["message"] == "没有这个页面或接口"


def test_bad_requests_name_fields_in_chinese(client: TestClient):
    response = client.post("/api/numbers", json={"code": "高政办函"})
    problem = response.json()["problems"][0]
    assert response.status_code == 422
    assert problem["text"] == "错误：原因：缺少此项" and problem["path"] == "reason"
    assert not re.search(r"[A-Za-z_]{3,}", problem["text"])


def test_history_names_no_server_path_and_keeps_the_feedback_date(client: TestClient, data):
    batch(client)
    number = client.get("/api/ledger").json()["notices"][0]["number"]
    phone = client.post(
        "/api/ledger/phone",
        json={"number": number, "text": "已部署", "date": "2025-10-08", "signed_by": "王"},
    )
    assert phone.status_code == 200, phone.text
    table = f"编号,办理情况,是否办结,反馈日期\n{number},正在办理,否,2025-10-20\n"
    client.post("/api/ledger/feedback", files={"files": ("反馈表.csv", table.encode())})
    history = client.get("/api/ledger/history", params={"number": number})
    assert history.status_code == 200, history.text
    text = json.dumps(history.json(), ensure_ascii=False)
    assert str(data) not in text and "/feedback/" not in text
    assert "反馈表.csv" in text and "2025-10-08" in text


def test_times_carry_their_offset_and_the_numbers_page_opens_on_a_year_with_numbers(
    client: TestClient,
):
    job = batch(client, rows=1)
    listed = client.get("/api/jobs").json()
    created = next(j["created"] for j in listed if j["job"] == job)
    assert re.search(r"[+-]\d\d:\d\d$", created), created  # the page shows it in local time
    assert "localTime(r.issued_at)" in (STATIC / "numbers.js").read_text("utf-8")
    reserved = client.post(
        "/api/numbers", json={"code": "高政办函", "year": 2024, "reason": "在省平台制作"}
    )
    assert reserved.status_code == 201
    page = client.get("/numbers").text
    this_year = time.localtime().tm_year
    if this_year != 2024 and not client.get(f"/api/numbers?year={this_year}").json()["issued"]:
        assert 'id="year" value="2025"' in page  # the batch's numbers are of 2025, the latest


def test_reminders_without_code_twice_a_day_and_no_empty_job_after_a_failure(
    client: TestClient, data: Path
):
    jobs = data / "jobs"
    before = set(jobs.iterdir())
    failed = client.post("/api/ledger/remind", json={"as_of": "2026-01-15"})
    assert failed.status_code == 422  # no notices yet: no series to derive the code from
    message = failed.json()["problems"][0]["message"]
    assert "--" not in message and "代字" in message
    assert set(jobs.iterdir()) == before
    batch(client)
    first = client.post("/api/ledger/remind", json={"as_of": "2026-01-15"}).json()
    assert first["issued"] and first["result"]
    assert all("高文联办催" in r["number"] for r in first["issued"])
    again = client.post("/api/ledger/remind", json={"as_of": "2026-01-15"}).json()
    assert again["issued"] == [] and again["result"] and again["files"]
    assert client.get(again["files"][0]["url"]).status_code == 200


def test_pages_promise_nothing_that_is_not_drawn_and_the_api_page_has_chinese_fonts(
    client: TestClient,
):
    assert "红色圆框" not in (STATIC / "form.js").read_text("utf-8")
    docs = client.get("/docs").text
    assert "/static/docs-fonts.css" in docs
    css = client.get("/static/docs-fonts.css")
    assert css.status_code == 200 and "Noto Sans CJK SC" in css.text and "DocgenUI" in css.text


def test_take_a_number_and_void_it_keeping_the_record(client: TestClient):
    taken = client.post(
        "/api/numbers/take",
        json={"code": "高政办函", "year": 2025, "kind": "letter", "title": "关于某事的函"},
    )
    assert taken.status_code == 201 and taken.json()["number"] == "高政办函〔2025〕1号"
    untitled = client.post("/api/numbers/take", json={"code": "高政办函", "year": 2025})
    assert untitled.status_code == 422 and "标题" in untitled.json()["problems"][0]["message"]
    voided = client.post(
        "/api/numbers/void", json={"number": "高政办函〔2025〕1号", "reason": "取号后未发文"}
    )
    assert voided.status_code == 200 and "已作废：取号后未发文" in voided.json()["note"]
    twice = client.post("/api/numbers/void", json={"number": "高政办函〔2025〕1号", "reason": "x"})
    assert twice.status_code == 409
    listed = client.get("/api/numbers?code=高政办函&year=2025").json()
    assert [r["number"] for r in listed["issued"]] == ["高政办函〔2025〕1号"]  # the row stays
    assert listed["next"]["number"] == "高政办函〔2025〕2号"  # and its number is not given again


def test_one_or_two_sided_and_why_a_page_holds_only_the_colophon(client: TestClient, tmp_path):
    from urllib.parse import unquote

    from pdfmeasure import MeasuredPDF

    model = {
        "kind": "letter",
        "issuer": "高平市人民政府办公室",
        "title": "关于报送文物安全检查情况的函",
        "recipients": ["市文物局"],
        "body": ["请于7月底前报送检查情况。"],
        "date": "2025-07-07",
        "cc": ["市公安局", "市文物保护中心"],
    }
    two = client.post("/api/render?format=pdf&sided=two", json=model)
    assert two.status_code == 200 and two.headers["x-page-count"] == "2"
    note = unquote(two.headers["x-layout-note"])
    assert "第 2 页只有版记" in note and "双面" in note and "单面" in note
    path = tmp_path / "two.pdf"
    path.write_bytes(two.content)
    page2 = "".join(r.text for r in MeasuredPDF(path).rows(2)).replace(" ", "")
    assert page2.startswith("抄送") and "请于7月底前" not in page2  # only the 版记 there
    one = client.post("/api/render?format=pdf&sided=one", json=model)
    assert one.status_code == 200 and one.headers["x-page-count"] == "1"
    assert "x-layout-note" not in one.headers
    path.write_bytes(one.content)
    page1 = "".join(r.text for r in MeasuredPDF(path).rows(1)).replace(" ", "")
    assert "请于7月底前" in page1 and "抄送" in page1
    png = client.post("/api/render?format=png&page=1&sided=two", json=model)
    assert png.headers["x-page-count"] == "2" and "x-layout-note" in png.headers
    bad = client.post("/api/render?format=pdf&sided=three", json=model)
    assert bad.status_code == 422 and "只能是 one、two" in bad.json()["problems"][0]["message"]
