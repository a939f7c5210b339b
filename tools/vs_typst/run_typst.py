#!/usr/bin/env python3
"""Typst, the peer docgen's batch is compared with: the same notices as PDFs.

    python tools/vs_typst/run_typst.py --fonts DIR --inputs notices.json --out DIR [--procs 2]

(tools/bench_typst.py runs it beside docgen's batch and prints the ratio.)

The `typst` package from PyPI compiles notice.typ beside this script (the speed
harness's markup: red head and rule, title, number and date, a ruled 9-row
table, a 楷体 note) once per notice, its fields passed as JSON in sys.inputs.
One typst.Compiler per process, reused (fonts scanned once, caches kept);
with --procs 2 a spawn pool of two, as the harness runs it. Only the fonts in
DIR (fetch_fonts.sh beside this script: LXGW WenKai, AR PL UMing, WenQuanYi Zen Hei
from Debian) are used.

Timed as the harness times it: from after `import typst` and one warm-up
compile (which checks that every font resolves) to the last PDF written,
including the pool's start. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path
from typing import Any

TYP = Path(__file__).resolve().parent / "notice.typ"
FONT_FILES = ("LXGWWenKai-Bold.ttf", "LXGWWenKai-Regular.ttf", "uming.ttc", "wqy-zenhei.ttc")
_C: dict[str, Any] = {}


def _setup(fonts: str, out: str) -> None:
    import typst

    _C["out"] = Path(out)
    _C["compiler"] = typst.Compiler(
        str(TYP),
        font_paths=typst.Fonts(include_system_fonts=False, font_paths=[fonts]),
        ignore_system_fonts=True,
    )


def _render(notices: list[dict[str, str]]) -> int:
    compiler, out = _C["compiler"], _C["out"]
    for d in notices:
        name = d["number"].replace("〔", "-").replace("〕", "-") + ".pdf"
        compiler.compile(
            output=str(out / name),
            format="pdf",
            sys_inputs={"data": json.dumps(d, ensure_ascii=False)},
        )
    return len(notices)


def missing_fonts(folder: Path) -> list[str]:
    return [f for f in FONT_FILES if not (folder / f).is_file()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fonts", type=Path, required=True)
    ap.add_argument("--inputs", type=Path, required=True, help="JSON list of notices")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=20)
    a = ap.parse_args()
    if missing_fonts(a.fonts):
        sys.exit(
            f"缺少字体 {missing_fonts(a.fonts)}：先运行 sh tools/vs_typst/fetch_fonts.sh {a.fonts}"
        )
    notices = json.loads(a.inputs.read_text("utf-8"))
    a.out.mkdir(parents=True, exist_ok=True)
    import typst

    # One warm-up compile in this process, as the harness does: it checks the fonts.
    probe = typst.Compiler(
        str(TYP),
        font_paths=typst.Fonts(include_system_fonts=False, font_paths=[str(a.fonts)]),
        ignore_system_fonts=True,
    )
    _, warns = probe.compile_with_warnings(
        format="pdf", sys_inputs={"data": json.dumps(notices[0], ensure_ascii=False)}
    )
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if a.procs <= 1:
        _setup(str(a.fonts), str(a.out))
        done = _render(notices)
    else:
        chunks = [notices[i : i + a.chunk] for i in range(0, len(notices), a.chunk)]
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(a.procs, initializer=_setup, initargs=(str(a.fonts), str(a.out))) as pool:
            done = sum(pool.imap_unordered(_render, chunks))
    seconds = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(b.ru_utime + b.ru_stime - (p.ru_utime + p.ru_stime) for p, b in zip(cpu0, cpu1))
    made = len(list(a.out.glob("*.pdf")))
    if done != len(notices) or made != len(notices):
        sys.exit(f"Typst 输出不全：应有 {len(notices)} 份，实有 {made} 份")
    print(
        json.dumps(
            {
                "n": len(notices),
                "procs": a.procs,
                "seconds": seconds,
                "docs_per_s": len(notices) / seconds,
                "cpu_s": cpu,
                "warnings": sorted({w.message for w in warns}),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
