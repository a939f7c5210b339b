"""Typed inputs: the only thing the renderers accept."""

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
