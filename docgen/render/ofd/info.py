"""What an OFD package says about its document (OFD.xml's DocInfo), read off the model.

Kept apart from the writer so the writer takes plain values: the page plan,
the fonts and this record, as the PDF writer takes the plan, fonts, title
and author.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

# The model's kind → the 文种 a reader (and an archive's catalogue) expects.
KIND_NAMES: dict[str, str] = {
    "letter": "函",
    "request": "请示",
    "minutes": "纪要",
    "supervision": "督办单",
    "reminder": "催办单",
    "circular": "通报",
}


@dataclass
class OfdInfo:
    """DocInfo of OFD.xml. ``custom``: the document's facts as CustomData, in order."""

    title: str = ""
    author: str = ""  # the issuing office(s)
    creation_date: dt.date = field(default_factory=dt.date.today)
    doc_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    custom: list[tuple[str, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value if v)
    return str(value)


def info_of(doc: Any) -> OfdInfo:
    """DocInfo for a document model of any kind: each fact where the kind has it and it is set.

    The issuing office is the 发文机关 of a 函/请示/通报, the 编发机关 of a 纪要,
    the 督办机关 of a 督办单 or 催办单; the title a 纪要 or form may lack is its
    mark or form title.
    """
    issuers = getattr(doc, "issuer", None) or getattr(doc, "compiler", None)
    issuers = issuers or getattr(doc, "office", None) or []
    if isinstance(issuers, str):
        issuers = [issuers]
    author = "、".join(str(i) for i in issuers)
    title = getattr(doc, "title", None) or getattr(doc, "form_title", None)
    title = title or getattr(doc, "mark", None) or ""
    issue_no = getattr(doc, "issue_no", None)
    facts: list[tuple[str, Any]] = [
        ("发文字号", getattr(doc, "number", None)),
        ("发文机关", author),
        ("成文日期", getattr(doc, "date", None)),
        ("文种", KIND_NAMES.get(str(getattr(doc, "kind", "")), "")),
        ("期数", f"第{issue_no}期" if issue_no else None),
        ("承办单位", getattr(doc, "unit", None)),
        ("密级", getattr(doc, "secrecy", None)),
        ("保密期限", getattr(doc, "secrecy_term", None)),
        ("紧急程度", getattr(doc, "urgency", None)),
        ("签发人", getattr(doc, "signers", None)),
    ]
    custom = [(name, _text(v)) for name, v in facts if _text(v)]
    return OfdInfo(title=str(title), author=author, custom=custom)
