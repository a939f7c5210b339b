"""The texts of a document model that a proof-reader reads, each with its place.

The walk follows the model's fields, so every kind (函, 请示, 纪要, 督办单)
and every later field is read without a list per kind. Fields that are not
prose — codes, numbers, dates, file names, choices — are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

# Not prose: a 发文字号 or phone number keeps its half-width marks, a path its spelling.
SKIP = frozenset(
    {
        "kind",
        "number",
        "copy_no",
        "secrecy",
        "urgency",
        "mode",
        "seal_image",
        "items_file",
        "phone",
        "extra",
        "minutes_ref",
    }
)
# Fields written one paragraph a line: findings name the paragraph.
PARAGRAPH_FIELDS = frozenset({"body"})


@dataclass(frozen=True)
class Spot:
    """One paragraph or one field's text."""

    path: tuple[str | int, ...]  # ("attachments", 0, "body", 2): model field names, 0-based
    field: str  # "attachments[1].body（附件[1].正文）"
    paragraph: int | None  # 1-based when the field is written as paragraphs
    text: str


def spots(doc: BaseModel) -> list[Spot]:
    return list(_walk(doc, (), "", ""))


def _label(eng: str, chi: str) -> str:
    return eng if eng == chi else f"{eng}（{chi}）"


def _walk(model: BaseModel, path: tuple, eng: str, chi: str) -> Iterator[Spot]:
    for name, info in type(model).model_fields.items():
        if name in SKIP or info.exclude:
            continue
        value = getattr(model, name, None)
        e = f"{eng}.{name}" if eng else name
        alias = info.alias or name
        c = f"{chi}.{alias}" if chi else alias
        yield from _value(value, (*path, name), e, c, name in PARAGRAPH_FIELDS)


def _value(value: Any, path: tuple, eng: str, chi: str, paragraphs: bool) -> Iterator[Spot]:
    if isinstance(value, str):
        if value:
            yield Spot(path, _label(eng, chi), None, value)
    elif isinstance(value, BaseModel):
        yield from _walk(value, path, eng, chi)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if paragraphs and isinstance(item, str):
                if item:
                    yield Spot((*path, i), _label(eng, chi), i + 1, item)
            else:
                yield from _value(item, (*path, i), f"{eng}[{i + 1}]", f"{chi}[{i + 1}]", False)
