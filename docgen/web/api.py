"""The JSON API under /api: what the pages call, and what a script may call too.

Every invalid input is answered 422 with ``{"problems": [...]}``, each
problem carrying the very line the CLI prints (``text``), its message and
where it is (``field``/``path`` for a form, ``row``/``column`` for a table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from docgen.naming import safe
from docgen.problems import InputError, Problem
from docgen.web.batches import CheckReport
from docgen.web.service import RenderFailed, model_yaml, problem_json

router = APIRouter(prefix="/api")

# The documents a clerk downloads from 拟文: format → (media type, the button's words), in
# the toolbar's order. A new writer (OFD) is one entry here; the route, the page's
# buttons, the job files' types and the API page all follow from it.
DOCUMENT_FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "下载 PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "下载 Word",
    ),
    # GB/T 33190 版式文档, drawn from the same page plan as the PDF (render/ofd)
    "ofd": ("application/ofd", "下载 OFD"),
}
MEDIA = {
    **{fmt: media for fmt, (media, _label) in DOCUMENT_FORMATS.items()},
    "png": "image/png",
    "yaml": "application/yaml; charset=utf-8",
}
ModelBody = Annotated[
    dict[str, Any],
    Body(
        description="一个文种的输入，键与 YAML 输入相同（英文或中文），含 kind",
        examples=[
            {
                "kind": "letter",
                "issuer": "高平市人民政府办公室",
                "title": "关于……的函",
                "recipients": ["市文物保护中心"],
                "body": "正文第一段\n正文第二段",
                "date": "2025-07-07",
            }
        ],
    ),
]


def problems_response(problems: list[Problem], status: int = 422, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"problems": [problem_json(p) for p in problems], **extra}, status_code=status
    )


def not_found(message: str) -> HTTPException:
    return HTTPException(status_code=404, detail=message)


def attachment(data: bytes, media: str, name: str) -> Response:
    """A download whose Chinese name survives every browser (RFC 6266 filename*)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "docgen"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


def _bench(request: Request) -> Any:
    return request.app.state.workbench


# --- documents ---------------------------------------------------------------------


@router.post(
    "/check",
    summary="检查一个输入：返回全部问题和核稿发现（有错误时 422，与 docgen check 的退出码一致）",
)
def check(request: Request, model: ModelBody) -> JSONResponse:
    checked = _bench(request).check(model)
    found = [problem_json(p) for p in checked.problems]
    found += checked.findings  # already as JSON (made in the worker)
    status = 422 if any(p["severity"] == "error" for p in found) else 200
    return JSONResponse({"problems": found}, status_code=status)


@router.post(
    "/fix",
    summary="全部改正：按核稿规则改正能确定的问题（与命令行的核稿改正相同），返回改正后的输入和每处改动",
)
def fix(request: Request, model: ModelBody) -> JSONResponse:
    bench = _bench(request)
    try:
        prepared = bench.prepare(model)
    except InputError as exc:
        return problems_response(exc.problems)
    result = bench.pool.run("fix", prepared, str(bench.config.data_dir))
    # The seal stays as the page named it (prepare() put the server's path in its place).
    fixed = result["model"]
    for key in ("signature", "署名方式"):
        if isinstance(model.get(key), dict) and isinstance(fixed.get(key), dict):
            for seal in ("seal_image", "印章图片"):
                if seal in model[key]:
                    fixed[key][seal] = model[key][seal]
    return JSONResponse(result)


@router.post(
    "/render",
    summary="排版：返回 PDF、Word、某页的 PNG 图像，或 YAML 输入文件",
    responses={200: {"content": {m: {} for m in MEDIA.values()}}, 422: {"description": "输入有误"}},
)
def render(
    request: Request,
    model: ModelBody,
    format: str = Query(
        "pdf",
        pattern=f"^({'|'.join(MEDIA)})$",
        description=f"输出格式：{'、'.join(MEDIA)}（png 为预览用的一页图像，yaml 为输入文件）",
    ),
    page: int = Query(1, ge=1, le=10000, description="format=png 时的页码（从 1 起）"),
    sided: str | None = Query(
        None, pattern="^(one|two)$", description="one 单面 / two 双面印刷；不填按单位设置（双面）"
    ),
) -> Response:
    bench = _bench(request)
    double = None if sided is None else sided == "two"
    title = str(model.get("title") or model.get("标题") or model.get("meeting") or "公文")
    stem = safe(title)[:60]
    if format == "yaml":
        return attachment(model_yaml(model), MEDIA["yaml"], f"{stem}.yaml")
    try:
        if format == "png":
            from docgen.render.raster import PageOutOfRange

            try:
                image, pdf = bench.page_image(model, page, double)
            except PageOutOfRange as exc:
                return problems_response([Problem(str(exc), field="page")])
            return Response(image, media_type=MEDIA["png"], headers=_page_headers(pdf))
        rendered = bench.render(model, format, double)
    except InputError as exc:
        return problems_response(exc.problems)
    except RenderFailed as exc:
        return problems_response([Problem(str(exc))], status=500)
    response = attachment(rendered.files[format], MEDIA[format], f"{stem}.{format}")
    response.headers.update(_page_headers(rendered))
    return response


