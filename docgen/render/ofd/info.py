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
    """DocInfo for a document model of any kind: each fact where the kind has it and it is set."""
    issuers = getattr(doc, "issuer", None) or []
    if isinstance(issuers, str):
        issuers = [issuers]
    author = "、".join(str(i) for i in issuers)
    facts: list[tuple[str, Any]] = [
        ("发文字号", getattr(doc, "number", None)),
        ("发文机关", author),
        ("成文日期", getattr(doc, "date", None)),
        ("文种", KIND_NAMES.get(str(getattr(doc, "kind", "")), "")),
        ("密级", getattr(doc, "secrecy", None)),
        ("保密期限", getattr(doc, "secrecy_term", None)),
        ("紧急程度", getattr(doc, "urgency", None)),
        ("签发人", getattr(doc, "signers", None)),
    ]
    custom = [(name, _text(v)) for name, v in facts if _text(v)]
    return OfdInfo(title=str(getattr(doc, "title", "") or ""), author=author, custom=custom)
