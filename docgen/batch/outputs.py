"""The output folder's policy: what a run refuses to overwrite, names that will not fit."""

from __future__ import annotations

import os
from pathlib import Path

from docgen import naming
from docgen.batch.jobs import BatchOptions, BatchRefused
from docgen.batch.plan import BatchPlan
from docgen.problems import InputError
from docgen.registry import (
    format_number,
)


def _precheck(plan: BatchPlan, opts: BatchOptions) -> None:
    """What would fail after the numbers are taken, found before: the template, the output
    folder, and the file names (bytes per name, and one file per document)."""
    from docgen import outputs

    if opts.template is not None:
        if not opts.template.is_file():
            raise BatchRefused(f"找不到 Word 模板 {opts.template}", remedy="template")
        from docgen.render.docx import check_template

        formats = dict.fromkeys(j.doc.format for j in plan.jobs)
        problems = [p for fmt in formats for p in check_template(opts.template, fmt)]
        if problems:
            raise InputError(problems)
    problem = outputs.folder_problem(opts.outdir)
    if problem:
        raise outputs.refusal(problem)  # the one output policy: one line, exit 1
    # The real numbers are not known yet: stand-ins as long as any this year will be.
    stems: dict[str, str] = {}
    for i, job in enumerate(plan.jobs):
        stem = job.stem
        if job.kind == "supervision":
            number = format_number(plan.code, plan.year, 10_000 + i)
            stem = naming.notice_stem(number, job.unit, ascii_names=opts.ascii_names)
        for name in (f"{stem}.{fmt}" for fmt in opts.formats):
            too_long = naming.name_problem(name)
            if too_long:
                raise BatchRefused(f"{too_long}；请缩短代字或单位名称", remedy="code")
            if name in stems:
                raise BatchRefused(
                    f"两份文件会同名（{name}），后一份会覆盖前一份：代字或单位名称过长，"
                    "文件名截断后相同；请缩短代字",
                    remedy="code",
                )
            stems[name] = job.key


def _refuse_existing(outdir: Path, plan: BatchPlan, opts: BatchOptions) -> None:
    from docgen import outputs

    if not os.path.lexists(outdir):  # os.path: a name too long to look up is not an error here
        return
    if not os.path.isdir(outdir):
        raise outputs.refusal(f"输出位置 {outdir} 已存在且不是文件夹")
    ours = {
        naming.MANIFEST,
        naming.ledger_name(opts.ascii_names),
        naming.zip_name(opts.ascii_names),
    }
    ours |= {n for j in plan.jobs if j.kind == "minutes" for n in j.names(opts.formats).values()}
    prefix = "duban-" if opts.ascii_names else "督办单-"
    found = sorted(p.name for p in outdir.iterdir() if p.name in ours or p.name.startswith(prefix))
    if found:
        shown = "、".join(found[:5]) + (f" 等 {len(found)} 个文件" if len(found) > 5 else "")
        raise BatchRefused(
            f"输出文件夹 {outdir} 中已有上次生成的文件（{shown}）；"
            "可继续上次的批次（沿用已发文号，跳过已完成的文件），"
            "或换一个输出文件夹",
            remedy="resume",
        )


def _check_names(plan: BatchPlan, opts: BatchOptions, stand_in: str | None = None) -> None:
    """Every file name valid on Windows and every path within the limit, or refuse.

    Run before numbers are taken with a stand-in number as wide as any real
    one (a too-deep output folder then costs no number), and after.
    """
    try:
        names = []
        for job in plan.jobs:
            stem = job.stem
            if stand_in is not None and job.kind == "supervision":
                stem = naming.notice_stem(stand_in, job.unit, ascii_names=opts.ascii_names)
            names += [f"{stem}.{fmt}" for fmt in opts.formats]
        names += [naming.MANIFEST, naming.ledger_name(opts.ascii_names)]
        naming.check_paths(opts.outdir, names)
    except naming.UnsafeName as exc:
        from docgen import outputs

        raise outputs.refusal(str(exc)) from exc
