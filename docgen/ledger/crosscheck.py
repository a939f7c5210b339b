"""A returned form checked against the notice its number names: matter and source too.

A unit may copy another notice's form and type a new 编号 and 承办单位 into
it; the number and unit then agree with the ledger while the 督办事项 and
its 来源 (or a 催办单's 原督办单) still describe the first notice. Recording
it would close the wrong item, so every row the form prints about the
notice must agree with the ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.problems import Problem, excerpt


@dataclass(frozen=True)
class OnForm:
    """What a returned form prints about its notice (blank for a table or a phone call)."""

    matter: str
    source: str
    row: int | None = None


_NUMBER = re.compile(r"〔\d{4}〕\d+号")
_SEQ = re.compile(r"第(\d+)项")


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def form_mismatch(
    e: OnForm,
    number: str,
    matter: str,
    meeting: str,
    minutes_ref: str,
    item_seqs: str,
    withdrawn: str | None,
    file: str,
) -> list[Problem]:
    """What a returned form says of its notice that the ledger does not (or that it is withdrawn)."""
    out: list[Problem] = []
    if withdrawn:
        out.append(
            Problem(
                f"督办单 {number} 已撤销（{withdrawn}），不再记录反馈；请核对编号",
                field="编号",
                file=file,
                row=e.row,
            )
        )

    def differ(field: str, on_form: str, in_ledger: str) -> None:
        out.append(
            Problem(
                f"表上的{field}“{excerpt(on_form)}”与台账中 {number} 的“{excerpt(in_ledger)}”不一致："
                "这份表可能是另一份督办单改了编号和承办单位；请核对后交回原表",
                field=field,
                file=file,
                row=e.row,
            )
        )

    if e.matter and matter and _bare(e.matter) != _bare(matter):
        differ("督办事项", e.matter, matter)
    source = _bare(e.source)
    if not source:
        return out
    if _NUMBER.search(source):  # a 催办单: 原督办单 is the notice's number and date
        if _bare(number) not in source:
            differ("原督办单", e.source, number)
        return out
    seqs = {s for s in item_seqs.split("、") if s}
    wrong_seqs = seqs and set(_SEQ.findall(source)) != seqs
    wrong_meeting = meeting and _bare(meeting) not in source
    wrong_ref = minutes_ref and _bare(minutes_ref) not in source
    if wrong_seqs or wrong_meeting or wrong_ref:
        said = "、".join(f"第{s}项" for s in sorted(seqs, key=int)) if seqs else ""
        differ("督办事项来源", e.source, f"{meeting}纪要（{minutes_ref}）{said}")
    return out
