"""The kinds of document docgen renders, each the sum of shared parts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docgen.models.base import Part
from docgen.models.circular import Circular
from docgen.models.meeting import Minutes, Reminder, Supervision
from docgen.models.parts import ClosingPart, ColophonPart, HeadPart, MainPart

Format = Literal["file", "letter", "minutes", "supervision"]


class Letter(HeadPart, MainPart, ClosingPart, ColophonPart):
    """函：不相隶属机关之间商洽工作、询问和答复问题，通常用信函格式。"""

    kind: Literal["letter"] = Field("letter", alias="类型")

    @property
    def format(self) -> Format:
        return "letter"


class Request(HeadPart, MainPart, ClosingPart, ColophonPart):
    """请示：向上级机关请求指示、批准；文件格式，版头有签发人。"""

    kind: Literal["request"] = Field("request", alias="类型")

    @property
    def format(self) -> Format:
        return "file"


# Every kind docgen renders: what decisions, layout and the writers take. They share
# ClosingPart (date, signature); a kind's own fields are read after narrowing to it
# (isinstance, or the Literal ``kind``), one dispatch per kind.
Document = Letter | Request | Minutes | Supervision | Reminder | Circular
# The kinds with a head, a main part (title, body, attachments) and a closing: the file
# and letter formats, laid out by layout/document.main_flow.
MainDocument = Letter | Request | Circular

# Later kinds register here; the loader and `docgen schema` read this table.
KINDS: dict[str, type[Part]] = {
    "letter": Letter,
    "request": Request,
    "minutes": Minutes,
    "supervision": Supervision,
    "reminder": Reminder,
    "circular": Circular,
}
KIND_NAMES: dict[str, str] = {
    "letter": "函",
    "request": "请示",
    "minutes": "纪要",
    "supervision": "督办单",
    "reminder": "催办单",
    "circular": "通报",
}
