"""(t) docgen's batch beside Typst, PDF only, the same notices, in one run.

    python tools/bench.py --only typst [--n 1000] [--rounds 3] [--typst-fonts DIR] [--wheel]

Typst: the `typst` package (PyPI) compiling the speed harness's notice.typ
(tools/vs_typst/) with one Compiler reused per process, 2 processes, timed as
the harness times it (the render loop and the pool's start; not Python's
start nor `import typst`). docgen: `docgen batch --format pdf --jobs 2
--no-minutes` over the same items, timed as a whole command (interpreter
start, checks, numbering, font cutting, rendering, manifest, ledger and
workbook). The two alternate, --rounds times each; the ratio is of the best
of each (the slower runs measure the neighbours on a shared machine), and
the CPU time per notice of each is reported beside it, since it does not
depend on the load.

--wheel builds docgen's wheel from this checkout and installs it into a
temporary virtual environment (dependencies from the current interpreter's
site-packages), as an office installs it; without it, the checkout runs
(PYTHONPATH). Typst's fonts: --typst-fonts or $PERF_FONTS, filled by
`sh tools/vs_typst/fetch_fonts.sh DIR` (three Debian font packages).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import bench
import yaml

TOOLS = Path(__file__).resolve().parent
RUNNER = TOOLS / "vs_typst" / "run_typst.py"
FONT_FILES = ("LXGWWenKai-Bold.ttf", "LXGWWenKai-Regular.ttf", "uming.ttc", "wqy-zenhei.ttc")
TARGET = 1.2  # issue 24: docgen's PDFs a second at least 1.2× Typst's


def typst_notices(folder: Path) -> list[dict[str, str]]:
    """The notices docgen's batch makes from folder/items.csv, as notice.typ's fields."""
    meeting = yaml.safe_load((folder / "meeting.yaml").read_text("utf-8"))
    sup = meeting["supervision"]
    date = _cn_date(str(sup["date"]))
    ref = f"{meeting['meeting']}纪要（第{meeting['issue_no']}期）"
    with (folder / "items.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "office": meeting["compiler"],
            "title": "议定事项督办单",
            "number": f"{sup['code']}〔{date[:4]}〕{i}号",
            "date": date,
            "source": f"{ref}第{row['序号']}项",
            "matter": row["议定事项"],
            "lead": row["牵头单位"],
            "support": row["配合单位"] or "无",
            "deadline": _cn_date(row["完成时限"]) + "前",
            "requirement": row["督办要求"] or "按期办结并书面反馈办理情况",
            "contact": f"{sup['contact']}　{sup['phone']}",
            "note": f"{meeting['compiler']}　{date}",
        }
        for i, row in enumerate(rows, 1)
    ]


def _cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def fonts_folder(given: Path | None) -> Path:
    folder = given or (Path(os.environ["PERF_FONTS"]) if os.environ.get("PERF_FONTS") else None)
    if folder is None or any(not (folder / f).is_file() for f in FONT_FILES):
        sys.exit(
            f"Typst 用的字体不全（{folder or '未指定 --typst-fonts 或 PERF_FONTS'}）："
            "先运行 sh tools/vs_typst/fetch_fonts.sh 文件夹，再以 --typst-fonts 文件夹 指定"
        )
    return folder


def install_wheel(tmp: Path) -> list[str]:
    """docgen's wheel built from this checkout, installed in a fresh venv: its `docgen`."""
    wheels, venv = tmp / "wheel", tmp / "venv"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(wheels),
            str(bench.ROOT),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    wheel = next(wheels.glob("docgen-*.whl"))
    subprocess.run(
        [str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    where = subprocess.run(
        [str(py), "-c", "import docgen; print(docgen.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        env=_no_checkout_env(),
        cwd=tmp,  # not the checkout: `python -c` puts the working folder first on sys.path
    ).stdout.strip()
    if not where.startswith(str(venv)):
        sys.exit(f"安装的 wheel 未被使用：docgen 来自 {where}")
    return [str(py), "-m", "docgen"]


def _no_checkout_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _cpu_children() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run_typst(folder: Path, fonts: Path, inputs: Path, tag: str) -> dict[str, float]:
    out = folder / f"typst-{tag}"
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--fonts", str(fonts), "--inputs", str(inputs),
         "--out", str(out), "--procs", "2"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    res = json.loads(done.stdout.strip().splitlines()[-1])
    if res["warnings"]:
        sys.exit(f"Typst 警告（字体未找到？）：{res['warnings']}")
    shutil.rmtree(out, ignore_errors=True)
    return {**res, "load_before": load}


def run_docgen(folder: Path, cmd: list[str], env: dict[str, str] | None, n: int, tag: str) -> dict:
    out, reg = folder / f"docgen-{tag}", folder / f"reg-{tag}.sqlite3"
    shutil.rmtree(out, ignore_errors=True)
    reg.unlink(missing_ok=True)
    full = [
        *cmd, "batch", "--meeting", str(folder / "meeting.yaml"), "-o", str(out),
        "--registry", str(reg), "--new-registry", "--format", "pdf", "--jobs", "2",
        "--no-minutes", "--quiet", "--timing",
    ]  # fmt: skip
    load = os.getloadavg()[0]
    cpu0 = _cpu_children()
    elapsed, mem, done = bench.run_with_memory(full, env=env, cwd=folder)
    cpu = _cpu_children() - cpu0
    made = len(list(out.glob("*.pdf")))
    if made != n:
        sys.exit(f"docgen 输出不全：应有 {n} 份，实有 {made} 份")
    shutil.rmtree(out, ignore_errors=True)
    timing = [x for x in done.stderr.splitlines() if x.startswith(("各阶段用时", "  "))]
    return {
        "seconds": elapsed,
        "docs_per_s": n / elapsed,
        "cpu_s": cpu,
        "peak_tree_mb": mem.peak_kb / 1024,
        "peak_process_mb": mem.peak_one_kb / 1024,
        "load_before": load,
        "timing": "\n".join(timing),
    }


def run(tmp: Path, n: int, rounds: int, fonts: Path | None, wheel: bool) -> dict[str, object]:
    fonts = fonts_folder(fonts)
    folder = tmp / "vs-typst"
    folder.mkdir()
    bench.write_batch_input(folder, n)
    inputs = folder / "typst-notices.json"
    inputs.write_text(json.dumps(typst_notices(folder), ensure_ascii=False), "utf-8")
    if wheel:
        cmd, env = install_wheel(tmp), _no_checkout_env()
    else:
        cmd, env = bench.docgen_cmd(), dict(os.environ, PYTHONPATH=str(bench.ROOT))
    runs: dict[str, list[dict]] = {"typst": [], "docgen": []}
    for r in range(rounds):
        # Alternate who goes first: a neighbour's burst should not always hit the same one.
        order = ("typst", "docgen") if r % 2 == 0 else ("docgen", "typst")
        for who in order:
            if who == "typst":
                runs[who].append(run_typst(folder, fonts, inputs, str(r)))
            else:
                runs[who].append(run_docgen(folder, cmd, env, n, str(r)))
    best = {k: max(v, key=lambda x: x["docs_per_s"]) for k, v in runs.items()}
    return {
        "n": n,
        "rounds": rounds,
        "installed": "wheel" if wheel else "checkout",
        "typst": runs["typst"],
        "docgen": runs["docgen"],
        "ratio": best["docgen"]["docs_per_s"] / best["typst"]["docs_per_s"],
        "round_ratios": [
            d["docs_per_s"] / t["docs_per_s"] for d, t in zip(runs["docgen"], runs["typst"])
        ],
        "cpu_ratio": min(t["cpu_s"] for t in runs["typst"])
        / min(d["cpu_s"] for d in runs["docgen"]),
    }


def report(v: dict) -> None:
    n = v["n"]
    print(
        f"(t) docgen batch（PDF，--jobs 2，{v['installed']}）与 Typst（Compiler 复用，2 进程），各 {n} 份，交替 {v['rounds']} 轮："
    )
    for who in ("typst", "docgen"):
        for k, r in enumerate(v[who]):  # type: ignore[index]
            print(
                f"    {who:6} 第{k + 1}轮 {r['docs_per_s']:6.1f} 份/秒，{r['seconds']:.2f} 秒，"
                f"CPU 每份 {r['cpu_s'] / n * 1000:.2f} ms，开始时负载 {r['load_before']:.2f}"
            )
    best = max(v["docgen"], key=lambda x: x["docs_per_s"])  # type: ignore[arg-type]
    largest = max(r["peak_process_mb"] for r in v["docgen"])  # type: ignore[union-attr]
    tree = max(r["peak_tree_mb"] for r in v["docgen"])  # type: ignore[union-attr]
    print(
        f"    docgen 内存：单个进程最多 {largest:.0f} MB（上限 150 MB），进程树合计最多 {tree:.0f} MB"
    )
    if best.get("timing"):
        print("    docgen（最快一轮）" + best["timing"].replace("\n", "\n    "))
    rr = "、".join(f"{x:.2f}" for x in v["round_ratios"])  # type: ignore[union-attr]
    print(
        f"    docgen / Typst = {v['ratio']:.2f} 倍（各取最快；逐轮 {rr}）；"
        f"CPU 时间之比 Typst / docgen = {v['cpu_ratio']:.2f}"
    )
    print(f"目标 ≥{TARGET} 倍于 Typst：{'达到' if v['ratio'] >= TARGET else '未达到'}")
