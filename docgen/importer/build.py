"""What was found → the model's input mapping (English keys, as in samples/), and the parts report."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docgen.importer import patterns
from docgen.importer.recognise import Block, Found
from docgen.importer.report import PartStatus, Report
from docgen.importer.tables import table_item

# What each kind cannot go without; a draft that does not tell leaves a gap to fill.
NEEDED = {
    "letter": ("issuer", "number", "title", "body", "date"),
    "request": ("issuer", "number", "signers", "title", "recipients", "body", "date"),
    "minutes": ("meeting", "issue_no", "compiler", "title", "body", "date"),
}


def guess_kind(found: Found) -> tuple[str, str]:
    """The kind and why: from the title's ending, else from the number's code."""
    title = found.title
    if title.endswith("请示"):
        return "request", "请示（标题以“请示”结尾）"
    if title.endswith(("的函", "复函")) or title.endswith("函"):
        return "letter", "函（标题以“函”结尾）"
    if title.endswith("纪要"):
        return "minutes", "纪要（标题以“纪要”结尾）"
    number = found.head.get("number", "")
    if "函" in number:
        return "letter", "函（标题未表明文种，发文字号中有“函”）"
    if found.head.get("signers"):
        return "request", "请示（标题未表明文种，版头有签发人）"
    return "letter", "函（标题未表明文种，按函导入；可用 --kind 指定）"


def build_data(found: Found, kind: str, report: Report, fill: dict[str, Any]) -> dict[str, Any]:
    if kind == "minutes":
        data = _minutes(found, report)
    else:
        data = _document(found, kind, report)
    for key, value in fill.items():
        if value:
            data[key] = value
            found.where[key] = f"命令行 --{ {'signers': 'signer'}.get(key, key) }"
    _statuses(data, found, kind, report)
    return _ordered(data)


def _document(found: Found, kind: str, report: Report) -> dict[str, Any]:
    head = found.head
    data: dict[str, Any] = {"kind": kind}
    marks = head.get("mark_text", [])
    issuers = [re.sub(r"文件$", "", m) for m in marks]
    if not issuers and found.signature:
        issuers = list(found.signature)
        found.where["issuer"] = found.where.get("signature", "")
    elif issuers:
        found.where["issuer"] = found.where.get("mark", "")
    if issuers:
        data["issuer"] = issuers
        generated = "".join(issuers) + ("文件" if kind == "request" else "")
        if len(marks) == 1 and marks[0] != generated and marks[0] not in issuers:
            data["mark"] = marks[0]
    for key in ("copy_no", "secrecy", "secrecy_term", "urgency", "number", "signers"):
        if key in head:
            data[key] = head[key]
    data["title"] = found.title
    if found.recipients:
        data["recipients"] = found.recipients
    data["body"] = _items(found.body, report, "body")
    titles = [t for t, _ in found.attachments]
    if found.attachment_list and [_flat(n) for n in found.attachment_list] != [
        _flat(t) for t in titles
    ]:
        data["attachment_list"] = found.attachment_list
    if found.signature and found.signature != issuers:
        data["signature"] = {"issuers": found.signature}
    if found.date:
        data["date"] = found.date
    if found.note:
        data["note"] = found.note
    if found.attachments:
        data["attachments"] = [
            {
                "title": _listed(title, found.attachment_list),
                "body": _items(blocks, report, f"attachments[{n}].body"),
            }
            for n, (title, blocks) in enumerate(found.attachments, 1)
        ]
    if found.cc:
        data["cc"] = found.cc
    if found.printer:
        data["printer"] = found.printer
    if found.print_date:
        data["print_date"] = found.print_date
    return data


def _minutes(found: Found, report: Report) -> dict[str, Any]:
    """纪要: the meeting is the title without 纪要; attendance lines become lists."""
    data: dict[str, Any] = {"kind": "minutes"}
    title = found.title
    data["meeting"] = re.sub(r"纪要$", "", title)
    marks = found.head.get("mark_text", [])
    data["mark"] = marks[0] if marks else title
    if "issue_no" in found.meeting:
        data["issue_no"] = found.meeting["issue_no"]
    compiler = found.meeting.get("compiler") or (found.signature[0] if found.signature else "")
    if compiler:
        data["compiler"] = compiler
        found.where.setdefault("compiler", found.where.get("signature", ""))
    data["title"] = title
    keys = {
        "出席": "present",
        "请假": "absent",
        "缺席": "absent",
        "列席": "attending",
        "分送": "distribute",
    }
    body: list[Block] = []
    for block in found.body:
        raw = "".join(ln.raw.strip() for ln in block.lines)  # the space between unit and names
        m = patterns.MEETING_LABEL.match(raw) if block.table is None else None
        if m:
            key = keys[re.sub(r"\s", "", m.group(1))]
            data.setdefault(key, []).extend(_names(m["rest"], key != "distribute"))
            found.where[key] = block.lines[0].para.where
            for ln in block.lines:
                ln.role.role = f"{m.group(1)}名单"
                ln.role.field = key
        else:
            body.append(block)
    data["body"] = _items(body, report, "body")
    if found.date:
        data["date"] = found.date
    if found.cc:
        data["cc"] = found.cc
    return data


def _names(text: str, attendees: bool = True) -> list[str]:
    """出席：单位 姓名、姓名；单位 姓名 → one entry a unit; 分送：甲、乙 → one a name."""
    pattern = r"[；;]" if attendees else r"[；;、，,]"
    return [re.sub(r"[\s　]+", " ", n).strip() for n in re.split(pattern, text) if n.strip()]


def _items(blocks: list[Block], report: Report, field: str) -> list[Any]:
    out: list[Any] = []
    for block in blocks:
        if block.table is None:
            out.append(block.text)
            continue
        item = table_item(block.table)
        if item is not None:
            out.append(item)
        else:
            rows = block.table.as_lines()
            out.extend(rows)
            report.notes.append(
                f"{block.lines[0].para.where}的表格（{len(rows)} 行）暂以段落保留在 {field} 中，每行一段"
            )
    return out


def _flat(text: str) -> str:
    return re.sub(r"[\s　]+", "", text)


def _listed(title: str, names: list[str]) -> str:
    """An attachment's title as the 附件说明 spells it, when they differ only in spacing."""
    for n in names:
        if _flat(n) == _flat(title):
            return n
    return title


