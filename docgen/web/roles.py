"""The 识别为 choice on the 拟文 page: a paragraph of an imported draft given another role.

The importer's ``reassign`` moves text between the head's fields (标题, 主送,
附注 …). Paragraphs of the body and of the attachments are moved here by
their place in the draft, so a paragraph changed to 正文 goes where it stood
(after the body paragraph before it), leaves the attachment it was in (never
printed twice), and an attachment's title and text have roles of their own.
Headings are body paragraphs that begin with their numbering (一、（一）1. （1）);
a paragraph made a heading without one is given the next number of its level.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from docgen.importer.patterns import heading_level
from docgen.importer.reassign import ROLES as HEAD_ROLES
from docgen.importer.reassign import ReassignError
from docgen.importer.reassign import reassign as reassign_head

HEADINGS = {"一级标题": 1, "二级标题": 2, "三级标题": 3, "四级标题": 4}
BODY_ROLES = ("正文", *HEADINGS)
ATTACHMENT_ROLES = ("附件标题", "附件正文")
# In the order of the paper: the dropdown lists them so.
ROLES: tuple[str, ...] = (
    "标题",
    "发文字号",
    "主送机关",
    *BODY_ROLES,
    "附件说明",
    "署名",
    "成文日期",
    "附注",
    "抄送",
    *ATTACHMENT_ROLES,
    "不导入",
)
_CN_NUMBERS = "一二三四五六七八九十"
_PLACE = re.compile(r"^(?:attachments\[(\d+)\]\.)?(body|title)(?:\[(\d+)\])?$")


def _numbered(text: str, level: int, count: int) -> str:
    """``text`` with the numbering of the ``count``-th heading of ``level`` (1-based)."""
    if heading_level(text) == level:
        return text
    cn = _CN_NUMBERS[count - 1] if count <= 10 else str(count)
    prefix = {1: f"{cn}、", 2: f"（{cn}）", 3: f"{count}．", 4: f"（{count}）"}[level]
    return prefix + text


def _place(field: str) -> tuple[int | None, str, int | None] | None:
    """'attachments[2].body[3]' → (1, 'body', 2); 'body[4]' → (None, 'body', 3)."""
    m = _PLACE.match(field or "")
    if not m:
        return None
    attachment = int(m.group(1)) - 1 if m.group(1) else None
    if attachment is None and m.group(2) == "title":
        return None  # the document's own title: the importer's field
    index = int(m.group(3)) - 1 if m.group(3) else None
    return attachment, m.group(2), index


def _attachment_of(paragraphs: list[dict[str, Any]], index: int) -> int | None:
    """The attachment a paragraph stands in: the last one named by a paragraph before it."""
    for p in reversed(paragraphs[:index]):
        m = re.match(r"^attachments\[(\d+)\]", str(p.get("field", "")))
        if m:
            return int(m.group(1)) - 1
    return None


def _take_out(model: dict[str, Any], para: dict[str, Any]) -> bool:
    """Remove a body or attachment paragraph by its place; False for the importer's fields."""
    place = _place(str(para.get("field", "")))
    if place is None:
        return False
    attachment, part, index = place
    holder: Any = model
    if attachment is not None:
        attachments = model.get("attachments") or []
        if attachment >= len(attachments):
            return True
        holder = attachments[attachment]
    if part == "title":
        holder["title"] = ""
        return True
    body = holder.get("body")
    if isinstance(body, list) and index is not None and index < len(body):
        del body[index]
    return True


def _renumber(paragraphs: list[dict[str, Any]]) -> None:
    """body[k] and attachments[a].body[k] in reading order again."""
    counts: dict[str, int] = {}
    for p in paragraphs:
        m = re.match(r"^((?:attachments\[\d+\]\.)?body)\[\d+\]$", str(p.get("field", "")))
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
            p["field"] = f"{m.group(1)}[{counts[m.group(1)]}]"


def _before(paragraphs: list[dict[str, Any]], index: int, prefix: str) -> int:
    """How many paragraphs before ``index`` sit in the list ``prefix`` (body / attachments[a].body)."""
    pattern = re.compile(rf"^{re.escape(prefix)}\[\d+\]$")
    return sum(1 for p in paragraphs[:index] if pattern.match(str(p.get("field", ""))))


def _count_before(body: list[Any], at: int, level: int) -> int:
    """Headings of ``level`` since the last heading above it (（一） starts again under 二、)."""
    count = 0
    for value in reversed(body[:at]):
        found = heading_level(value) if isinstance(value, str) else None
        if found is not None and found < level:
            break
        count += found == level
    return count


def reassign(
    model: dict[str, Any], paragraphs: list[dict[str, Any]], index: int, role: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The model and paragraph list after paragraph ``index`` (0-based) is given ``role``."""
    if role not in ROLES:
        raise ReassignError(f"角色只能是 {'、'.join(ROLES)} 之一，现为“{role}”")
    if not 0 <= index < len(paragraphs):
        raise ReassignError(f"没有第 {index + 1} 段：草稿共 {len(paragraphs)} 段")
    model, paragraphs = copy.deepcopy(model), copy.deepcopy(paragraphs)
    para = paragraphs[index]
    if _take_out(model, para):
        para["field"] = ""
    if role in HEAD_ROLES and role not in BODY_ROLES:
        return reassign_head(model, paragraphs, index, role)
    if para.get("field"):  # in a field of the head (标题, 附注 …): the importer takes it out
        model, paragraphs = reassign_head(model, paragraphs, index, "不导入")
        para = paragraphs[index]
    text = str(para.get("text", "")).strip()
    attachment = _attachment_of(paragraphs, index)
    if role in ATTACHMENT_ROLES:
        attachments = model.setdefault("attachments", [])
        if attachment is None or attachment >= len(attachments):
            attachments.append({"title": "", "body": []})
            attachment = len(attachments) - 1
        holder = attachments[attachment]
        name = f"attachments[{attachment + 1}]"
        if role == "附件标题":
            holder["title"] = text
            field = f"{name}.title"
        else:
            at = _before(paragraphs, index, f"{name}.body")
            holder.setdefault("body", []).insert(at, text)
            field = f"{name}.body[{at + 1}]"
    else:  # 正文 or a heading: into the body where it stood in the draft
        at = _before(paragraphs, index, "body")
        if role in HEADINGS:
            level = HEADINGS[role]
            text = _numbered(text, level, _count_before(model.get("body") or [], at, level) + 1)
        body = model.setdefault("body", [])
        body.insert(min(at, len(body)), text)
        field = f"body[{at + 1}]"
    para.update(role=role, field=field, note="已手动改正")
    _renumber(paragraphs)
    return model, paragraphs
