"""A rendered PDF's page as a PNG image, for previews (pypdfium2, no external program).

PDFium is not thread-safe, so every call goes through one lock; a page takes
about 10 ms to rasterise, far less than it takes to lay the document out.
"""

from __future__ import annotations

import io
import threading

_LOCK = threading.Lock()
PREVIEW_SCALE = 1.5  # 108 dpi: an A4 page 893 px wide, sharp on an office screen at 100 %


class PageOutOfRange(ValueError):
    """The asked page does not exist; the message says how many pages there are."""


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    with _LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def page_png(pdf: bytes, page: int = 1, scale: float = PREVIEW_SCALE) -> bytes:
    """Page ``page`` (1-based) of ``pdf`` as PNG bytes."""
    import pypdfium2 as pdfium

    with _LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            if not 1 <= page <= len(doc):
                raise PageOutOfRange(f"没有第 {page} 页：文档共 {len(doc)} 页")
            pdf_page = doc[page - 1]
            try:
                bitmap = pdf_page.render(scale=scale)
                image = bitmap.to_pil()
                bitmap.close()
            finally:
                pdf_page.close()
        finally:
            doc.close()
    out = io.BytesIO()
    # Level 1: a third of the time of the default for a 15 % larger file, on loopback.
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
