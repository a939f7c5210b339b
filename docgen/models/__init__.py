"""Typed inputs: the only thing the renderers accept.

The names below are loaded on first use (PEP 562): each kind's pydantic
schema is built when its module is imported, and a caller that needs one
kind (supervise report: the 通报, models/report.py) does not build the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# parts before anything else: tables builds on Part, and parts imports tables once Part
# exists (their import cycle works in that order only), whichever module is asked first.
from docgen.models import parts as _parts  # noqa: F401

_HOMES = {
    "KINDS": "documents",
    "KIND_NAMES": "documents",
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
    from docgen.models.documents import KIND_NAMES, KINDS, Letter, Request
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
    "Letter",
    "Minutes",
    "Request",
    "Signature",
    "Supervision",
    "Table",
    "TableItem",
    "body_texts",
]
