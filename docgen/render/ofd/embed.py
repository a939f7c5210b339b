"""The fonts of an OFD package: each font the pages use, cut to the characters it draws.

An OFD reader must not need any font installed (GB/T 42133 asks for every
font embedded), and a whole CJK font is 5-15 MB: each font goes in as a
TrueType subset made with fontTools, holding only the glyphs of the
characters the pages draw with it.
"""

from __future__ import annotations

import io
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from docgen.fonts import ResolvedFont
from docgen.fonts.sfnt import font_tables, unicode_cmap
from docgen.problems import InputError, Problem

# OS/2 fsType bits (OpenType spec): what the font's licence lets a document do.
FS_RESTRICTED = 0x0002  # no embedding at all, unless a less strict bit is also set
FS_PREVIEW_PRINT = 0x0004
FS_EDITABLE = 0x0008
FS_NO_SUBSETTING = 0x0100
FS_BITMAP_ONLY = 0x0200


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
        return f"字体“{family}”的授权禁止嵌入文件（OS/2 fsType 受限），不能生成 OFD；请换用允许嵌入的字体"
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
    """The subset: docgen picks the glyphs, fontTools builds and writes the font.

    fontTools' own Subsetter parses the whole cmap, glyph names and glyf
    table of a CJK font first: 0.1-0.2 s a font, three to five fonts a
    document, several times what the PDF costs. The glyphs a subset needs
    are known from docgen's cmap (read once for the layout already) and are
    read straight from the file: the .notdef, the characters' glyphs and the
    components of composite glyphs, renumbered in that order.
    """
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import cmap_format_4, cmap_format_12
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    wanted = (b"head", b"hhea", b"maxp", b"OS/2", b"name", b"hmtx", b"loca", b"glyf")
    hinting = (b"cvt ", b"fpgm", b"prep", b"gasp")
    raw = font_tables(font.path, font.subfont_index, (*wanted, *hinting))
    if b"glyf" not in raw or b"loca" not in raw:
        raise InputError(
            [Problem(f"字体“{font.family}”不是 TrueType 轮廓，无法嵌入 OFD", field="字体")]
        )
    fs_type = struct.unpack_from(">H", raw[b"OS/2"], 8)[0] if b"OS/2" in raw else 0
    why = embedding_problem(fs_type, font.family)
    if why:
        raise InputError([Problem(why, field="字体")])
    cmap = unicode_cmap(font.path, font.subfont_index)
    glyphs = _Glyphs(raw)
    chosen = {ch: cmap[ord(ch)] for ch in chars if ord(ch) in cmap}
    if fs_type & FS_NO_SUBSETTING:
        # The licence allows embedding only the whole font: every glyph, in its order.
        order = list(range(glyphs.count))
    else:
        order = glyphs.closure([0, *sorted(set(chosen.values()))])
    new_id = {gid: i for i, gid in enumerate(order)}
    names = [".notdef", *(f"g{i}" for i in range(1, len(order)))]

    tt = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    tt.setGlyphOrder(names)
    for tag in (b"head", b"hhea", b"maxp", b"OS/2", b"name"):
        table = newTable(tag.decode())
        table.decompile(raw[tag], tt)
        tt[tag.decode()] = table
    tt["maxp"].numGlyphs = len(order)
    glyf = newTable("glyf")
    glyf.glyphOrder = names
    glyf.glyphs = {names[i]: Glyph(glyphs.data(gid, new_id)) for i, gid in enumerate(order)}
    tt["glyf"] = glyf
    tt["loca"] = newTable("loca")
    hmtx = newTable("hmtx")
    hmtx.metrics = {names[i]: glyphs.metrics(gid) for i, gid in enumerate(order)}
    tt["hmtx"] = hmtx
    tables = []
    for fmt, pid, eid, codes in ((4, 3, 1, 0xFFFF), (12, 3, 10, 0x10FFFF)):
        sub = cmap_format_4(4) if fmt == 4 else cmap_format_12(12)
        sub.platformID, sub.platEncID, sub.language = pid, eid, 0
        sub.cmap = {ord(ch): names[new_id[g]] for ch, g in chosen.items() if ord(ch) <= codes}
        if fmt == 4 or any(ord(ch) > 0xFFFF for ch in chosen):
            tables.append(sub)
    cmap_table = newTable("cmap")
    cmap_table.tableVersion = 0
    cmap_table.tables = tables
    tt["cmap"] = cmap_table
    post = newTable("post")
    post.formatType = 3.0
    post.italicAngle = post.underlinePosition = post.underlineThickness = 0
    post.isFixedPitch = post.minMemType42 = post.maxMemType42 = 0
    post.minMemType1 = post.maxMemType1 = 0
    tt["post"] = post
    for tag in hinting:  # the font's own hinting programs, as they are
        if tag in raw:
            table = newTable(tag.decode())
            table.decompile(raw[tag], tt)
            tt[tag.decode()] = table
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()


