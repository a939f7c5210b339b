"""The workbench application: pages, /api, static files, behind the security guard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from docgen.problems import Problem
from docgen.web import api, numbers, pages
from docgen.web.batches import Batches
from docgen.web.config import WebConfig
from docgen.web.retention import Sweeper, sweep_interval
from docgen.web.security import Guard
from docgen.web.service import Workbench, problem_json
from docgen.web.store import Drafts
from docgen.web.tasks import TASKS
from docgen.web.workers import WorkerBusy, WorkerLimit, WorkerPool

STATIC = Path(__file__).parent / "static"


def _docs_assets() -> Path | None:
    """Swagger UI's files from the fastapi-offline package: the API page needs no CDN."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    return Path(fastapi_offline.__file__).parent / "static"


def create_app(config: WebConfig) -> Guard:
    """The ASGI application for ``config``; the Guard wraps everything, errors included."""
    config.make_dirs()
    # The register is opened (made, in a new data folder) once here: a damaged or foreign
    # file stops the start with its message, and requests never race to create it.
    from docgen.registry import Registry

    Registry(config.registry_path, create=True).close()
    pool = WorkerPool(TASKS, config.workers, config.worker_memory_mb, config.worker_seconds)
    batches = Batches(config, pool)
    batches.sweep()  # what expired while the workbench was stopped goes at once

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sweeper = Sweeper(batches.sweep, sweep_interval(config.keep_seconds))
        sweeper.start()
        yield
        sweeper.stop()
        batches.stop_all()
        pool.close()

    app = FastAPI(
        title="docgen 公文工作台 API",
        description="按 GB/T 9704-2012 排版公文。与 docgen 命令行调用同一套函数；"
        "输入有误时返回 422 和与命令行相同的中文问题列表。",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.pool = pool
    app.state.workbench = Workbench(config, pool)
    app.state.drafts = Drafts(config.drafts_dir)
    app.state.batches = batches
    app.include_router(api.router)
    app.include_router(numbers.router)
    if pages.ledger_available():
        from docgen.web import ledger

        app.include_router(ledger.router)
    app.include_router(pages.router)
    assets = _docs_assets()
    if assets is not None:
        app.mount("/static/docs", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/static/font/ui.ttf", include_in_schema=False)
    def ui_font() -> FileResponse:
        # Used only where the browser has no Chinese font of its own (Windows has 微软雅黑).
        from docgen.fonts import BUNDLED_NOTO_SANS
        from docgen.resources import fonts_dir

        return FileResponse(fonts_dir() / BUNDLED_NOTO_SANS, media_type="font/ttf")

    # Last: the more specific /static routes above must match first.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(api._Problems)
    async def _problems(_request: Request, exc: api._Problems) -> JSONResponse:
        return api.problems_response(exc.problems, exc.status, **exc.extra)

    @app.exception_handler(WorkerLimit)
    async def _limit(_request: Request, exc: WorkerLimit) -> JSONResponse:
        return api.problems_response([Problem(str(exc))], 422)

    @app.exception_handler(WorkerBusy)
    async def _busy(_request: Request, exc: WorkerBusy) -> JSONResponse:
        return api.problems_response([Problem(str(exc))], 503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        found = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            where = ".".join(loc)
            label = FIELD_LABELS.get(loc[-1], "") if loc else ""
            # "错误：reason：缺少此项" reads as English to a clerk: the field's Chinese name is
            # shown; the English one stays in "path" for the page to find the input.
            item = problem_json(Problem(_request_message(err), field=label or where))
            item["path"] = where or None
            found.append(item)
        return JSONResponse({"problems": found}, status_code=422)

    # Starlette's own exception (an unknown URL, a file missing under /static), of which
    # FastAPI's is a subclass: every 404 and 405 is answered in Chinese.
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "请求有误"
        if exc.status_code == 404 and not isinstance(exc.detail, str) or message == "Not Found":
            message = "没有这个页面或接口"
        if exc.status_code == 405:
            message = "此地址不支持这种请求方法"
        if message == "There was an error parsing the body":
            message = "请求内容无法解析：上传的表单不完整或格式不对"
        if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse(
                {"problems": [problem_json(Problem(message))]}, status_code=exc.status_code
            )
        return HTMLResponse(pages.error_page(message), status_code=exc.status_code)

    guard = Guard(app, config)
    app.state.guard = guard  # the login page checks codes and sets the cookie through it
    return guard


# The API's own field names (request bodies and queries), as the pages call them.
FIELD_LABELS = {
    "reason": "原因",
    "code": "代字",
    "year": "年份",
    "title": "标题",
    "unit": "承办单位",
    "number": "编号",
    "text": "办理情况",
    "done": "是否办结",
    "date": "日期",
    "signed_by": "反馈人",
    "as_of": "截至日期",
    "due_within": "提前提醒天数",
    "recipients": "主送",
    "issuer": "发文机关",
    "model": "内容",
    "paragraphs": "段落",
    "index": "段落序号",
    "role": "角色",
    "grid": "表格",
    "page": "页码",
    "format": "格式",
    "q": "查找",
    "id": "草稿",
    "items": "议定事项表",
    "meeting": "会议文件",
    "file": "文件",
    "files": "文件",
}


def _request_message(err: dict) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "缺少此项"
    if kind in ("json_invalid", "json_type", "dict_type", "model_attributes_type"):
        return "请求体应为 JSON 对象（“字段: 值”形式）"
    if kind in ("int_parsing", "int_type"):
        return "应为整数"
    if kind == "string_pattern_mismatch":
        import re

        choices = re.fullmatch(r"\^\((.+)\)\$", str(err.get("ctx", {}).get("pattern", "")))
        return f"只能是 {'、'.join(choices.group(1).split('|'))}" if choices else "写法不对"
    if kind == "literal_error":
        return f"只能是 {err.get('ctx', {}).get('expected', '')}"
    if kind.startswith(("greater_than", "less_than")):
        return f"超出范围（{err.get('msg', '')}）"
    if kind in ("string_too_long", "too_long"):
        return "太长"
    return f"请求有误（{err.get('msg', kind)}）"
