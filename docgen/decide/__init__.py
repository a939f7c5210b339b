"""Decisions both renderers share, made once from the model: title breaks, the mark, tables.

``decisions`` (the document's: mark, title, 附件说明, signature, colophon),
``tables`` (each table's type size, column widths and alignments) and ``widths``
(em widths as CJK fonts set them, which both use).
"""

from docgen.decide.decisions import Decisions, decide

__all__ = ["Decisions", "decide"]
