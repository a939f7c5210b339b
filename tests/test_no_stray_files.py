"""No file outside the output folder: libraries' caches go to the user's cache folder.

jieba (title line breaking) used to write a 1 MB dictionary cache into the
system temp folder on every run; as a second user of the machine it could
not replace the first user's file and printed its traceback. Both are
checked with real processes and an empty temp folder of their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "letter-gaoping-18.yaml"


def _run(tmp_path: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    temp = tmp_path / "temp"
    temp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TMPDIR": str(temp),
        "TEMP": str(temp),
        "TMP": str(temp),
        "DOCGEN_CACHE_DIR": str(cache),
    }
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_a_check_leaves_the_temp_folder_empty(tmp_path: Path) -> None:
    cache = tmp_path / "cache"  # empty: jieba builds and saves its cache this run
    done = _run(tmp_path, cache, "check", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "temp").iterdir()) == []
    assert any(cache.glob("jieba*.cache"))  # the cache went where user caches go
    assert done.stderr == ""


def test_an_unwritable_cache_folder_prints_nothing_of_a_library(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    out = tmp_path / "out"
    done = _run(tmp_path, blocker / "cache", "render", str(SAMPLE), "-o", str(out) + "/")
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "temp").iterdir()) == []
    for noise in ("Traceback", "jieba", "Building prefix", "Dump cache", "Warning"):
        assert noise not in done.stderr, done.stderr
    assert (out / "letter-gaoping-18.pdf").stat().st_size > 10_000


def test_a_library_warning_never_reaches_the_console(tmp_path: Path) -> None:
    """A warning raised from a library's module while a command runs is not printed."""
    code = (
        "import sys, warnings, docgen.loader as loader\n"
        "ns = {'__name__': 'somelibrary'}\n"
        "exec(compile('import warnings\\ndef f():\\n    warnings.warn(\"some library noise\")',"
        " 'somelibrary.py', 'exec'), ns)\n"
        "read = loader.read_data\n"
        "def noisy(*a, **k):\n    ns['f']()\n    return read(*a, **k)\n"
        "loader.read_data = noisy\n"
        f"sys.argv = ['docgen', 'check', {str(SAMPLE)!r}]\n"
        "from docgen.cli import main\n"
        "sys.exit(main())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0, done.stderr
    assert "noise" not in done.stderr and "Warning" not in done.stderr, done.stderr
