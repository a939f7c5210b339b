"""Chinese text rules: line breaking, title breaking, numbering, punctuation, dates."""

from docgen.text.dates import format_date
from docgen.text.docnumber import DocNumber, DocNumberError, DocNumberField
from docgen.text.headings import Heading, chinese_numeral, classify
from docgen.text.linebreak import Line, break_paragraph, justify_gaps
from docgen.text.title import break_title, title_warnings

__all__ = [
    "DocNumber",
    "DocNumberError",
    "DocNumberField",
    "Heading",
    "Line",
    "break_paragraph",
    "break_title",
    "chinese_numeral",
    "classify",
    "format_date",
    "justify_gaps",
    "title_warnings",
]
