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
        "date",
        "print_date",
        "deadline",
        "feedback_by",
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


def raw_spots(raw: dict[str, Any]) -> list[Spot]:
    """The texts of an input that does not make a model (a field is wrong): still proof-read.

    Follows the kind's model where it can, so fields are named as usual; a
    list line YAML read as a key (…如下:) is read as the line it was meant to be.
    """
    from docgen.loader import _KIND_ALIASES
    from docgen.models import KINDS

    kind = raw.get("kind", raw.get("类型"))
    model = KINDS.get(_KIND_ALIASES.get(kind, kind)) if isinstance(kind, str) else None
    return list(_walk_raw(raw, model, (), "", ""))


def not_fields_of(value: Any, model: Any) -> bool:
    """A mapping none of whose keys is a field of ``model`` (a body line YAML read as a key,
    where the body may also hold tables: models/tables.py)."""
    fields = getattr(model, "model_fields", None)
    if model is None or fields is None or not isinstance(value, dict):
        return model is None
    names = set(fields) | {f.alias for f in fields.values() if f.alias}
    return not any(k in names for k in value)


def _colon_text(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        key, rest = next(iter(value.items()))
        if isinstance(key, str) and (rest is None or isinstance(rest, str)):
            return f"{key}:" + ("" if rest is None else f" {rest}")
    return value


def _walk_raw(data: dict, model: Any, path: tuple, eng: str, chi: str) -> Iterator[Spot]:
    from docgen.loader import _inner_model

    fields = getattr(model, "model_fields", {}) if model is not None else {}
    by_key = {**{n: (n, f) for n, f in fields.items()}}
    by_key |= {f.alias: (n, f) for n, f in fields.items() if f.alias}
    for key, value in data.items():
        if not isinstance(key, str) or key in ("kind", "类型"):
            continue
        name, info = by_key.get(key, (key, None))
        if name in SKIP or (info is not None and info.exclude):
            continue
        alias = (info.alias or name) if info is not None else key
        e = f"{eng}.{name}" if eng else name
        c = f"{chi}.{alias}" if chi else alias
        inner = _inner_model(info.annotation) if info is not None else None
        yield from _raw_value(value, inner, (*path, name), e, c, name in PARAGRAPH_FIELDS)


def _raw_value(
    value: Any, inner: Any, path: tuple, eng: str, chi: str, paragraphs: bool
) -> Iterator[Spot]:
    value = _colon_text(value) if not_fields_of(value, inner) else value
    if isinstance(value, str):
        if paragraphs:
            lines = [ln.strip() for ln in value.splitlines() if ln.strip()]
            for i, line in enumerate(lines):
                yield Spot((*path, i), _label(eng, chi), i + 1, line)
        elif value.strip():
            yield Spot(path, _label(eng, chi), None, value.strip())
    elif isinstance(value, dict):
        yield from _walk_raw(value, inner, path, eng, chi)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            item = _colon_text(item) if not_fields_of(item, inner) else item
            if paragraphs and isinstance(item, str):
                if item.strip():
                    yield Spot((*path, i), _label(eng, chi), i + 1, item.strip())
            else:
                yield from _raw_value(
                    item, inner, (*path, i), f"{eng}[{i + 1}]", f"{chi}[{i + 1}]", False
                )
