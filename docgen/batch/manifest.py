"""manifest.csv: every file of a batch with its size and SHA-256, from what is on disk."""

from __future__ import annotations

import csv
import io

from docgen.batch.jobs import Job, JobResult
from docgen.cells import csv_row
from docgen.models.meeting import AgreedItem

MANIFEST_COLUMNS = (
    "类别",
    "编号",
    "承办单位",
    "议定事项序号",
    "格式",
    "文件名",
    "字节数",
    "SHA-256",
    "内容哈希",  # of the item content the file was rendered from (--resume re-renders on change)
)


def _seqs(items: list[AgreedItem]) -> str:
    return "、".join(str(i.seq) for i in items)


def manifest_bytes(jobs: list[Job], results: dict[str, JobResult]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(csv_row(MANIFEST_COLUMNS))
    for job in jobs:
        res = results[job.key]
        label = "纪要" if job.kind == "minutes" else "督办单"
        number = job.issued.number if job.issued else ""
        for fmt, f in sorted(res.files.items(), key=lambda kv: kv[0] != "pdf"):
            w.writerow(
                csv_row(
                    [
                        label,
                        number,
                        job.unit,
                        _seqs(job.items),
                        fmt,
                        f.name,
                        f.size,
                        f.sha256,
                        job.content,
                    ]
                )
            )
    # UTF-8 with BOM: Excel on Chinese Windows opens it as UTF-8 only with the BOM.
    return buf.getvalue().encode("utf-8-sig")
