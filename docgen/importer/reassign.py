"""A paragraph given the wrong role: move its text to the part the user says it is.

The 拟文 page shows every paragraph of an imported draft with its role; one
click on another role calls :func:`reassign`, which takes the paragraph's
text out of the field it went to and puts it into the new one, and updates
the paragraph list so the page shows the new role. Plain data in and out
(the model dict and ``report.as_dict()["paragraphs"]``), no state kept.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection
from typing import Any

# Role → (model field, how the text goes in). "list": names split on 、；
ROLES: dict[str, tuple[str | None, str]] = {
    "标题": ("title", "text"),
    "发文字号": ("number", "text"),
    "主送机关": ("recipients", "list"),
    "正文": ("body", "paragraph"),
    "附件说明": ("attachment_list", "list"),
    "署名": ("signature.issuers", "list"),
    "成文日期": ("date", "text"),
    "附注": ("note", "text"),
    "抄送": ("cc", "list"),
    "不导入": (None, ""),
}
_LABEL = re.compile(r"^\s*(附件|抄送|主送)\s*[:：]\s*")
_NUMBERING = re.compile(r"^\s*\d+\s*[.．、]\s*")


class ReassignError(ValueError):
    """The paragraph or role asked for does not exist; said in Chinese."""


def _names(text: str) -> list[str]:
    text = _LABEL.sub("", text).rstrip("：:。；; ")
    return [_NUMBERING.sub("", n).strip() for n in re.split(r"[、；;，,]", text) if n.strip()]


def _get(model: dict[str, Any], path: str) -> Any:
    node: Any = model
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _set(model: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = model
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value in (None, [], ""):
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def _base(field: str) -> str:
    """'body[3]' → 'body'; 'signature' (the 署名 line) → 'signature.issuers'."""
    base = re.sub(r"\[\d+\]", "", field)
    return "signature.issuers" if base == "signature" else base


def _take_out(model: dict[str, Any], para: dict[str, Any]) -> None:
    field = para.get("field") or ""
    if not field or "." in field.replace("signature", ""):
        return  # not placed, or inside an attachment: left as it is
    path = _base(field)
    value = _get(model, path)
    text = para.get("text", "")
    if isinstance(value, list):
        if path == "body":
            keep = [v for v in value if not (isinstance(v, str) and v.strip() == text.strip())]
            if len(keep) < len(value):
                _set(model, path, keep)
                return
        names = set(_names(text)) | {text.strip()}
        _set(model, path, [v for v in value if not (isinstance(v, str) and v in names)])
    elif value is not None:
        _set(model, path, None)


def _put_in(model: dict[str, Any], paragraphs: list[dict[str, Any]], index: int, role: str) -> str:
    field, how = ROLES[role]
    text = paragraphs[index].get("text", "").strip()
    if field is None:
        return ""
    if how == "paragraph":
        body = list(model.get("body") or [])
        before = sum(1 for p in paragraphs[:index] if str(p.get("field", "")).startswith("body["))
        body.insert(min(before, len(body)), text)
        model["body"] = body
        return f"body[{before + 1}]"
    if how == "list":
        current = list(_get(model, field) or [])
        _set(model, field, current + [n for n in _names(text) if n not in current])
        return "signature" if field == "signature.issuers" else field
    if field == "note":
        text = text.strip("（）()")
    _set(model, field, text)
    return field


def checked_copy(
    model: dict[str, Any],
    paragraphs: list[dict[str, Any]],
    index: int,
    role: str,
    roles: Collection[str],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Copies of the model and the paragraphs to change, once ``role`` is one of ``roles``
    and paragraph ``index`` exists (a ReassignError in the clerk's words otherwise)."""
    if role not in roles:
        raise ReassignError(f"角色只能是 {'、'.join(roles)} 之一，现为“{role}”")
    if not 0 <= index < len(paragraphs):
        raise ReassignError(f"没有第 {index + 1} 段：草稿共 {len(paragraphs)} 段")
    return copy.deepcopy(model), copy.deepcopy(paragraphs)


def reassign(
    model: dict[str, Any], paragraphs: list[dict[str, Any]], index: int, role: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The model and paragraph list after paragraph ``index`` (0-based) is given ``role``."""
    model, paragraphs = checked_copy(model, paragraphs, index, role, ROLES)
    _take_out(model, paragraphs[index])
    paragraphs[index]["field"] = ""
    field = _put_in(model, paragraphs, index, role)
    paragraphs[index].update(role=role if field else "不导入", field=field, note="已手动改正")
    # Body paragraphs are numbered in reading order again.
    k = 0
    for p in paragraphs:
        if str(p.get("field", "")).startswith("body["):
            k += 1
            p["field"] = f"body[{k}]"
    return model, paragraphs
