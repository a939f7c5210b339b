"""The workbench clears uploads and jobs unused for longer than the retention period, and only those."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's httpx nudge, as in test_web_api.py
    from starlette.testclient import TestClient

from docgen.cli import main as cli_main
from docgen.web.app import create_app
from docgen.web.config import WebConfig
from docgen.web.store import new_id

HOUR = 3600.0


def entry(parent: Path, age_hours: float, files: tuple[str, ...] = ("status.json",)) -> str:
    """A folder named like an upload or job, last written ``age_hours`` ago."""
    name = new_id()
    folder = parent / name
    (folder / "out").mkdir(parents=True)
    for f in files:
        (folder / f).write_text(json.dumps({"state": "done", "files": []}), "utf-8")
    (folder / "out" / "a.pdf").write_bytes(b"%PDF")
    when = time.time() - age_hours * HOUR
    for path in (folder / "out" / "a.pdf", folder / "out", *(folder / f for f in files), folder):
        os.utime(path, (when, when))
    return name


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def client_for(config: WebConfig) -> TestClient:
    return TestClient(create_app(config), base_url=f"http://{config.host}:{config.port}")


def test_old_entries_go_at_start_new_ones_stay(tmp_path: Path) -> None:
    config = WebConfig(data_dir=tmp_path)
    config.make_dirs()
    old_upload = entry(config.uploads_dir, 25, ("settings.json",))
    new_upload = entry(config.uploads_dir, 23, ("settings.json",))
    old_job = entry(config.jobs_dir, 30)
    new_job = entry(config.jobs_dir, 1)
    (config.jobs_dir / "notes").mkdir()  # not a name the workbench gives: not its business
    draft = config.drafts_dir / f"{new_id()}.json"
    draft.write_text("{}", "utf-8")
    os.utime(draft, (0, 0))  # drafts are the clerk's: never cleared, however old
    create_app(config)
    assert names(config.uploads_dir) == {new_upload}
    assert names(config.jobs_dir) == {new_job, "notes"}
    assert draft.is_file()
    assert old_upload not in names(config.uploads_dir) and old_job not in names(config.jobs_dir)


def test_a_running_job_and_its_upload_stay_however_old(tmp_path: Path) -> None:
    config = WebConfig(data_dir=tmp_path)
    app = create_app(config)
    batches = app.app.state.batches
    upload = entry(config.uploads_dir, 48, ("settings.json",))
    job = entry(config.jobs_dir, 48)
    entry(config.jobs_dir, 48)  # a finished job as old: it goes
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with batches._lock:
            batches._procs[job], batches._upload_of[job] = proc, upload
        assert batches.sweep() == 1
        assert names(config.uploads_dir) == {upload}
        assert names(config.jobs_dir) == {job}
    finally:
        proc.kill()
        proc.wait()
    # Finished: from now on it ages like any other entry.
    assert batches.sweep() == 2
    assert names(config.uploads_dir) == names(config.jobs_dir) == set()


def test_an_entry_a_page_uses_is_kept_for_a_whole_period_after(tmp_path: Path) -> None:
    config = WebConfig(data_dir=tmp_path, keep_hours=24)
    client = client_for(config)
    job = entry(config.jobs_dir, 23.9)
    entry(config.jobs_dir, 23.9)  # as old, but no page asked for it
    assert client.get(f"/api/jobs/{job}").status_code == 200  # the page polls it
    batches = client.app.app.state.batches  # type: ignore[attr-defined]
    assert batches.sweep(now=time.time() + 0.2 * HOUR) == 1  # 24.1 h after the last writes
    assert names(config.jobs_dir) == {job}
    assert batches.sweep(now=time.time() + 24.1 * HOUR) == 1
    assert names(config.jobs_dir) == set()
    assert client.get(f"/api/jobs/{job}").status_code == 404


def test_the_server_clears_periodically_while_running(tmp_path: Path) -> None:
    config = WebConfig(data_dir=tmp_path, keep_hours=2 / HOUR)  # two seconds; swept each second
    with client_for(config):  # the lifespan: the sweeper runs
        fresh = entry(config.jobs_dir, 0)
        stale = entry(config.jobs_dir, 1)
        deadline = time.monotonic() + 20
        while stale in names(config.jobs_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stale not in names(config.jobs_dir)
        while fresh in names(config.jobs_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert fresh not in names(config.jobs_dir)  # it too, once two seconds unused


def test_keep_hours_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "-1", "nan"):
        code = cli_main(["serve", "--data", str(tmp_path), "--keep-hours", bad])
        assert code == 2
        assert "--keep-hours 应为正数" in capsys.readouterr().err
    with pytest.raises(ValueError, match="保留时长"):
        WebConfig(data_dir=tmp_path, keep_hours=0)
    assert WebConfig(data_dir=tmp_path).keep_seconds == 24 * HOUR
