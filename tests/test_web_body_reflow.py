"""The workbench's 正文 box read as a pasted draft (issue 21): lines a PDF viewer wrapped are
joined by their width on the server, before the check and the render, and text the importer
refuses is said in Chinese on the 正文 field. In-process, as test_web_api.py drives it."""

from __future__ import annotations

import re
from pathlib import Path

import drafts
import yaml
from pdfmeasure import MeasuredPDF
from test_importer_reflow import DIGITS, RUN_ON
from test_web_api import ORIGIN, client, data, letter  # noqa: F401 (fixtures)


def pasted() -> list[str]:
    """Two paragraphs as a PDF viewer's copy gives them, a line an item as the page sends."""
    return [ln for p in (RUN_ON, DIGITS) for ln in drafts.wrap(p, 28, first=26)]


def test_pasted_lines_become_their_paragraphs_in_the_pdf(client, tmp_path: Path) -> None:  # noqa: F811
    model = letter()
    model["body"] = pasted()
    assert len(model["body"]) >= 6
    source = client.post("/api/render?format=yaml", json=model, headers=ORIGIN)
    assert source.status_code == 200
    assert yaml.safe_load(source.content)["body"] == [RUN_ON, DIGITS]
    pdf = client.post("/api/render?format=pdf", json=model, headers=ORIGIN)
    assert pdf.status_code == 200
    (tmp_path / "a.pdf").write_bytes(pdf.content)
    measured = MeasuredPDF(tmp_path / "a.pdf")
    whole = re.sub(r"\s+", "", RUN_ON + DIGITS)
    rows = [r for r in measured.rows(1) if len(r.text.strip()) > 3]
    body = [r for r in rows if re.sub(r"\s+", "", r.text) in whole]
    assert "".join(re.sub(r"\s+", "", r.text) for r in body) == whole
    # Two paragraphs: two indented first lines, every other line at the block's left edge.
    left = min(r.x0 for r in body)
    indented = [r for r in body if r.x0 > left + 5]
    assert len(indented) == 2, [r.text for r in indented]
    assert indented[1].text.replace(" ", "").startswith(DIGITS[:8])


def test_text_the_importer_refuses_is_a_problem_on_the_body_field(client) -> None:  # noqa: F811
    model = letter()
    model["body"] = ["正文。" + "\x07" * 40]
    response = client.post("/api/check", json=model, headers=ORIGIN)
    problems = response.json()["problems"]
    mine = [p for p in problems if "控制字符" in p["message"]]
    assert mine and "正文" in mine[0]["message"]
    assert "body" in (mine[0].get("field") or mine[0].get("path") or "")
