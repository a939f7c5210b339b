"""A batch planned: the meeting, its items and settings read and checked, every job named.

Nothing is written and no number is taken here; an error anywhere refuses the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from docgen import loader, naming, rules
from docgen.batch.jobs import BatchOptions, Job
from docgen.items import SupervisionSettings, attach_items, pop_settings
from docgen.models.meeting import AgreedItem, Minutes, Supervision
from docgen.problems import InputError, Problem, errors, warnings
from docgen.registry import (
    format_number,
)


@dataclass
class BatchPlan:
    minutes: Minutes
    settings: SupervisionSettings
    code: str
    year: int
    date: dt.date
    jobs: list[Job]
    warnings: list[Problem]


def plan_batch(opts: BatchOptions) -> BatchPlan:
    """Everything checked, nothing written; raises InputError listing every error."""
    meeting = opts.meeting
    file = str(meeting)
    raw = loader.read_data(meeting)
    settings = pop_settings(raw, file)
    if raw.get("kind", raw.get("类型")) is None:
        raw["kind"] = "minutes"  # the meeting file of a batch is a 纪要 by definition
    if opts.items is not None:
        # The table on the command line wins over what the YAML names or lists: the
        # model is built naming it, not changed once validated.
        for key in ("items", "议定事项", "items_file", "议定事项文件"):
            raw.pop(key, None)
        raw["items_file"] = str(opts.items.resolve())
    doc, noted = loader.build_noted(raw, file)
    if not isinstance(doc, Minutes):
        raise InputError(
            [
                Problem(
                    "会议文件应为纪要（kind: minutes）",
                    field="kind（类型）",
                    file=file,
                    remedy="meeting",
                )
            ]
        )
    problems = noted + rules.check(doc, file)
    doc, found = attach_items(doc, meeting, settings, skip_invalid=opts.skip_invalid)
    problems += found
    if not doc.items and not errors(problems):
        problems.append(
            Problem(
                "没有可督办的议定事项：请在会议文件中填写 items_file 或 items，或在命令行给出表格",
                field="items（议定事项）",
                file=file,
            )
        )
    code = opts.code or settings.code
    contact = opts.contact or settings.contact
    phone = opts.phone or settings.phone
    for value, key, remedy in (
        (code, "code（代字）", "code"),
        (contact, "contact（联系人）", "contact"),
        (phone, "phone（联系电话）", "phone"),
    ):
        if not value:
            problems.append(
                Problem(
                    "督办单需要此项：请在会议文件的 supervision: 中填写，或在生成时指定",
                    field=f"supervision.{key}",
                    file=file,
                    remedy=remedy,
                )
            )
    if errors(problems):
        raise InputError(errors(problems) + warnings(problems))
    assert code and contact and phone
    date = opts.date or settings.date or doc.date
    minutes_ref = settings.minutes_ref or (str(doc.number) if doc.number else f"第{doc.issue_no}期")
    office = settings.office or doc.compiler

    def notice(unit: str, items: list[AgreedItem], number: str) -> Supervision:
        data: dict[str, Any] = {
            "office": office,
            "number": number,
            "unit": unit,
            "meeting": doc.meeting,
            "minutes_ref": minutes_ref,
            "items": items,
            "contact": contact,
            "phone": phone,
            "date": date,
            "feedback_by": settings.feedback_by,
        }
        if settings.form_title:
            data["form_title"] = settings.form_title
        if settings.seal is not None:
            data["sealed"] = settings.seal
        return Supervision.model_validate(data)

    jobs: list[Job] = []
    if opts.minutes:
        stem = naming.minutes_stem(doc.mark, doc.issue_no, ascii_names=opts.ascii_names)
        jobs.append(Job(key="minutes", kind="minutes", doc=doc, stem=stem, items=list(doc.items)))
    groups: list[tuple[str, str, list[AgreedItem]]] = []
    if opts.per == "unit":
        by_unit: dict[str, list[AgreedItem]] = {}
        for item in doc.items:
            for unit in item.lead:
                by_unit.setdefault(unit, []).append(item)
        groups = [(f"{doc.meeting}|{minutes_ref}|unit|{u}", u, its) for u, its in by_unit.items()]
    else:
        groups = [
            (f"{doc.meeting}|{minutes_ref}|{item.seq}|{unit}", unit, [item])
            for item in doc.items
            for unit in item.lead
        ]
    # Validate every notice now with a stand-in number, so a model error stops the
    # run before any number is taken. The real number replaces it after allocation.
    stand_in = format_number(code, date.year, 1)
    failures: list[Problem] = []
    for key, unit, its in groups:
        try:
            model = notice(unit, its, stand_in)
        except ValidationError as exc:
            failures += [
                Problem(
                    f"督办单无法生成：{p.message}", field=f"督办单（{unit}）.{p.field}", file=file
                )
                for p in loader.translate_errors(exc, Supervision, file)
            ]
            continue
        except ValueError as exc:  # DocNumberError: already Chinese
            failures.append(Problem(f"督办单无法生成：{exc}", field=f"督办单（{unit}）", file=file))
            continue
        jobs.append(Job(key=key, kind="supervision", doc=model, stem="", items=its, unit=unit))
    if failures:
        raise InputError(failures)
    return BatchPlan(doc, settings, code, date.year, date, jobs, warnings(problems))
