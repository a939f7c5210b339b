"""督办台账 under /api/ledger: the supervision functions `docgen supervise` calls, over HTTP.

Uploaded feedback files are stored under feedback/ with names the server
chooses (the suffix says how to read them) and named in messages by the name
the clerk uploaded; reminders are written into a job folder, so their files
are served by the same /api/jobs links as a batch's.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from docgen.fileio import atomic_write
from docgen.problems import InputError, Problem
from docgen.web.store import new_id
from docgen.web.workers import Limits, WorkerPool

router = APIRouter(prefix="/api/ledger", tags=["督办台账"])
FEEDBACK_SUFFIXES = (".docx", ".csv", ".xlsx")


def _registry(request: Request) -> Path:
    return request.app.state.config.registry_path


def _pool(request: Request) -> WorkerPool:
    return request.app.state.pool


def _long(request: Request) -> Limits:
    """Reminders and reports lay out many documents: more time than one render."""
    pool = _pool(request)
    return Limits(pool.memory_mb, pool.seconds * 5)


def _date(text: str | None, field: str) -> dt.date | None:
    from docgen.models.meeting import parse_cn_date

    if not text:
        return None
    try:
        value = parse_cn_date(text)
    except ValueError as exc:
        raise InputError([Problem(str(exc), field=field)]) from exc
    if not isinstance(value, dt.date):
        raise InputError([Problem(f"日期“{text[:20]}”无法识别；请写成 2025-10-08", field=field)])
    return value


def _refusal(exc: Exception) -> JSONResponse:
    """A LedgerError (one line) or InputError (a list) as the API's 422."""
    from docgen.web.api import problems_response
    from docgen.web.wording import error_for_clerk

    if isinstance(exc, InputError):
        return problems_response(exc.problems)
    return problems_response([Problem(error_for_clerk(exc))])


def _errors() -> tuple[type[Exception], ...]:
    from docgen.ledger.store import LedgerError
    from docgen.registry import RegistryError

    return (InputError, LedgerError, RegistryError)


@router.get("", summary="督办事项：状态、逾期与统计（可按单位、状态、会议筛选）")
def notices(
    request: Request,
    as_of: str | None = Query(None, description="按哪一天计算逾期，默认今天"),
    unit: str | None = Query(None, max_length=100),
    status: str | None = Query(
        None, max_length=20, description="已发出/已签收/办理中/已办结/逾期/未办结"
    ),
    meeting: str | None = Query(None, max_length=200),
) -> Any:
    from docgen.supervision import api

    try:
        return api.list_notices(
            _registry(request),
            as_of=_date(as_of, "as_of"),
            unit=unit or None,
            status=status or None,
            meeting=meeting or None,
        ) | {"registry": ""}  # the server's paths are not the page's business
    except _errors() as exc:
        return _refusal(exc)


@router.get("/history", summary="一份督办单的全部记录（反馈、催办、延期）")
def history(request: Request, number: str = Query(..., max_length=60)) -> Any:
    from docgen.supervision import api

    try:
        found = api.notice_history(number, _registry(request))
    except _errors() as exc:
        return _refusal(exc)
    names = _feedback_names(request.app.state.config.data_dir / "feedback")
    return _without_paths(found, names)


NAMES = "names.json"  # in feedback/: the name each stored file had on the clerk's machine


