"""Nothing lost, nothing stale: same-named inputs, checks before numbers, --resume after a
correction, and where output may go. Each case opens what was written."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from docgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
LETTER = SAMPLES / "letter-gaoping-18.yaml"


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [x for x in err.strip().splitlines() if x.strip() and not x.startswith("提醒")]
    assert "Traceback" not in err
    assert len(lines) == 1, err
    return lines[0]


# --- render: two inputs, one name -------------------------------------------------------


def pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    return "".join(page.get_textpage().get_text_range() for page in pdf)


def test_two_inputs_with_the_same_name_make_two_documents(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    text = LETTER.read_text(encoding="utf-8")
    (a / "函.yaml").write_text(text, encoding="utf-8")
    (b / "函.yaml").write_text(text.replace("此件公开发布", "此件不公开"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(a / "函.yaml"), str(b / "函.yaml"), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["函-2.pdf", "函.pdf"]
    assert "此件公开发布" in pdf_text(out / "函.pdf")
    assert "此件不公开" in pdf_text(out / "函-2.pdf")


@pytest.mark.parametrize("force", [False, True])
def test_the_same_input_twice_is_not_written_over_itself(tmp_path: Path, force: bool) -> None:
    out = tmp_path / "out"
    args = ["render", str(LETTER), str(LETTER), "-o", str(out), "--format", "pdf,docx"]
    assert main(args + (["--force"] if force else [])) == 0
    names = sorted(p.name for p in out.iterdir())
    stem = LETTER.stem
    assert names == sorted([f"{stem}.pdf", f"{stem}.docx", f"{stem}-2.pdf", f"{stem}-2.docx"])


# --- render: where output may go ----------------------------------------------------------


def test_output_through_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f.pdf").write_bytes(b"x")
    # exit 1: a place that cannot be written, under the one output policy (issue 20)
    assert main(["render", str(LETTER), "-o", str(tmp_path / "f.pdf" / "sub" / "x.pdf")]) == 1
    assert "f.pdf" in one_line(capsys)
    assert (tmp_path / "f.pdf").read_bytes() == b"x"


def test_output_naming_an_existing_file_without_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").write_bytes(b"keep")
    assert main(["render", str(LETTER), "-o", str(tmp_path / "out")]) == 1
    assert "已有的文件" in one_line(capsys)
    assert (tmp_path / "out").read_bytes() == b"keep"


def test_output_into_a_folder_that_cannot_be_written(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(LETTER), "-o", "/proc/docgen-cannot-write/"]) == 1
    assert "无法写入" in one_line(capsys)


# --- batch: checks before the first number ---------------------------------------------------


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    return src / "meeting-2025-1.yaml"


def batch(meeting: Path, out: Path, reg: Path, *extra: str) -> int:
    args = ["batch", "--meeting", str(meeting), "-o", str(out), "--registry", str(reg)]
    return main([*args, "--new-registry", "--quiet", "--jobs", "1", *extra])


def issued(reg: Path) -> int:
    if not reg.exists():
        return 0
    return sqlite3.connect(reg).execute("SELECT COUNT(*) FROM issued").fetchone()[0]


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--template", "no-such-template.docx"], "模板"),
        (["--code", "高" * 90], "同名|版心"),  # the number would not fit the form either
        (["--code", "高" * 70], "同名|版心"),
    ],
)
def test_what_would_fail_later_is_found_before_any_number(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], said: str
) -> None:
    reg, out = tmp_path / "r.sqlite3", tmp_path / "out"
    code = batch(meeting, out, reg, *extra)
    line = one_line(capsys)
    assert code in (1, 2) and any(s in line for s in said.split("|")), line
    assert issued(reg) == 0
    assert not out.exists() or not any(out.iterdir())


def test_a_template_missing_a_format_is_found_before_any_number(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg, out = tmp_path / "r.sqlite3", tmp_path / "out"
    letter_template = ROOT / "templates" / "official" / "letter.docx"
    assert batch(meeting, out, reg, "--template", str(letter_template)) == 1
    assert "--template" in capsys.readouterr().err
    assert issued(reg) == 0


def test_batch_output_through_a_file_takes_no_number(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_bytes(b"x")
    reg = tmp_path / "r.sqlite3"
    assert (
        batch(meeting, tmp_path / "file" / "out", reg) == 1
    )  # the one output policy (issue 20): exit 1
    assert "file" in one_line(capsys)
    assert issued(reg) == 0


# --- batch --resume after a correction --------------------------------------------------------


def rows(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((out / "manifest.csv").read_text("utf-8-sig").splitlines()))


def test_resume_re_renders_a_corrected_item_under_its_number(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    reg, out = tmp_path / "r.sqlite3", tmp_path / "out"
    assert batch(meeting, out, reg, "--format", "docx") == 0
    before = {r["文件名"]: r for r in rows(out)}
    table = meeting.parent / "agreed-items-2025-1.csv"
    text = table.read_text(encoding="utf-8")
    assert "2025/10/31" in text
    table.write_text(
        text.replace("纳入国土空间规划", "纳入国土空间规划（已更正）").replace(
            "2025/10/31", "2025/11/15"
        ),
        "utf-8",
    )
    capsys.readouterr()
    assert batch(meeting, out, reg, "--format", "docx", "--resume") == 0
    err = capsys.readouterr().err
    after = {r["文件名"]: r for r in rows(out)}
    assert set(after) == set(before)  # same numbers, same files
    changed = [n for n in after if after[n]["SHA-256"] != before[n]["SHA-256"]]
    # the corrected notice and the minutes (which lists every item); nothing else
    assert len(changed) == 2 and any(n.startswith("纪要") for n in changed)
    notice = next(n for n in changed if n.startswith("督办单"))
    assert "重新生成" in err and notice.removesuffix(".docx") in err
    import docx

    body = "\n".join(
        c.text for t in docx.Document(str(out / notice)).tables for r in t.rows for c in r.cells
    )
    assert "（已更正）" in body
    # the ledger says what the notice says
    ws = load_workbook(out / "督办台账.xlsx").active
    cells = [str(c.value or "") for row in ws.iter_rows() for c in row]
    assert any("（已更正）" in c for c in cells) and any("2025-11-15" in c for c in cells)
    assert not any(
        "纳入国土空间规划，" in c and "已更正" not in c for c in cells if "国土空间" in c
    )
    for name, row in after.items():  # manifest hashes are those on disk
        import hashlib

        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == row["SHA-256"]
    assert issued(reg) == 13  # no new number


def test_resume_with_nothing_changed_renders_nothing(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg, out = tmp_path / "r.sqlite3", tmp_path / "out"
    assert batch(meeting, out, reg, "--format", "docx") == 0
    capsys.readouterr()
    assert batch(meeting, out, reg, "--format", "docx", "--resume") == 0
    assert "已生成 0 份文档" in capsys.readouterr().out


def test_name_bytes_are_counted_not_characters() -> None:
    from docgen import naming

    stem = naming.notice_stem("高" * 100 + "〔2025〕1号", "市公安局")
    assert len(f".{stem}.docx.abcdefgh.tmp".encode()) <= 255
    assert naming.name_problem("高" * 100 + ".pdf") is not None
    assert naming.name_problem("高" * 60 + ".pdf") is None
