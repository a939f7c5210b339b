"""What reportlab reads of a large font is kept between runs (docgen/rlfaces.py): the PDFs
are the same bytes with and without it, and a damaged entry only costs a parse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from docgen.fonts.rlfaces import FONT_MIN_BYTES, cache_file

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "request-gaoping-wenbao-funds.yaml"


def render(cache: Path, out: Path) -> bytes:
    env = {**os.environ, "DOCGEN_CACHE_DIR": str(cache), "RL_invariant": "1"}
    cmd = [sys.executable, "-m", "docgen.cli", "render", str(SAMPLE), "-o", str(out), "--force"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def test_kept_reading_gives_the_same_pdf_and_a_damaged_one_is_read_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = render(cache, tmp_path / "a.pdf")  # parsed, and kept
    kept = sorted((cache / "reportlab-faces").glob("*.marshal"))
    assert len(kept) >= 2  # 仿宋, 小标宋, 黑体 at least: each a large font
    assert render(cache, tmp_path / "b.pdf") == parsed  # read back from the cache
    for entry in kept:
        entry.write_bytes(b"\x00damaged")
    assert render(cache, tmp_path / "c.pdf") == parsed  # parsed again, and kept again
    assert all(entry.stat().st_size > 1000 for entry in kept)


def test_small_and_missing_fonts_are_not_kept(tmp_path: Path) -> None:
    small = tmp_path / "cut.ttf"
    small.write_bytes(b"\x00" * (FONT_MIN_BYTES - 1))  # a batch's cut font: cheap to read
    assert cache_file(small, 0) is None
    assert cache_file(tmp_path / "missing.ttf", 0) is None
    large = tmp_path / "large.ttf"
    large.write_bytes(b"\x00" * FONT_MIN_BYTES)
    first = cache_file(large, 0)
    assert first is not None and cache_file(large, 1) != first  # one entry per face
    os.utime(large, ns=(1, 1))  # a replaced font file: a new entry
    assert cache_file(large, 0) != first
