"""Outputs go to folders colleagues share: every file honours the umask (0644 under 022)."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.fileio import _umask

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    _umask.cache_clear()
    try:
        yield
    finally:
        os.umask(old)
        _umask.cache_clear()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_render_outputs_are_0644(umask_022: None, tmp_path: Path) -> None:
    out = tmp_path / "函"
    assert main(["render", str(SAMPLES / "letter-gaoping-18.yaml"), "-o", str(out) + "/",
                 "--format", "pdf,docx"]) == 0  # fmt: skip
    files = sorted(out.iterdir())
    assert {p.suffix for p in files} == {".pdf", ".docx"}
    assert {p.name: oct(mode(p)) for p in files} == {p.name: "0o644" for p in files}


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_batch_outputs_manifest_ledger_and_zip_are_0644(umask_022: None, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    out = tmp_path / "out"
    args = ["batch", "--meeting", str(src / "meeting-2025-1.yaml"), "-o", str(out)]
    args += ["--registry", str(tmp_path / "reg.sqlite"), "--new-registry"]
    args += ["--quiet", "--zip", "--jobs", "1"]
    assert main(args) == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".pdf", ".docx", ".csv", ".xlsx", ".zip"} <= kinds
    assert {p.name: oct(mode(p)) for p in files} == {p.name: "0o644" for p in files}


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_stricter_umask_is_honoured_too(tmp_path: Path) -> None:
    from docgen.fileio import atomic_write

    old = os.umask(0o027)
    _umask.cache_clear()
    try:
        atomic_write(tmp_path / "a.pdf", b"%PDF")
    finally:
        os.umask(old)
        _umask.cache_clear()
    assert mode(tmp_path / "a.pdf") == 0o640
