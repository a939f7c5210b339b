"""Input validation: every error at once, in Chinese, naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.pipeline import load_checked
from docgen.problems import InputError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def write(tmp_path: Path, text: str, name: str = "in.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


LETTER = """\
kind: letter
issuer: 高平市人民政府办公室
number: 高政办函〔2025〕18号
title: 高平市人民政府办公室关于同意建立高平市文物保护工作联席会议制度的函
recipients: [市文物保护中心]
body: 市政府同意建立高平市文物保护工作联席会议制度。
date: 2025-07-07
"""


def test_samples_are_valid() -> None:
    for name in ("letter-gaoping-18.yaml", "request-gaoping-wenbao-25.yaml"):
        doc, warnings = load_checked(SAMPLES / name)
        assert not [w for w in warnings if w.severity == "error"]
        assert doc.title


def test_chinese_aliases_are_accepted(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "类型: 函\n发文机关: 高平市人民政府办公室\n发文字号: 高政办函〔2025〕18号\n"
        "标题: 关于某事的函\n主送机关: [市文物保护中心]\n正文: 一段。\n成文日期: 2025-07-07\n附注: 此件公开发布\n",
    )
    doc, _ = load_checked(p)
    assert doc.kind == "letter"
    assert str(doc.number) == "高政办函〔2025〕18号"
    assert doc.note == "（此件公开发布）"


def test_json_input(tmp_path: Path) -> None:
    data = {
        "kind": "letter",
        "issuer": "高平市人民政府办公室",
        "title": "关于某事的函",
        "body": ["第一段。", "第二段。"],
        "date": "2025-07-07",
    }
    p = write(tmp_path, json.dumps(data, ensure_ascii=False), "in.json")
    doc, _ = load_checked(p)
    assert doc.body == ["第一段。", "第二段。"]


def test_all_errors_reported_at_once_with_file_and_field(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "kind: letter\nissuer: 某单位\ntitel: 关于某事的函\ndate: 2025-13-40\nbody: 正文。\n",
    )
    with pytest.raises(InputError) as err:
        load_checked(p)
    text = str(err.value)
    assert str(p) in text
    assert "titel" in text and "title" in text  # unknown key, with a suggestion
    assert "标题" in text  # missing title named in Chinese too
    assert "2025-07-07" in text  # says how to write a date
    assert len(err.value.problems) == 3


def test_bad_number_says_what_to_write(tmp_path: Path) -> None:
    p = write(tmp_path, LETTER.replace("高政办函〔2025〕18号", "高政办函〔2025〕第18号"))
    with pytest.raises(InputError) as err:
        load_checked(p)
    assert "发文字号" in str(err.value) and "第" in str(err.value)


def test_number_brackets_normalised_with_warning(tmp_path: Path) -> None:
    p = write(tmp_path, LETTER.replace("〔2025〕", "[2025]"))
    doc, warnings = load_checked(p)
    assert str(doc.number) == "高政办函〔2025〕18号"
    assert any("〔〕" in w.message for w in warnings)


def test_request_rules(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "kind: request\nissuer: 高平市文物保护中心\ntitle: 关于某事的请示报告\n"
        "recipients: [高平市人民政府, 晋城市文物局]\nbody: 妥否，请批示。\ndate: 2025-06-20\n",
    )
    with pytest.raises(InputError) as err:
        load_checked(p)
    text = str(err.value)
    assert "只能主送一个" in text
    assert "签发人" in text
    assert "请示报告" in text


def test_request_without_contact_note_is_a_warning(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "kind: request\nissuer: 高平市文物保护中心\nsigners: [李志刚]\ntitle: 关于某事的请示\n"
        "recipients: [高平市人民政府]\nbody: 妥否，请批示。\ndate: 2025-06-20\n",
    )
    _, warnings = load_checked(p)
    assert any("联系人" in w.message for w in warnings)


def test_letter_title_warning(tmp_path: Path) -> None:
    p = write(tmp_path, LETTER.replace("制度的函", "制度的通知"))
    _, warnings = load_checked(p)
    assert any("的函" in w.message for w in warnings)


def test_attachment_list_must_match(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        LETTER
        + "attachment_list: [甲方案, 乙名单]\nattachments:\n  - title: 甲方案\n    body: 内容。\n"
        "  - title: 丙名单\n    body: 内容。\n",
    )
    with pytest.raises(InputError) as err:
        load_checked(p)
    text = str(err.value)
    assert "乙名单" in text and "丙名单" in text


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, LETTER, "good.yaml")
    bad = write(tmp_path, "kind: 通报\n", "bad.yaml")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    assert "文种" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["render"])
    assert exc.value.code == 2


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "request"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"title", "recipients", "body", "signers", "number"} <= set(schema["properties"])


def test_profile_errors_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = write(tmp_path, "titel_shape: narrowing\ntop_margin: 45\n", "house.yaml")
    good = write(tmp_path, LETTER, "good.yaml")
    assert main(["render", str(good), "-o", str(tmp_path / "out/"), "--profile", str(profile)]) == 2
    err = capsys.readouterr().err
    assert "title_shape" in err and "titel_shape" in err  # suggestion for the misspelt key
    assert "top_margin" in err and "38" in err
    assert not (tmp_path / "out").exists()


def test_render_never_overwrites_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, LETTER, "letter.yaml")
    out = tmp_path / "out"
    assert main(["render", str(good), "-o", f"{out}/"]) == 0
    first = (out / "letter.pdf").read_bytes()
    (out / "letter.pdf").write_bytes(b"edited by hand")
    assert main(["render", str(good), "-o", f"{out}/"]) == 0
    assert (out / "letter.pdf").read_bytes() == b"edited by hand"
    assert (out / "letter-2.pdf").read_bytes()[:5] == b"%PDF-"
    assert "未覆盖" in capsys.readouterr().err
    assert main(["render", str(good), "-o", f"{out}/", "--force"]) == 0
    assert (out / "letter.pdf").read_bytes()[:5] == first[:5] == b"%PDF-"
    assert not list(out.glob(".*.tmp"))  # atomic writes leave no temporary files
