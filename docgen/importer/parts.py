"""Tests and readers for single parts of a 公文 as the recogniser meets them: the number,
a list of names, a letterhead mark, the recipients line, a title's continuation,
a bracketed note, the items of a 附件说明."""

from __future__ import annotations

import re

from docgen.importer import patterns
from docgen.importer.lines import Line
from docgen.importer.report import Report
from docgen.text.docnumber import DocNumber, DocNumberError

ORG_AND_DATE = re.compile(r"^(?P<org>.+?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")


def flat(text: str) -> str:
    return re.sub(r"[\s　]+", "", text)


def doc_number(text: str, report: Report) -> str:
    """The 发文字号 normalised (〔〕, no 第, no leading zeros) when it can be read; else as typed."""
    raw = flat(text)
    fixed = re.sub(r"[\[(（【﹝［](\d{4})[\])）】﹞］]", r"〔\1〕", raw)
    fixed = re.sub(r"〕第", "〕", fixed)
    fixed = re.sub(r"〕0+(\d)", r"〕\1", fixed)
    if not fixed.endswith("号"):
        fixed += "号"
    try:
        number, _ = DocNumber.parse(fixed)
    except DocNumberError:
        return raw  # docgen check says what is wrong with it
    if number.format() != raw:
        report.notes.append(f"发文字号“{raw}”已规范为“{number.format()}”")
    return number.format()


def split_names(text: str) -> list[str]:
    return [
        n.strip() for n in re.split(r"[、，,；;\s]+", text.strip().rstrip("：:。")) if n.strip()
    ]


def is_mark(line: Line, following: list[Line]) -> bool:
    """A letterhead mark: an organisation's name (or …文件) above the number or the title.

    Red or large type says so at once. Otherwise a name whose next line starts
    with 关于 is the first line of a title broken after the issuer's name.
    """
    t = line.text
    if patterns.looks_like_title(t) and not t.endswith("文件"):
        return False
    if (line.para.red or line.para.size >= 24) and len(t) <= 40:
        return True
    if not patterns.is_org(t):
        return False
    nxt = next((n for n in following if n.table is None and n.text), None)
    if nxt is None:
        return False
    if patterns.NUMBER.match(nxt.text) or _is_mark_neighbour(nxt) or t.endswith("文件"):
        return True
    if nxt.text.startswith("关于"):
        return False
    return patterns.looks_like_title(nxt.text)


def _is_mark_neighbour(line: Line) -> bool:
    return bool(
        patterns.SEPARATOR.match(line.raw)
        or patterns.is_org(line.text)
        or patterns.LETTERHEAD_INFO.search(line.text)
        or re.fullmatch(r"[A-Za-z .,'&()\-]+", line.text)
    )


_GROUPS = ("单位", "部门", "机关", "科室", "成员单位", "各有关方面")


def are_names(text: str) -> bool:
    """Two or more names of offices (各乡（镇）人民政府、市直有关单位), as a list of recipients is."""
    names = split_names(text.rstrip("：:"))
    return (
        len(names) >= 2
        and all(patterns.is_org(n) or n.endswith(_GROUPS) for n in names if len(n) <= 30)
        and all(len(n) <= 30 for n in names)
    )


def is_recipients(text: str) -> bool:
    return (
        text[-1:] in "：:"
        and patterns.width(text) <= 80
        and "。" not in text
        and not patterns.ATTACH_LIST.match(text)
        and not patterns.heading_level(text)
    )


def continues_title(parts: list[Line], nxt: Line) -> bool:
    """The next line is more of the title: no colon ending, no sentence, the title not yet ended."""
    current = "".join(p.text for p in parts)
    if nxt.table is not None or current.endswith(patterns.TITLE_ENDINGS[:12]):
        return False
    t = nxt.text
    if (
        is_recipients(t)
        or t[-1:] in "。；，"
        or patterns.heading_level(t)
        or patterns.parse_date(t)
    ):
        return False
    if patterns.width(current + t) > 100:
        return False
    if nxt.para.manual_break:
        return True
    if nxt.para.unit == "段" and parts[0].centered != nxt.centered:
        return False
    return patterns.width(t) <= 40


def note_at(lines: list[Line], k: int, end: int) -> tuple[str, int]:
    """A bracketed note, possibly wrapped over lines; returns its text and lines used."""
    text = lines[k].text
    used = 1
    while text.startswith(("（", "(")) and not text.endswith(("）", ")")) and k + used < end:
        text += lines[k + used].text
        used += 1
    return text.strip("（）()"), used


def attachment_items(first: str, rest: list[Line]) -> list[str]:
    """附件：1.甲 / 2.乙 (continuation lines of a long name joined) → [甲, 乙]."""
    items: list[str] = []
    texts = ([first] if first.strip() else []) + [ln.text for ln in rest]
    for t in texts:
        m = patterns.LIST_ITEM.match(t)
        if m or not items:
            items.append(t[m.end() :] if m else t)
        else:
            items[-1] += t
    return [i.strip() for i in items if i.strip()]
