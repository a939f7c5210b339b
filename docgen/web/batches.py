"""纪要与督办 in the browser: uploaded files → the checked table → a batch job → the zip.

An upload is a folder under uploads/ holding the meeting file, the table and
the member units under fixed names; a job is a folder under jobs/ whose
output is written by `docgen.web.jobrun` in a separate process, so a long
batch never holds up the pages and a crash in it never takes the server
down. Checking is `batch.prepare`, the very check `docgen batch` runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docgen import items, loader
from docgen.batch import BatchOptions, BatchRefused
from docgen.batch import plan_batch as prepare
from docgen.fileio import atomic_write
from docgen.problems import InputError, Problem, errors
from docgen.web.config import WebConfig
from docgen.web.retention import last_used, touch
from docgen.web.store import new_id, served, valid_id
from docgen.web.workers import WorkerPool

MEETING = "meeting.yaml"
UNITS = "member-units.yaml"
SETTINGS = "settings.json"
TABLE_SUFFIXES = (".csv", ".xlsx")
MAX_ROWS, MAX_COLUMNS = 5000, 60  # an agreed-items table is tens of rows
REMOVING = ".removing-"  # an expired entry renamed out of reach, then deleted
# Settings a page may give, as `docgen batch` takes them on its command line.
OPTION_KEYS = ("code", "contact", "phone", "date", "per")


@dataclass
class CheckReport:
    upload: str
    problems: list[Problem]
    grid: list[list[str]]  # every row of the table as text, row 1 first (as Excel numbers them)
    header_row: int  # 1-based, 0 when no header was found
    headers: list[str]
    columns: dict[str, str]  # column header → Excel column letter
    names: dict[str, str]  # the file names the user uploaded, for messages

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: columns as Excel labels them."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


class Batches:
    """Uploads and jobs of one server. Reading the files (YAML, .xlsx) is done in its worker
    processes when it has a ``pool``; the worker's own Batches has none and does it itself."""

    def __init__(self, config: WebConfig, pool: WorkerPool | None = None):
        self.config = config
        self.pool = pool
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._upload_of: dict[str, str] = {}  # job → the upload it reads its files from
        self._started: dict[str, float] = {}  # job → when its process started (time limit)
        # Guards _procs, and makes "find an entry and mark it used" and "judge an entry
        # expired and take it away" one step each, so a sweep never removes what a
        # request has just found.
        self._lock = threading.Lock()

    # --- uploads ------------------------------------------------------------------

    def upload_dir(self, upload: str) -> Path:
        return self._used(self.config.uploads_dir, upload)

    def _used(self, parent: Path, name: str) -> Path:
        """The entry ``name`` in uploads/ or jobs/, marked as used now; KeyError if none."""
        folder = parent / name
        with self._lock:
            if not valid_id(name) or folder.is_symlink() or not folder.is_dir():
                raise KeyError(name)
            touch(folder)
        return folder

    def create(
        self,
        meeting: bytes,
        meeting_name: str,
        table: bytes,
        table_name: str,
        units: bytes | None = None,
        options: dict[str, str] | None = None,
    ) -> CheckReport:
        """Store an upload under server-chosen names and check it (in a worker)."""
        args = (meeting, meeting_name, table, table_name, units, options)
        if self.pool is not None:
            report: CheckReport = self.pool.run("batch_create", self.config, *args)
            return report
        return self.create_here(*args)

    def create_here(
        self,
        meeting: bytes,
        meeting_name: str,
        table: bytes,
        table_name: str,
        units: bytes | None = None,
        options: dict[str, str] | None = None,
    ) -> CheckReport:
        suffix = Path(table_name).suffix.lower()
        if suffix not in TABLE_SUFFIXES:
            raise InputError(
                [Problem("议定事项表应为 .csv 或 .xlsx 文件", file=_shown(table_name))]
            )
        upload = new_id()
        folder = self.config.uploads_dir / upload
        folder.mkdir(parents=True)
        try:
            self._store_meeting(folder, meeting, _shown(meeting_name))
        except InputError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        atomic_write(folder / f"items{suffix}", table)
        if units is not None:
            atomic_write(self.config.units_file, units)  # kept for the next meeting too
        if self.config.units_file.is_file():
            shutil.copyfile(self.config.units_file, folder / UNITS)
        settings = {
            "names": {
                "meeting": _shown(meeting_name),
                "items": _shown(table_name),
            },
            "options": {k: str(v) for k, v in (options or {}).items() if k in OPTION_KEYS and v},
        }
        atomic_write(folder / SETTINGS, json.dumps(settings, ensure_ascii=False).encode())
        return self.check_here(upload)

    def _store_meeting(self, folder: Path, data: bytes, shown: str) -> None:
        """The meeting file, re-written without any key that names a file on this machine."""
        raw_path = folder / "meeting-upload.yaml"
        atomic_write(raw_path, data)
        try:
            raw = loader.read_data(raw_path)
        except InputError as exc:
            raise InputError([replace(p, file=shown) for p in exc.problems]) from exc
        finally:
            raw_path.unlink(missing_ok=True)
        for key in ("items_file", "议定事项文件"):
            raw.pop(key, None)  # the uploaded table takes its place
        for key in ("supervision", "督办"):
            block = raw.get(key)
            if isinstance(block, dict):
                for k in ("units_file", "成员单位名录"):
                    block.pop(k, None)
        import yaml

        atomic_write(
            folder / MEETING, yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()
        )

    def _settings(self, folder: Path) -> dict[str, Any]:
        return json.loads((folder / SETTINGS).read_text("utf-8"))

    def _table(self, folder: Path) -> Path:
        for suffix in TABLE_SUFFIXES:
            if (folder / f"items{suffix}").is_file():
                return folder / f"items{suffix}"
        raise KeyError("items")

    def options(self, folder: Path, outdir: Path) -> BatchOptions:
        """The same options `docgen batch` builds from its command line."""
        from docgen.models.meeting import parse_cn_date

        given = self._settings(folder)["options"]
        date = parse_cn_date(given["date"]) if given.get("date") else None
        return BatchOptions(
            meeting=folder / MEETING,
            outdir=outdir,
            items=self._table(folder),
            per=given.get("per", "item") if given.get("per") in ("item", "unit") else "item",
            zip=True,
            registry=self.config.registry_path,
            new_registry=True,  # the data folder's own register, made on first use
            jobs=self.config.batch_jobs,
            code=given.get("code"),
            contact=given.get("contact"),
            phone=given.get("phone"),
            date=date if isinstance(date, dt.date) else None,
            progress=False,
        )

    def check(self, upload: str) -> CheckReport:
        """The check `docgen batch` runs first, in a worker: problems and the table as a grid."""
        if self.pool is not None:
            self.upload_dir(upload)  # KeyError here, for an upload that is not ours
            report: CheckReport = self.pool.run("batch_check", self.config, upload)
            return report
        return self.check_here(upload)

    def check_here(self, upload: str) -> CheckReport:
        from docgen.web.zipcheck import zip_refusal

        folder = self.upload_dir(upload)
        settings = self._settings(folder)
        names: dict[str, str] = settings["names"]
        table = self._table(folder)
        shown = {str(folder / MEETING): names["meeting"], str(table): names["items"]}
        shown[str(folder / UNITS)] = "成员单位名录"
        refusal = zip_refusal(table, names["items"]) if table.suffix == ".xlsx" else None
        if refusal is not None:  # a "zip bomb" is not opened at all
            return CheckReport(upload, [refusal], [], 0, [], {}, names)
        problems: list[Problem] = []
        try:
            plan = prepare(self.options(folder, folder / "unused"))
            problems = list(plan.warnings) + self._batched_before(plan)
        except InputError as exc:
            problems = exc.problems
        except BatchRefused as exc:
            from docgen.web.wording import error_for_clerk

            problems = [Problem(error_for_clerk(exc))]
        problems = [replace(p, file=shown.get(p.file, _shown(p.file))) for p in problems]
        grid: list[list[str]] = []
        header_row, headers = 0, []
        try:
            rows = items.read_table(table)
            grid = [[items._cell(v) for v in row] for row in rows[:MAX_ROWS]]
            at = items._find_header(rows)
            if at is not None:
                header_row = at + 1
                headers = [items._header_name(v) for v in rows[at]]
        except InputError:
            pass  # already among the problems, said by prepare()
        columns = {h: column_letter(i) for i, h in enumerate(headers) if h}
        return CheckReport(upload, problems, grid, header_row, headers, columns, names)

    def _batched_before(self, plan: Any) -> list[Problem]:
        """A warning when notices of this meeting already have numbers (batched before)."""
        from docgen.registry import Registry, RegistryError

        if not self.config.registry_path.is_file():
            return []
        keys = [j.key for j in plan.jobs if j.kind == "supervision"]
        try:
            with Registry(self.config.registry_path) as reg:
                issued = reg.by_keys(plan.code, plan.year, keys)
        except RegistryError:
            return []
        if not issued:
            return []
        numbers = sorted(issued.values(), key=lambda r: r.seq)
        shown = "、".join(r.number for r in numbers[:3]) + ("等" if len(numbers) > 3 else "")
        return [
            Problem(
                f"此会议此前已生成过：{len(issued)} 份督办单已有文号（{shown}）。"
                "点“继续生成”将沿用这些文号、补齐未完成的文件，不会重复发号；"
                "新增的事项取新号。如果是另一次会议，请核对会议名称和纪要期号",
                severity="warning",
            )
        ]

    def replace_table(self, upload: str, grid: list[list[Any]]) -> CheckReport:
        """The table as corrected on the page, saved as CSV (UTF-8) and checked again."""
        folder = self.upload_dir(upload)
        if self.pool is None:
            return self._replace_table(folder, upload, grid)
        report: CheckReport = self.pool.run("batch_replace_table", self.config, upload, grid)
        return report

    def _replace_table(self, folder: Path, upload: str, grid: list[list[Any]]) -> CheckReport:
        if len(grid) > MAX_ROWS or any(len(r) > MAX_COLUMNS for r in grid):
            raise InputError([Problem(f"表格太大：最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列")])
        buf = io.StringIO(newline="")
        writer = csv.writer(buf)
        for row in grid:
            writer.writerow(["" if v is None else str(v) for v in row])
        for suffix in TABLE_SUFFIXES:
            (folder / f"items{suffix}").unlink(missing_ok=True)
        atomic_write(folder / "items.csv", buf.getvalue().encode("utf-8-sig"))
        settings = self._settings(folder)
        name = Path(settings["names"]["items"])
        if name.suffix.lower() != ".csv":
            settings["names"]["items"] = f"{name.stem}.csv"
        atomic_write(folder / SETTINGS, json.dumps(settings, ensure_ascii=False).encode())
        return self.check_here(upload)

    # --- jobs ---------------------------------------------------------------------

    def start(self, upload: str) -> str:
        """Check once more, then start the batch in its own process; returns the job id."""
        report = self.check(upload)
        if not report.ok:
            raise InputError(report.problems)
        job = new_id()
        folder = self.config.jobs_dir / job
        folder.mkdir(parents=True)
        opts = self.options(self.upload_dir(upload), folder / "out")
        spec = {
            "kind": "batch",
            "upload": upload,
            "meeting": str(opts.meeting),
            "items": str(opts.items),
            "outdir": str(opts.outdir),
            "registry": str(opts.registry),
            "jobs": opts.jobs,
            "per": opts.per,
            "code": opts.code,
            "contact": opts.contact,
            "phone": opts.phone,
            "date": opts.date.isoformat() if opts.date else None,
            "names": report.names,
            "memory_mb": max(self.config.worker_memory_mb, 1024),
            "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        atomic_write(folder / "job.json", json.dumps(spec, ensure_ascii=False).encode())
        self._launch(job, folder, upload)
        return job

    def resume(self, job: str) -> str:
        """A job cut short (a restart, a failure) runs again in its folder, on its numbers."""
        folder = self.job_dir(job)
        with self._lock:
            proc = self._procs.get(job)
        if proc is not None and proc.poll() is None:
            return job  # still running: nothing to do
        if self.status(job).get("state") in ("queued", "running", "done"):
            return job  # its process still runs (it outlived a restart), or it has finished
        try:
            spec = json.loads((folder / "job.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise KeyError(job) from exc
        if spec.get("kind", "batch") != "batch" or not Path(spec["meeting"]).is_file():
            raise InputError([Problem("这次生成所用的上传文件已清理，无法继续；请重新上传并生成")])
        self._launch(job, folder, str(spec.get("upload", "")))
        return job

    def _launch(self, job: str, folder: Path, upload: str) -> None:
        atomic_write(folder / "status.json", json.dumps({"state": "queued"}).encode())
        log = (folder / "log.txt").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "docgen.web.jobrun", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        with self._lock:
            self._procs[job] = proc
            self._started[job] = time.monotonic()
            self._upload_of[job] = upload

    def job_dir(self, job: str) -> Path:
        return self._used(self.config.jobs_dir, job)

    def status(self, job: str) -> dict[str, Any]:
        folder = self.job_dir(job)
        try:
            status = json.loads((folder / "status.json").read_text("utf-8"))
        except (OSError, ValueError):
            status = {"state": "queued"}
        with self._lock:
            proc = self._procs.get(job)
            started = self._started.get(job, time.monotonic())
        if proc is not None and proc.poll() is None:
            if time.monotonic() - started > self.config.batch_seconds:
                proc.kill()  # over its time: stopped; its numbers stay registered
                proc.wait(timeout=10)
                status = {"state": "running"}
        if proc is not None and proc.poll() is not None:
            with self._lock:
                self._procs.pop(job, None)
                self._upload_of.pop(job, None)
            if status.get("state") not in ("done", "failed"):
                status = _cut_short(f"生成进程意外退出或超过时间（代码 {proc.returncode}）", folder)
        elif proc is None and status.get("state") in ("queued", "running"):
            if not _alive(status.get("pid")):  # a job whose process outlived a restart goes on
                status = _cut_short("生成中断：服务器曾重启", folder)
        status["job"] = job
        return status

    def result_file(self, job: str) -> Path:
        status = self.status(job)
        if status.get("state") != "done" or not status.get("archive"):
            raise KeyError(job)
        out = self.job_dir(job) / "out"
        path = out / str(status["archive"])
        if Path(str(status["archive"])).name != status["archive"] or not served(out, path):
            raise KeyError(job)
        return path

    def output_file(self, job: str, index: int) -> Path:
        """The index-th file listed by the job (manifest rows, then manifest and ledger)."""
        status = self.status(job)
        files = status.get("files") or []
        if status.get("state") != "done" or not 0 <= index < len(files):
            raise KeyError(index)
        name = str(files[index]["name"])
        out = self.job_dir(job) / "out"
        path = out / name
        if Path(name).name != name or not served(out, path):
            raise KeyError(index)
        return path

    def list_jobs(self) -> list[dict[str, Any]]:
        """Every job kept, newest first: what it was, when, its state and how many files."""
        out = []
        for folder in self.config.jobs_dir.iterdir():
            if not valid_id(folder.name) or not folder.is_dir() or folder.is_symlink():
                continue
            try:
                spec = json.loads((folder / "job.json").read_text("utf-8"))
            except (OSError, ValueError):
                spec = {}
            try:
                status = self.status(folder.name)
            except KeyError:
                continue
            names = spec.get("names") or {}
            out.append(
                {
                    "job": folder.name,
                    "kind": spec.get("kind", "batch"),
                    "title": spec.get("title") or names.get("meeting") or "",
                    "created": spec.get("created")
                    or dt.datetime.fromtimestamp(folder.stat().st_ctime)
                    .astimezone()
                    .isoformat(timespec="seconds"),
                    "state": status.get("state"),
                    "resumable": bool(status.get("resumable")),
                    "files": len(status.get("files") or []),
                    "archive": bool(status.get("archive")),
                }
            )
        return sorted(out, key=lambda j: str(j["created"]), reverse=True)

    # --- retention ----------------------------------------------------------------

    def sweep(self, now: float | None = None) -> int:
        """Remove the uploads and jobs unused for longer than the retention period.

        Never a job still running, nor the upload it reads; returns how many went.
        """
        cutoff = (time.time() if now is None else now) - self.config.keep_seconds
        with self._lock:
            running = {job for job, proc in self._procs.items() if proc.poll() is None}
            read = {self._upload_of[job] for job in running if job in self._upload_of}
            doomed = [
                *self._take_expired(self.config.uploads_dir, read, cutoff),
                *self._take_expired(self.config.jobs_dir, running, cutoff),
            ]
        for folder in doomed:  # outside the lock: a large job takes a moment to delete
            shutil.rmtree(folder, ignore_errors=True)
        return len(doomed)

    @staticmethod
    def _take_expired(parent: Path, keep: set[str], cutoff: float) -> list[Path]:
        """Rename each expired entry of ``parent`` out of reach (no request finds it now)."""
        taken: list[Path] = []
        try:
            folders = list(parent.iterdir())
        except OSError:
            return taken
        for folder in folders:
            try:
                if folder.name.startswith(REMOVING):  # left by a sweep that was interrupted
                    taken.append(folder)
                    continue
                if not valid_id(folder.name) or folder.name in keep or not folder.is_dir():
                    continue
                if last_used(folder) >= cutoff:
                    continue
                trash = parent / f"{REMOVING}{folder.name}"
                folder.rename(trash)
                taken.append(trash)
            except OSError:
                continue  # tried again at the next sweep
        return taken

    def stop_all(self) -> None:
        """On shutdown: no batch outlives the server that started it."""
        with self._lock:
            procs = list(self._procs.values())
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


def _alive(pid: object) -> bool:
    """Whether process ``pid`` (a job's, from before a restart) still runs."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there
        try:
            import psutil
        except ImportError:
            return False
        return bool(psutil.pid_exists(pid))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cut_short(why: str, folder: Path) -> dict[str, Any]:
    """The status of a job whose process is gone before it finished: 继续生成 offered."""
    made = len(list((folder / "out").glob("*.pdf"))) if (folder / "out").is_dir() else 0
    message = (
        f"{why}；已分配的文号已登记，已生成 {made} 个 PDF。"
        "点“继续生成”即沿用这些文号补齐其余文件，不会另发新号"
    )
    return {
        "state": "interrupted",
        "resumable": True,
        "problems": [{"message": message, "severity": "error", "text": f"错误：{message}"}],
    }


def _shown(name: str) -> str:
    """A user's file name for messages only: the last part, without folders."""
    return Path(str(name).replace("\\", "/")).name[:120] or "上传的文件"
