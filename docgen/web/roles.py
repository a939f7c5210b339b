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

import re
from typing import Any

from docgen.importer.patterns import heading_level
from docgen.importer.reassign import ROLES as HEAD_ROLES
from docgen.importer.reassign import ReassignError, checked_copy
from docgen.importer.reassign import reassign as reassign_head

HEADINGS = {"一级标题": 1, "二级标题": 2, "三级标题": 3, "四级标题": 4}
TABLE = "表格行"  # a line of a table pasted as text: its cells split at tabs or wide spaces
BODY_ROLES = ("正文", *HEADINGS, TABLE)
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
        rows = _table_rows(body[index])
        cells = _cells(str(para.get("text", "")))
        if rows is not None and cells in rows and len(rows) > 1:
            rows.remove(cells)  # one row made of this paragraph: the rest of the table stays
        else:
            del body[index]
    return True


def _table_rows(item: Any) -> list[Any] | None:
    table = item.get("table") or item.get("表格") if isinstance(item, dict) else None
    rows = table.get("rows") if isinstance(table, dict) else None
    return rows if isinstance(rows, list) else None


def _cells(text: str) -> list[str]:
    """A line of a table as text → its cells: split at tabs, at “|” or “｜”, or at wide
    spaces. A leading separator is an empty first cell, unless the line is wrapped in
    separators as Markdown writes it (| a | b |)."""
    text = text.strip(" \u3000")
    if len(text) > 1 and text[0] in "|｜" and text[-1] in "|｜":
        text = text[1:-1]
    parts = re.split(r"\t|\s*[|｜]\s*|\s{2,}|\u3000+", text)
    return [p.strip() for p in parts]


def _renumber(paragraphs: list[dict[str, Any]]) -> None:
    """body[k] and attachments[a].body[k] in reading order again; the rows of one table
    (paragraphs next to each other with the same place) keep one number."""
    counts: dict[str, int] = {}
    last: dict[str, str] = {}
    for p in paragraphs:
        field = str(p.get("field", ""))
        m = re.match(r"^((?:attachments\[\d+\]\.)?body)\[\d+\]$", field)
        if m:
            base = m.group(1)
            if last.get(base) != field:
                counts[base] = counts.get(base, 0) + 1
            last[base] = field
            p["field"] = f"{base}[{counts[base]}]"


def _before(paragraphs: list[dict[str, Any]], index: int, prefix: str) -> int:
    """How many paragraphs before ``index`` sit in the list ``prefix`` (body / attachments[a].body)."""
    pattern = re.compile(rf"^{re.escape(prefix)}\[\d+\]$")
    fields = [str(p.get("field", "")) for p in paragraphs[:index]]
    places = [f for f in fields if pattern.match(f)]
    return sum(1 for i, f in enumerate(places) if i == 0 or places[i - 1] != f)


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
    model, paragraphs = checked_copy(model, paragraphs, index, role, ROLES)
    para = paragraphs[index]
    if para.get("role") == "表格" and role != "表格":
        # The importer's line for a whole table ("3 行 × 4 列"): not text to move.
        raise ReassignError("这是一张表格：请在正文的表格中修改；不需要时点“删除此表格”")
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
    elif role == TABLE:  # the next row of the table just above, or a new table here
        at = _before(paragraphs, index, "body")
        body = model.setdefault("body", [])
        cells = _cells(text)
        rows = _table_rows(body[at - 1]) if 0 < at <= len(body) else None
        if rows is not None and all(len(r) == len(cells) for r in rows if isinstance(r, list)):
            rows.append(cells)
            field = f"body[{at}]"
        else:
            body.insert(min(at, len(body)), {"table": {"header_rows": 1, "rows": [cells]}})
            field = f"body[{at + 1}]"
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
