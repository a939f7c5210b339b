"""The door in LAN mode: one lock-out for every way a code is presented, redirects that stay here.

In-process (Starlette's TestClient); the form login in a real browser is in
test_web_lan_browser.py.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from docgen.web.app import create_app
from docgen.web.config import WebConfig
from docgen.web.lockout import MAX_FAILURES

CODE = "4821-9735"
LAN = "http://192.168.1.20:8765"


@pytest.fixture
def lan(tmp_path: Path):
    cfg = WebConfig(data_dir=tmp_path / "data", host="0.0.0.0", access_code=CODE)
    with TestClient(create_app(cfg), base_url=LAN) as client:
        yield client


@pytest.mark.parametrize(
    "presented",
    [
        lambda code: {"headers": {"X-Access-Code": code}},
        lambda code: {"headers": {"Authorization": f"Bearer {code}"}},
        lambda code: {"params": {"code": code}},
    ],
    ids=["header", "bearer", "query"],
)
def test_wrong_codes_in_any_form_lock_the_client_out(lan: TestClient, presented):
    for i in range(MAX_FAILURES - 1):
        wrong = lan.get("/api/kinds", follow_redirects=False, **presented(f"0000-{i:04d}"))
        assert wrong.status_code == 401, i
    locked = lan.get("/api/kinds", **presented("0000-9999"))
    assert locked.status_code == 429
    assert "次数过多" in locked.json()["problems"][0]["message"]
    # Locked out: even the right code is not tried now, by any way of presenting it.
    for way in (
        {"headers": {"X-Access-Code": CODE}},
        {"headers": {"Authorization": f"Bearer {CODE}"}},
        {"params": {"code": CODE}},
    ):
        assert lan.get("/api/kinds", follow_redirects=False, **way).status_code == 429
    form = lan.post("/login", data={"code": CODE, "next": "/"}, headers={"Origin": LAN})
    assert form.status_code == 429 and "次数过多" in form.text


def test_form_failures_count_with_header_failures(lan: TestClient):
    for i in range(MAX_FAILURES // 2):
        lan.post("/login", data={"code": f"{i}", "next": "/"}, headers={"Origin": LAN})
    for i in range(MAX_FAILURES - MAX_FAILURES // 2):
        lan.get("/api/kinds", headers={"X-Access-Code": f"x{i}"})
    assert lan.get("/api/kinds", headers={"X-Access-Code": CODE}).status_code == 429


def test_the_right_code_in_a_header_or_bearer_opens(lan: TestClient):
    assert lan.get("/api/kinds", headers={"X-Access-Code": CODE}).status_code == 200
    assert lan.get("/api/kinds", headers={"Authorization": f"Bearer {CODE}"}).status_code == 200


@pytest.mark.parametrize("path", ["//evil.example", "///evil.example/x", "/\\evil.example"])
def test_code_link_redirects_only_to_a_local_path(lan: TestClient, path: str):
    response = lan.get(f"{LAN}{path}?code={CODE}", follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    unauth = lan.get(f"{LAN}{path}", headers={"Accept": "text/html"}, follow_redirects=False)
    if unauth.status_code == 303:
        assert "evil.example" not in unauth.headers["location"].split("next=")[0]


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example"])
def test_login_next_stays_on_this_server(lan: TestClient, target: str):
    ok = lan.post(
        "/login",
        data={"code": CODE, "next": target},
        headers={"Origin": LAN},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"


def test_pages_send_their_origin_on_form_posts(lan: TestClient):
    """no-referrer made Chromium post the login form with "Origin: null" (refused as foreign)."""
    page = lan.get("/login")
    assert page.headers["referrer-policy"] in ("same-origin", "strict-origin-when-cross-origin")
