#!/usr/bin/env python3
"""Reference outputs for speed work: a change that only makes docgen faster leaves them equal.

    python tools/golden.py make  DIR     # render the set into DIR
    python tools/golden.py check DIR     # render again into a temporary folder and compare

The set: every sample (PDF and .docx), the sample meeting's batch, and the 督办
通报 over a ledger of 400 notices (a table of 100+ pages) with a feedback file
recorded. PDFs are written with reportlab's invariant mode (RL_invariant=1: no
dates, a fixed document ID), so equal means byte-equal; a .docx is compared
part by part (the zip's own timestamps are not content).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "tools"))


def _run(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "docgen", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"docgen {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def make(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ, RL_invariant="1", PYTHONPATH=str(ROOT), DOCGEN_DATA_DIR=str(out / "data")
    )
    for sample in sorted(SAMPLES.glob("*.yaml")):
        if sample.name in ("member-units.yaml", "meeting-2025-1.yaml"):
            continue
        _run("render", str(sample), "-o", str(out / "samples"), "--format", "pdf,docx", env=env)
    reg = out / "batch.sqlite3"
    _run(
        "batch", "--meeting", str(SAMPLES / "meeting-2025-1.yaml"), "-o", str(out / "batch"),
        "--registry", str(reg), "--new-registry", "--jobs", "1", "--quiet", env=env,
    )  # fmt: skip
    import bench  # the benchmark's ledger writer: 400 notices over three meetings

    ledger = out / "ledger.sqlite3"
    bench.write_ledger(ledger, 400)
    _run(
        "supervise", "report", "--registry", str(ledger), "--as-of", "2025-10-08",
        "-o", str(out / "report" / "通报.pdf"), "--format", "pdf,docx", env=env,
    )  # fmt: skip
    for f in (out / "data", ledger, reg):
        if f.is_dir():
            shutil.rmtree(f)
        else:
            f.unlink(missing_ok=True)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    if path.suffix == ".xlsx":
        # the ledger records each file's SHA-256, and a .docx zip carries its write time
        parts = {n: re.sub(rb">[0-9a-f]{64}<", b">HASH<", v) for n, v in parts.items()}
    return parts


def compare(ref: Path, new: Path) -> list[str]:
    problems = []
    ref_files = {p.relative_to(ref) for p in ref.rglob("*") if p.is_file()}
    new_files = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    for missing in sorted(ref_files - new_files):
        problems.append(f"missing: {missing}")
    for extra in sorted(new_files - ref_files):
        problems.append(f"new file: {extra}")
    for rel in sorted(ref_files & new_files):
        a, b = ref / rel, new / rel
        if rel.suffix in (".docx", ".zip", ".xlsx"):
            pa, pb = _parts(a), _parts(b)
            # docProps/core.xml carries the time the file was written
            names = sorted((set(pa) | set(pb)) - {"docProps/core.xml"})
            diff = [n for n in names if pa.get(n) != pb.get(n)]
            if diff:
                problems.append(f"differs: {rel} parts {', '.join(diff[:5])}")
        elif rel.suffix == ".csv" and rel.name.startswith("manifest"):
            continue  # the manifest records wall times
        elif a.read_bytes() != b.read_bytes():
            problems.append(f"differs: {rel}")
    return problems


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "check"):
        print(__doc__)
        return 2
    target = Path(sys.argv[2])
    if sys.argv[1] == "make":
        make(target)
        print(f"reference outputs in {target}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        make(Path(tmp))
        problems = compare(target, Path(tmp))
    for p in problems:
        print(p)
    print("equal" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
