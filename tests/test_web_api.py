"""The workbench's JSON API, called in-process: same answers as the CLI, and a door that holds.

No browser and no server here (see test_web_browser.py for those): the ASGI
app is driven with Starlette's TestClient, Host and Origin set as a browser,
a script or an attacker would.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml
from pdfmeasure import MeasuredPDF

with warnings.catch_warnings():
    # Starlette 1.x nudges towards httpx2; the client it wraps works the same for these tests.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from docgen.cli import main as cli_main
from docgen.web.app import create_app
from docgen.web.config import WebConfig

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BASE = "http://127.0.0.1:8765"
ORIGIN = {"Origin": BASE}


def letter() -> dict:
    return yaml.load(
        (SAMPLES / "letter-gaoping-18.yaml").read_text("utf-8"), Loader=yaml.BaseLoader
    )


def make_client(data: Path, **config: object) -> TestClient:
    cfg = WebConfig(data_dir=data, **config)  # type: ignore[arg-type]
    return TestClient(create_app(cfg), base_url=f"http://{cfg.host}:{cfg.port}")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "member-units.yaml").write_bytes((SAMPLES / "member-units.yaml").read_bytes())
    return folder


@pytest.fixture
def client(data: Path) -> TestClient:
    with make_client(data, batch_jobs=1) as c:
        yield c


# --- documents -----------------------------------------------------------------------


def test_check_gives_the_problems_the_cli_prints(client: TestClient, tmp_path: Path, capsys):
    model = letter()
    model["title"] = ""
    model["date"] = "2025-13-01"
    model["signature"] = {"mode": "sealed", "signer": "张三"}
    model["recipents"] = ["市文物局"]  # a misspelt key
    del model["issuer"]
    source = tmp_path / "函.yaml"
    source.write_text(yaml.safe_dump(model, allow_unicode=True), "utf-8")
    assert cli_main(["check", str(source)]) == 1
    cli_lines = [
        line.replace(f"{source}，", "")
        for line in capsys.readouterr().err.splitlines()
        if line.startswith(("错误", "提醒"))
    ]
    response = client.post("/api/check", json=model)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert sorted(p["text"] for p in problems) == sorted(cli_lines)
    paths = {p["path"] for p in problems}
    assert {"title", "date", "issuer"} <= paths
    assert all("/" not in p["text"] for p in problems), "messages name no server path"


def test_check_includes_the_proofreading_findings_the_cli_prints(
    client: TestClient, tmp_path: Path, capsys
):
    model = letter()
    model["body"] = "你中心的请示收悉,经市政府同意，現函复如下：\n同意。"
    del model["attachments"]
    source = tmp_path / "函.yaml"
    source.write_text(yaml.safe_dump(model, allow_unicode=True), "utf-8")
    cli_main(["check", str(source)])
    out = capsys.readouterr().out.splitlines()
    cli_findings = sorted(
        line.replace(f"{source}，", "") for line in out if line.startswith(("错误", "提醒"))
    )
    assert cli_findings, "the CLI finds the comma and the traditional character"
    response = client.post("/api/check", json=model)
    findings = [p for p in response.json()["problems"] if p.get("check")]
    assert sorted(p["text"] for p in findings) == cli_findings
    assert {p["path"] for p in findings} == {"body"}


def test_check_passes_a_valid_letter(client: TestClient):
    response = client.post("/api/check", json=letter())
    assert response.status_code == 200
    assert all(p["severity"] == "warning" for p in response.json()["problems"])


def test_render_pdf_docx_png_and_yaml(client: TestClient, tmp_path: Path):
    model = letter()
    pdf = client.post("/api/render?format=pdf", json=model)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    (tmp_path / "a.pdf").write_bytes(pdf.content)
    measured = MeasuredPDF(tmp_path / "a.pdf")
    assert measured.pages == int(pdf.headers["x-page-count"]) == 6
    assert measured.missing_glyphs() == 0
    docx = client.post("/api/render?format=docx", json=model)
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    with zipfile.ZipFile(io.BytesIO(docx.content)) as zf:
        assert "高平市文物保护工作联席会议制度" in zf.read("word/document.xml").decode("utf-8")
    png = client.post("/api/render?format=png&page=2", json=model)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png.headers["x-page-count"] == "6"
    beyond = client.post("/api/render?format=png&page=7", json=model)
    assert beyond.status_code == 422 and "共 6 页" in beyond.json()["problems"][0]["message"]
    source = client.post("/api/render?format=yaml", json=model)
    assert yaml.safe_load(source.content)["title"] == model["title"]


def test_render_refuses_invalid_input_with_422_and_chinese(client: TestClient):
    response = client.post("/api/render?format=pdf", json={"kind": "letter", "title": "关于的函"})
    assert response.status_code == 422
    assert any("缺少此项" in p["message"] for p in response.json()["problems"])
    for body in ("[]", "not json", '"text"'):
        bad = client.post("/api/render", content=body, headers={"Content-Type": "application/json"})
        assert bad.status_code == 422
        assert "JSON" in bad.json()["problems"][0]["message"]
    wrong = client.post("/api/render?format=exe", json=letter())
    assert wrong.status_code == 422 and "只能是" in wrong.json()["problems"][0]["message"]


def test_an_error_inside_a_render_is_said_in_chinese_and_the_server_goes_on(
    client: TestClient, monkeypatch
):
    # The render runs in a worker process; here the worker's task runs in this process,
    # so that the writer can be made to fail.
    import docgen.pipeline
    from docgen.web import tasks

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    pool = client.app.app.state.pool
    monkeypatch.setattr(pool, "run", lambda name, *args, **kw: tasks.TASKS[name](*args))
    monkeypatch.setattr(docgen.pipeline, "render_prepared", broken)
    model = letter()
    model["title"] = "关于测试排版出错的函"
    response = client.post("/api/render?format=pdf", json=model)
    assert response.status_code == 500
    assert "排版时出错" in response.json()["problems"][0]["message"]
    monkeypatch.undo()
    assert client.post("/api/render?format=pdf", json=model).status_code == 200


def test_schema_for_every_kind_with_chinese_labels(client: TestClient):
    for kind in ("letter", "request", "minutes", "supervision", "函"):
        response = client.get(f"/api/schema/{kind}")
        assert response.status_code == 200
        schema = response.json()
        assert schema["x-order"]
    letter_schema = client.get("/api/schema/letter").json()
    assert letter_schema["properties"]["title"]["title"] == "标题"
    assert letter_schema["properties"]["body"]["x-multiline"] is True
    assert client.get("/api/schema/memo").status_code == 404


def test_drafts_saved_listed_reopened_deleted(client: TestClient, data: Path):
    saved = client.post("/api/drafts", json={"model": letter()}, headers=ORIGIN).json()
    assert (data / "drafts" / f"{saved['id']}.json").is_file()
    assert [d["id"] for d in client.get("/api/drafts").json()] == [saved["id"]]
    assert client.get(f"/api/drafts/{saved['id']}").json()["model"]["title"] == letter()["title"]
    assert client.delete(f"/api/drafts/{saved['id']}").status_code == 200
    assert client.get(f"/api/drafts/{saved['id']}").status_code == 404


def _png(size: int = 200) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, size - 5, size - 5), outline=(230, 0, 18, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_seal_upload_is_an_image_or_refused(client: TestClient, tmp_path: Path):
    refused = client.post("/api/seals", files={"file": ("seal.png", b"#!/bin/sh\necho hi\n")})
    assert refused.status_code == 422 and "PNG" in refused.json()["problems"][0]["message"]
    name = client.post("/api/seals", files={"file": ("印章.png", _png())}).json()["name"]
    model = letter()
    model["signature"] = {"mode": "sealed", "seal_image": name}
    pdf = client.post("/api/render?format=pdf", json=model)
    assert pdf.status_code == 200
    (tmp_path / "s.pdf").write_bytes(pdf.content)
    assert MeasuredPDF(tmp_path / "s.pdf").images(1)


# --- 纪要与督办 -------------------------------------------------------------------------


def _items(rows: int | None = None, bad: dict[tuple[int, str], str] | None = None) -> bytes:
    """The sample table, cut to ``rows`` items, with cells replaced: {(excel row, header): value}."""
    with (SAMPLES / "agreed-items-2025-1.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    if rows is not None:
        table = table[: rows + 1]
    for (row, header), value in (bad or {}).items():
        table[row - 1][table[0].index(header)] = value
    out = io.StringIO(newline="")
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8")


def _meeting(name: str = "高平市文物保护工作联席会议第一次全体会议") -> bytes:
    raw = yaml.safe_load((SAMPLES / "meeting-2025-1.yaml").read_text("utf-8"))
    raw["meeting"] = name
    return yaml.safe_dump(raw, allow_unicode=True).encode("utf-8")


def _wait(client: TestClient, job: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError("the batch did not finish")


def test_batch_errors_name_row_and_column_and_nothing_is_issued(client: TestClient):
    response = client.post(
        "/api/batch",
        files={
            "meeting": ("会议.yaml", _meeting()),
            "items": ("议定事项.csv", _items(bad={(3, "牵头单位"): "市不存在局"})),
        },
    )
    assert response.status_code == 422
    body = response.json()
    cell = [p for p in body["problems"] if p["row"] == 3 and p["severity"] == "error"]
    assert cell and cell[0]["column"] == "C" and "议定事项.csv" in cell[0]["text"]
    assert body["table"]["grid"][2][2] == "市不存在局"
    assert client.get("/api/numbers?code=高文联办督&year=2025").json()["issued"] == []


def test_batch_job_gives_the_zip_with_the_minutes_and_every_notice(client: TestClient):
    response = client.post(
        "/api/batch",
        files={"meeting": ("会议.yaml", _meeting()), "items": ("议定事项.csv", _items(rows=3))},
    )
    assert response.status_code == 202
    job = response.json()["job"]
    status = _wait(client, job)
    assert status["state"] == "done", status
    result = client.get(f"/api/jobs/{job}/result")
    assert result.status_code == 200
    with zipfile.ZipFile(io.BytesIO(result.content)) as zf:
        names = zf.namelist()
    assert len([n for n in names if n.startswith("督办单-") and n.endswith(".pdf")]) == 3
    assert len([n for n in names if n.startswith("纪要-")]) == 2
    assert "manifest.csv" in names
    first = client.get(status["files"][0]["url"])
    assert first.status_code == 200 and first.content.startswith(b"%PDF")


def test_two_concurrent_batches_never_share_a_number(client: TestClient):
    jobs = []
    for name in ("第一次全体会议", "第二次全体会议"):
        response = client.post(
            "/api/batch",
            files={"meeting": ("会议.yaml", _meeting(name)), "items": ("i.csv", _items(rows=4))},
        )
        assert response.status_code == 202, response.text
        jobs.append(response.json()["job"])
    numbers: list[str] = []
    for job in jobs:
        status = _wait(client, job)
        assert status["state"] == "done", status
        numbers += [
            r["编号"] for r in status["manifest"] if r["类别"] == "督办单" and r["格式"] == "pdf"
        ]
    assert len(numbers) == 8 and len(set(numbers)) == 8
    issued = client.get("/api/numbers?code=高文联办督&year=2025").json()["issued"]
    assert sorted(r["seq"] for r in issued) == list(range(1, 9))


# --- 文号 ------------------------------------------------------------------------------


def test_numbers_next_reserve_and_search(client: TestClient):
    first = client.get("/api/numbers?code=高政办函&year=2025").json()
    assert first["next"]["number"] == "高政办函〔2025〕1号" and first["issued"] == []
    refused = client.post("/api/numbers", json={"code": "高政办函", "year": 2025, "reason": " "})
    assert refused.status_code == 422
    taken = client.post(
        "/api/numbers",
        json={"code": "高政办函", "year": 2025, "title": "关于某事的报告", "reason": "省平台制作"},
    )
    assert taken.status_code == 201 and taken.json()["number"] == "高政办函〔2025〕1号"
    after = client.get("/api/numbers?code=高政办函&year=2025&q=省平台").json()
    assert after["next"]["number"] == "高政办函〔2025〕2号"
    assert [r["note"] for r in after["issued"]] == ["省平台制作"]
    assert client.get("/api/numbers?code=高政办函&year=2025&q=无此字").json()["issued"] == []


def test_concurrent_reservations_never_share_a_number(client: TestClient):
    results: list[int] = []
    errors: list[str] = []

    def take(i: int) -> None:
        r = client.post("/api/numbers", json={"code": "并发测", "year": 2025, "reason": f"测试{i}"})
        (results.append(r.json()["seq"]) if r.status_code == 201 else errors.append(r.text))

    threads = [threading.Thread(target=take, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 21))


# --- the door -------------------------------------------------------------------------


def test_wrong_host_is_refused(client: TestClient):
    for host in (
        "evil.example:8765",
        "evil.example",
        "127.0.0.1:9999",
        "127.0.0.1.nip.io:8765",
        "",
    ):
        response = client.get("/api/kinds", headers={"Host": host})
        assert response.status_code == 421, host
        assert "主机名" in response.json()["problems"][0]["message"]
    for host in ("127.0.0.1:8765", "localhost:8765"):
        assert client.get("/api/kinds", headers={"Host": host}).status_code == 200


def test_foreign_origin_is_refused_on_every_state_change(client: TestClient):
    for origin in (
        "http://evil.example",
        "null",
        "http://127.0.0.1:9999",
        "https://127.0.0.1:8765",
    ):
        headers = {"Origin": origin}
        assert client.post("/api/check", json=letter(), headers=headers).status_code == 403
        assert client.post("/api/drafts", json={"model": {}}, headers=headers).status_code == 403
        assert (
            client.post(
                "/api/numbers", json={"code": "X", "reason": "y"}, headers=headers
            ).status_code
            == 403
        )
    cross = client.post("/api/check", json=letter(), headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403 and "其他网站" in cross.json()["problems"][0]["message"]
    assert client.post("/api/check", json=letter(), headers=ORIGIN).status_code == 200
    assert client.get("/api/kinds", headers={"Origin": "http://evil.example"}).status_code == 200


def test_security_headers_on_pages_api_static_and_errors(client: TestClient):
    for url in ("/draft", "/batch", "/numbers", "/docs", "/api/kinds", "/static/app.css", "/nope"):
        response = client.get(url)
        csp = response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, url
        assert "script-src 'self'" in csp
    for url in ("/draft", "/batch", "/numbers", "/docs"):
        html = client.get(url).text
        assert "<script>" not in html and " on" not in html.split("<body>")[1].split("<script")[0]
        assert "http://" not in html and "https://" not in html, f"{url} loads from elsewhere"


def test_oversized_uploads_are_refused_with_a_clear_message(data: Path):
    with make_client(data, max_upload=1024 * 1024) as small:
        big = b"x" * (1024 * 1024 + 10)
        declared = small.post(
            "/api/batch/check", files={"meeting": ("m.yaml", big), "items": ("i.csv", b"a")}
        )
        assert declared.status_code == 413
        assert "上限为 1 MB" in declared.json()["problems"][0]["message"]

        def chunks():  # no Content-Length: counted as it arrives
            yield (
                b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
                b"Content-Type: image/png\r\n\r\n"
            )
            for _ in range(20):
                yield b"y" * 65536

        streamed = small.post(
            "/api/seals",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=zz"},
        )
        assert streamed.status_code == 413
        assert small.get("/api/kinds").status_code == 200  # and the server goes on


def test_path_tricks_in_every_parameter_reach_no_file(client: TestClient, data: Path, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", "utf-8")
    tricks = [
        "..%2F..%2Fsecret",
        "%2e%2e",
        "%2e%2e%2f%2e%2e%2fpyproject.toml",
        str(secret).replace("/", "%2F"),
        "a" * 32 + "%00",
    ]
    for t in tricks:
        for url in (
            f"/api/drafts/{t}",
            f"/api/jobs/{t}",
            f"/api/jobs/{t}/result",
            f"/api/jobs/{'0' * 32}/files/{t}",
            f"/api/schema/{t}",
            f"/static/{t}",
            f"/static/docs/{t}",
        ):
            response = client.get(url)
            assert response.status_code in (404, 422), url
            assert "机密" not in response.text
        assert client.put(f"/api/batch/{t}/table", json={"grid": []}).status_code in (404, 422)
        assert client.post(f"/api/batch/{t}/run").status_code in (404, 422)
        assert client.delete(f"/api/drafts/{t}").status_code in (404, 405, 422)
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get(f"/api/jobs/{'0' * 32}/files/-1").status_code == 404
    # Names inside a model.
    for model in (
        {**letter(), "signature": {"mode": "sealed", "seal_image": str(secret)}},
        {**letter(), "signature": {"mode": "sealed", "印章图片": "../seals/x.png"}},
        {**letter(), "signature": {"mode": "sealed", "seal_image": "seal-" + "0" * 32 + ".png"}},
        {"kind": "minutes", "items_file": str(secret)},
        {"kind": "minutes", "议定事项文件": "../../secret.txt"},
        {"kind": "minutes", "supervision": {"units_file": str(secret)}},
    ):
        for url in ("/api/check", "/api/render?format=pdf", "/api/render?format=docx"):
            response = client.post(url, json=model)
            assert response.status_code == 422, (url, model)
            assert "服务器上的文件" in response.text or "上传" in response.text
    # A meeting file naming files, and upload names with folders: stored under our names.
    meeting = yaml.safe_load(_meeting())
    meeting["items_file"] = str(secret)
    meeting["supervision"]["units_file"] = str(secret)
    response = client.post(
        "/api/batch/check",
        files={
            "meeting": ("../../../m.yaml", yaml.safe_dump(meeting, allow_unicode=True).encode()),
            "items": ("../../i.csv", _items(rows=2)),
        },
    )
    assert response.status_code == 200, response.text
    upload = data / "uploads" / response.json()["upload"]
    assert sorted(p.name for p in upload.iterdir()) == [
        "items.csv",
        "meeting.yaml",
        "member-units.yaml",
        "settings.json",
    ]
    assert "secret" not in (upload / "meeting.yaml").read_text("utf-8")
    assert not list(tmp_path.glob("*.csv")) and not (data.parent / "m.yaml").exists()
    bad_code = client.get("/api/numbers?code=../../x")
    assert bad_code.status_code == 422


def test_yaml_is_loaded_safely(client: TestClient, tmp_path: Path):
    marker = tmp_path / "pwned"
    evil = f'!!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    response = client.post(
        "/api/batch/check", files={"meeting": ("m.yaml", evil), "items": ("i.csv", _items(2))}
    )
    assert response.status_code == 422 and "YAML" in response.text
    assert not marker.exists()


def test_lan_use_needs_the_access_code(data: Path):
    with make_client(data, host="0.0.0.0", access_code="4821-9735") as lan:
        lan.base_url = "http://192.168.1.20:8765"
        refused = lan.get("/api/kinds")
        assert refused.status_code == 401 and "访问码" in refused.json()["problems"][0]["message"]
        page = lan.get("/draft", headers={"Accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert lan.get("/api/kinds", headers={"X-Access-Code": "4821-9735"}).status_code == 200
        assert lan.get("/api/kinds", headers={"X-Access-Code": "0000-0000"}).status_code == 401
        wrong = lan.post(
            "/login",
            data={"code": "1234", "next": "/draft"},
            headers={"Origin": "http://192.168.1.20:8765"},
        )
        assert "不对" in wrong.text
        ok = lan.post(
            "/login",
            data={"code": "4821-9735", "next": "//evil.example/"},
            headers={"Origin": "http://192.168.1.20:8765"},
            follow_redirects=False,
        )
        assert ok.status_code == 303 and ok.headers["location"] == "/"
        assert (
            "HttpOnly" in ok.headers["set-cookie"] and "SameSite=Strict" in ok.headers["set-cookie"]
        )
        assert lan.get("/api/kinds").status_code == 200  # the cookie now opens the door
        # A rebinding name is refused even with the code; the machine's addresses are not.
        named = lan.get(
            "/api/kinds", headers={"Host": "evil.example:8765", "X-Access-Code": "4821-9735"}
        )
        assert named.status_code == 421
    with make_client(data, host="0.0.0.0", access_code="4821-9735") as fresh:
        link = fresh.get("/draft?code=4821-9735", follow_redirects=False)
        assert link.status_code == 303 and link.headers["location"] == "/draft"
    with pytest.raises(ValueError, match="访问码"):
        WebConfig(data_dir=data, host="0.0.0.0")


def test_openapi_documents_the_api(client: TestClient):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/check",
        "/api/render",
        "/api/batch",
        "/api/jobs/{job}",
        "/api/jobs/{job}/result",
        "/api/schema/{kind}",
        "/api/numbers",
    ):
        assert path in spec["paths"], path
    assert json.dumps(spec, ensure_ascii=False).count("检查") >= 1


# --- 督办台账 ----------------------------------------------------------------------------


def test_ledger_statuses_feedback_reminders_and_export(client: TestClient):
    job = client.post(
        "/api/batch",
        files={"meeting": ("会议.yaml", _meeting()), "items": ("议定事项.csv", _items(rows=3))},
    ).json()["job"]
    assert _wait(client, job)["state"] == "done"
    ledger = client.get("/api/ledger?as_of=2026-01-15").json()
    assert ledger["counts"]["total"] == 3 and ledger["counts"]["overdue"] == 3
    first, second = ledger["notices"][0]["number"], ledger["notices"][1]["number"]
    assert "/" not in json.dumps(ledger, ensure_ascii=False).replace("\\/", "")

    done = client.post(
        "/api/ledger/phone",
        json={"number": first, "text": "已完成专项行动", "done": True, "date": "2025-12-20"},
    )
    assert done.status_code == 200, done.text
    table = "编号,办理情况,是否办结,反馈日期\n" + f"{second},正在办理，已完成一半,否,2025-10-20\n"
    fed = client.post(
        "/api/ledger/feedback", files={"files": ("../../反馈.csv", table.encode("utf-8"))}
    ).json()
    assert fed[0]["file"] == "反馈.csv" and fed[0]["recorded"] == 1, fed
    again = client.post(
        "/api/ledger/feedback", files={"files": ("反馈.csv", table.encode("utf-8"))}
    )
    assert again.json()[0]["already"]
    bad = client.post("/api/ledger/phone", json={"number": "高文联办督〔2025〕99号", "text": "x"})
    assert bad.status_code == 422 and "台账" in bad.json()["problems"][0]["message"]

    after = client.get("/api/ledger?as_of=2026-01-15").json()
    statuses = {n["number"]: n["status"] for n in after["notices"]}
    assert statuses[first] == "已办结" and after["counts"]["overdue"] == 2
    assert client.get("/api/ledger?as_of=2026-01-15&status=逾期").json()["counts"]["total"] == 2

    reminders = client.post(
        "/api/ledger/remind", json={"as_of": "2026-01-15", "code": "高文联办催"}
    )
    assert reminders.status_code == 200, reminders.text
    body = reminders.json()
    assert len(body["issued"]) == 2 and body["result"]
    archive = client.get(body["result"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".pdf")]) == 2
    repeat = client.post(
        "/api/ledger/remind", json={"as_of": "2026-01-15", "code": "高文联办催"}
    ).json()
    assert repeat["issued"] == [] and len(repeat["already"]) == 2
    # The same day again: that day's files are still there to download (never "null").
    assert repeat["result"] and client.get(repeat["result"]).status_code == 200
    assert len([f for f in repeat["files"] if f["name"].endswith(".pdf")]) == 2
    # No code: as the 通报 does, the notices' series with 督 → 催 (issue 23), no CLI flag.
    no_code = client.post("/api/ledger/remind", json={"as_of": "2026-01-15", "code": ""})
    assert no_code.status_code == 200, no_code.text
    assert [r.split("〔")[0] for r in no_code.json()["already"]] == ["高文联办催"] * 2

    circular = client.post("/api/ledger/report", json={"as_of": "2026-01-15", "code": "高文联办通"})
    assert circular.status_code == 200, circular.text
    made = circular.json()
    assert made["counts"]["total"] == 3 and len(made["files"]) == 2
    pdf = client.get(next(f["url"] for f in made["files"] if f["name"].endswith(".pdf")))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    xlsx = client.get("/api/ledger/export?as_of=2026-01-15")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert "filename*=UTF-8''" in xlsx.headers["content-disposition"]


def test_import_a_draft_and_reassign_a_paragraph(client: TestClient):
    text = "关于开展文物安全检查的函\n市文物局：\n请于月底前完成检查。\n此件公开发布\n高平市文物保护中心\n2025年7月7日\n"
    imported = client.post("/api/import", data={"text": text, "kind": "letter"})
    assert imported.status_code == 200, imported.text
    body = imported.json()
    paragraphs = body["report"]["paragraphs"]
    index = next(i for i, p in enumerate(paragraphs) if p["text"] == "此件公开发布")
    moved = client.post(
        "/api/import/reassign",
        json={"model": body["model"], "paragraphs": paragraphs, "index": index, "role": "附注"},
    ).json()
    assert moved["model"]["note"] == "此件公开发布"
    assert "此件公开发布" not in moved["model"].get("body", [])
    assert moved["paragraphs"][index]["role"] == "附注"
    back = client.post(
        "/api/import/reassign",
        json={
            "model": moved["model"],
            "paragraphs": moved["paragraphs"],
            "index": index,
            "role": "正文",
        },
    ).json()
    assert "note" not in back["model"] and "此件公开发布" in back["model"]["body"]
    wrong = client.post(
        "/api/import/reassign",
        json={"model": {}, "paragraphs": paragraphs, "index": 99, "role": "标题"},
    )
    assert wrong.status_code == 422 and "没有第 100 段" in wrong.json()["problems"][0]["message"]
    empty = client.post("/api/import", data={"text": "  "})
    assert empty.status_code == 422 and "粘贴" in empty.json()["problems"][0]["message"]


def test_batch_meeting_from_a_minutes_draft_saved_on_the_draft_page(client: TestClient):
    meeting = yaml.safe_load(_meeting())
    meeting.pop("items_file")
    supervision = meeting.pop("supervision")
    meeting = json.loads(json.dumps(meeting, default=str, ensure_ascii=False))  # as a page sends
    saved = client.post("/api/drafts", json={"model": meeting}).json()
    response = client.post(
        "/api/batch/check",
        data={
            "draft": saved["id"],
            **{k: str(supervision[k]) for k in ("code", "contact", "phone")},
        },
        files={"items": ("议定事项.csv", _items(rows=2))},
    )
    assert response.status_code == 200, response.text
    letter_draft = client.post("/api/drafts", json={"model": letter()}).json()
    refused = client.post(
        "/api/batch/check",
        data={"draft": letter_draft["id"]},
        files={"items": ("i.csv", _items(2))},
    )
    assert refused.status_code == 422 and "不是纪要" in refused.text
    neither = client.post("/api/batch/check", files={"items": ("i.csv", _items(2))})
    assert neither.status_code == 422 and "会议文件" in neither.text


def test_an_xlsx_table_marks_the_bad_cell_by_excel_row_and_column(client: TestClient):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["高平市文物保护工作联席会议议定事项"])  # a title row above the header
    with (SAMPLES / "agreed-items-2025-1.csv").open(encoding="utf-8", newline="") as fh:
        for row in list(csv.reader(fh))[:4]:
            ws.append(row)
    ws["D4"] = "市不存在局"  # 配合单位 of the second item
    out = io.BytesIO()
    wb.save(out)
    response = client.post(
        "/api/batch/check",
        files={"meeting": ("会议.yaml", _meeting()), "items": ("议定事项.xlsx", out.getvalue())},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["table"]["header_row"] == 2
    marked = [(p["column"], p["row"]) for p in body["problems"] if p["severity"] == "error"]
    assert marked == [("D", 4)]
    assert body["table"]["grid"][3][3] == "市不存在局"
    # Corrected on the page: saved as CSV, the rows keep their Excel numbers.
    grid = body["table"]["grid"]
    grid[3][3] = "市文物保护中心"
    fixed = client.put(f"/api/batch/{body['upload']}/table", json={"grid": grid})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["table"]["header_row"] == 2
