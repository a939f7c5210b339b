"""The pages: server-rendered shells in Chinese; the scripts in static/ fill them from /api."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from docgen.web.security import local_path

router = APIRouter(include_in_schema=False)
_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)

NAV = (
    ("/draft", "拟文"),
    ("/batch", "纪要与督办"),
    ("/numbers", "文号"),
)


def nav() -> list[tuple[str, str]]:
    items = list(NAV)
    if ledger_available():
        items.append(("/ledger", "督办台账"))
    items.append(("/docs", "接口文档"))
    return items


def ledger_available() -> bool:
    try:
        import docgen.supervision  # noqa: F401
    except ImportError:
        return False
    return True


def render(name: str, request: Request, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(
        nav=nav(), path=request.url.path, config=request.app.state.config, **context
    )
    return HTMLResponse(html)


def error_page(message: str) -> str:
    return _env.get_template("error.html").render(
        nav=nav(), path="", message=message, title="出错了"
    )


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/draft", status_code=303)


@router.get("/draft", response_class=HTMLResponse)
def draft_page(request: Request) -> HTMLResponse:
    from docgen.models import KIND_NAMES
    from docgen.web.api import DOCUMENT_FORMATS

    return render("draft.html", request, title="拟文", kinds=KIND_NAMES, formats=DOCUMENT_FORMATS)


@router.get("/batch", response_class=HTMLResponse)
def batch_page(request: Request) -> HTMLResponse:
    has_units = request.app.state.config.units_file.is_file()
    return render("batch.html", request, title="纪要与督办", has_units=has_units)


@router.get("/numbers", response_class=HTMLResponse)
def numbers_page(request: Request) -> HTMLResponse:
    import datetime as dt

    return render(
        "numbers.html", request, title="文号", year=_shown_year(request, dt.date.today().year)
    )


def _shown_year(request: Request, this_year: int) -> int:
    """This year, or (while it has no numbers yet) the latest year that has some."""
    from docgen.registry import Registry, RegistryError

    try:
        with Registry(request.app.state.config.registry_path) as reg:
            years = {r.year for r in reg.list()}
    except (RegistryError, OSError):
        return this_year
    return this_year if this_year in years or not years else max(years)


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(request: Request) -> HTMLResponse:
    import datetime as dt

    if not ledger_available():
        return HTMLResponse(error_page("本版本没有督办台账功能"), status_code=404)
    return render("ledger.html", request, title="督办台账", today=dt.date.today().isoformat())


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    return render("docs.html", request, title="接口文档")


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


# --- the access code (only when serving beyond this machine) -------------------------


def _safe_next(target: str) -> str:
    """Only a path on this server: never an address elsewhere (open redirect)."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or "\\" in target:
        return "/"
    return local_path(target)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render("login.html", request, title="登录", next=_safe_next(next), wrong=False)


@router.post("/login", response_model=None)
def login(request: Request, code: str = Form(""), next: str = Form("/")) -> Response:
    guard = request.app.state.guard
    client = request.client.host if request.client else "?"
    if guard.too_many(client):
        return HTMLResponse(error_page(guard.lockout.wait_message()), status_code=429)
    if not guard.code_ok(code):
        if guard.note_failure(client):
            return HTMLResponse(error_page(guard.lockout.wait_message()), status_code=429)
        return render("login.html", request, title="登录", next=_safe_next(next), wrong=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    name, value = guard.cookie_header()
    response.headers.append(name.decode(), value.decode())
    return response


__all__ = ["router"]
