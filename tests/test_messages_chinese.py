"""Every message a clerk sees is Chinese and says what to do; no English fragment leaks through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.pipeline import load_checked
from docgen.problems import InputError
from docgen.profile import load_profile
from docgen.spec import ProfileError
from docgen.units import UnitRegistry

HEAD = "kind: letter\nissuer: 高平市人民政府办公室\ntitle: 关于开展检查的函\n"
# Words a Chinese message may carry: file formats, YAML syntax it quotes, field names.
ALLOWED = {"YAML", "JSON", "UTF", "CSV", "Excel", "Tab", "body", "kind", "true", "false", "Word"}
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def messages(tmp_path: Path, text: str) -> list[str]:
    src = tmp_path / "in.yaml"
    src.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_checked(src)
    return [p.message for p in err.value.problems]


def english(msg: str) -> list[str]:
    """English words of a message, leaving out what it quotes (“…”) and the keys it suggests."""
    msg = re.sub(r"“[^”]*”", "", msg.split("是不是想写")[0])
    msg = re.sub(r"只能填写 [A-Za-z、 ]+ 之一", "", msg)  # the values to type are English words
    return [w for w in ENGLISH.findall(msg) if w not in ALLOWED] + [" or "] * (" or " in msg)


def test_a_day_the_month_lacks_is_said_in_chinese(tmp_path: Path) -> None:
    (msg,) = messages(tmp_path, HEAD + "body: 请办理。\ndate: 2025-02-30\n")
    assert "2025年2月只有28天，没有30日" in msg
    assert "out of range" not in msg and english(msg) == []
    (msg,) = messages(tmp_path, HEAD + "body: 请办理。\ndate: 2025年13月1日\n")
    assert "没有13月" in msg and english(msg) == []


def test_list_line_ending_in_a_half_width_colon_is_explained(tmp_path: Path) -> None:
    (msg,) = messages(
        tmp_path, HEAD + "body:\n  - 现将有关事项函告如下:\n  - 一、检查内容。\ndate: 2025-07-07\n"
    )
    assert "现将有关事项函告如下:" in msg and "YAML" in msg
    for how in ("全角冒号“：”", "引号", "body: |"):
        assert how in msg, how


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "body: 请办理。\ndate: 2025-02-30\nprint_date: 2025-04-31\n",
        HEAD + "body: 请办理。\ndate: 2025-07-07\ncopy_no: 12\nsecrecy: 绝秘\nurgency: 很急\n",
        HEAD + "body: 请办理。\ndate: 二〇二五年\nsignature:\n  mode: stamped\n",
        HEAD + "body: {a: 1}\ndate: 2025-07-07\ntitel: 错字段\n",
        HEAD + "body:\n  - 时间: 7月7日\ndate: 2025-07-07\nattachments: 附件一\n",
        "kind: letter\ntitle: [a, b]\nbody: 请办理。\ndate: 2025-07-07\n",
        HEAD + "body: 请办理。\n date: 2025-07-07\n",
        HEAD + "body: '请办理。\ndate: 2025-07-07\n",
        "kind: minutes\nmeeting: 会议\nmark: 纪要\nissue_no: 第一期\ncompiler: 办公室\nbody: 内容。\ndate: 2025-07-07\n",
    ],
)
def test_no_english_in_input_messages(tmp_path: Path, text: str) -> None:
    for msg in messages(tmp_path, text):
        assert english(msg) == [], msg


def test_no_english_in_member_list_and_profile_errors(tmp_path: Path) -> None:
    bad = tmp_path / "member-units.yaml"
    bad.write_text("units:\n  - name: 市公安局\n   aliases: [a\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        UnitRegistry.load(bad)
    assert all(english(p.message) == [] for p in err.value.problems), err.value.problems
    with pytest.raises(InputError) as err:
        UnitRegistry.load(tmp_path / "missing.yaml")
    assert all(english(p.message) == [] for p in err.value.problems), err.value.problems
    prof = tmp_path / "house.yaml"
    prof.write_text("top_margin: [37\n", encoding="utf-8")
    with pytest.raises(ProfileError) as perr:
        load_profile(prof)
    assert english(str(perr.value).split(":", 1)[1]) == [], str(perr.value)
