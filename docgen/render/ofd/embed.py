"""The fonts of an OFD package: each font the pages use, cut to the characters it draws.

An OFD reader must not need any font installed (GB/T 42133 asks for every
font embedded), and a whole CJK font is 5-15 MB: each font goes in as a
TrueType subset made with fontTools, holding only the glyphs of the
characters the pages draw with it.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from docgen.fonts import ResolvedFont
from docgen.problems import InputError, Problem

# OS/2 fsType bits (OpenType spec): what the font's licence lets a document do.
FS_RESTRICTED = 0x0002  # no embedding at all, unless a less strict bit is also set
FS_PREVIEW_PRINT = 0x0004
FS_EDITABLE = 0x0008
FS_NO_SUBSETTING = 0x0100
FS_BITMAP_ONLY = 0x0200

# Tables no OFD reader needs to draw a glyph: layout tables would drag in
# variant glyphs, and vertical metrics and signatures are meaningless in a cut.
_DROP = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG", "kern"]


@dataclass
class UsedFont:
    """One font of a package: its ID there and the characters its pages draw with it."""

    font: ResolvedFont
    id: int
    chars: set[str] = field(default_factory=set)


def embedding_problem(fs_type: int, family: str) -> str | None:
    """Why a font's licence forbids embedding it, or None when it allows it."""
    if fs_type & FS_BITMAP_ONLY:
        return f"字体“{family}”的授权只允许嵌入点阵字形，OFD 需要嵌入轮廓字体"
    if fs_type & FS_RESTRICTED and not fs_type & (FS_PREVIEW_PRINT | FS_EDITABLE):
        return f"字体“{family}”的授权禁止嵌入文件（OS/2 fsType 受限），不能生成 OFD；请用 --font 换用允许嵌入的字体"
    return None


_KEPT: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()
_KEPT_MAX = 32
_LOCK = threading.Lock()


def subset_bytes(font: ResolvedFont, chars: str) -> bytes:
    """The TrueType bytes of ``font`` cut to ``chars``; refused if its licence forbids embedding.

    Kept per process for the same font and characters: a batch's documents
    share their mark, head and page numbers.
    """
    key = (str(font.path), font.subfont_index, chars)
    with _LOCK:
        data = _KEPT.get(key)
        if data is not None:
            _KEPT.move_to_end(key)
            return data
    data = _cut(font, chars)
    with _LOCK:
        _KEPT[key] = data
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)
    return data


def _cut(font: ResolvedFont, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcBBoxes=False: glyphs are copied unchanged, their boxes stay right and
    # no outline is decoded; recalcTimestamp=False: the same cut gives the same bytes.
    tt = TTFont(
        str(font.path),
        fontNumber=font.subfont_index,
        lazy=True,
        recalcBBoxes=False,
        recalcTimestamp=False,
    )
    try:
        fs_type = tt["OS/2"].fsType if "OS/2" in tt else 0
        why = embedding_problem(fs_type, font.family)
        if why:
            raise InputError([Problem(why, field="字体")])
        if fs_type & FS_NO_SUBSETTING:
            # The licence allows embedding only the whole font: the file as it is.
            out = io.BytesIO()
            tt.save(out)
            return out.getvalue()
        opts = subset.Options()
        opts.drop_tables += _DROP
        opts.layout_features = []
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.glyph_names = False
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(tt)
        out = io.BytesIO()
        tt.save(out)
        return out.getvalue()
    finally:
        tt.close()
