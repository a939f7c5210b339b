"""Every file name docgen makes is valid on Windows: one checker, used on every name."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import naming
from docgen.cli import main
from docgen.naming import name_problem, safe

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TEMP_EXTRA = len(".") + len(".XXXXXXXX.tmp")  # what atomic writes add around a name


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("督办单-高文联办督〔2025〕3号-市公安局.pdf", None),
        ("manifest.csv", None),
        ("a:b.pdf", "不允许的字符"),
        ('问"题".docx', "不允许的字符"),
        ("x<y>|z?*.pdf", "不允许的字符"),
        ("tab\there.pdf", "不允许的字符"),
        ("CON", "保留的设备名"),
        ("con.pdf", "保留的设备名"),
        ("NUL.tar.gz", "保留的设备名"),
        ("COM1.docx", "保留的设备名"),
        ("LPT9", "保留的设备名"),
        ("CONSOLE.pdf", None),
        ("纪要.", "结尾"),
        ("纪要 ", "结尾"),
        ("", "为空"),
        ("公" * 85 + ".pdf", "过长"),  # 259 bytes in UTF-8
        ("公" * 83 + ".pdf", None),  # 253 bytes
    ],
)
def test_name_problem(name: str, why: str | None) -> None:
    problem = name_problem(name)
    assert (problem is None) if why is None else (why in (problem or "")), problem


@given(st.text(max_size=400))
def test_safe_makes_a_valid_stem_of_any_text(text: str) -> None:
    stem = safe(text)
    for suffix in (".pdf", ".docx", "-99.docx"):
        name = stem + suffix
        assert name_problem(name) is None, name
        assert len(("." + name + ".XXXXXXXX.tmp").encode("utf-8")) <= naming.MAX_NAME_BYTES


def test_check_path_limits_the_whole_path(tmp_path: Path) -> None:
    deep = tmp_path / ("层" * 100) / ("级" * 100) / "督办单.pdf"
    with pytest.raises(naming.UnsafeName, match="路径过长"):
        naming.check_path(deep, limit=naming.WINDOWS_MAX_PATH)
    assert naming.check_path(tmp_path / "督办单.pdf", limit=naming.WINDOWS_MAX_PATH)


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    return src / "meeting-2025-1.yaml"


@pytest.mark.parametrize("extra", [(), ("--ascii-names",)])
def test_every_name_a_batch_makes_passes(meeting: Path, tmp_path: Path, extra: tuple) -> None:
    out = tmp_path / "out"
    args = ["batch", "--meeting", str(meeting), "-o", str(out), "--quiet", "--zip"]
    args += ["--registry", str(tmp_path / "r.sqlite3"), "--new-registry", "--format", "docx"]
    assert main(args + list(extra)) == 0
    names = [p.name for p in out.iterdir()]
    assert len(names) == 14 + 3  # 纪要 + 13 督办单, manifest, ledger, zip
    for name in names:
        assert name_problem(name) is None, name
        assert len(name.encode("utf-8")) + TEMP_EXTRA <= naming.MAX_NAME_BYTES


def test_a_too_deep_output_folder_is_refused_before_numbers_are_taken(
    meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(naming, "path_limit", lambda: len(str(out)) + 20)
    reg = tmp_path / "r.sqlite3"
    args = ["batch", "--meeting", str(meeting), "-o", str(out), "--quiet", "--format", "docx"]
    # Exit 1, "错误：": a place that cannot be written, under the one output policy (issue 20).
    assert main(args + ["--registry", str(reg), "--new-registry"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：路径过长") and "\n" not in err
    assert not out.exists()
    if reg.exists():
        with sqlite3.connect(reg) as db:
            assert db.execute("SELECT count(*) FROM issued").fetchone()[0] == 0


def test_render_names_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # A Windows device name as the input's name: the output gets a name Windows accepts.
    src = tmp_path / "CON.yaml"
    shutil.copy(SAMPLES / "letter-gaoping-18.yaml", src)
    out = tmp_path / "out"
    assert main(["render", str(src), "-o", f"{out}/", "--format", "docx"]) == 0
    assert [p.name for p in out.iterdir()] == ["_CON.docx"]
    # A name the user gives that Windows cannot hold: one line, exit 1, nothing written.
    capsys.readouterr()
    assert main(["render", str(src), "-o", str(tmp_path / "函:1.docx")]) == 1
    err = capsys.readouterr().err.strip()
    assert "不允许的字符" in err and "\n" not in err
    assert not (tmp_path / "函:1.docx").exists()


def test_every_write_goes_through_the_checker(tmp_path: Path) -> None:
    from docgen.fileio import atomic_write

    for bad in ("CON.yaml", "a|b.pdf", "纪要.", "公" * 90 + ".docx"):
        with pytest.raises(naming.UnsafeName):
            atomic_write(tmp_path / bad, b"x")
    assert list(tmp_path.iterdir()) == []
    atomic_write(tmp_path / "纪要.yaml", b"x")
    assert (tmp_path / "纪要.yaml").read_bytes() == b"x"
