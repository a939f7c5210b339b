"""Resuming a batch: what an earlier run wrote (its manifest's hashes) and what each job says."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from docgen import naming
from docgen.batch.jobs import Job


def _previous_hashes(outdir: Path) -> dict[str, str]:
    """file name → SHA-256 from an earlier run's manifest (empty if none)."""
    path = outdir / naming.MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["文件名"]: r["SHA-256"] for r in csv.DictReader(fh) if r.get("文件名")}


def _previous_contents(outdir: Path) -> dict[str, str]:
    """file name → content hash from an earlier run's manifest (empty if none or older)."""
    path = outdir / naming.MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["文件名"]: r.get("内容哈希") or "" for r in csv.DictReader(fh) if r.get("文件名")}


def content_hash(job: Job) -> str:
    """What a document says, without its number: equal hashes, equal documents."""
    # pydantic's own JSON (in Rust, field order fixed by the model): cheap at a thousand notices.
    data = job.doc.model_dump_json(exclude={"number"})
    return hashlib.sha256(f"{job.kind}|{job.unit}|{data}".encode()).hexdigest()[:32]
