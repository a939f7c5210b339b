"""LAN mode in a real browser: the clerk types the printed code on /login and presses Enter.

The server is configured as `docgen serve --host 0.0.0.0 --access-code …` (the socket
itself listens on loopback in the test); Chromium is Debian's, driven by Playwright.
"""

from __future__ import annotations

import pytest
from browser import LiveServer, screenshot

CODE = "4821-9735"


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("lan"), host="0.0.0.0", access_code=CODE) as live:
        yield live


def test_login_through_the_form_with_enter(chromium, lan_server):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{lan_server.url}/numbers")
        assert "/login" in page.url  # the code is asked for first
        page.fill("input[name=code]", CODE)
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")
        assert page.url.endswith("/numbers"), page.url
        assert "已拒绝" not in page.content()
        page.locator("h1", has_text="文号").wait_for()
        # The cookie now opens the API for the page's own scripts (a state-changing call too).
        answer = page.evaluate(
            "async () => { const r = await fetch('/api/drafts', {method: 'POST',"
            " headers: {'Content-Type': 'application/json'},"
            " body: JSON.stringify({model: {kind: 'letter'}})}); return r.status; }"
        )
        assert answer == 200
        screenshot(page, "lan-login")
    finally:
        context.close()


def test_a_wrong_code_in_the_form_says_so(chromium, lan_server):
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{lan_server.url}/login")
        page.fill("input[name=code]", "1111-2222")
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")
        assert "访问码不对" in page.content()
    finally:
        context.close()
