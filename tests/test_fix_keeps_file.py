"""``check --fix`` keeps the file as written: only the fixed characters change.

Comments wherever they stand, CRLF line endings, the file's own indentation
and its ``---``/``...`` markers all survive; ``--in-place`` writes through a
link to its target, refuses a read-only file and refuses ``-o`` beside it.
"""

from __future__ import annotations

import shutil
import stat
import sys
from pathlib import Path

import pytest

from docgen.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# Every comment position YAML allows, a list item ending in a half-width colon
# (YAML reads it as a key) with its own comment, odd indentation, and markers.
SOURCE = """\
# 草稿：请核稿
---
kind: letter   # 文种
issuer: 高平市人民政府办公室
title: 关于开展文物安全检查的函
recipients: [市文物保护中心]  # 主送
# 正文从这里开始
body:
- 现将有关事项函告如下:   # 冒号后接各项
-   请市發改委配合,谢谢。
  # 两项之间的注释
- "请各单位于7月10日前报送,逾期不候。"   # 引号保留
- |
    第一行,接着
    第二行。
date: 2025-07-07
...
# 文末注释
"""

NESTED = """\
kind: letter
issuer: 高平市人民政府办公室
title: 关于开展文物安全检查的函
recipients:
  - 市文物保护中心 # 主送
body:
  - 一、工作要求: 请市發改委配合   # 项
  - >-
      折叠的,
      第二行
date: 2025-07-07
attachments:
  - title: 附件,一   # 附件标题
    body: |  # 正文
      第一段,好
"""

# Exactly the characters --fix is meant to change, and nothing else.
EXPECTED = (
    SOURCE.replace("如下:", "如下：")
    .replace("發改委配合,", "发展和改革委员会配合，")
    .replace("报送,", "报送，")
    .replace("第一行,", "第一行，")
)


def _write(tmp_path: Path, text: str, newline: str = "\n", name: str = "letter.yaml") -> Path:
    shutil.copy(SAMPLES / "member-units.yaml", tmp_path / "member-units.yaml")
    src = tmp_path / name
    src.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return src


def test_fix_changes_only_the_fixed_characters(tmp_path: Path) -> None:
    src = _write(tmp_path, SOURCE)
    out = tmp_path / "fixed.yaml"
    main(["check", str(src), "--fix", "-o", str(out)])
    assert out.read_text(encoding="utf-8") == EXPECTED


def test_fix_keeps_crlf_line_endings(tmp_path: Path) -> None:
    src = _write(tmp_path, SOURCE, "\r\n")
    out = tmp_path / "fixed.yaml"
    main(["check", str(src), "--fix", "-o", str(out)])
    data = out.read_bytes()
    assert data == EXPECTED.replace("\n", "\r\n").encode("utf-8")
    assert data.count(b"\n") == data.count(b"\r\n")


def test_fix_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    src = _write(tmp_path, "\ufeff" + SOURCE)
    out = tmp_path / "fixed.yaml"
    main(["check", str(src), "--fix", "-o", str(out)])
    assert out.read_bytes() == ("\ufeff" + EXPECTED).encode("utf-8")


def test_fix_keeps_json_layout(tmp_path: Path) -> None:
    text = (
        '{\n    "kind": "letter", "issuer": "高平市人民政府办公室",\n'
        '    "title": "关于开展文物安全检查的函",\n    "recipients": ["市文物保护中心"],\n'
        '    "body": ["请市發改委配合,谢谢。"],\n    "date": "2025-07-07"\n}\n'
    )
    src = _write(tmp_path, text, name="letter.json")
    out = tmp_path / "fixed.json"
    main(["check", str(src), "--fix", "-o", str(out)])
    assert out.read_text(encoding="utf-8") == text.replace("發改委配合,", "发展和改革委员会配合，")


def test_in_place_through_a_link_fixes_its_target(tmp_path: Path) -> None:
    target = _write(tmp_path, SOURCE)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    main(["check", str(link), "--fix", "--in-place"])
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8") == EXPECTED


def test_in_place_keeps_the_mode(tmp_path: Path) -> None:
    src = _write(tmp_path, SOURCE)
    src.chmod(0o640)
    main(["check", str(src), "--fix", "--in-place"])
    assert src.read_text(encoding="utf-8") == EXPECTED
    assert stat.S_IMODE(src.stat().st_mode) == 0o640


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_in_place_refuses_a_read_only_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _write(tmp_path, SOURCE)
    src.chmod(0o444)
    assert main(["check", str(src), "--fix", "--in-place"]) == 1
    err = capsys.readouterr().err
    assert "只读" in err and "Traceback" not in err
    assert src.read_text(encoding="utf-8") == SOURCE
    assert stat.S_IMODE(src.stat().st_mode) == 0o444


def test_in_place_with_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _write(tmp_path, SOURCE)
    other = tmp_path / "other.yaml"
    assert main(["check", str(src), "--fix", "--in-place", "-o", str(other)]) == 2
    assert "--in-place" in capsys.readouterr().err
    assert not other.exists()
    assert src.read_text(encoding="utf-8") == SOURCE


def test_fix_keeps_nested_comments_and_block_styles(tmp_path: Path) -> None:
    """A "key: text" item, a folded scalar whose fix removes a fold, comments in attachments."""
    src = _write(tmp_path, NESTED)
    out = tmp_path / "fixed.yaml"
    main(["check", str(src), "--fix", "-o", str(out)])
    text = out.read_text(encoding="utf-8")
    assert "  - 一、工作要求：请市发展和改革委员会配合   # 项\n" in text
    assert "  - >-\n      折叠的，第二行\ndate:" in text
    assert "  - title: 附件，一   # 附件标题\n    body: |  # 正文\n      第一段，好\n" in text
    assert "recipients:\n  - 市文物保护中心 # 主送\n" in text


def test_fix_keeps_anchors_and_aliases(tmp_path: Path) -> None:
    text = (
        "kind: letter\nissuer: 高平市人民政府办公室\ntitle: &t 关于开展检查的函\n"
        "recipients: [市文物保护中心]\nbody:\n  - &p 请市發改委配合,谢谢。\n  - *p\n"
        "date: 2025-07-07\n"
    )
    src = _write(tmp_path, text)
    out = tmp_path / "fixed.yaml"
    main(["check", str(src), "--fix", "-o", str(out)])
    assert out.read_text(encoding="utf-8") == text.replace("發改委配合,", "发展和改革委员会配合，")
