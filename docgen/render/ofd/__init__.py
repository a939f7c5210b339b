"""The OFD writer (GB/T 33190-2016): a sibling of the PDF writer, drawing the same page plan.

It never imports render/pdf.py or render/docx: what it shares with them
lives below (layout/, fonts).
"""

from docgen.render.ofd.info import OfdInfo, info_of
from docgen.render.ofd.package import render_ofd, write_ofd

__all__ = ["OfdInfo", "info_of", "render_ofd", "write_ofd"]
