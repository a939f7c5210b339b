"""One list of agreed items → the 纪要 and every 督办单, in parallel, with a ledger.

``jobs`` (options, jobs, results, refusals), ``plan`` (read and check everything,
name every job), ``outputs`` (what a run refuses to overwrite), ``resume`` (what
an earlier run wrote), ``pool`` (the public render pool, which ``supervise
remind`` uses too), ``manifest``, ``notices`` (ledger records and workbook),
``archive`` (the zip), and ``run`` (:func:`run_batch`: the order of a run).
"""

from docgen.batch.jobs import (
    BatchOptions,
    BatchRefused,
    BatchResult,
    FileResult,
    Interrupted,
    Job,
    JobResult,
)
from docgen.batch.plan import BatchPlan, plan_batch
from docgen.batch.pool import PoolOptions, batch_chars, render_all, start_method
from docgen.batch.run import run_batch

__all__ = [
    "BatchOptions",
    "BatchRefused",
    "BatchResult",
    "FileResult",
    "Interrupted",
    "Job",
    "JobResult",
    "BatchPlan",
    "PoolOptions",
    "batch_chars",
    "plan_batch",
    "render_all",
    "run_batch",
    "start_method",
]
