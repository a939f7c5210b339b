"""docgen batch end to end: validation first, numbers, files, manifest, ledger, resume."""

from __future__ import annotations

import csv
import hashlib
import multiprocessing as mp
import shutil
import zipfile
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.registry import Registry

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CODE = "高文联办督"
FORM_LABELS = (
    "督办事项来源",
    "承办单位",
    "督办事项",
    "配合单位",
    "完成时限",
    "督办要求",
    "联系人及电话",
    "办理情况",
    "签收人及日期",
)


def _renderer_missing() -> str | None:
    """The batch renders through pipeline.render_document: it needs fonts and the .docx writer."""
    for module in ("docgen.fonts", "docgen.render.docx", "docgen.layout"):
        try:
            __import__(module)
        except ImportError as exc:
            return f"{module} 尚未提交（{exc}）：完整批量测试需要 PDF/Word 渲染器"
    return None


@pytest.fixture
def renderer() -> None:
    reason = _renderer_missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    return src / "meeting-2025-1.yaml"


def batch(meeting: Path, out: Path, reg: Path, *extra: str) -> int:
    return main(
        [
            "batch",
            "--meeting",
            str(meeting),
            "-o",
            str(out),
            "--registry",
            str(reg),
            "--new-registry",
            "--quiet",
            *extra,
        ]
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_rows(out: Path) -> list[dict[str, str]]:
    raw = (out / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads it as UTF-8
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def ledger_rows(path: Path) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    header = rows[1]
    return [dict(zip(header, r)) for r in rows[2:]]


def numbers(reg: Path) -> list[int]:
    if not reg.exists():
        return []  # never created: nothing taken
    with Registry(reg) as r:
        return [i.seq for i in r.list(CODE, 2025)]


# --- validation before anything is written -------------------------------------------


def test_bad_rows_stop_everything_and_write_nothing(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = meeting.parent / "agreed-items-2025-1.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("市自然资源局", "市自然资原局")  # row 3: unknown unit
    lines[4] = lines[4].replace("2025-08-31", "8月底")  # row 5: bad date
    lines[6] = "6,,市文物局,,2025-11-15,,"  # row 7: empty matter
    table.write_text("\n".join(lines) + "\n", encoding="gbk")  # and in GBK, as Excel saves it
    out, reg = tmp_path / "out", tmp_path / "r.sqlite3"
    assert batch(meeting, out, reg) == 1
    err = capsys.readouterr().err
    assert "第3行" in err and "牵头单位" in err and "市自然资源局" in err
    assert "第5行" in err and "完成时限" in err
    assert "第7行" in err and "议定事项" in err
    assert not out.exists()
    assert numbers(reg) == []  # no number taken either


def test_missing_supervision_settings_are_errors(
    meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.split("\nsupervision:")[0] + "\n", encoding="utf-8")
    assert batch(meeting, tmp_path / "out", tmp_path / "r.sqlite3") == 1
    err = capsys.readouterr().err
    assert "supervision.code" in err and "--code" in err and "--contact" in err
    assert not (tmp_path / "out").exists()


# --- full runs --------------------------------------------------------------------------


def test_batch_files_manifest_and_ledger_agree(
    renderer: None, meeting: Path, tmp_path: Path
) -> None:
    out, reg = tmp_path / "out", tmp_path / "r.sqlite3"
    assert batch(meeting, out, reg, "--jobs", "2", "--zip") == 0
    rows = manifest_rows(out)
    notices = [r for r in rows if r["类别"] == "督办单"]
    # 12 items, item 9 has two lead units: 13 notices, each as PDF and .docx.
    assert len(notices) == 26 and len([r for r in rows if r["类别"] == "纪要"]) == 2
    for r in rows:
        path = out / r["文件名"]
        assert (
            path.is_file() and sha(path) == r["SHA-256"] and path.stat().st_size == int(r["字节数"])
        )
    assert numbers(reg) == list(range(1, 14))
    assert "督办单-高文联办督〔2025〕1号-市公安局.pdf" in {r["文件名"] for r in rows}
    ledger = ledger_rows(out / "督办台账.xlsx")
    assert len(ledger) == 13
    by_name = {r["文件名"]: r["SHA-256"] for r in rows}
    for row in ledger:
        assert by_name[row["PDF 文件"]] == row["PDF SHA-256"]
        assert by_name[row["Word 文件"]] == row["Word SHA-256"]
        assert str(row["编号"]) in str(row["PDF 文件"])
    with Registry(reg) as r:
        for issued in r.list(CODE, 2025):
            pdf = next(n for n in issued.files if n.endswith(".pdf"))
            assert issued.file_hash == sha(out / pdf)
    with zipfile.ZipFile(out / "督办文件.zip") as zf:
        assert set(zf.namelist()) == {r["文件名"] for r in rows} | {"manifest.csv", "督办台账.xlsx"}


def test_every_item_text_is_in_its_notice_pdf(
    renderer: None, meeting: Path, tmp_path: Path
) -> None:
    import pdfplumber

    out = tmp_path / "out"
    assert batch(meeting, out, tmp_path / "r.sqlite3", "--format", "pdf") == 0
    rows = [r for r in manifest_rows(out) if r["类别"] == "督办单"]
    table = list(
        csv.DictReader((meeting.parent / "agreed-items-2025-1.csv").open(encoding="utf-8"))
    )
    matter = {r["序号"]: r["议定事项"] for r in table}
    for r in rows:
        with pdfplumber.open(out / r["文件名"]) as pdf:
            text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
        # The form's labels sit mid-cell, so extraction interleaves them with the matter's lines.
        for label in sorted(FORM_LABELS, key=len, reverse=True):
            text = text.replace(label, "")
        text = "".join(text.split())
        assert r["编号"] in text
        assert "".join(matter[r["议定事项序号"]].split()) in text


def test_rerun_refuses_and_resume_reuses_numbers(
    renderer: None, meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, reg = tmp_path / "out", tmp_path / "r.sqlite3"
    assert batch(meeting, out, reg, "--format", "pdf", "--jobs", "1") == 0
    before = {p.name: sha(p) for p in out.iterdir()}
    capsys.readouterr()
    assert batch(meeting, out, reg, "--format", "pdf") == 2
    assert "--resume" in capsys.readouterr().err
    assert {p.name: sha(p) for p in out.iterdir()} == before
    assert numbers(reg) == list(range(1, 14))
    # Resume after losing one file: same numbers, only that file rendered again.
    lost = out / "督办单-高文联办督〔2025〕5号-市发展和改革委员会.pdf"
    lost.unlink()
    assert batch(meeting, out, reg, "--format", "pdf", "--resume") == 0
    assert "已生成 1 份" in capsys.readouterr().out
    assert numbers(reg) == list(range(1, 14))
    assert lost.is_file()
    after = {p.name: sha(p) for p in out.iterdir() if p.suffix == ".pdf"}
    assert {k: v for k, v in after.items() if k != lost.name} == {
        k: v for k, v in before.items() if k.endswith(".pdf") and k != lost.name
    }
    for r in manifest_rows(out):
        assert sha(out / r["文件名"]) == r["SHA-256"]


def _second_meeting(meeting: Path, issue_no: int) -> Path:
    """The same items at a later meeting: a different source, so new numbers."""
    text = meeting.read_text(encoding="utf-8").replace("issue_no: 1", f"issue_no: {issue_no}")
    text = text.replace("第一次全体会议", f"第{issue_no}次全体会议")
    path = meeting.with_name(f"meeting-{issue_no}.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def test_second_batch_continues_the_numbers(renderer: None, meeting: Path, tmp_path: Path) -> None:
    reg = tmp_path / "r.sqlite3"
    assert batch(meeting, tmp_path / "a", reg, "--format", "docx") == 0
    assert batch(_second_meeting(meeting, 2), tmp_path / "b", reg, "--format", "docx") == 0
    assert numbers(reg) == list(range(1, 27))
    names_b = {r["编号"] for r in manifest_rows(tmp_path / "b") if r["编号"]}
    assert "高文联办督〔2025〕14号" in names_b and "高文联办督〔2025〕26号" in names_b


def _run(meeting: str, out: str, reg: str, queue: mp.Queue) -> None:
    queue.put(batch(Path(meeting), Path(out), Path(reg), "--format", "pdf", "--jobs", "1"))


def test_two_concurrent_batches_share_one_register(
    renderer: None, meeting: Path, tmp_path: Path
) -> None:
    reg = tmp_path / "r.sqlite3"
    second = _second_meeting(meeting, 2)
    queue: mp.Queue = mp.Queue()
    procs = [
        mp.Process(target=_run, args=(str(m), str(tmp_path / o), str(reg), queue))
        for m, o in ((meeting, "a"), (second, "b"))
    ]
    for p in procs:
        p.start()
    codes = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert codes == [0, 0]
    assert numbers(reg) == list(range(1, 27))
    for out in ("a", "b"):
        seqs = sorted(
            int(r["编号"].split("〕")[1].rstrip("号"))
            for r in manifest_rows(tmp_path / out)
            if r["编号"]
        )
        assert seqs == list(range(seqs[0], seqs[0] + 13))  # each batch got a contiguous block


def test_ascii_names_are_ascii(renderer: None, meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        batch(meeting, out, tmp_path / "r.sqlite3", "--ascii-names", "--zip", "--format", "docx")
        == 0
    )
    names = [p.name for p in out.iterdir()]
    assert all(n.isascii() for n in names), [n for n in names if not n.isascii()]
    assert "duban-gaowenlianbandu-2025-1-shigonganju.docx" in names
    assert "duban-taizhang.xlsx" in names and "duban-wenjian.zip" in names


def test_per_unit_gives_one_notice_per_unit(renderer: None, meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert batch(meeting, out, tmp_path / "r.sqlite3", "--per", "unit", "--format", "docx") == 0
    ledger = ledger_rows(out / "督办台账.xlsx")
    units = [r["承办单位"] for r in ledger]
    assert len(units) == len(set(units)) == 13
    hub = next(r for r in ledger if r["承办单位"] == "市文物保护中心")
    assert str(hub["议定事项序号"]) == "12"


def test_skip_invalid_renders_the_rest(
    renderer: None, meeting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = meeting.parent / "agreed-items-2025-1.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("市公安局", "市公按局", 1)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch(meeting, out, tmp_path / "r.sqlite3", "--skip-invalid", "--format", "docx") == 0
    err = capsys.readouterr().err
    assert "第2行" in err and "已跳过" in err
    assert len(ledger_rows(out / "督办台账.xlsx")) == 12
