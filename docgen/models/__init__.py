"""Typed inputs: the only thing the renderers accept.

The names below are loaded on first use (PEP 562): each kind's pydantic
schema is built when its module is imported, and a caller that needs one
kind (supervise report: the 通报, models/circular.py) does not build the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "KINDS": "documents",
    "KIND_NAMES": "documents",
    "Document": "documents",
    "Letter": "documents",
    "Request": "documents",
    "AgreedItem": "meeting",
    "Attendee": "meeting",
    "Minutes": "meeting",
    "Supervision": "meeting",
    "Attachment": "parts",
    "Signature": "parts",
    "Cell": "tables",
    "Table": "tables",
    "TableItem": "tables",
    "body_texts": "tables",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from docgen.models.documents import KIND_NAMES, KINDS, Document, Letter, Request
    from docgen.models.meeting import AgreedItem, Attendee, Minutes, Supervision
    from docgen.models.parts import Attachment, Signature
    from docgen.models.tables import Cell, Table, TableItem, body_texts

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "AgreedItem",
    "Attachment",
    "Attendee",
    "Cell",
    "Document",
    "Letter",
    "Minutes",
    "Request",
    "Signature",
    "Supervision",
    "Table",
    "TableItem",
    "body_texts",
]
