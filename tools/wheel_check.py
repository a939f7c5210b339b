#!/usr/bin/env python3
"""Check an installed docgen (from the wheel) the way a new user meets it.

    python tools/wheel_check.py /path/to/venv/bin/docgen

Run with the checkout's Python (it needs pdfplumber from the test extra). In
an empty temporary folder, with no PYTHONPATH and no DOCGEN_FONTS_DIR, the
given ``docgen`` executable:

1. renders every document input in samples/ (YAML/JSON with a ``kind``) as
   PDF and .docx; each PDF must have no missing glyph and the same pages,
   text and line positions as the checkout renders (the checkout's PDFs are
   the ones the test suite measures against GB/T 9704), and each .docx the
   same text;
2. runs the sample batch, its register created at the default place (the
   user data folder); every file in manifest.csv must exist with its hash;
3. prints ``docgen fonts``, whose bundled fonts must be the installed copy,
   not the checkout's;
4. finds every file git tracks under docgen/ (web templates, static files,
   data) in the installed package, and the fonts and Word templates in it.

Prints one line per check and exits 1 if any failed.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "tests"))

from pdfmeasure import MeasuredPDF  # noqa: E402

BASELINE_TOLERANCE_MM = 0.01
BATCH_MEETING = SAMPLES / "meeting-2025-1.yaml"
BUNDLED_FONT = "fandol/FandolFang-Regular.ttf"


def document_inputs() -> list[Path]:
    """Every sample `docgen render` takes: YAML/JSON whose top level names a kind.

    Member lists and items tables (used by the batch) have no ``kind``;
    samples added later are picked up without editing this list.
    """
    found = []
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and ("kind" in data or "类型" in data):
            found.append(path)
    return found


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "DOCGEN_FONTS_DIR", "DOCGEN_REGISTRY")
    }
    # Bundled fonts only, so the two renders compare; user data kept out of $HOME.
    env.update(DOCGEN_NO_SYSTEM_FONTS="1", DOCGEN_DATA_DIR=str(data_dir))
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def compare_pdf(got: Path, ref: Path) -> str | None:
    """None when ``got`` lays out like ``ref``; else what differs."""
    a, b = MeasuredPDF(got), MeasuredPDF(ref)
    if a.missing_glyphs():
        return f"{a.missing_glyphs()} 个字无字形"
    if a.pages != b.pages:
        return f"{a.pages} 页，源码目录排出 {b.pages} 页"
    if a.text() != b.text():
        return "文字与源码目录排出的不同"
    for ra, rb in zip(a.rows(), b.rows()):
        if ra.page != rb.page or abs(ra.baseline - rb.baseline) > BASELINE_TOLERANCE_MM:
            return f"第 {ra.page} 页“{ra.text[:12]}”行位置不同（{ra.baseline:.2f} / {rb.baseline:.2f} mm）"
    return None


def check_renders(docgen: str, work: Path, env: dict[str, str], fail: list[str]) -> None:
    empty = work / "empty"
    empty.mkdir()
    ref_env = dict(env, PYTHONPATH=str(ROOT))
    for sample in document_inputs():
        got_dir, ref_dir = empty / sample.stem, work / "ref" / sample.stem
        res = run(
            [docgen, "render", str(sample), "-o", f"{sample.stem}/", "--format", "pdf,docx"],
            empty,
            env,
        )
        if res.returncode != 0:
            fail.append(
                f"{sample.name}：docgen render 退出码 {res.returncode}：{res.stderr.strip()}"
            )
            continue
        ref = run(
            [sys.executable, "-m", "docgen", "render", str(sample), "-o", f"{ref_dir}/"]
            + ["--format", "pdf,docx"],
            work,
            ref_env,
        )
        if ref.returncode != 0:
            fail.append(f"{sample.name}：源码目录排版失败：{ref.stderr.strip()}")
            continue
        pdf, docx = got_dir / f"{sample.stem}.pdf", got_dir / f"{sample.stem}.docx"
        problem = compare_pdf(pdf, ref_dir / pdf.name)
        if problem is None and docx_text(docx) != docx_text(ref_dir / docx.name):
            problem = ".docx 文字与源码目录排出的不同"
        if problem:
            fail.append(f"{sample.name}：{problem}")
        else:
            pages = MeasuredPDF(pdf).pages
            print(f"  通过 {sample.name}：PDF {pages} 页与源码目录一致，.docx 文字一致")


def check_batch(docgen: str, work: Path, env: dict[str, str], fail: list[str]) -> None:
    out = work / "empty" / "batch"
    res = run(
        # The register at its default place: the user data folder (DOCGEN_DATA_DIR here).
        [docgen, "batch", "--meeting", str(BATCH_MEETING), "-o", "batch", "--quiet"],
        work / "empty",
        env,
    )
    if res.returncode != 0:
        fail.append(f"docgen batch 退出码 {res.returncode}：{res.stderr.strip()}")
        return
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = [
        r["文件名"]
        for r in rows
        if not (out / r["文件名"]).is_file()
        or hashlib.sha256((out / r["文件名"]).read_bytes()).hexdigest() != r["SHA-256"]
    ]
    notices = {r["编号"] for r in rows if r["类别"] == "督办单"}
    if bad or not notices:
        fail.append(f"docgen batch：manifest 与文件不符：{'、'.join(bad) or '没有督办单'}")
    elif not (work / "data" / "registry.sqlite3").is_file():
        fail.append("docgen batch：登记簿不在用户数据文件夹（DOCGEN_DATA_DIR）中")
    else:
        print(f"  通过 docgen batch：{len(rows)} 个文件（{len(notices)} 份督办单），哈希一致")


def check_fonts(docgen: str, work: Path, env: dict[str, str], fail: list[str]) -> None:
    res = run([docgen, "fonts"], work / "empty", env)
    print(res.stdout.rstrip())
    used = re.findall(r"使用：.*?  (\S+\.tt[fc])", res.stdout)
    if res.returncode != 0 or len(used) != 5:
        fail.append(f"docgen fonts 退出码 {res.returncode}：{res.stderr.strip()}")
    elif any(Path(p).resolve().is_relative_to(ROOT) for p in used):
        fail.append("docgen fonts：用的是源码目录的字体，不是安装的副本")
    else:
        print("  通过 docgen fonts：五种字体都取自安装的 docgen")


def check_package_files(docgen: str, fail: list[str]) -> None:
    """Every file of the checkout's docgen/ (templates, static files, data) is installed too."""
    python = Path(docgen).with_name("python.exe" if os.name == "nt" else "python")
    res = subprocess.run(
        [str(python), "-c", "import docgen, pathlib; print(pathlib.Path(docgen.__file__).parent)"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=False,
    )
    installed = Path(res.stdout.strip())
    source = ROOT / "docgen"
    tracked = subprocess.run(
        ["git", "ls-files", "docgen"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    wanted = [Path(p).relative_to("docgen") for p in tracked] or [
        p.relative_to(source)
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    missing = [str(p) for p in wanted if not (installed / p).is_file()]
    shipped = [("fonts/files", BUNDLED_FONT), ("templates/official", "letter.docx")]
    missing += [f"{d}/{f}" for d, f in shipped if not (installed / d / f).is_file()]
    if res.returncode != 0 or missing:
        fail.append(
            f"安装的 docgen（{installed}）缺文件：{'、'.join(missing[:10]) or res.stderr.strip()}"
        )
    else:
        print(f"  通过 安装的包：docgen/ 的 {len(wanted)} 个文件、随附字体和 Word 模板齐全")


def main() -> int:
    if len(sys.argv) != 2:
        print("用法：python tools/wheel_check.py 虚拟环境中的docgen", file=sys.stderr)
        return 2
    docgen = sys.argv[1]
    fail: list[str] = []
    with tempfile.TemporaryDirectory(prefix="docgen-wheel-") as tmp:
        work = Path(tmp)
        env = clean_env(work / "data")
        check_renders(docgen, work, env, fail)
        check_batch(docgen, work, env, fail)
        check_fonts(docgen, work, env, fail)
        check_package_files(docgen, fail)
    for line in fail:
        print(f"失败：{line}", file=sys.stderr)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
