"""Chinese output on a GBK console (Chinese Windows, output redirected): no crash, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
NOT_IN_GBK = "📄𠇔"  # an emoji and an Extension B character: GBK has neither


def _docgen(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONIOENCODING="gbk", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], cwd=cwd, env=env, capture_output=True
    )


def test_output_with_characters_gbk_lacks(tmp_path: Path) -> None:
    src = tmp_path / f"函{NOT_IN_GBK}.yaml"
    shutil.copy(SAMPLES / "letter-gaoping-18.yaml", src)
    done = _docgen(["render", src.name, "-o", "out/", "--format", "docx"], tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    out = done.stdout.decode("gbk")  # what the console shows: valid GBK throughout
    assert out.startswith("已生成 out") and "函??.docx" in out
    assert (tmp_path / "out" / f"函{NOT_IN_GBK}.docx").is_file()  # the file keeps its name


def test_errors_with_characters_gbk_lacks(tmp_path: Path) -> None:
    src = tmp_path / f"错{NOT_IN_GBK}.yaml"
    src.write_text("kind: letter\ntitle: 关于𠇔的函\n", encoding="utf-8")
    done = _docgen(["check", src.name], tmp_path)
    err = done.stderr.decode("gbk")
    assert done.returncode == 1 and "Traceback" not in err and "错??" in err