def _page_headers(rendered: Any) -> dict[str, str]:
    """The page count, and what the page should say about the layout (a 版记 page of its
    own, and why), percent-encoded: a header carries Latin-1 only."""
    from docgen.web.tasks import COLOPHON_ALONE

    headers = {"X-Page-Count": str(rendered.pages)} if rendered.pages else {}
    said = [n for n in rendered.notes if n.startswith(COLOPHON_ALONE)]
    if said:
        headers["X-Layout-Note"] = quote(said[0])
    return headers


@router.get("/health", summary="服务器是否在运行（不经工作进程，随时应答）")
async def health() -> dict[str, bool]:
    return {"ok": True}


@router.get("/kinds", summary="可用的文种")
async def kinds() -> dict[str, str]:
    from docgen.models import KIND_NAMES

    return dict(KIND_NAMES)


@router.get("/schema/{kind}", summary="某文种输入的 JSON Schema（带中文字段名）")
def schema(kind: str) -> dict[str, Any]:
    from docgen.loader import _KIND_ALIASES
    from docgen.models import KINDS
    from docgen.models.schema import labelled_schema

    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise not_found(f"未知文种；可选：{'、'.join(KINDS)}")
    return labelled_schema(kind)


@router.post("/seals", summary="上传印章图片（PNG/JPEG），返回模型中引用它的名字")
async def upload_seal(
    request: Request, file: Annotated[UploadFile, File(description="PNG 或 JPEG 图片")]
) -> dict[str, str]:
    from docgen.web.store import save_seal

    data = await file.read()
    try:
        name = save_seal(request.app.state.config.seals_dir, data)
    except InputError as exc:
        raise _Problems(exc.problems) from exc
    return {"name": name}


class _Problems(Exception):
    """Raised inside a handler to answer 422 with these problems."""

    def __init__(self, problems: list[Problem], status: int = 422, **extra: Any):
        self.problems, self.status, self.extra = problems, status, extra


# --- drafts ------------------------------------------------------------------------


class DraftIn(BaseModel):
    model: dict[str, Any] = Field(..., description="草稿的模型（可不完整）")
    id: str | None = Field(None, description="覆盖已有草稿时给出其 id")


@router.get("/drafts", summary="已保存的草稿")
def list_drafts(request: Request) -> list[dict[str, str]]:
    return [d.__dict__ for d in request.app.state.drafts.list()]


@router.post("/drafts", summary="保存草稿（新建或覆盖）")
def save_draft(request: Request, draft: DraftIn) -> dict[str, str]:
    try:
        return request.app.state.drafts.save(draft.model, draft.id).__dict__
    except KeyError as exc:
        raise not_found("没有这份草稿") from exc


@router.get("/drafts/{draft_id}", summary="打开一份草稿")
def get_draft(request: Request, draft_id: str) -> dict[str, Any]:
    try:
        return request.app.state.drafts.load(draft_id)
    except KeyError as exc:
        raise not_found("没有这份草稿") from exc


@router.delete("/drafts/{draft_id}", summary="删除一份草稿")
def delete_draft(request: Request, draft_id: str) -> dict[str, bool]:
    try:
        request.app.state.drafts.delete(draft_id)
    except KeyError as exc:
        raise not_found("没有这份草稿") from exc
    return {"deleted": True}


# --- 纪要与督办 -----------------------------------------------------------------------


def report_json(report: CheckReport) -> dict[str, Any]:
    problems = []
    for p in report.problems:
        item = problem_json(p)
        item["file"] = p.file
        item["column"] = report.columns.get(p.field)
        problems.append(item)
    return {
        "upload": report.upload,
        "ok": report.ok,
        "problems": problems,
        "table": {
            "grid": report.grid,
            "header_row": report.header_row,
            "headers": report.headers,
            "columns": report.columns,
            "name": report.names.get("items", ""),
        },
    }