class _Glyphs:
    """The glyf, loca and hmtx of a TrueType font, read glyph by glyph."""

    def __init__(self, raw: dict[bytes, bytes]) -> None:
        head = raw[b"head"]
        self.count = struct.unpack_from(">H", raw[b"maxp"], 4)[0]
        self._glyf = raw[b"glyf"]
        loca = raw[b"loca"]
        if struct.unpack_from(">h", head, 50)[0]:  # indexToLocFormat 1: 32-bit offsets
            self._loca = struct.unpack_from(f">{self.count + 1}I", loca)
        else:
            self._loca = tuple(2 * v for v in struct.unpack_from(f">{self.count + 1}H", loca))
        self._hmtx = raw[b"hmtx"]
        self._long = struct.unpack_from(">H", raw[b"hhea"], 34)[0]  # numberOfHMetrics

    def _raw(self, gid: int) -> bytes:
        return self._glyf[self._loca[gid] : self._loca[gid + 1]]

    def metrics(self, gid: int) -> tuple[int, int]:
        """(advance, left side bearing); past numberOfHMetrics the last advance repeats."""
        if gid < self._long:
            return struct.unpack_from(">Hh", self._hmtx, 4 * gid)
        advance = struct.unpack_from(">H", self._hmtx, 4 * (self._long - 1))[0]
        lsb = struct.unpack_from(">h", self._hmtx, 4 * self._long + 2 * (gid - self._long))[0]
        return advance, lsb

    def _components(self, data: bytes) -> list[tuple[int, int]]:
        """(offset of the glyph index, glyph index) of each component of a composite glyph."""
        if len(data) < 10 or struct.unpack_from(">h", data, 0)[0] >= 0:
            return []
        out = []
        at = 10
        while True:
            flags, gid = struct.unpack_from(">HH", data, at)
            out.append((at + 2, gid))
            at += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
            if flags & 0x0008:  # WE_HAVE_A_SCALE
                at += 2
            elif flags & 0x0040:  # WE_HAVE_AN_X_AND_Y_SCALE
                at += 4
            elif flags & 0x0080:  # WE_HAVE_A_TWO_BY_TWO
                at += 8
            if not flags & 0x0020:  # MORE_COMPONENTS
                return out

    def closure(self, gids: list[int]) -> list[int]:
        """``gids`` in order, then every component they use (recursively), each once."""
        order = list(dict.fromkeys(gids))
        seen = set(order)
        i = 0
        while i < len(order):
            for _, part in self._components(self._raw(order[i])):
                if part not in seen:
                    seen.add(part)
                    order.append(part)
            i += 1
        return order

    def data(self, gid: int, new_id: dict[int, int]) -> bytes:
        """The glyph's bytes, a composite's component indices renumbered."""
        data = self._raw(gid)
        parts = self._components(data)
        if not parts:
            return data
        out = bytearray(data)
        for at, part in parts:
            struct.pack_into(">H", out, at, new_id[part])
        return bytes(out)
