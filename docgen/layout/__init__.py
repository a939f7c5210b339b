"""Model → page plan (positions in mm), then pagination; knows nothing of reportlab."""

from docgen.layout.document import layout_document
from docgen.layout.plan import Plan

__all__ = ["Plan", "layout_document"]