def _feedback_names(folder: Path) -> dict[str, str]:
    try:
        return dict(json.loads((folder / NAMES).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def _without_paths(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every file path on this server reduced to the name the clerk knows."""
    if isinstance(value, dict):
        return {k: _without_paths(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_paths(v, names) for v in value]
    if isinstance(value, str) and ("/" in value or "\\" in value):
        candidate = Path(value.replace("\\", "/"))
        if candidate.is_absolute() or value.startswith(("/", "\\")) or ":" in value[:3]:
            return names.get(candidate.name, candidate.name)
    return value


class PhoneIn(BaseModel):
    number: str = Field(..., max_length=60, description="督办单编号")
    text: str = Field(..., max_length=2000, description="办理情况")
    done: bool = Field(False, description="是否办结")
    date: str | None = Field(None, description="反馈日期，默认今天")
    signed_by: str = Field("", max_length=50, description="反馈人")


@router.post("/phone", summary="记录一条电话（或当面）反馈")
def phone(request: Request, body: PhoneIn) -> Any:
    from docgen.supervision import api

    try:
        return api.record_phone_feedback(
            body.number,
            body.text,
            done=body.done,
            date=_date(body.date, "date"),
            signed_by=body.signed_by.strip(),
            registry=_registry(request),
        )
    except _errors() as exc:
        return _refusal(exc)


@router.post("/feedback", summary="上传单位反馈：交回的督办单（.docx）或反馈表（.csv/.xlsx）")
async def feedback(
    request: Request, files: Annotated[list[UploadFile], File(description="一个或多个文件")]
) -> Any:

    folder = request.app.state.config.data_dir / "feedback"
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    shown: dict[str, str] = {}
    for upload in files:
        name = Path((upload.filename or "").replace("\\", "/")).name[:120] or "反馈"
        suffix = Path(name).suffix.lower()
        if suffix not in FEEDBACK_SUFFIXES:
            return _refusal(
                InputError(
                    [Problem("反馈文件应为交回的督办单（.docx）或反馈表（.csv、.xlsx）", file=name)]
                )
            )
        path = folder / f"{new_id()}{suffix}"
        atomic_write(path, await upload.read())
        saved.append(path)
        shown[str(path)] = name
    names = _feedback_names(folder) | {Path(k).name: v for k, v in shown.items()}
    atomic_write(folder / NAMES, json.dumps(names, ensure_ascii=False).encode("utf-8"))
    pool = request.app.state.pool
    try:  # read in a worker process (a returned .docx may be anything), from a thread
        results = await run_in_threadpool(
            pool.run, "feedback", [str(p) for p in saved], shown, str(_registry(request))
        )
    except _errors() as exc:
        return _refusal(exc)
    for r in results:  # messages name the file the clerk chose, not where it is kept
        real = r["file"]
        r["file"] = shown.get(real, Path(real).name)
        r["problems"] = [p.replace(real, r["file"]) for p in r["problems"]]
    return results


class RemindIn(BaseModel):
    as_of: str | None = Field(None, description="按哪一天计算逾期，默认今天")
    code: str | None = Field(
        None,
        max_length=20,
        description="催办单的编号代字，如 高文联办催；不填则按督办单代字推定（督→催）",
    )
    due_within: int | None = Field(None, ge=0, le=365, description="另为 N 天内到期的事项发提醒")


@router.post("/remind", summary="为逾期（及将到期）未办结的事项生成催办单")
def remind(request: Request, body: RemindIn) -> Any:

    config = request.app.state.config
    try:
        as_of = _date(body.as_of, "as_of") or dt.date.today()
        job = new_id()
        folder = config.jobs_dir / job
        out = folder / "out"
        out.mkdir(parents=True)
        result = _pool(request).run(
            "remind",
            {
                "as_of": as_of,
                "outdir": out,
                "registry": config.registry_path,
                "due_within": body.due_within,
                "code": (body.code or "").strip() or None,
                "derive_code": True,  # as the 通报: 高文联办督 → 高文联办催 when none is given
                "jobs": 1,  # a worker process has no children of its own (daemon)
            },
            limits=_long(request),
        )
    except BaseException as exc:
        if "folder" in locals():
            shutil.rmtree(folder, ignore_errors=True)  # a failed run leaves no empty job
        if isinstance(exc, _errors()):
            return _refusal(exc)
        raise
    files = [
        {"name": name, "kind": "催办单", "size": (out / name).stat().st_size}
        for row in result["issued"]
        for name in row["files"]
    ]
    archive = None
    if files:
        manifest = Path(result["manifest"]).name
        files.append({"name": manifest, "kind": "清单", "size": (out / manifest).stat().st_size})
        archive = f"催办单-{as_of.isoformat()}.zip"
        with zipfile.ZipFile(out / archive, "w") as zf:
            for f in files:
                zf.write(out / f["name"], arcname=f["name"])
    if not files and result["already"]:
        earlier = _earlier_reminders(config.jobs_dir, as_of.isoformat())
        if earlier is not None:  # the same day again: that day's files, still downloadable
            shutil.rmtree(folder, ignore_errors=True)
            job, files, archive = earlier
    else:
        _job_record(folder, "remind", as_of.isoformat(), files, archive)
    for i, f in enumerate(files):
        f["url"] = f"/api/jobs/{job}/files/{i}"
    return {
        "job": job,
        "as_of": result["as_of"],
        "issued": result["issued"],
        "already": result["already"],
        "files": files,
        "result": f"/api/jobs/{job}/result" if archive else None,
    }


def _job_record(
    folder: Path, kind: str, as_of: str, files: list[dict[str, Any]], archive: str | None
) -> None:
    """job.json (what and when, for the list of jobs) and status.json (its files)."""
    label = {"remind": "催办单", "report": "督办情况通报"}[kind]
    spec = {
        "kind": kind,
        "as_of": as_of,
        "title": f"{label}（截至 {as_of}）",
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    atomic_write(folder / "job.json", json.dumps(spec, ensure_ascii=False).encode("utf-8"))
    status = {"state": "done", "files": files, "archive": archive, "manifest": []}
    atomic_write(folder / "status.json", json.dumps(status, ensure_ascii=False).encode("utf-8"))


def _earlier_reminders(jobs_dir: Path, as_of: str) -> tuple[str, list[dict[str, Any]], Any] | None:
    """The reminder job already made for ``as_of``: (job, files, archive), newest first."""
    found = []
    for spec_path in jobs_dir.glob("*/job.json"):
        try:
            spec = json.loads(spec_path.read_text("utf-8"))
            status = json.loads((spec_path.parent / "status.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if spec.get("kind") == "remind" and spec.get("as_of") == as_of and status.get("files"):
            found.append((spec.get("created", ""), spec_path.parent.name, status))
    if not found:
        return None
    _, job, status = max(found)
    files = [{k: f[k] for k in ("name", "kind", "size")} for f in status["files"]]
    return job, files, status.get("archive")


class ReportIn(BaseModel):
    as_of: str | None = Field(None, description="通报截至哪一天，默认今天")
    code: str | None = Field(None, max_length=20, description="通报的编号代字（默认按台账推定）")
    issuer: str | None = Field(None, max_length=100, description="发文机关（默认为督办机关）")
    recipients: list[str] = Field(default_factory=list, max_length=50, description="主送机关")


@router.post("/report", summary="生成督办情况通报（PDF 与 Word）")
def report(request: Request, body: ReportIn) -> Any:

    config = request.app.state.config
    try:
        as_of = _date(body.as_of, "as_of") or dt.date.today()
        job = new_id()
        out = config.jobs_dir / job / "out"
        out.mkdir(parents=True)
        stem = f"督办情况通报-{as_of.isoformat()}"
        result = _pool(request).run(
            "report",
            {
                "as_of": as_of,
                "targets": {"pdf": out / f"{stem}.pdf", "docx": out / f"{stem}.docx"},
                "registry": config.registry_path,
                "code": (body.code or "").strip() or None,
                "issuer": (body.issuer or "").strip() or None,
                "recipients": [r.strip() for r in body.recipients if r.strip()] or None,
            },
            limits=_long(request),
        )
    except BaseException as exc:
        if "out" in locals():
            shutil.rmtree(out.parent, ignore_errors=True)  # a failed run leaves no empty job
        if isinstance(exc, _errors()):
            return _refusal(exc)
        raise
    files = [
        {"name": Path(p).name, "kind": "通报", "size": Path(p).stat().st_size}
        for p in result["files"].values()
    ]
    _job_record(config.jobs_dir / job, "report", as_of.isoformat(), files, None)
    for i, f in enumerate(files):
        f["url"] = f"/api/jobs/{job}/files/{i}"
    return {
        "number": result["number"],
        "title": result["title"],
        "counts": result["counts"],
        "notes": result["notes"],
        "files": files,
    }


@router.get("/export", summary="台账导出为 Excel（每个会议一张表，另有汇总）")
def export(request: Request, as_of: str | None = Query(None)) -> Response:
    from docgen.ledger.store import Ledger
    from docgen.ledger.workbook import workbook_bytes
    from docgen.web.api import attachment

    try:
        day = _date(as_of, "as_of") or dt.date.today()
        with Ledger(_registry(request)) as ledger:
            data = workbook_bytes(ledger.notices(), day)
    except _errors() as exc:
        return _refusal(exc)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return attachment(data, media, f"督办台账-{day.isoformat()}.xlsx")
