#!/usr/bin/env python3
"""What an OFD costs next to the PDF of the same document (issue 22: no more than the PDF).

    python tools/bench_ofd.py                   # every sample
    python tools/bench_ofd.py samples/x.yaml    # some inputs

For each input the page plan is laid out once; then, each in a fresh
interpreter (as `docgen render` runs), the PDF writer and the OFD writer draw
it: CPU time of the first document in the process (cold: imports, font
reading and cutting) and the best of four more (warm, as in a batch).
Bundled fonts only (DOCGEN_NO_SYSTEM_FONTS=1), so numbers compare between machines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
from docgen.decide import decide
from docgen.fonts import resolve_fonts
from docgen.layout import layout_document
from docgen.pipeline import load_checked
from docgen.spec import Profile

fmt, name = sys.argv[1], sys.argv[2]
fonts = resolve_fonts(use_system=False)
doc, _ = load_checked(name, None, fonts)
profile = Profile()
plan = layout_document(doc, profile, fonts, decide(doc, profile, fonts=fonts))


def one():
    if fmt == "pdf":
        from docgen.render.pdf import render_pdf

        return render_pdf(plan, fonts, title=doc.title, author="")
    from docgen.render.ofd import info_of, render_ofd

    return render_ofd(plan, fonts, info_of(doc))


t = time.process_time()
data = one()
cold = time.process_time() - t
warm = []
for _ in range(4):
    t = time.process_time()
    one()
    warm.append(time.process_time() - t)
print(json.dumps({"pages": len(plan.pages), "cold": cold, "warm": min(warm), "bytes": len(data)}))
"""


def measure(fmt: str, src: Path) -> dict[str, float]:
    env = dict(os.environ, DOCGEN_NO_SYSTEM_FONTS="1", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, fmt, str(src)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    inputs = [Path(a) for a in argv] or sorted(
        p for p in (ROOT / "samples").glob("*.yaml") if p.name != "member-units.yaml"
    )
    print(
        f"{'input':34s} {'pages':>5s}  {'PDF cold':>9s} {'OFD cold':>9s}  {'PDF warm':>9s} {'OFD warm':>9s}"
    )
    for src in inputs:
        pdf, ofd = measure("pdf", src), measure("ofd", src)
        print(
            f"{src.stem:34s} {pdf['pages']:5d}  {pdf['cold'] * 1000:7.1f}ms {ofd['cold'] * 1000:7.1f}ms"
            f"  {pdf['warm'] * 1000:7.1f}ms {ofd['warm'] * 1000:7.1f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
