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

from docgen.models.documents import KIND_NAMES, Document
from docgen.models.meeting import Minutes, Reminder, Supervision
from docgen.models.parts import HeadPart


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


def info_of(doc: Document) -> OfdInfo:
    """DocInfo for a document model of any kind: each fact where the kind has it and it is set.

    The issuing office is the 发文机关 of a 函/请示/通报, the 编发机关 of a 纪要,
    the 督办机关 of a 督办单 or 催办单; the title a 纪要 or form may lack is its
    mark or form title.
    """
    # Every kind has an issuer, a title, a number and a date; the rest is read
    # after narrowing to the kinds that have it (one dispatch per kind).
    head = doc if isinstance(doc, HeadPart) else None
    issue_no = doc.issue_no if isinstance(doc, Minutes) else None
    unit = doc.unit if isinstance(doc, Supervision | Reminder) else None
    title = doc.title or (doc.mark if isinstance(doc, Minutes | HeadPart) else None) or ""
    issuers = doc.issuer
    author = "、".join(str(i) for i in issuers)
    facts: list[tuple[str, Any]] = [
        ("发文字号", doc.number),
        ("发文机关", author),
        ("成文日期", doc.date),
        ("文种", KIND_NAMES.get(str(doc.kind), "")),
        ("期数", f"第{issue_no}期" if issue_no else None),
        ("承办单位", unit),
        ("密级", head.secrecy if head else None),
        ("保密期限", head.secrecy_term if head else None),
        ("紧急程度", head.urgency if head else None),
        ("签发人", head.signers if head else None),
    ]
    custom = [(name, _text(v)) for name, v in facts if _text(v)]
    return OfdInfo(title=str(title), author=author, custom=custom)
