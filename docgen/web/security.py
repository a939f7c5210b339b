"""The door of the workbench: one ASGI middleware in front of every page and API call.

An office LAN is not a trusted place, and a browser on the clerk's own
machine visits other sites too. So, in this order:

1. the Host header must name this server (a page on another site that
   re-points its own name at 127.0.0.1 — DNS rebinding — is refused);
2. off the loopback address, an access code is required (header, cookie set
   by the login page, or ``?code=`` once in the printed address); every
   wrong code, however presented, counts towards one lock-out (lockout.py);
3. a request that changes anything must come from this server's own pages
   (Origin / Sec-Fetch-Site; a plain client such as curl sends neither);
4. bodies are limited in size, counted as they arrive, not trusted from
   Content-Length alone;
5. every response says: do not sniff types, no inline script, never framed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.web.config import LOOPBACK_NAMES, WebConfig, is_loopback
from docgen.web.lockout import Lockout

COOKIE = "docgen_access"
CODE_HEADER = "x-access-code"
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
LOGIN_PATH = "/login"
# Reachable without the code: the login page and what it needs to look right.
OPEN_PATHS = (LOGIN_PATH, "/static/app.css", "/static/login.js", "/favicon.ico")


class BodyTooLarge(BaseException):
    """Raised from receive() past the limit. A BaseException, so that the framework's
    “except Exception” around body parsing (which would answer 400) lets it reach the guard."""


def _problem_body(message: str) -> bytes:
    return json.dumps(
        {"problems": [{"message": message, "severity": "error", "text": f"错误：{message}"}]},
        ensure_ascii=False,
    ).encode("utf-8")


def _split_host(value: str) -> tuple[str, int | None]:
    """'127.0.0.1:8765' → ('127.0.0.1', 8765); '[::1]:80' → ('::1', 80)."""
    value = value.strip().lower()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = value.partition(":")
    if port and not port.isdigit():
        return host, -1
    return host, int(port) if port else None


class Guard:
    """Checks Host, access code, Origin and body size; adds the security headers."""

    def __init__(self, app: ASGIApp, config: WebConfig):
        self.app = app
        self.config = config
        self.secret = hashlib.sha256(f"{time.time_ns()}{id(self)}".encode()).digest()
        self.lockout = Lockout()
        self.names = self._host_names(config)

    # --- 1. Host --------------------------------------------------------------------

    @staticmethod
    def _host_names(config: WebConfig) -> set[str]:
        host = config.host.strip("[]").lower()
        names = {host, *(h.lower() for h in config.extra_hosts)}
        if is_loopback(host):
            names |= set(LOOPBACK_NAMES)
        else:
            # Clerks type the machine's name or its address; both are this machine.
            machine = socket.gethostname().lower()
            names |= {machine, f"{machine}.local", *LOOPBACK_NAMES}
        return names

    def host_ok(self, value: str | None) -> bool:
        if not value:
            return False
        host, port = _split_host(value)
        if port not in (self.config.port, None) or (port is None and self.config.port != 80):
            return False
        if host in self.names:
            return True
        if self.config.host in ("0.0.0.0", "::"):
            # Bound to every interface: any address of ours may be typed. An IP literal
            # cannot be a rebinding attack, which needs a name the attacker controls.
            try:
                ipaddress.ip_address(host)
                return True
            except ValueError:
                return False
        return False

    # --- 2. access code ------------------------------------------------------------

    def token(self) -> str:
        code = self.config.access_code or ""
        return hmac.new(self.secret, code.encode(), hashlib.sha256).hexdigest()

    def code_ok(self, given: str | None) -> bool:
        code = self.config.access_code
        return bool(code and given) and hmac.compare_digest(str(given).strip(), str(code))

    @staticmethod
    def presented_code(headers: dict[str, str], query: dict[str, str], method: str) -> str | None:
        """The code a request offers, by header, bearer token or (GET) ``?code=``."""
        if CODE_HEADER in headers:
            return headers[CODE_HEADER]
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:]
        if method == "GET" and "code" in query:
            return query["code"]
        return None

    def cookie_ok(self, cookies: dict[str, str]) -> bool:
        return hmac.compare_digest(cookies.get(COOKIE, ""), self.token())

    def too_many(self, client: str) -> bool:
        return self.lockout.locked(client)

    def note_failure(self, client: str) -> bool:
        """Record a wrong code; True when this client is now locked out."""
        return self.lockout.failed(client)

    def cookie_header(self) -> tuple[bytes, bytes]:
        value = f"{COOKIE}={self.token()}; Path=/; HttpOnly; SameSite=Strict"
        return b"set-cookie", value.encode()

    # --- 3. Origin -----------------------------------------------------------------

    @staticmethod
    def same_origin(headers: dict[str, str]) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            return origin.lower() == f"http://{headers.get('host', '').lower()}"
        site = headers.get("sec-fetch-site")
        return site is None or site in ("same-origin", "none")

    # --- the middleware ------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        wants_html = not path.startswith("/api") and "text/html" in headers.get("accept", "")

        if not self.host_ok(headers.get("host")):
            await self.refuse(
                send, 421, "请求的主机名不是本服务器的地址，已拒绝（防止 DNS 重绑定）", wants_html
            )
            return
        if method not in SAFE_METHODS and not self.same_origin(headers):
            await self.refuse(send, 403, "请求来自其他网站，已拒绝（防止跨站请求伪造）", wants_html)
            return
        if self.config.access_code and path not in OPEN_PATHS:
            if await self.check_code(scope, headers, path, method, wants_html, send):
                return
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.config.max_upload:
            await self.refuse(send, 413, self.too_large_message(), wants_html)
            return

        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.config.max_upload:
                    raise BodyTooLarge
            return message

        started = False

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *self.security_headers(path)]
            await send(message)

        try:
            await self.app(scope, counted_receive, secured_send)
        except BodyTooLarge:
            if not started:
                await self.refuse(send, 413, self.too_large_message(), wants_html)

    async def check_code(
        self, scope: Scope, headers: dict[str, str], path: str, method: str, html: bool, send: Send
    ) -> bool:
        """Answer a request that lacks a valid code (True), or let it through (False)."""
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        client = (scope.get("client") or ("?", 0))[0]
        given = self.presented_code(headers, query, method)
        if given is not None:
            if self.too_many(client):
                await self.refuse(send, 429, self.lockout.wait_message(), html)
                return True
            if self.code_ok(given):
                if CODE_HEADER in headers or "authorization" in headers:
                    return False
                # ?code= in the printed address: once, then the cookie; the code leaves the URL.
                rest = urlencode({k: v for k, v in query.items() if k != "code"})
                await self.redirect(send, local_path(path) + (f"?{rest}" if rest else ""), True)
                return True
            if self.note_failure(client):
                await self.refuse(send, 429, self.lockout.wait_message(), html)
                return True
        elif self.cookie_ok(_cookies(headers.get("cookie", ""))):
            return False
        if html and method == "GET":
            await self.redirect(
                send, f"{LOGIN_PATH}?{urlencode({'next': local_path(path)})}", False
            )
            return True
        message = "需要访问码：请在启动服务的电脑上查看访问码后登录"
        if given is not None:
            message = "访问码不对：请在启动服务的电脑上核对访问码"
        await self.refuse(send, 401, message, False)
        return True

    def too_large_message(self) -> str:
        limit = self.config.max_upload / (1024 * 1024)
        return (
            f"上传的内容太大：上限为 {limit:g} MB，请缩小文件（如把表格另存为 CSV、压缩印章图片）"
        )

    @staticmethod
    def security_headers(path: str) -> list[tuple[bytes, bytes]]:
        out = [
            (b"x-content-type-options", b"nosniff"),
            (b"content-security-policy", CSP.encode()),
            (b"x-frame-options", b"DENY"),
            # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on
            # the login form's POST and the guard (rightly) refuses it; other sites still
            # learn nothing of our addresses.
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        if path.startswith("/api"):
            out.append((b"cache-control", b"no-store"))  # documents are confidential
        return out

    async def refuse(self, send: Send, status: int, message: str, html: bool) -> None:
        if html:
            body = (
                "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>已拒绝</title>"
                f"<link rel=stylesheet href=/static/app.css><main class=refused><h1>已拒绝</h1>"
                f"<p>{message}</p></main></html>"
            ).encode()
            ctype = b"text/html; charset=utf-8"
        else:
            body, ctype = _problem_body(message), b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", ctype),
                    (b"content-length", str(len(body)).encode()),
                    *self.security_headers("/api"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def redirect(self, send: Send, location: str, set_cookie: bool) -> None:
        headers = [(b"location", location.encode("utf-8")), (b"content-length", b"0")]
        if set_cookie:
            headers.append(self.cookie_header())
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [*headers, *self.security_headers("/")],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def local_path(path: str) -> str:
    """A path on this server only: "//evil.example" or "/\\evil" would leave it (a browser reads
    both as another host), so leading slashes and backslashes collapse to one slash."""
    rest = path.lstrip("/\\")
    return "/" + rest


def _cookies(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out
