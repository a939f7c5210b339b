"""Jobs that survive: a batch cut short by a restart goes on with the numbers it took.

In-process (TestClient); the batch itself runs in its own process as always.
"""

from __future__ import annotations

import json
import sqlite3
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


def client_for(data: Path) -> TestClient:
    cfg = WebConfig(data_dir=data, batch_jobs=1)
    return TestClient(create_app(cfg), base_url="http://127.0.0.1:8765")


def wait(client: TestClient, job: str) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job}").json()
        if status["state"] not in ("queued", "running"):
            return status
        time.sleep(0.3)
    raise AssertionError("the batch did not finish")


def numbers(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "registry.sqlite3") as db:
        return sorted(db.execute("SELECT number, item_key FROM issued").fetchall())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def upload(client: TestClient) -> dict:
    response = client.post(
        "/api/batch/check",
        files={"meeting": ("会议.yaml", _meeting()), "items": ("i.csv", _items(3))},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_an_interrupted_job_continues_on_its_numbers_after_a_restart(data: Path):
    with client_for(data) as first:
        report = upload(first)
        job = first.post(f"/api/batch/{report['upload']}/run").json()["job"]
        assert wait(first, job)["state"] == "done"
    taken = numbers(data)
    assert taken
    # As if the server had stopped mid-run: the job's status still says "running", half its
    # files are gone, and no process of this server runs it.
    folder = data / "jobs" / job
    (folder / "status.json").write_text(json.dumps({"state": "running", "done": 3, "total": 8}))
    out = folder / "out"
    for pdf in sorted(out.glob("督办单-*.pdf"))[1:]:
        pdf.unlink()
    for extra in out.glob("*.zip"):
        extra.unlink()
    with client_for(data) as again:
        status = again.get(f"/api/jobs/{job}").json()
        assert status["state"] == "interrupted" and status["resumable"]
        message = status["problems"][0]["message"]
        assert "继续生成" in message and "--" not in message
        listed = again.get("/api/jobs").json()
        assert [j["job"] for j in listed if j["resumable"]] == [job]
        assert again.post(f"/api/jobs/{job}/resume").status_code == 202
        done = wait(again, job)
        assert done["state"] == "done", done
        assert again.get(f"/api/jobs/{job}/result").status_code == 200
    assert numbers(data) == taken  # the same numbers, none new
    pdfs = sorted(p.name for p in out.glob("督办单-*.pdf"))
    assert len(pdfs) == len([n for n, _ in taken])


def test_the_check_warns_when_the_meeting_was_batched_and_a_second_run_takes_no_new_number(
    data: Path,
):
    with client_for(data) as client:
        report = upload(client)
        assert not [p for p in report["problems"] if "此前已生成过" in p["message"]]
        job = client.post(f"/api/batch/{report['upload']}/run").json()["job"]
        assert wait(client, job)["state"] == "done"
        taken = numbers(data)
        again = upload(client)
        warned = [p for p in again["problems"] if "此前已生成过" in p["message"]]
        assert warned and warned[0]["severity"] == "warning" and "继续生成" in warned[0]["message"]
        second = client.post(f"/api/batch/{again['upload']}/run")
        assert second.status_code == 202, second.text
        status = wait(client, second.json()["job"])
        assert status["state"] == "done", status
        assert numbers(data) == taken
        page = client.get("/batch").text + "".join(
            (Path(__file__).resolve().parent.parent / "docgen/web/static" / f).read_text("utf-8")
            for f in ("batch.js", "ledger.js", "draft.js", "numbers.js")
        )
        assert "--resume" not in page and "--code" not in page


def test_a_job_whose_process_outlived_a_restart_is_not_started_twice(data: Path):
    import os

    with client_for(data) as client:
        report = upload(client)
        job = client.post(f"/api/batch/{report['upload']}/run").json()["job"]
        assert wait(client, job)["state"] == "done"
    folder = data / "jobs" / job
    # As if its process still ran (a restart that did not stop it): this test's own pid.
    running = {"state": "running", "done": 1, "total": 3, "pid": os.getpid()}
    (folder / "status.json").write_text(json.dumps(running))
    with client_for(data) as again:
        assert again.get(f"/api/jobs/{job}").json()["state"] == "running"
        assert again.post(f"/api/jobs/{job}/resume").status_code == 202
        assert not again.app.app.state.batches._procs  # nothing launched beside it
        assert json.loads((folder / "status.json").read_text())["pid"] == os.getpid()


def test_a_library_remedy_is_said_in_the_pages_words():
    from docgen.batch import BatchRefused
    from docgen.web.wording import error_for_clerk

    said = error_for_clerk(
        BatchRefused("生成中断（磁盘已满）；已分配的文号已登记", remedy="resume")
    )
    assert said.endswith("点“继续生成”即可沿用已发文号继续") and "--" not in said
    assert (
        error_for_clerk(BatchRefused("代字过长", remedy="code")) == "代字过长；请在“代字”一栏填写"
    )
