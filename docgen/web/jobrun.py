"""One batch job, run as `python -m docgen.web.jobrun JOB_FOLDER` by the workbench.

Reads job.json (the options `docgen batch` would get), runs `batch.run_batch`
and keeps status.json up to date for the page's progress bar: queued →
running (done/total) → done (the manifest as rows, the zip's name) or failed
(the problems in Chinese). Its own process: a batch's worker pool, its memory
and any crash stay out of the server.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from docgen.fileio import atomic_write
from docgen.web.wording import error_for_clerk


def _write(folder: Path, status: dict[str, Any]) -> None:
    atomic_write(folder / "status.json", json.dumps(status, ensure_ascii=False).encode("utf-8"))


def _problems(problems: list[Any], names: dict[str, str]) -> list[dict[str, Any]]:
    from docgen.web.service import problem_json

    out = []
    for p in problems:
        shown = names.get(p.file, Path(p.file).name if p.file else "")
        out.append(problem_json(type(p)(p.message, p.field, shown, p.row, p.severity)))
    return out


def _said(message: str) -> dict[str, Any]:
    return {"message": message, "severity": "error", "text": f"错误：{message}"}


def _limit_memory(megabytes: int) -> None:
    """The batch's processes each get this much address space at most (POSIX)."""
    try:
        import resource
    except ImportError:
        return
    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def run(folder: Path) -> int:
    from docgen.batch import BatchOptions, BatchRefused, run_batch
    from docgen.problems import InputError

    spec = json.loads((folder / "job.json").read_text("utf-8"))
    if spec.get("memory_mb"):
        _limit_memory(int(spec["memory_mb"]))
    names = {spec["meeting"]: spec["names"]["meeting"], spec["items"]: spec["names"]["items"]}
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] > 0.2:  # a few writes a second at most
            last[0] = now
            _write(folder, {"state": "running", "done": done, "total": total, "pid": pid})

    pid = os.getpid()  # a restarted server asks whether this process still runs the job
    _write(folder, {"state": "running", "done": 0, "total": 0, "pid": pid})
    opts = BatchOptions(
        meeting=Path(spec["meeting"]),
        outdir=Path(spec["outdir"]),
        items=Path(spec["items"]),
        per=spec["per"],
        zip=True,
        registry=Path(spec["registry"]),
        new_registry=True,
        # Always on: a meeting batched before (or a job cut short by a restart) goes on with
        # the numbers its items already have; new items get new ones. Never a second number.
        resume=True,
        jobs=int(spec["jobs"]),
        code=spec["code"],
        contact=spec["contact"],
        phone=spec["phone"],
        date=dt.date.fromisoformat(spec["date"]) if spec["date"] else None,
        progress=False,
        on_progress=progress,
    )
    try:
        result = run_batch(opts)
    except InputError as exc:
        _write(folder, {"state": "failed", "problems": _problems(exc.problems, names)})
        return 1
    except BatchRefused as exc:
        message = error_for_clerk(exc)
        _write(folder, {"state": "failed", "resumable": True, "problems": [_said(message)]})
        return 1
    except Exception as exc:  # reported to the page; the server is another process
        message = f"生成中断（{type(exc).__name__}：{str(exc)[:300]}）；可点“继续生成”"
        _write(folder, {"state": "failed", "resumable": True, "problems": [_said(message)]})
        return 1
    with result.manifest.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    files = [{"name": r["文件名"], "kind": r["类别"], "size": int(r["字节数"])} for r in rows]
    files += [
        {"name": p.name, "kind": label, "size": p.stat().st_size}
        for p, label in ((result.manifest, "清单"), (result.ledger, "台账"))
    ]
    _write(
        folder,
        {
            "state": "done",
            "done": len(result.results),
            "total": len(result.results),
            "manifest": rows,
            "files": files,
            "archive": result.archive.name if result.archive else None,
            "seconds": round(result.seconds, 2),
            "warnings": _problems(result.warnings, names),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
