"""The batch under spawn (Windows' only start method) gives what fork gives."""

from __future__ import annotations

import csv
import multiprocessing as mp
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pdfmeasure import MeasuredPDF

from docgen.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    # The sample's first four items (five notices): enough for both workers, quick to measure.
    with (SAMPLES / "agreed-items-2025-1.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    keep = [rows[0]] + [r for r in rows[1:] if r and r[0].strip() in ("1", "2", "3", "4")]
    with (src / "agreed-items-2025-1.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(keep)
    return src / "meeting-2025-1.yaml"


def _batch(meeting: Path, out: Path, *extra: str) -> int:
    return main(
        ["batch", "--meeting", str(meeting), "-o", str(out), "--quiet", "--jobs", "2"]
        + ["--registry", str(out.parent / f"{out.name}.sqlite3"), "--new-registry", *extra]
    )


def _manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(
            re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", zf.read("word/document.xml").decode())
        )


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="no fork here to compare with")
def test_spawn_gives_the_same_numbers_and_text_as_fork(
    meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outs = {}
    for method in ("fork", "spawn"):
        monkeypatch.setenv("DOCGEN_MP_START", method)
        outs[method] = tmp_path / method
        assert _batch(meeting, outs[method]) == 0
    fork, spawn = _manifest(outs["fork"]), _manifest(outs["spawn"])
    notices = {r["编号"] for r in fork if r["类别"] == "督办单"}
    assert len(notices) >= 4 and len(fork) == 2 * (1 + len(notices))  # 纪要 + 督办单, PDF + .docx

    # Same numbers, units, items and file names: only hashes and PDF bytes may differ
    # (each file records when it was made).
    def key(r: dict[str, str]) -> tuple[str, ...]:
        return (r["类别"], r["编号"], r["承办单位"], r["议定事项序号"], r["格式"], r["文件名"])

    assert [key(r) for r in fork] == [key(r) for r in spawn]
    for row in fork:
        a, b = outs["fork"] / row["文件名"], outs["spawn"] / row["文件名"]
        if row["格式"] == "docx":
            assert _docx_text(a) == _docx_text(b), row["文件名"]
            continue
        pa, pb = MeasuredPDF(a), MeasuredPDF(b)
        assert pa.pages == pb.pages and pa.text() == pb.text(), row["文件名"]
        assert pa.missing_glyphs() == 0
        ga, gb = pa.glyphs(), pb.glyphs()
        assert [(g.text, g.font, round(g.x0, 2), round(g.baseline, 2), g.size_pt) for g in ga] == [
            (g.text, g.font, round(g.x0, 2), round(g.baseline, 2), g.size_pt) for g in gb
        ], row["文件名"]


def test_unknown_start_method_is_refused_before_anything_is_done(
    meeting: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DOCGEN_MP_START", "thread")
    out = tmp_path / "out"
    assert _batch(meeting, out) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("用法错误：环境变量 DOCGEN_MP_START=thread 无效") and "\n" not in err
    assert not out.exists() and not (tmp_path / "out.sqlite3").exists()
