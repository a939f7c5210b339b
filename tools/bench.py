#!/usr/bin/env python3
"""docgen benchmark: single documents, the supervision batch, and the office route.

    python tools/bench.py                 # everything, N = 1000
    python tools/bench.py --n 200         # a smaller batch
    python tools/bench.py --skip-office   # without the (slow) LibreOffice route
    python tools/bench.py --only batch    # one part: single, batch, office, docx, import, spawn, web
    python tools/bench.py --profile 100   # cProfile one in-process batch of 100 (jobs=1)
    python tools/bench.py --only typst --typst-fonts DIR --wheel   # the batch beside Typst

Parts:
  (a) cold `docgen render samples/letter-gaoping-18.yaml` (a fresh interpreter,
      as a user runs it) and warm pages per second in one process; and what the
      核稿 text checks add to rendering it (CPU ms; target < 20 ms);
  (b) `docgen batch` of N supervision notices, PDF + .docx, all cores: pairs a
      second end to end (interpreter start, checks, numbering, font cutting,
      rendering, manifest and ledger), with peak memory of the process tree;
  (c) the office way without docgen: docxtpl filling one template N times, then
      LibreOffice converting them to PDF, one call per <= 200 files (one call
      silently stops after ~246 files), every output checked; and the ratio;
  (d) `docgen batch --format docx`: .docx only;
  (e) `docgen render DRAFT.docx`: a 20-page Word draft (old letterhead, space
      indents, manual breaks, half-width punctuation, an attachment with a
      table) imported and rendered, PDF and PDF + Word, in a fresh interpreter.
  (f) the batch of (b) with the worker pool started by spawn (Windows' only
      way) against fork, alternated, best of --rounds each: spawn must keep
      at least 80 % of fork's pairs a second;
  (g) the 督办 ledger: `supervise list` (and --json) and `supervise report`
      over a ledger of --ledger-n notices (10,000), and `supervise remind`
      for --n overdue items (PDF + .docx pairs a second, CPU time per pair).
  (t) `docgen batch --format pdf --jobs 2` beside Typst (the `typst` package,
      compiler reused, 2 processes) over the same --n notices, alternated,
      best of --rounds each, and the ratio (tools/bench_typst.py);
  (w) the web workbench's page preview over HTTP, 20 at once, and the
      server's memory over --n previews (tools/bench_web.py).

Memory: the process tree's summed RSS is sampled every 20 ms from /proc
(Linux); resource.getrusage(RUSAGE_CHILDREN) gives the largest single
process, reported alongside.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import resource
except ImportError:  # pragma: no cover - Windows: no getrusage, no /proc
    sys.exit("tools/bench.py 需要 Linux 或 macOS：CPU 时间与进程树内存读自 getrusage 和 /proc")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT))

MATTERS = [
    "组织开展打击文物犯罪专项行动，严厉打击盗掘古文化遗址古墓葬、盗窃古建筑构件和倒卖文物等违法犯罪活动",
    "将文物保护单位的保护范围和建设控制地带纳入国土空间规划“一张图”，在土地利用审批中落实文物保护要求",
    "对全市文物建筑、博物馆开展消防安全专项检查，建立隐患清单，逐项督促整改到位",
    "统筹各级财政资金，落实年度文物保护经费，加强经费使用的监督管理",
    "开展文物保护单位和博物馆周边环境专项整治，清理乱搭乱建、乱堆乱放和违规广告",
    "将历史文化遗产知识及保护教育纳入教学计划，组织中小学生参观历史文化遗产展览",
    "指导和督促宗教活动场所内的文物单位落实安全管理责任，开展文物安全监督检查",
    "对涉及烈士纪念设施的文物保护单位开展安全巡查，完善日常安全管理制度",
]
REQUIREMENTS = [
    "每月25日前报送进展情况",
    "按期办结并书面反馈办理情况",
    "报送检查情况和整改清单",
    "",
]


# --- helpers -----------------------------------------------------------------------


def docgen_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "docgen.cli", *args]


class TreeMemory:
    """Peak summed RSS of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self.peak_one_kb = 0  # the largest single process (issue 24: <= 150 MB each)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _children(self) -> dict[int, list[int]]:
        tree: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                tree.setdefault(ppid, []).append(int(entry))
        return tree

    def _rss_kb(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self._stop.is_set():
            tree, total, todo = self._children(), 0, [self.pid]
            while todo:
                pid = todo.pop()
                rss = self._rss_kb(pid)
                total += rss
                self.peak_one_kb = max(self.peak_one_kb, rss)
                todo += tree.get(pid, [])
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(0.02)


def run_measured(
    cmd: list[str], **kw: object
) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    elapsed, mem, done = run_with_memory(cmd, **kw)
    return elapsed, mem.peak_kb, done


def run_with_memory(
    cmd: list[str], **kw: object
) -> tuple[float, TreeMemory, subprocess.CompletedProcess[str]]:
    """run_measured, with the whole TreeMemory (its largest single process too)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)  # type: ignore[call-overload]
    with TreeMemory(proc.pid) as mem:
        out, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise SystemExit(f"命令失败（{proc.returncode}）：{' '.join(cmd)}\n{err[-3000:]}")
    return elapsed, mem, done


def write_batch_input(folder: Path, n: int, seed: int = 7) -> Path:
    """A meeting YAML and an items table of n rows, one lead unit each (n notices)."""
    import yaml

    rnd = random.Random(seed)
    units = [
        u["name"]
        for u in yaml.safe_load((SAMPLES / "member-units.yaml").read_text("utf-8"))["units"]
    ]
    shutil.copy(SAMPLES / "member-units.yaml", folder / "member-units.yaml")
    start = dt.date(2025, 8, 1)
    with (folder / "items.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "议定事项", "牵头单位", "配合单位", "完成时限", "督办要求"])
        for i in range(1, n + 1):
            lead = units[i % len(units)]
            support = rnd.sample([u for u in units if u != lead], rnd.randint(0, 3))
            deadline = start + dt.timedelta(days=rnd.randint(10, 150))
            matter = f"{MATTERS[i % len(MATTERS)]}（第{i}项）"
            w.writerow(
                [i, matter, lead, "、".join(support), deadline.isoformat(), REQUIREMENTS[i % 4]]
            )
    meeting = yaml.safe_load((SAMPLES / "meeting-2025-1.yaml").read_text("utf-8"))
    meeting["items_file"] = "items.csv"
    (folder / "meeting.yaml").write_text(yaml.safe_dump(meeting, allow_unicode=True), "utf-8")
    return folder / "meeting.yaml"


# --- (a) single documents ----------------------------------------------------------


def bench_single(tmp: Path, warm_runs: int) -> dict[str, float]:
    out = tmp / "single"
    out.mkdir()
    src = SAMPLES / "letter-gaoping-18.yaml"
    cold = []
    for i in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            docgen_cmd("render", str(src), "-o", str(out / f"c{i}.pdf")),
            check=True,
            capture_output=True,
        )
        cold.append(time.perf_counter() - t0)

    from docgen.context import resolve_context
    from docgen.pipeline import load_checked, render_document

    ctx = resolve_context()
    profile, fonts = ctx.profile, ctx.fonts
    doc, _ = load_checked(src)
    render_document(
        doc, ("pdf",), profile, fonts, base_dir=src.parent
    )  # first one pays the imports
    pages, t0 = 0, time.perf_counter()
    for _ in range(warm_runs):
        doc, _ = load_checked(src)
        pages += render_document(doc, ("pdf",), profile, fonts, base_dir=src.parent).pages
    warm = time.perf_counter() - t0
    return {
        "cold_s_min": min(cold),
        "cold_s_median": sorted(cold)[1],
        "warm_pages_per_s": pages / warm,
        "pages_per_doc": pages / warm_runs,
        **bench_proofread(src, warm_runs),
    }


_PROOF_SCRIPT = """
import sys, time
from pathlib import Path
from docgen.context import resolve_context
from docgen.pipeline import load_checked, render_document
src = Path(sys.argv[1])
ctx = resolve_context()
profile, fonts = ctx.profile, ctx.fonts
doc, _ = load_checked(src)
render_document(doc, ("pdf",), profile, fonts, base_dir=src.parent)
t0 = time.process_time()
from docgen.proof import load_units, proofread
from docgen.proof.traditional import _simplified
proofread(doc, file=str(src), units=load_units(src))
first = time.process_time() - t0
warm = []
for _ in range(int(sys.argv[2])):
    _simplified.cache_clear()  # a new document: nothing of this one remembered
    t0 = time.process_time()
    proofread(doc, file=str(src), units=load_units(src))
    warm.append(time.process_time() - t0)
print(first * 1000, sorted(warm)[len(warm) // 2] * 1000)
"""


def bench_proofread(src: Path, runs: int) -> dict[str, float]:
    """What the 核稿 checks add to rendering the sample 函 (target: < 20 ms), in CPU time.

    In a fresh interpreter that has rendered the 函 once (as `docgen render`
    does, the checks run before layout and share its imports and segmenter):
    ``checks_first_ms`` is the first run, importing docgen.proof and OpenCC
    and reading the member list; ``checks_ms`` the median of later runs on a
    new document. CPU time, the best of three processes: 7 engineers share
    2 cores, and wall time there measures the neighbours.
    """
    # Bytecode as an installed package has it (pip compiles it): a private
    # cache, filled by a first run, whatever PYTHONDONTWRITEBYTECODE says.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": tempfile.mkdtemp(prefix="docgen-pyc-")}
    results = []
    for _ in range(4):
        proc = subprocess.run(
            [sys.executable, "-c", _PROOF_SCRIPT, str(src), str(max(runs, 5))],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        results.append(tuple(float(v) for v in proc.stdout.split()))
    shutil.rmtree(env["PYTHONPYCACHEPREFIX"], ignore_errors=True)
    results = results[1:]  # the first run wrote the bytecode
    return {
        "checks_first_ms": min(r[0] for r in results),
        "checks_ms": min(r[1] for r in results),
    }


# --- (e) a Word draft imported and rendered -----------------------------------------


def write_draft(path: Path, pages: int = 20) -> None:
    """A 函 typed in Word on an old letterhead, long enough to fill ``pages`` pages."""
    import yaml
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    sample = yaml.safe_load((SAMPLES / "letter-gaoping-18.yaml").read_text("utf-8"))
    paras = [p for p in sample["attachments"][0]["body"].splitlines() if p.strip()]
    doc = Document()
    for text, align in (
        ("高平市人民政府办公室", WD_ALIGN_PARAGRAPH.CENTER),
        ("高政办函[2025]18号", WD_ALIGN_PARAGRAPH.RIGHT),
        (
            "高平市人民政府办公室关于同意建立高平市文物保护工作联席会议制度的函",
            WD_ALIGN_PARAGRAPH.CENTER,
        ),
    ):
        doc.add_paragraph(text).alignment = align
    doc.add_paragraph("市文物保护中心:")
    chars, k = 0, 0
    while chars < pages * 22 * 28 * 1.35:
        text = paras[k % len(paras)].replace("，", ",", 2)  # half-width, as typed
        p = doc.add_paragraph("    " + text[: len(text) // 2])
        p.runs[0].add_break()  # Shift+Enter in the middle
        p.add_run(text[len(text) // 2 :])
        chars += len(text) + 28
        k += 1
    doc.add_paragraph("附件:高平市文物保护项目清单")
    doc.add_paragraph(" " * 36 + "高平市人民政府办公室").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("2025年7月7日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("(此件公开发布)")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("附件")
    doc.add_paragraph("高平市文物保护项目清单").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=21, cols=4)
    for r in range(21):
        for c, text in enumerate(
            ("序号", "项目", "资金（万元）", "备注")
            if r == 0
            else (str(r), f"文物保护项目{r}", str(10 * r), "")
        ):
            table.cell(r, c).text = text
    doc.save(path)


def bench_import(tmp: Path) -> dict[str, float]:
    draft = tmp / "draft-20.docx"
    write_draft(draft)
    out: dict[str, float] = {}
    for tag, fmt in (("pdf", "pdf"), ("pdf_docx", "pdf,docx")):
        runs, cpu, pages = [], [], 0
        for i in range(3):
            t0 = time.perf_counter()
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(
                docgen_cmd(
                    "render", str(draft), "-o", str(tmp / f"d{tag}{i}.pdf"), "--format", fmt
                ),
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(time.perf_counter() - t0)
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime)
            pages = int(proc.stdout.rsplit("，", 1)[1].split(" 页")[0])
        out[f"{tag}_s_min"] = min(runs)
        out[f"{tag}_s_median"] = sorted(runs)[1]
        out[f"{tag}_cpu_s_median"] = sorted(cpu)[
            1
        ]  # what the run costs, whatever else the machine does
        out["pages"] = pages
    return out


# --- (b)/(d) the docgen batch ------------------------------------------------------


def bench_batch(
    tmp: Path, n: int, formats: str, jobs: int | None, tag: str, start: str | None = None
) -> dict[str, float]:
    """``start``: the worker pool's start method (DOCGEN_MP_START); None: docgen's default."""
    folder = tmp / f"batch-{tag}"
    folder.mkdir()
    meeting = write_batch_input(folder, n)
    cmd = docgen_cmd(
        "batch",
        "--meeting",
        str(meeting),
        "-o",
        str(folder / "out"),
        "--registry",
        str(folder / "reg.sqlite3"),
        "--new-registry",
        "--format",
        formats,
        "--no-minutes",
        "--quiet",
        "--timing",
    )
    if jobs:
        cmd += ["--jobs", str(jobs)]
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage0.ru_maxrss
    load = os.getloadavg()[0]  # other work on the machine skews a 2-core measurement: say so
    env = dict(os.environ, DOCGEN_MP_START=start) if start else None
    elapsed, peak_tree_kb, done = run_measured(cmd, env=env)
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    largest_kb = usage1.ru_maxrss
    # CPU time of the whole tree does not depend on what else runs on the machine.
    cpu = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    files = [p for p in (folder / "out").iterdir() if p.suffix in (".pdf", ".docx")]
    expected = n * len(formats.split(","))
    if len(files) != expected:
        raise SystemExit(f"批量输出不全：应有 {expected} 个文件，实有 {len(files)} 个")
    size = sum(p.stat().st_size for p in files)
    return {
        "n": n,
        "load_before": load,
        "cpu_s": cpu,
        "cpu_ms_per_doc": cpu / n * 1000,
        "seconds": elapsed,
        "docs_per_s": n / elapsed,
        "peak_rss_tree_mb": peak_tree_kb / 1024,
        "peak_rss_largest_process_mb": max(largest_kb, before) / 1024,
        "avg_file_kb": size / len(files) / 1024,
        "report": done.stdout.strip().splitlines()[0] if done.stdout.strip() else "",
        "stages": next((x for x in done.stderr.splitlines() if x.startswith("各阶段用时")), ""),
    }


# --- (f) spawn against fork ---------------------------------------------------------


def bench_start_methods(tmp: Path, n: int, jobs: int | None, rounds: int) -> dict[str, float]:
    """The batch under spawn (Windows' only start method) against fork, alternated.

    Best of ``rounds`` each: on a shared 2-core machine the slowest runs
    measure the neighbours, not docgen.
    """
    best: dict[str, dict[str, float]] = {}
    for r in range(rounds):
        for start in ("fork", "spawn"):
            b = bench_batch(tmp, n, "pdf,docx", jobs, f"{start}-{r}", start)
            if start not in best or b["docs_per_s"] > best[start]["docs_per_s"]:
                best[start] = b
    fork, spawn = best["fork"], best["spawn"]
    return {
        "n": n,
        "fork_pairs_per_s": fork["docs_per_s"],
        "spawn_pairs_per_s": spawn["docs_per_s"],
        "fork_cpu_ms_per_pair": fork["cpu_ms_per_doc"],
        "spawn_cpu_ms_per_pair": spawn["cpu_ms_per_doc"],
        "ratio": spawn["docs_per_s"] / fork["docs_per_s"],
        "cpu_ratio": fork["cpu_ms_per_doc"] / spawn["cpu_ms_per_doc"],
    }


# --- (g) the 督办 ledger: list, report, remind -------------------------------------


def write_ledger(path: Path, n: int, *, seed: int = 11, overdue_only: bool = False) -> None:
    """A ledger of n notices over three meetings, half with feedback, a sixth closed.

    Written through the ledger's own functions (numbers, notices, feedback),
    without rendering: what is measured is what reads it.
    """
    import yaml

    from docgen.ledger.store import Entry, Ledger, NoticeRecord
    from docgen.registry import Request

    rnd = random.Random(seed)
    units = [
        u["name"]
        for u in yaml.safe_load((SAMPLES / "member-units.yaml").read_text("utf-8"))["units"]
    ]
    start = dt.date(2025, 8, 1)
    with Ledger(path, create=True) as led:
        reqs = [
            Request("supervision", unit=units[i % len(units)], date="2025-07-22", item_key=f"b|{i}")
            for i in range(n)
        ]

        def then(db: object, issued: list) -> None:
            led.record_notices(
                db,  # type: ignore[arg-type]
                [
                    NoticeRecord(
                        iss,
                        f"高平市文物保护工作联席会议第{i % 3 + 1}次全体会议",
                        f"第{i % 3 + 1}期",
                        str(i // 3 + 1),
                        iss.unit,
                        f"{MATTERS[i % len(MATTERS)]}（第{i + 1}项）",
                        "市文物保护中心",
                        REQUIREMENTS[i % 4],
                        start + dt.timedelta(days=rnd.randint(0 if overdue_only else 10, 150)),
                        dt.date(2025, 7, 22),
                        "高平市文物保护工作联席会议办公室",
                        "常丽萍",
                        "0356-5221180",
                    )
                    for i, iss in enumerate(issued)
                ],
            )

        issued = led.registry.allocate("高文联办督", 2025, reqs, then=then)
        if not overdue_only:
            entries = [
                Entry(iss.number, "已完成排查，正在逐项整改", dt.date(2025, 9, 1), k % 6 == 0)
                for k, iss in enumerate(issued)
                if k % 2 == 0
            ]
            led.record_feedback(entries, source="table", file="bench.csv", digest="bench")


def bench_supervise(tmp: Path, n_ledger: int, n_remind: int) -> dict[str, float]:
    folder = tmp / "supervise"
    folder.mkdir()
    big = folder / "big.sqlite3"
    write_ledger(big, n_ledger)
    as_of = "2025-10-08"
    out: dict[str, float] = {"n_ledger": n_ledger, "n_remind": n_remind}

    def timed(cmd: list[str]) -> tuple[float, float]:
        """(wall seconds, CPU seconds of the process tree): the CPU time does not count the
        neighbours on a shared machine, the wall time does."""
        u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t, _, _ = run_measured(cmd)
        u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        return t, (u1.ru_utime + u1.ru_stime) - (u0.ru_utime + u0.ru_stime)

    for tag, extra in (("list", []), ("list_json", ["--json"])):
        runs = [
            timed(docgen_cmd("supervise", "list", "--registry", str(big), "--as-of", as_of, *extra))
            for _ in range(3)
        ]
        out[f"{tag}_s"] = min(r[0] for r in runs)
        out[f"{tag}_cpu_s"] = min(r[1] for r in runs)
    report = folder / "report.pdf"
    if "report" in _supervise_commands():
        runs = [
            timed(
                docgen_cmd(
                    "supervise",
                    "report",
                    "--registry",
                    str(big),
                    "--as-of",
                    as_of,
                    "-o",
                    str(folder / f"r{i}" / report.name),
                    "--format",
                    "pdf,docx",
                )
            )  # fmt: skip
            for i in range(3)
        ]
        out["report_s"] = min(r[0] for r in runs)
        out["report_cpu_s"] = min(r[1] for r in runs)
    small = folder / "overdue.sqlite3"
    write_ledger(small, n_remind, overdue_only=True)
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t, peak, _ = run_measured(
        docgen_cmd("supervise", "remind", "--registry", str(small), "--as-of", "2026-03-01",
                   "--code", "高文联办催", "-o", str(folder / "remind"))
    )  # fmt: skip
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    made = len(list((folder / "remind").glob("*.pdf")))
    if made != n_remind:
        raise SystemExit(f"催办单不全：应有 {n_remind} 份，实有 {made} 份")
    out.update(
        remind_s=t,
        remind_pairs_per_s=n_remind / t,
        remind_cpu_ms_per_pair=cpu / n_remind * 1000,
        remind_peak_mb=peak / 1024,
    )
    return out


def _supervise_commands() -> set[str]:
    done = subprocess.run(docgen_cmd("supervise", "--help"), capture_output=True, text=True)
    return {c for c in ("list", "report", "remind") if c in done.stdout}


# --- (c) the office route ----------------------------------------------------------


def build_office_template(path: Path) -> None:
    """A plain Word form of the notice with Jinja placeholders, as an office would make it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    d = Document()
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("{{ office }}")
    r.font.size, r.font.color.rgb, r.font.name = Pt(26), RGBColor(0xFF, 0, 0), "方正小标宋简体"
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("议定事项督办单")
    r.font.size = Pt(22)
    d.add_paragraph("{{ number }}\t\t\t{{ date }}")
    rows = [
        ("督办事项来源", "{{ source }}"),
        ("承办单位", "{{ unit }}"),
        ("督办事项", "{{ matter }}"),
        ("配合单位", "{{ support }}"),
        ("完成时限", "{{ deadline }}"),
        ("督办要求", "{{ requirement }}"),
        ("联系人及电话", "{{ contact }}　{{ phone }}"),
        ("办理情况", ""),
        ("签收人及日期", "签收人：　　　　签收日期：　　年　月　日"),
    ]
    t = d.add_table(rows=len(rows), cols=2)
    t.style = "Table Grid"
    for (label, value), row in zip(rows, t.rows):
        row.cells[0].text, row.cells[1].text = label, value
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size, run.font.name = Pt(16), "仿宋_GB2312"
    d.add_paragraph("{{ office }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("{{ date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(path)


def bench_office(tmp: Path, n: int, chunk: int = 200) -> dict[str, float]:
    from docxtpl import DocxTemplate

    folder = tmp / "office"
    docx_dir, pdf_dir = folder / "docx", folder / "pdf"
    docx_dir.mkdir(parents=True)
    pdf_dir.mkdir()
    meeting = write_batch_input(folder, n)
    template = folder / "template.docx"
    build_office_template(template)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("没有 LibreOffice（soffice），无法测办公室做法；用 --skip-office 跳过")
    t0 = time.perf_counter()
    with (meeting.parent / "items.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    names = []
    for i, row in enumerate(rows, 1):
        tpl = DocxTemplate(str(template))  # one template, loaded per document as a script does
        tpl.render(
            {
                "office": "高平市文物保护工作联席会议办公室",
                "number": f"高文联办督〔2025〕{i}号",
                "date": "2025年7月22日",
                "source": f"高平市文物保护工作联席会议第一次全体会议纪要（第1期）第{row['序号']}项",
                "unit": row["牵头单位"],
                "matter": row["议定事项"],
                "support": row["配合单位"] or "无",
                "deadline": row["完成时限"],
                "requirement": row["督办要求"] or "按期办结并书面反馈办理情况",
                "contact": "常丽萍",
                "phone": "0356-5221180",
            }
        )
        name = f"督办单-{i}.docx"
        tpl.save(str(docx_dir / name))
        names.append(name)
    t_docx = time.perf_counter() - t0
    profile_dir = folder / "lo-profile"  # a private profile: no clash with another soffice
    for start in range(0, len(names), chunk):
        part = names[start : start + chunk]
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile_dir}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf_dir),
                *[str(docx_dir / x) for x in part],
            ],
            check=True,
            capture_output=True,
            timeout=3600,
        )
    missing = [x for x in names if not (pdf_dir / x.replace(".docx", ".pdf")).is_file()]
    if missing:
        raise SystemExit(f"LibreOffice 漏转了 {len(missing)} 个文件（如 {missing[0]}）")
    elapsed = time.perf_counter() - t0
    return {
        "n": n,
        "seconds": elapsed,
        "docs_per_s": n / elapsed,
        "docxtpl_s": t_docx,
        "libreoffice_s": elapsed - t_docx,
    }


# --- profiling ---------------------------------------------------------------------


def profile_batch(tmp: Path, n: int, formats: str) -> None:
    import cProfile
    import pstats

    from docgen.batch import BatchOptions, run_batch

    folder = tmp / "profile"
    folder.mkdir()
    meeting = write_batch_input(folder, n)
    opts = BatchOptions(
        meeting=meeting,
        outdir=folder / "out",
        registry=folder / "r.sqlite3",
        new_registry=True,
        formats=tuple(formats.split(",")),
        jobs=1,
        minutes=False,
        progress=False,
    )
    prof = cProfile.Profile()
    prof.enable()
    result = run_batch(opts)
    prof.disable()
    print(f"{n} 份（jobs=1，进程内）：{result.seconds:.2f} 秒，{n / result.seconds:.1f} 份/秒")
    stats = pstats.Stats(prof).sort_stats("cumulative")
    stats.print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


# --- main --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1000, help="督办单份数（默认 1000）")
    ap.add_argument("--office-n", type=int, help="办公室做法的份数（默认同 --n）")
    ap.add_argument("--jobs", type=int, help="batch 的 --jobs（默认 CPU 核数）")
    ap.add_argument("--warm", type=int, default=20, help="单文档热身后的连续渲染次数")
    ap.add_argument(
        "--only",
        choices=(
            "single",
            "batch",
            "office",
            "docx",
            "import",
            "spawn",
            "supervise",
            "web",
            "typst",
        ),
        action="append",
    )
    ap.add_argument("--rounds", type=int, default=2, help="(f) fork/spawn 各跑几轮，取最快")
    ap.add_argument("--ledger-n", type=int, default=10_000, help="(g) 台账中的督办单数")
    ap.add_argument("--skip-office", action="store_true")
    ap.add_argument("--typst-fonts", type=Path, help="(t) Typst 的字体文件夹（默认 $PERF_FONTS）")
    ap.add_argument("--wheel", action="store_true", help="(t) 用本检出构建的 wheel 安装后测 docgen")
    ap.add_argument("--profile", type=int, metavar="N", help="只做性能剖析：进程内批量 N 份")
    ap.add_argument("--format", default="pdf,docx", help="--profile 用的格式")
    ap.add_argument("--json", type=Path, help="把结果另存为 JSON")
    args = ap.parse_args()
    parts = set(
        args.only or ["single", "batch", "office", "docx", "import", "spawn", "supervise", "web"]
    )
    if "spawn" in parts and "fork" not in multiprocessing.get_all_start_methods():
        parts.discard("spawn")  # Windows: spawn is all there is, nothing to compare
    if args.skip_office:
        parts.discard("office")
    results: dict[str, object] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as t:
        tmp = Path(t)
        if args.profile:
            profile_batch(tmp, args.profile, args.format)
            return 0
        if "single" in parts:
            s = bench_single(tmp, args.warm)
            results["single"] = s
            print(
                f"(a) 冷启动 docgen render 函：{s['cold_s_min']:.2f} 秒（3 次中最快；中位 {s['cold_s_median']:.2f} 秒）"
            )
            print(
                f"    热渲染：{s['warm_pages_per_s']:.1f} 页/秒（每份 {s['pages_per_doc']:.0f} 页）"
            )
            print(
                f"    核稿（文字检查）：首次 {s['checks_first_ms']:.1f} 毫秒，之后每次 {s['checks_ms']:.1f} 毫秒"
                "（目标 < 20 毫秒）"
            )
        if "batch" in parts:
            b = bench_batch(tmp, args.n, "pdf,docx", args.jobs, "pair")
            results["batch"] = b
            print(
                f"(b) docgen batch {b['n']} 份督办单（PDF + Word）：{b['seconds']:.1f} 秒，"
                f"{b['docs_per_s']:.1f} 对/秒；进程树峰值内存 {b['peak_rss_tree_mb']:.0f} MB"
                f"（最大单进程 {b['peak_rss_largest_process_mb']:.0f} MB），平均文件 {b['avg_file_kb']:.0f} KB"
            )
            print(f"    {b['stages']}；开始时系统负载 {b['load_before']:.2f}")
            print(
                f"    CPU 时间 {b['cpu_s']:.1f} 秒（每对 {b['cpu_ms_per_doc']:.1f} ms；"
                f"两核全归本批时约 {2000 / b['cpu_ms_per_doc']:.0f} 对/秒）"
            )
        if "office" in parts:
            o = bench_office(tmp, args.office_n or args.n)
            results["office"] = o
            print(
                f"(c) 办公室做法（docxtpl + LibreOffice 每次 ≤200 份）{o['n']} 份：{o['seconds']:.1f} 秒，"
                f"{o['docs_per_s']:.2f} 对/秒（docxtpl {o['docxtpl_s']:.1f} 秒，LibreOffice {o['libreoffice_s']:.1f} 秒）"
            )
            if "batch" in results:
                ratio = results["batch"]["docs_per_s"] / o["docs_per_s"]  # type: ignore[index]
                results["ratio"] = ratio
                print(f"    docgen / 办公室做法 = {ratio:.1f} 倍")
        if "docx" in parts:
            d = bench_batch(tmp, args.n, "docx", args.jobs, "docx")
            results["docx_only"] = d
            print(f"(d) 只出 Word：{d['n']} 份 {d['seconds']:.1f} 秒，{d['docs_per_s']:.1f} 份/秒")
        if "import" in parts:
            m = bench_import(tmp)
            results["import"] = m
            print(
                f"(e) docgen render 草稿.docx（{m['pages']:.0f} 页，导入 + 排版，冷启动）："
                f"PDF {m['pdf_s_min']:.2f} 秒（中位 {m['pdf_s_median']:.2f}），"
                f"PDF + Word {m['pdf_docx_s_min']:.2f} 秒（中位 {m['pdf_docx_s_median']:.2f}）；"
                f"CPU 时间中位 PDF {m['pdf_cpu_s_median']:.2f} 秒、PDF + Word {m['pdf_docx_cpu_s_median']:.2f} 秒；"
                f"目标 <2 秒：{'达到' if m['pdf_docx_s_min'] < 2 else '未达到'}"
            )
        if "spawn" in parts:
            e = bench_start_methods(tmp, args.n, args.jobs, args.rounds)
            results["spawn"] = e
            print(
                f"(f) 启动方式 {e['n']} 份（各 {args.rounds} 轮取最快）：fork {e['fork_pairs_per_s']:.1f} 对/秒，"
                f"spawn {e['spawn_pairs_per_s']:.1f} 对/秒，spawn/fork = {e['ratio']:.0%}"
                f"（CPU 每对 fork {e['fork_cpu_ms_per_pair']:.1f} ms，spawn {e['spawn_cpu_ms_per_pair']:.1f} ms）"
            )
            print(f"目标 spawn ≥80% fork 的速度：{'达到' if e['ratio'] >= 0.8 else '未达到'}")
        if "supervise" in parts:
            v = bench_supervise(tmp, args.ledger_n, args.n)
            results["supervise"] = v
            report = (
                f"，report（PDF + Word）{v['report_s']:.2f} 秒（CPU {v['report_cpu_s']:.2f} 秒）"
                if "report_s" in v
                else ""
            )
            print(
                f"(g) 台账 {v['n_ledger']:.0f} 份（3 次取最快）：supervise list {v['list_s']:.2f} 秒"
                f"（CPU {v['list_cpu_s']:.2f} 秒；--json {v['list_json_s']:.2f} 秒）{report}；"
                f"remind {v['n_remind']:.0f} 份逾期（PDF + Word）{v['remind_s']:.1f} 秒，"
                f"{v['remind_pairs_per_s']:.0f} 对/秒（CPU 每对 {v['remind_cpu_ms_per_pair']:.1f} ms，"
                f"两核全归本次时约 {2000 / v['remind_cpu_ms_per_pair']:.0f} 对/秒；峰值内存 {v['remind_peak_mb']:.0f} MB）"
            )
            ok = v["list_s"] < 2 and v.get("report_s", 0) < 2 and v["remind_pairs_per_s"] >= 100
            print(
                f"    目标 list、report <2 秒，remind ≥100 对/秒：{'达到' if ok else '未全部达到'}"
            )
    if "typst" in parts:  # (t) docgen beside Typst: see tools/bench_typst.py
        import bench_typst

        results["typst"] = bench_typst.run(
            tmp_typst := Path(tempfile.mkdtemp(prefix="docgen-bench-typst-")),
            args.n,
            max(args.rounds, 1),
            args.typst_fonts,
            args.wheel,
        )
        shutil.rmtree(tmp_typst, ignore_errors=True)
        bench_typst.report(results["typst"])  # type: ignore[arg-type]
    if "batch" in results:
        b = results["batch"]
        ok = b["docs_per_s"] >= 100  # type: ignore[index]
        print(
            f"目标 ≥100 对/秒：{'达到' if ok else '未达到'}；峰值内存 <1 GB："
            f"{'达到' if b['peak_rss_tree_mb'] < 1024 else '未达到'}"
        )  # type: ignore[index]
    if "ratio" in results:
        print(f"目标 ≥15 倍于 LibreOffice 做法：{'达到' if results['ratio'] >= 15 else '未达到'}")  # type: ignore[operator]
    if "web" in parts:  # (w) the workbench: see tools/bench_web.py
        import bench_web

        results["web"] = bench_web.run(args.n)
        bench_web.report(results["web"])  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
