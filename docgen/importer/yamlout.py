"""The imported model as a YAML file in the form of samples/: English keys, and above each
part a Chinese comment saying which paragraph of the draft it came from, or that it is missing.

Written by hand (each value dumped by PyYAML, so quoting is always right)
because a clerk reads this file: body text as one paragraph a line, names
as short lists, comments where the eye looks for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from docgen.importer.report import PART_NAMES, Report

_GAP_HINT = {
    "number": "如 高政办函〔2025〕18号；排版时也可用 --number 指定",
    "signers": "如 [李志刚]；排版时也可用 --signer 指定",
    "issuer": "如 [高平市人民政府办公室]；排版时也可用 --issuer 指定",
    "date": "如 2025-07-07",
    "recipients": "如 [高平市人民政府]",
    "issue_no": "第几期，如 1",
    "compiler": "如 高平市文物保护工作联席会议办公室",
}


def scalar(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def to_yaml(data: dict[str, Any], report: Report) -> str:
    out: list[str] = []
    title = data.get("title", "")
    number = data.get("number")
    out.append(f"# {number + '：' if number else ''}{title}")
    out.append(f"# 由 docgen import 从“{report.file}”导入；文种：{report.kind_reason}。")
    out.append(
        "# 每一部分上方注明取自草稿的哪一段；请核对后再排版：docgen render 本文件 -o 输出夹/"
    )
    if report.revisions or report.comments:
        out.append(f"# 草稿中的修订与批注：{report.revisions_said()}。")
    if report.unplaced:
        out.append(
            f"# 注意：有 {len(report.unplaced)} 段未能识别，已按原位置保留在正文中（见各段注释）。"
        )
    statuses = {p.field: p for p in report.parts}
    written = set()
    for key, value in data.items():
        written.add(key)
        status = statuses.get(key)
        if key == "kind":
            out.append(f"kind: {value}")
            continue
        name = PART_NAMES.get(key, key)
        where = status.where if status else ""
        if key in ("body",):
            out.append(f"# {name}：{where}" if where else f"# {name}")
            out += _paragraphs(key, value, "")
        elif key == "attachments":
            out.append(f"# {name}：{len(value)} 个")
            out.append("attachments:")
            for n, att in enumerate(value, 1):
                src = report_where(report, f"attachments[{n}]")
                out.append(f"  # 附件{n}{'：' + src if src else ''}")
                out.append(f"  - title: {scalar(att['title'])}")
                if att.get("body"):
                    out += _paragraphs("body", att["body"], "    ")
        elif key == "signature":
            out.append(f"# 署名：{where}（与发文机关不同）")
            out.append("signature:")
            out.append(f"  issuers: {scalar(value['issuers'])}")
        else:
            out.append(f"# {name}：{where}" if where else f"# {name}")
            out.append(f"{key}: {scalar(value)}")
    for gap in report.gaps:
        if gap.field in written:
            continue
        hint = _GAP_HINT.get(gap.field, "")
        out.append(f"# 缺：{gap.name}，草稿中没有，请填写{('（' + hint + '）') if hint else ''}")
        out.append(f"# {gap.field}:")
    return "\n".join(out) + "\n"


def report_where(report: Report, field: str) -> str:
    wheres = [p.where for p in report.paragraphs if p.field.startswith(field)]
    if not wheres:
        return ""
    return wheres[0] if wheres[0] == wheres[-1] else f"{wheres[0]}至{wheres[-1]}"


def _paragraphs(key: str, items: list[Any], indent: str) -> list[str]:
    """Text only: a literal block, one paragraph a line. With tables: a list."""
    if all(isinstance(i, str) for i in items):
        lines = [f"{indent}{key}: |"]
        lines += [f"{indent}  {p}" for p in items]
        return lines
    lines = [f"{indent}{key}:"]
    for item in items:
        if isinstance(item, str):
            lines.append(f"{indent}  - {scalar(item)}")
        else:
            lines += _table(item, indent + "  ")
    return lines


def _table(item: dict[str, Any], indent: str) -> list[str]:
    """A table as the samples write one: its settings, then one row a line."""
    table = item.get("table", item)
    rows = table.get("rows", [])
    lines = [f"{indent}# 表格：{len(rows)} 行；表头 {table.get('header_rows', 1)} 行（跨页时重复）"]
    lines.append(f"{indent}- table:")
    for key, value in table.items():
        if key == "rows":
            continue
        lines.append(f"{indent}    {key}: {scalar(value)}")
    lines.append(f"{indent}    rows:")
    lines += [f"{indent}      - {scalar(row)}" for row in rows]
    return lines
