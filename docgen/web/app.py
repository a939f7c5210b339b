"""The workbench application: pages, /api, static files, behind the security guard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from docgen.problems import Problem
from docgen.web import api, pages
from docgen.web.batches import Batches
from docgen.web.config import WebConfig
from docgen.web.retention import Sweeper, sweep_interval
from docgen.web.security import Guard
from docgen.web.service import Workbench, problem_json
from docgen.web.store import Drafts

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
    batches = Batches(config)
    batches.sweep()  # what expired while the workbench was stopped goes at once

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sweeper = Sweeper(batches.sweep, sweep_interval(config.keep_seconds))
        sweeper.start()
        yield
        sweeper.stop()
        batches.stop_all()

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
    app.state.workbench = Workbench(config)
    app.state.drafts = Drafts(config.drafts_dir)
    app.state.batches = batches
    app.include_router(api.router)
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

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        found = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            found.append(Problem(_request_message(err), field=where))
        return api.problems_response(found)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
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


def _request_message(err: dict) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "缺少此项"
    if kind in ("json_invalid", "json_type", "dict_type", "model_attributes_type"):
        return "请求体应为 JSON 对象（“字段: 值”形式）"
    if kind in ("int_parsing", "int_type"):
        return "应为整数"
    if kind == "literal_error":
        return f"只能是 {err.get('ctx', {}).get('expected', '')}"
    if kind.startswith(("greater_than", "less_than")):
        return f"超出范围（{err.get('msg', '')}）"
    if kind in ("string_too_long", "too_long"):
        return "太长"
    return f"请求有误（{err.get('msg', kind)}）"
