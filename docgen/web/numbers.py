"""文号 under /api/numbers: the next number, the issued ones, and taking or reserving one.

A number taken here is the register's (docgen.registry), as a batch takes it:
consecutive per code and year, never given twice. A number taken by mistake is
voided, never deleted: its row stays with the reason, and the next number
goes on after it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from docgen.problems import Problem
from docgen.web.api import _Problems

router = APIRouter(prefix="/api/numbers", tags=["文号"])
VOID = "已作废"

_CODE = re.compile(r"[^\s\x00-\x1f〔〕\[\]()（）/\\]{1,20}")


def _check_code(code: str) -> str:
    code = code.strip()
    if not _CODE.fullmatch(code):
        raise _Problems(
            [Problem("机关代字应为 1–20 个字，不含空格、括号和斜杠，如 高文联办督", field="code")]
        )
    return code


def _year(year: int | None) -> int:
    return year or dt.date.today().year


def issued_json(r: Any, note: str = "") -> dict[str, Any]:
    return {
        "number": r.number,
        "code": r.code,
        "year": r.year,
        "seq": r.seq,
        "kind": r.kind,
        "title": r.title,
        "unit": r.unit,
        "date": r.date,
        "issued_at": r.issued_at,
        "note": note,
    }


@router.get("", summary="下一个文号和已发文号（可按代字、年份、关键词筛选）")
def numbers(
    request: Request,
    code: str | None = Query(None, description="机关代字，如 高文联办督"),
    year: int | None = Query(None, ge=1949, le=2200, description="年份，默认今年"),
    q: str | None = Query(None, max_length=100, description="在文号、标题、单位、说明中查找"),
) -> dict[str, Any]:
    from docgen.registry import Registry, RegistryError, format_number

    try:
        with Registry(request.app.state.config.registry_path, create=True) as reg:
            rows = reg.list(_check_code(code) if code else None, year)
            notes = reg.notes()
            nxt = None
            if code:
                seq = reg.next_seq(code.strip(), _year(year))
                nxt = {"number": format_number(code.strip(), _year(year), seq), "seq": seq}
    except RegistryError as exc:
        raise _Problems([Problem(str(exc))], status=500) from exc
    if q:
        needle = q.strip().lower()
        rows = [
            r
            for r in rows
            if any(
                needle in str(v).lower()
                for v in (r.number, r.title, r.unit, notes.get(r.id, ""), r.kind)
            )
        ]
    codes = sorted({(r.code, r.year) for r in rows}) if not code else []
    return {
        "code": code,
        "year": _year(year),
        "next": nxt,
        "issued": [issued_json(r, notes.get(r.id, "")) for r in rows],
        "codes": [{"code": c, "year": y} for c, y in codes],
    }


class ReserveIn(BaseModel):
    code: str = Field(..., description="机关代字")
    year: int | None = Field(None, ge=1949, le=2200)
    title: str = Field("", max_length=300, description="文件标题")
    unit: str = Field("", max_length=200, description="承办单位")
    reason: str = Field(..., max_length=500, description="预留原因，如 在别处制作的文件")


@router.post("", status_code=201, summary="为在别处制作的文件预留（分配并登记）一个文号")
def reserve(request: Request, body: ReserveIn) -> dict[str, Any]:
    from docgen.registry import Registry, RegistryError
    from docgen.registry import Request as NumberRequest

    if not body.reason.strip():
        raise _Problems([Problem("请填写预留原因", field="reason")])
    code = _check_code(body.code)
    try:
        with Registry(request.app.state.config.registry_path, create=True) as reg:
            issued = reg.reserve(
                code,
                _year(body.year),
                NumberRequest(
                    "manual",
                    title=body.title.strip(),
                    unit=body.unit.strip(),
                    date=dt.date.today().isoformat(),
                ),
                body.reason.strip(),
            )
    except RegistryError as exc:
        raise _Problems([Problem(str(exc))], status=409) from exc
    return issued_json(issued, body.reason.strip())


class TakeIn(BaseModel):
    code: str = Field(..., description="机关代字，如 高政办函")
    year: int | None = Field(None, ge=1949, le=2200, description="年份，默认今年")
    kind: str = Field("", max_length=20, description="文种，如 letter")
    title: str = Field("", max_length=300, description="文件标题")
    unit: str = Field("", max_length=200, description="承办单位")


@router.post("/take", status_code=201, summary="定稿取号：为拟文页的文件分配并登记下一个文号")
def take(request: Request, body: TakeIn) -> dict[str, Any]:
    from docgen.registry import Registry, RegistryError
    from docgen.registry import Request as NumberRequest

    code = _check_code(body.code)
    if not body.title.strip():
        raise _Problems([Problem("请先填写标题：文号登记时写明是哪一份文件", field="title")])
    try:
        with Registry(request.app.state.config.registry_path, create=True) as reg:
            issued = reg.take(
                code,
                _year(body.year),
                NumberRequest(
                    body.kind.strip() or "manual",
                    title=body.title.strip(),
                    unit=body.unit.strip(),
                    date=dt.date.today().isoformat(),
                ),
            )
    except RegistryError as exc:
        raise _Problems([Problem(str(exc))], status=409) from exc
    return issued_json(issued)


class VoidIn(BaseModel):
    number: str = Field(..., max_length=60, description="要作废的文号")
    reason: str = Field(..., max_length=300, description="作废原因，如 取号后未发文")


@router.post(
    "/void", summary="作废一个文号：记录保留并写明原因，此号不再使用，也不会再发给其他文件"
)
def void(request: Request, body: VoidIn) -> dict[str, Any]:
    from docgen.registry import Registry, RegistryError

    reason = body.reason.strip()
    if not reason:
        raise _Problems([Problem("请写明作废原因", field="reason")])
    try:
        with Registry(request.app.state.config.registry_path) as reg:
            found = [r for r in reg.list() if r.number == body.number.strip()]
            if not found:
                raise _Problems([Problem("登记簿中没有这个文号", field="number")], status=404)
            row = found[0]
            note = reg.notes().get(row.id, "")
            if VOID in note:
                raise _Problems([Problem(f"{row.number} 已经作废", field="number")], status=409)
            when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
            kept = f"{note}；" if note else ""
            # The register keeps reservation notes in its own notes table (registry._NOTES);
            # a void is one more note on the same row, under the register's write lock.
            from docgen.registry import _NOTES

            with reg.transaction() as db:
                db.execute(_NOTES)
                db.execute(
                    "INSERT OR REPLACE INTO notes (issued_id, note) VALUES (?, ?)",
                    (row.id, f"{kept}{VOID}：{reason}（{when}）"),
                )
            notes = reg.notes()
    except RegistryError as exc:
        raise _Problems([Problem(str(exc))], status=500) from exc
    return issued_json(row, notes.get(row.id, ""))
