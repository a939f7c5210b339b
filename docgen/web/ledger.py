"""督办台账 under /api/ledger: the supervision functions `docgen supervise` calls, over HTTP.

Uploaded feedback files are stored under feedback/ with names the server
chooses (the suffix says how to read them) and named in messages by the name
the clerk uploaded; reminders are written into a job folder, so their files
are served by the same /api/jobs links as a batch's.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from docgen.fileio import atomic_write
from docgen.problems import InputError, Problem
from docgen.web.store import new_id

router = APIRouter(prefix="/api/ledger", tags=["督办台账"])
FEEDBACK_SUFFIXES = (".docx", ".csv", ".xlsx")


def _registry(request: Request) -> Path:
    return request.app.state.config.registry_path


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

    if isinstance(exc, InputError):
        return problems_response(exc.problems)
    return problems_response([Problem(str(exc))])


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
        return api.notice_history(number, _registry(request))
    except _errors() as exc:
        return _refusal(exc)


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
    from docgen.supervision import api

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
    try:
        results = api.record_feedback(saved, _registry(request))
    except _errors() as exc:
        return _refusal(exc)
    for r in results:  # messages name the file the clerk chose, not where it is kept
        real = r["file"]
        r["file"] = shown.get(real, Path(real).name)
        r["problems"] = [p.replace(real, r["file"]) for p in r["problems"]]
    return results


class RemindIn(BaseModel):
    as_of: str | None = Field(None, description="按哪一天计算逾期，默认今天")
    code: str = Field(..., max_length=20, description="催办单的编号代字，如 高文联办催")
    due_within: int | None = Field(None, ge=0, le=365, description="另为 N 天内到期的事项发提醒")


@router.post("/remind", summary="为逾期（及将到期）未办结的事项生成催办单")
def remind(request: Request, body: RemindIn) -> Any:
    from docgen.supervision import api

    config = request.app.state.config
    try:
        as_of = _date(body.as_of, "as_of") or dt.date.today()
        job = new_id()
        folder = config.jobs_dir / job
        out = folder / "out"
        out.mkdir(parents=True)
        result = api.remind(
            as_of,
            out,
            config.registry_path,
            due_within=body.due_within,
            code=body.code.strip() or None,
            jobs=config.batch_jobs,
        )
    except _errors() as exc:
        return _refusal(exc)
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
    status = {"state": "done", "files": files, "archive": archive, "manifest": []}
    atomic_write(folder / "status.json", json.dumps(status, ensure_ascii=False).encode("utf-8"))
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


class ReportIn(BaseModel):
    as_of: str | None = Field(None, description="通报截至哪一天，默认今天")
    code: str | None = Field(None, max_length=20, description="通报的编号代字（默认按台账推定）")
    issuer: str | None = Field(None, max_length=100, description="发文机关（默认为督办机关）")
    recipients: list[str] = Field(default_factory=list, max_length=50, description="主送机关")


@router.post("/report", summary="生成督办情况通报（PDF 与 Word）")
def report(request: Request, body: ReportIn) -> Any:
    from docgen.supervision import api

    config = request.app.state.config
    try:
        as_of = _date(body.as_of, "as_of") or dt.date.today()
        job = new_id()
        out = config.jobs_dir / job / "out"
        out.mkdir(parents=True)
        stem = f"督办情况通报-{as_of.isoformat()}"
        result = api.report(
            as_of,
            {"pdf": out / f"{stem}.pdf", "docx": out / f"{stem}.docx"},
            config.registry_path,
            code=(body.code or "").strip() or None,
            issuer=(body.issuer or "").strip() or None,
            recipients=[r.strip() for r in body.recipients if r.strip()] or None,
        )
    except _errors() as exc:
        return _refusal(exc)
    files = [
        {"name": Path(p).name, "kind": "通报", "size": Path(p).stat().st_size}
        for p in result["files"].values()
    ]
    status = {"state": "done", "files": files, "archive": None, "manifest": []}
    atomic_write(
        config.jobs_dir / job / "status.json",
        json.dumps(status, ensure_ascii=False).encode("utf-8"),
    )
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