def _statuses(data: dict[str, Any], found: Found, kind: str, report: Report) -> None:
    needed = NEEDED.get(kind, ())
    optional_shown = {
        "issuer",
        "number",
        "title",
        "recipients",
        "body",
        "date",
        "note",
        "attachments",
        "cc",
    }
    if kind == "request":
        optional_shown.add("signers")
    if kind == "minutes":
        optional_shown = {"meeting", "issue_no", "compiler", "title", "body", "date", "present"}
    for key in _REPORT_ORDER:
        value = data.get(key)
        if key == "attachment_list" and not value and found.attachment_list:
            value = found.attachment_list
        if key == "signature" and not value and found.signature:
            value = found.signature
        if value in (None, [], "") and key not in optional_shown and key not in needed:
            continue
        where = found.where.get(key, "")
        if key == "body" and value:
            where = _span(found.body)
        report.parts.append(PartStatus(key, bool(value), where, _show(value), needed=key in needed))


def _span(blocks: list[Block]) -> str:
    if not blocks:
        return ""
    first = blocks[0].lines[0].para.where
    last = blocks[-1].lines[-1].para.where
    return first if first == last else f"{first}至{last}"


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "；".join(str(v.get("title", "")) for v in value)
        if value and all(isinstance(v, str) for v in value) and len(value) > 3:
            return f"{len(value)} 段"
        return "、".join(str(v) if isinstance(v, str) else "表格" for v in value)
    if isinstance(value, dict):
        return "、".join(value.get("issuers", []))
    return str(value)


_ORDER = [
    "kind",
    "copy_no",
    "secrecy",
    "secrecy_term",
    "urgency",
    "issuer",
    "mark",
    "number",
    "signers",
    "meeting",
    "issue_no",
    "compiler",
    "title",
    "recipients",
    "body",
    "attachment_list",
    "present",
    "absent",
    "attending",
    "signature",
    "date",
    "note",
    "attachments",
    "distribute",
    "cc",
    "printer",
    "print_date",
]


# The parts report follows the model's key order, except that it names who issues the
# document first and the attendance lists last; kind and secrecy_term are no parts of it.
_REPORT_FIRST = ("issuer", "mark")
_REPORT_LAST = ("present", "absent", "attending", "distribute")
_REPORT_ORDER = [
    *_REPORT_FIRST,
    *(k for k in _ORDER if k not in (*_REPORT_FIRST, *_REPORT_LAST, "kind", "secrecy_term")),
    *_REPORT_LAST,
]


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in sorted(data, key=lambda k: _ORDER.index(k) if k in _ORDER else 99)}