def _report_response(report: CheckReport) -> JSONResponse:
    return JSONResponse(report_json(report), status_code=200 if report.ok else 422)


async def _meeting_source(
    request: Request, meeting: UploadFile | None, draft: str | None
) -> tuple[bytes, str]:
    """The meeting file uploaded, or a 纪要 saved from the 拟文 form, as YAML bytes."""
    if meeting is not None and meeting.filename:
        return await meeting.read(), meeting.filename
    if draft:
        import yaml

        try:
            record = request.app.state.drafts.load(draft)
        except KeyError as exc:
            raise _Problems([Problem("没有这份草稿", field="draft")], status=404) from exc
        model = record["model"]
        if model.get("kind") not in ("minutes", "纪要"):
            raise _Problems(
                [Problem("所选草稿不是纪要；请在“拟文”页选“纪要”填写并保存", field="draft")]
            )
        text = yaml.safe_dump(model, allow_unicode=True, sort_keys=False)
        return text.encode("utf-8"), f"{record.get('title') or '纪要草稿'}.yaml"
    raise _Problems([Problem("请上传会议文件，或选择在“拟文”页保存的纪要草稿", field="meeting")])


OptionalText = Annotated[str | None, Form()]


@dataclass
class UploadForm:
    """What /api/batch/check and /api/batch take: the files, or a draft, and the settings."""

    items: UploadFile
    meeting: UploadFile | None
    units: UploadFile | None
    draft: str | None
    options: dict[str, str]  # the settings given (code, contact, phone, date)


async def upload_form(
    items: Annotated[UploadFile, File(description="议定事项表（.csv 或 .xlsx）")],
    meeting: Annotated[UploadFile | None, File(description="会议文件（纪要 YAML）")] = None,
    units: Annotated[UploadFile | None, File(description="成员单位名录（YAML，可不传）")] = None,
    draft: Annotated[str | None, Form(description="或：在拟文页保存的纪要草稿的 id")] = None,
    code: OptionalText = None,
    contact: OptionalText = None,
    phone: OptionalText = None,
    date: OptionalText = None,
) -> UploadForm:
    """The form fields of both batch uploads, declared once (a FastAPI dependency)."""
    given = {"code": code, "contact": contact, "phone": phone, "date": date}
    return UploadForm(items, meeting, units, draft, {k: v for k, v in given.items() if v})


async def _create_upload(request: Request, form: UploadForm) -> CheckReport:
    batches = request.app.state.batches
    meeting_bytes, meeting_name = await _meeting_source(request, form.meeting, form.draft)
    units = form.units
    try:
        # In a worker process, from a thread: the event loop keeps answering meanwhile.
        return await run_in_threadpool(
            batches.create,
            meeting_bytes,
            meeting_name,
            await form.items.read(),
            form.items.filename or "items.csv",
            await units.read() if units is not None and units.filename else None,
            form.options,
        )
    except InputError as exc:
        raise _Problems(exc.problems) from exc


@router.post(
    "/batch/check",
    summary="上传会议文件和议定事项表并检查（不生成）；返回表格和每个错误所在的行列",
)
async def batch_check(
    request: Request, form: Annotated[UploadForm, Depends(upload_form)]
) -> JSONResponse:
    return _report_response(await _create_upload(request, form))


class TableIn(BaseModel):
    grid: list[list[str | int | float | None]] = Field(..., description="整张表，第 1 行起")


@router.put("/batch/{upload}/table", summary="保存页面上改正后的表格并重新检查")
def batch_table(request: Request, upload: str, table: TableIn) -> JSONResponse:
    try:
        return _report_response(request.app.state.batches.replace_table(upload, table.grid))
    except KeyError as exc:
        raise not_found("没有这次上传") from exc
    except InputError as exc:
        raise _Problems(exc.problems) from exc


@router.post("/batch/{upload}/run", summary="开始生成（检查通过后）；返回任务编号")
def batch_run(request: Request, upload: str) -> JSONResponse:
    try:
        job = request.app.state.batches.start(upload)
    except KeyError as exc:
        raise not_found("没有这次上传") from exc
    except InputError as exc:
        raise _Problems(exc.problems) from exc
    return JSONResponse({"job": job}, status_code=202)


