"""Fonts per GB/T 9704 role: resolution, measures, reportlab registration, cutting.

``resolve`` (role → font chains: the caller's files, installed official fonts, the
bundled ones), ``sfnt`` (our fast reader of font files), ``bundled`` (the shipped
fonts), ``scan`` (installed fonts, cached), ``metrics`` (advances by role, for the
layout), ``subset`` (fonts cut to a batch's characters), ``rlfaces`` (reportlab's
parse of a font, cached), ``fontconfig`` (a fonts.conf so LibreOffice draws with
the same fonts). The names most callers need are importable from here.
"""

from docgen.fonts.bundled import BUNDLED, BUNDLED_NOTO_SANS, bundled_em, bundled_ink_top
from docgen.fonts.resolve import (
    ROLE_LABELS,
    FontSet,
    ResolvedFont,
    describe,
    register_font,
    register_reportlab,
    resolve_fonts,
)
from docgen.fonts.sfnt import FaceInfo, FontError, read_faces
from docgen.fonts.subset import subset_fontset
from docgen.resources import fonts_dir  # where the bundled fonts are, as before the split

__all__ = [
    "BUNDLED",
    "BUNDLED_NOTO_SANS",
    "ROLE_LABELS",
    "FaceInfo",
    "FontError",
    "FontSet",
    "ResolvedFont",
    "bundled_em",
    "bundled_ink_top",
    "describe",
    "fonts_dir",
    "read_faces",
    "register_font",
    "register_reportlab",
    "resolve_fonts",
    "subset_fontset",
]
