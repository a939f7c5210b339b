"""识别为: a paragraph of an imported draft given another role moves in place (API, in-process)."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from docgen.web.app import create_app
from docgen.web.config import WebConfig

DRAFT = """高平市文物局关于申请文物保护资金的请示
市人民政府：
一、基本情况
我局负责全市文物保护工作。
今年资金缺口较大。
妥否，请批示。
附件：项目清单
高平市文物局
2025年7月7日
附件
项目清单
羊头山石窟保护工程。
二期工程另行申请。
"""


@pytest.fixture
def client(tmp_path):
    with TestClient(
        create_app(WebConfig(data_dir=tmp_path / "d")), base_url="http://127.0.0.1:8765"
    ) as c:
        yield c


def imported(client: TestClient) -> dict:
    response = client.post("/api/import", data={"text": DRAFT})
    assert response.status_code == 200, response.text
    return response.json()


def change(client: TestClient, data: dict, text: str, role: str) -> dict:
    paragraphs = data.get("paragraphs") or data["report"]["paragraphs"]
    index = next(i for i, p in enumerate(paragraphs) if p["text"] == text)
    body = {"model": data["model"], "paragraphs": paragraphs, "index": index, "role": role}
    response = client.post("/api/import/reassign", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_attachment_paragraph_made_body_text_leaves_the_attachment(client):
    data = change(client, imported(client), "二期工程另行申请。", "正文")
    model = data["model"]
    assert model["body"][-1] == "二期工程另行申请。"  # after the body: where it stood
    assert model["attachments"][0]["body"] == ["羊头山石窟保护工程。"]  # printed once
    back = change(client, data, "二期工程另行申请。", "附件正文")
    assert back["model"]["attachments"][0]["body"] == ["羊头山石窟保护工程。", "二期工程另行申请。"]
    assert "二期工程另行申请。" not in back["model"]["body"]


def test_a_body_paragraph_becomes_a_heading_in_its_place_with_its_number(client):
    data = change(client, imported(client), "今年资金缺口较大。", "二级标题")
    body = data["model"]["body"]
    assert body[:4] == [
        "一、基本情况",
        "我局负责全市文物保护工作。",
        "（一）今年资金缺口较大。",
        "妥否，请批示。",
    ]
    row = next(p for p in data["paragraphs"] if p["text"] == "今年资金缺口较大。")
    assert row["role"] == "二级标题" and row["field"] == "body[3]"


def test_attachment_title_and_every_role_offered(client):
    roles = client.get("/api/import/roles").json()
    for role in ("正文", "一级标题", "四级标题", "附件标题", "附件正文", "附注", "抄送", "不导入"):
        assert role in roles
    data = change(client, imported(client), "羊头山石窟保护工程。", "附件标题")
    assert data["model"]["attachments"][0]["title"] == "羊头山石窟保护工程。"
    assert data["model"]["attachments"][0]["body"] == ["二期工程另行申请。"]


TABLE_DRAFT = """高平市文物局关于下达文物保护资金的函
市文物保护中心：
现将资金下达如下：
序号｜项目｜金额
1｜羊头山石窟｜120.00
｜合计｜120.00
请按规定使用。
高平市文物局
2025年7月7日
"""


def test_lines_of_a_pasted_table_become_its_rows(client):
    response = client.post("/api/import", data={"text": TABLE_DRAFT})
    assert response.status_code == 200, response.text
    data = response.json()
    for line in ("序号｜项目｜金额", "1｜羊头山石窟｜120.00", "｜合计｜120.00"):
        data = change(client, data, line, "表格行")
    body = data["model"]["body"]
    tables = [b for b in body if isinstance(b, dict)]
    assert len(tables) == 1
    assert tables[0]["table"]["rows"] == [
        ["序号", "项目", "金额"],
        ["1", "羊头山石窟", "120.00"],
        ["", "合计", "120.00"],
    ]
    assert body.index(tables[0]) == body.index("现将资金下达如下：") + 1  # in place
    assert body[body.index(tables[0]) + 1] == "请按规定使用。"
    fields = [p["field"] for p in data["paragraphs"] if p["role"] == "表格行"]
    assert len(set(fields)) == 1  # the rows of one table share its place
    back = change(client, data, "1｜羊头山石窟｜120.00", "正文")
    rows = next(b for b in back["model"]["body"] if isinstance(b, dict))["table"]["rows"]
    assert rows == [["序号", "项目", "金额"], ["", "合计", "120.00"]]


def test_an_imported_table_is_not_turned_into_text(client):
    text = TABLE_DRAFT.replace("｜", "\t")
    data = client.post("/api/import", data={"text": text}).json()
    paragraphs = data["report"]["paragraphs"]
    index = next(i for i, p in enumerate(paragraphs) if p["role"] == "表格")
    body = {"model": data["model"], "paragraphs": paragraphs, "index": index, "role": "正文"}
    refused = client.post("/api/import/reassign", json=body)
    assert refused.status_code == 422 and "表格" in refused.json()["problems"][0]["message"]