@router.post("/batch", summary="上传会议文件和议定事项表并开始生成；返回任务编号")
async def batch(
    request: Request, form: Annotated[UploadForm, Depends(upload_form)]
) -> JSONResponse:
    report = await _create_upload(request, form)
    if not report.ok:
        return JSONResponse(report_json(report), status_code=422)
    return batch_run(request, report.upload)


@router.get("/jobs", summary="保留的任务：类别、时间、状态和文件数（新的在前）")
def jobs(request: Request) -> list[dict[str, Any]]:
    return request.app.state.batches.list_jobs()


@router.post("/jobs/{job}/resume", summary="继续生成一个中断的任务：沿用已分配的文号，补齐其余文件")
def job_resume(request: Request, job: str) -> JSONResponse:
    try:
        request.app.state.batches.resume(job)
    except KeyError as exc:
        raise not_found("没有这个任务") from exc
    except InputError as exc:
        raise _Problems(exc.problems) from exc
    return JSONResponse({"job": job}, status_code=202)


@router.get("/jobs/{job}", summary="任务进度和结果清单")
def job_status(request: Request, job: str) -> dict[str, Any]:
    try:
        status = request.app.state.batches.status(job)
    except KeyError as exc:
        raise not_found("没有这个任务") from exc
    for i, f in enumerate(status.get("files") or []):
        f["url"] = f"/api/jobs/{job}/files/{i}"
    if status.get("archive"):
        status["result"] = f"/api/jobs/{job}/result"
    return status


@router.get("/jobs/{job}/result", summary="全部文件的压缩包（zip）")
def job_result(request: Request, job: str) -> FileResponse:
    try:
        path = request.app.state.batches.result_file(job)
    except KeyError as exc:
        raise not_found("没有这个任务，或尚未完成") from exc
    return FileResponse(path, media_type="application/zip", filename=path.name)


@router.get("/jobs/{job}/files/{index}", summary="任务生成的某个文件（按清单中的序号）")
def job_file(request: Request, job: str, index: int) -> FileResponse:
    try:
        path = request.app.state.batches.output_file(job, index)
    except KeyError as exc:
        raise not_found("没有这个文件") from exc
    media = {
        **{f".{fmt}": media for fmt, (media, _label) in DOCUMENT_FORMATS.items()},
        ".csv": "text/csv; charset=utf-8",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(path, media_type=media, filename=path.name)


# --- 导入草稿 ---------------------------------------------------------------------------


@router.post("/import", summary="导入草稿（.docx 或粘贴的文字）：返回填表用的模型和每段的识别结果")
async def import_draft(
    request: Request,
    file: Annotated[UploadFile | None, File(description="草稿：.docx、.txt 或 .md")] = None,
    text: Annotated[str | None, Form(description="或粘贴的文字")] = None,
    kind: Annotated[str | None, Form(description="letter/request/minutes；不填则自动判断")] = None,
) -> JSONResponse:
    from docgen.importer import DraftError

    if file is not None and file.filename:
        data, name = await file.read(), Path(file.filename.replace("\\", "/")).name[:120]
    elif text and text.strip():
        data, name = text.encode("utf-8"), "粘贴的文字.txt"
    else:
        return problems_response([Problem("请选择草稿文件，或把草稿文字粘贴进来")])
    try:
        pool = request.app.state.pool
        model, report = await run_in_threadpool(pool.run, "import_draft", data, name, kind or None)
    except DraftError as exc:
        return problems_response([Problem(str(exc))])
    return JSONResponse({"model": model, "report": report})


class ReassignIn(BaseModel):
    model: dict[str, Any]
    paragraphs: list[dict[str, Any]] = Field(..., max_length=5000)
    index: int = Field(..., ge=0, description="段落序号（从 0 起）")
    role: str = Field(..., description="新的角色，如 标题、正文、附注、不导入")


@router.post("/import/reassign", summary="把导入草稿中的某段改为另一个角色")
def import_reassign(body: ReassignIn) -> JSONResponse:
    from docgen.importer.reassign import ReassignError
    from docgen.web.roles import reassign

    try:
        model, paragraphs = reassign(body.model, body.paragraphs, body.index, body.role)
    except ReassignError as exc:
        return problems_response([Problem(str(exc))])
    return JSONResponse({"model": model, "paragraphs": paragraphs})


@router.get("/import/roles", summary="导入草稿时段落可改成的角色")
def import_roles() -> list[str]:
    from docgen.web.roles import ROLES

    return list(ROLES)
