"""A PDF's embedded fonts as reportlab writes them, in less time.

reportlab cuts a TrueType subset, writes its ToUnicode CMap and formats its
four PDF objects afresh for every document, object by object through its
generic format(). Here each step gives reportlab's bytes (tests/test_pdf_subsets.py
and tests/test_pdf_fonts.py compare them with reportlab's own), from the
font's tables read once, with what recurs across a batch (the title's and
the page numbers' subsets) remembered. render/pdf.py installs these while a
document is saved.
"""

from __future__ import annotations

import itertools
import operator
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

from reportlab import rl_config
from reportlab.lib.rl_accel import calcChecksum
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from docgen.fonts.cmapcut import search_range


def _pack(data: bytes) -> bytes:
    """zlib at level 1, as every stream of docgen's PDFs (render/pdf.py's _tuned_save says why)."""
    return zlib.compress(data, 1)


# Streams reportlab writes itself (a page's, an image's), compressed once when the
# same one recurs. The fonts' streams are remembered with their objects (_WRITTEN).
_deflate = lru_cache(maxsize=32)(_pack)


class Deflate:
    """zlib as reportlab's pdfdoc calls it, at level 1, remembering recent results."""

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    @staticmethod
    def compress(data: bytes, level: int = 1) -> bytes:
        return _deflate(bytes(data))


def remember_subsets(rl_font: TTFont) -> None:
    """Build each distinct font subset once per process, and each one quickly.

    reportlab cuts a fresh TrueType subset for every document, though the
    same glyphs (a batch's mark, form title and page numbers) recur in every
    one; the cut depends only on the glyphs, so it is kept for reuse. The
    cut itself is _SubsetMaker's: the same bytes as reportlab's makeSubset.
    """
    face = rl_font.face
    if getattr(face, "_docgen_subsets", None) is not None:
        return
    made: dict[tuple[int, ...], bytes] = {}
    cut = _SubsetMaker(face)

    def make_subset(subset: list[int]) -> bytes:
        key = tuple(subset)
        data = made.get(key)
        if data is None:
            if len(made) >= 64:
                made.clear()
            data = made[key] = cut(subset)
        return data

    face.makeSubset = make_subset
    face._docgen_subsets = made


_T = TypeVar("_T")

_COMPOSITE_ARGS = (
    (ttfonts.GF_WE_HAVE_A_SCALE, 2),
    (ttfonts.GF_WE_HAVE_AN_X_AND_Y_SCALE, 4),
    (ttfonts.GF_WE_HAVE_A_TWO_BY_TWO, 8),
)


class _SubsetMaker:
    """reportlab's TTFontFace.makeSubset, the font's tables read once instead of once a subset.

    reportlab reads the tables it copies (and the whole glyf table: a
    cut font's few hundred KB, a full CJK font's 5-15 MB) out of the font
    file on every subset, and walks the glyphs through its file cursor.
    Here they are taken once per face and the glyphs sliced directly; the
    algorithm and the bytes are reportlab's (tests/test_pdf_subsets.py
    compares the two on random subsets of every bundled font).
    """

    def __init__(self, face: Any) -> None:  # reportlab's TTFontFace
        self.char_to_glyph: dict[int, int] = face.charToGlyph
        self.glyph_pos: list[int] = face.glyphPos
        self.hmetrics = [(int(advance), int(lsb)) for advance, lsb in face.hmetrics]
        self.glyf: bytes = bytes(face.get_table("glyf"))
        tables = face.table
        # Copied as they are (cvt, fpgm and prep are optional), with their checksums.
        copied = [
            (tag, bytes(face.get_table(tag)))
            for tag in ("name", "OS/2", "cvt ", "fpgm", "prep")
            if tag in tables
        ]
        copied.append(
            ("post", b"\x00\x03\x00\x00" + bytes(face.get_table("post"))[4:16] + b"\0" * 16)
        )
        self.copied = {tag: _table(data) for tag, data in copied}
        self.hhea = bytes(face.get_table("hhea"))
        self.maxp = bytes(face.get_table("maxp"))
        # checkSumAdjustment zeroed, as reportlab's TTFontMaker adds a head table
        self.head = ttfonts.splice(bytes(face.get_table("head")), 8, b"\0\0\0\0")
        self._composite: set[int] = set()
        self._glyphs: _Glyphs[bytes] = _Glyphs(self._glyph)  # old glyph index → its padded data
        # old glyph index → its checksum: the glyf table's is their sum, each glyph being
        # padded to 4 bytes
        self._sums: _Glyphs[int] = _Glyphs(lambda old: calcChecksum(self._glyphs[old]))

    def _components(self, data: bytes) -> Iterator[tuple[int, int]]:
        """(offset of the glyph index, glyph index) of each component of a composite glyph."""
        at = 10
        flags = ttfonts.GF_MORE_COMPONENTS
        while flags & ttfonts.GF_MORE_COMPONENTS:
            flags, index = _USHORT2.unpack_from(data, at)
            yield at + 2, index
            at += 8 if flags & ttfonts.GF_ARG_1_AND_2_ARE_WORDS else 6
            for flag, size in _COMPOSITE_ARGS:
                if flags & flag:
                    at += size
                    break

    def _glyph(self, old: int) -> bytes:
        """A glyph's data padded to 4 bytes as the subset's glyf table holds it; a composite
        glyph (its component indices are renumbered per subset) is noted in ``_composite``."""
        start, end = self.glyph_pos[old], self.glyph_pos[old + 1]
        data = self.glyf[start:end]
        if end - start > 2 and _SHORT.unpack_from(data, 0)[0] < 0:
            self._composite.add(old)
        # Every glyph starts on a 4-byte boundary, so each one's padding is its own.
        return data + b"\0" * (-len(data) % 4)

    def __call__(self, subset: list[int]) -> bytes:
        olds = [0, *map(self.char_to_glyph.get, subset, itertools.repeat(0))]
        glyph_map = list(dict.fromkeys(olds))  # new glyph index → old, in order of first use
        glyph_set = {old: new for new, old in enumerate(glyph_map)}  # old → new
        datas = list(map(self._glyphs.__getitem__, glyph_map))  # notes the composite ones
        if self._composite.isdisjoint(glyph_map):
            glyf_sum = sum(map(self._sums.__getitem__, glyph_map))
        else:
            datas = self._with_components(glyph_map, glyph_set)
            glyf_sum = sum(map(calcChecksum, datas))
        hmtx = list(itertools.chain.from_iterable(map(self.hmetrics.__getitem__, glyph_map)))
        # As reportlab: the full pairs up to the last run of equal advances, then the lsbs.
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries]
        cmap += map(glyph_set.__getitem__, olds[1:])
        offsets = [0, *itertools.accumulate(map(len, datas))]
        if (offsets[-1] + 1) >> 1 > 0xFFFF:
            loc_format, loca = 1, struct.pack(f">{len(offsets)}L", *offsets)
        else:
            loc_format, loca = 0, struct.pack(f">{len(offsets)}H", *[o >> 1 for o in offsets])
        made = {
            "hmtx": struct.pack(f">{len(hmtx)}H", *hmtx),
            "hhea": ttfonts._set_ushort(self.hhea, 34, n >> 1),
            "maxp": ttfonts._set_ushort(self.maxp, 4, len(glyph_map)),
            "cmap": struct.pack(f">{len(cmap)}H", *cmap),
            "loca": loca,
            "head": ttfonts._set_ushort(self.head, 50, loc_format),
        }
        tables = {tag: _table(data) for tag, data in made.items()}
        tables.update(self.copied)
        tables["glyf"] = (datas, offsets[-1], glyf_sum & 0xFFFFFFFF)  # each glyph padded already
        return _font_file(tables)

    def _with_components(self, glyph_map: list[int], glyph_set: dict[int, int]) -> list[bytes]:
        """The glyphs composite glyphs are made of, added to the subset (``glyph_map`` grows as
        it is read, as in reportlab); each glyph's data with its components renumbered."""
        glyphs, composite = self._glyphs, self._composite
        n = 0
        while n < len(glyph_map):
            old = glyph_map[n]
            n += 1
            data = glyphs[old]
            if old in composite:
                for _, index in self._components(data):
                    if index not in glyph_set:
                        glyph_set[index] = len(glyph_map)
                        glyph_map.append(index)
        datas = []
        for old in glyph_map:
            data = glyphs[old]
            if old in composite:
                for at, index in list(self._components(data)):
                    data = ttfonts._set_ushort(data, at, glyph_set[index])
            datas.append(data)
        return datas


class _Glyphs(dict[int, _T]):
    """Something of each of a face's glyphs (its data as a subset's glyf table holds it, its
    checksum) by glyph index, worked out on first use."""

    def __init__(self, read: Callable[[int], _T]) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, old: int) -> _T:
        data = self[old] = self._read(old)
        return data


# A font table for _font_file: its data (in pieces), its length and its checksum.
_Table = tuple[list[bytes], int, int]


def _table(data: bytes) -> _Table:
    return [data], len(data), calcChecksum(data)


def _font_file(tables: dict[str, _Table]) -> bytes:
    """reportlab's TTFontMaker.makeStream, from tables whose checksums are known: the file's
    own checksum is theirs and the directory's added up, not read again, and the file is
    joined once, the head table's checkSumAdjustment set before."""
    items = sorted(tables.items())
    count = len(items)
    directory = [struct.pack(">lHHHH", 0x10000, count, *search_range(count, 16))]
    offset = 12 + count * 16
    total = 0
    for tag, (_, length, checksum) in items:
        directory.append(tag.encode("latin1") + struct.pack(">LLL", checksum, offset, length))
        offset += length + (-length % 4)
        total += checksum
    head = b"".join(directory)
    total += calcChecksum(head)
    adjustment = struct.pack(">L", (0xB1B0AFBA - total) & 0xFFFFFFFF)
    out = [head]
    for tag, (parts, length, _) in items:
        if tag == "head":
            parts = [ttfonts.splice(b"".join(parts), 8, adjustment)]
        out += parts
        out.append(b"\0" * (-length % 4))  # each table padded to 4 bytes
    return b"".join(out)


_SHORT = struct.Struct(">h")
_USHORT2 = struct.Struct(">HH")


def _utf16_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants: a surrogate pair past U+FFFF."""
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


# The ToUnicode lines of a subset: "<index> <code>", the index part and the code part each
# worked out once per process rather than once per character per document.
_CMAP_INDEX = tuple(f"<{i:02X}> <" for i in range(256))


class _CmapCodes(dict[int, str]):
    """code point → its ToUnicode text, worked out on first use."""

    def __missing__(self, code: int) -> str:
        if len(self) >= 65536:  # bounded: the web server is long-running
            self.clear()
        text = self[code] = _utf16_hex(code) + ">"
        return text


_CMAP_CODES = _CmapCodes()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters past the BMP (𠇔) as surrogate pairs.

    reportlab writes ``<%04X>``, which for U+201D4 gives five hex digits that
    readers take for U+201D (”): copy and paste, search and screen readers
    then lose every CJK Extension B name.
    """
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            # A subset has at most 256 codes, one per index.
            *map(operator.add, _CMAP_INDEX, map(_CMAP_CODES.__getitem__, subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class Written(pdfdoc.PDFObject):
    """A PDF object whose bytes are already written (in pieces), handed to reportlab's PDFDocument.

    reportlab asks each object for its format(); this one answers with what it
    holds (render/pdfsave.py takes the pieces as they are, not joined). Only at
    the top level, as reportlab's own font objects: the page's font dictionary
    refers to the font rather than holding it (__RefOnly__).
    """

    __RefOnly__ = 1

    def __init__(self) -> None:
        self.parts: tuple[bytes, ...] = ()

    def format(self, document: object) -> bytes:
        return b"".join(self.parts)


_REPORTLAB_ADD_OBJECTS = TTFont.addObjects

# A subset's four objects by everything their bytes depend on; a batch's
# recurring subsets stay (least recently used goes first). Bounded: the web
# server is long-running. Filled and read under render/pdf.py's save lock.
_WRITTEN: OrderedDict[tuple[object, ...], tuple[tuple[bytes, ...], ...]] = OrderedDict()
_WRITTEN_MAX = 32


def add_font_objects(font: TTFont, doc: pdfdoc.PDFDocument) -> None:
    """reportlab's TTFont.addObjects, each subset's four objects written as bytes.

    Per subset, as reportlab: its ToUnicode CMap, its font file, its
    FontDescriptor and its font dictionary, registered under reportlab's
    names in reportlab's order, so they get reportlab's object numbers. Their
    bytes depend on the subset, the names and those numbers alone, which key
    the memo. A document written otherwise than render_pdf writes (comments,
    one value a line, no compression, encryption) goes to reportlab.
    """
    state = font.state.get(doc)
    if state is None or not _plain(doc):
        _REPORTLAB_ADD_OBJECTS(font, doc)
        return
    face = font.face
    state.frozen = 1
    fonts = doc.idToObject["BasicFonts"].dict
    for n, subset in enumerate(state.subsets):
        internal = font.getSubsetInternalName(n, doc)[1:]
        base, names = _subset_names(face, n, internal)
        objects = [Written() for _ in names]
        for obj, name in zip(objects, names):
            doc.Reference(obj, name)
        numbers = tuple(nv[0] for nv in map(doc.idToObjectNumberAndVersion.__getitem__, names))
        key = (face, tuple(subset), internal, base, numbers)
        written = _WRITTEN.get(key)
        if written is None:
            written = _WRITTEN[key] = _subset_objects(face, subset, internal, base, numbers)
            if len(_WRITTEN) > _WRITTEN_MAX:
                _WRITTEN.popitem(last=False)
        else:
            _WRITTEN.move_to_end(key)
        for obj, parts in zip(objects, written):
            obj.parts = parts
        fonts[internal] = objects[3]
    del font.state[doc]


@lru_cache(maxsize=256)
def _subset_names(face: Any, n: int, internal: str) -> tuple[str, tuple[str, str, str, str]]:
    """A subset's base font name and its four objects' names, as reportlab's addObjects
    names them (the same in every document that gives the subset the same internal name)."""
    base = (ttfonts.SUBSETN(n) + b"+" + face.name + face.subfontNameX).decode("pdfdoc")
    names = (
        "toUnicodeCMap:" + base,
        f"fontFile:{face.filename}({base})",
        "fontDescriptor:" + base,
        internal,
    )
    return base, names


def _plain(doc: pdfdoc.PDFDocument) -> bool:
    """Whether reportlab would write this document's font objects as _subset_objects does."""
    comments = rl_config.pdfComments and not rl_config.invariant
    return (
        not comments
        and not rl_config.pdfMultiLine
        and bool(doc.compression)
        and type(doc.encrypt) is pdfdoc.NoEncryption
    )


def _subset_objects(
    face: Any, subset: list[int], internal: str, base: str, numbers: tuple[int, ...]
) -> tuple[tuple[bytes, ...], ...]:
    """What a subset's ToUnicode, font file, FontDescriptor and font objects hold, as reportlab
    writes them, in pieces (each one's number and ``endobj`` are added around them)."""
    cmap_number, file_number, descriptor_number, _ = numbers
    cut = face.makeSubset(subset)
    widths = _widths_text(face)
    base_name = _name(base)
    font = (
        b"<<\n/BaseFont %s /FirstChar 0 /FontDescriptor %d 0 R /LastChar %d /Name %s"
        b" /Subtype /TrueType \n  /ToUnicode %d 0 R /Type /Font /Widths %s\n>>"
        % (
            base_name,
            descriptor_number,
            len(subset) - 1,
            _name(internal),
            cmap_number,
            _array([widths[code] for code in subset]),
        )
    )
    return (
        _stream(to_unicode_cmap(base, subset).encode("utf8")),
        _stream(cut, b" /Length1 %d" % len(cut)),
        (_descriptor(face, base_name, file_number),),
        (font,),
    )


def _stream(data: bytes, extra: bytes = b"") -> tuple[bytes, ...]:
    """A FlateDecode stream as reportlab's PDFStream writes it; ``extra``: more entries."""
    packed = _pack(data)  # not _deflate: the memo would hash each font file's 80 KB
    head = b"<<\n/Filter [ /FlateDecode ] /Length %d%s\n>>\nstream\n" % (len(packed), extra)
    return head, packed, b"endstream\n"


def _name(text: str) -> bytes:
    """A PDF name as reportlab's PDFName writes it."""
    return pdfdoc.pdfdocEnc(pdfdoc.PDFName(text))


def _value(value: object) -> bytes:
    """A number (or other plain value) as reportlab's format writes it."""
    return pdfdoc.format(value, None)


def _array(items: list[bytes]) -> bytes:
    """reportlab's PDFArray of already written items: a line break every 10."""
    lines = [b" ".join(items[i : i + 10]) for i in range(0, len(items), 10)]
    return b"[ " + b" \n  ".join(lines) + b" ]"


@lru_cache(maxsize=64)
def _descriptor(face: Any, base_name: bytes, file_number: int) -> bytes:
    """reportlab's FontDescriptor of a subset (addSubsetObjects): the face's figures."""
    flags = face.flags & ~ttfonts.FF_NONSYMBOLIC | ttfonts.FF_SYMBOLIC
    entries = [
        b"/Ascent " + _value(face.ascent),
        b"/CapHeight " + _value(face.capHeight),
        b"/Descent " + _value(face.descent),
        b"/Flags " + _value(flags),
        b"/FontBBox " + _array([_value(v) for v in face.bbox]),
        b"/FontFile2 %d 0 R" % file_number,
        b"/FontName " + base_name,
        b"/ItalicAngle " + _value(face.italicAngle),
        b"/MissingWidth " + _value(face.defaultWidth),
        b"/StemV " + _value(face.stemV),
        b"/Type /FontDescriptor",
    ]
    return b"<<\n" + b" ".join(entries[:6]) + b" \n  " + b" ".join(entries[6:]) + b"\n>>"


class _WidthText(dict[int, bytes]):
    """A face's advance widths as a font dictionary's Widths write them, by code point."""

    def __init__(self, face: Any) -> None:
        super().__init__()
        self._width = face.getCharWidth

    def __missing__(self, code: int) -> bytes:
        text = self[code] = _value(self._width(code))
        return text


def _widths_text(face: Any) -> _WidthText:
    """The face's _WidthText, made on first use (at most one entry per character it has)."""
    widths = getattr(face, "_docgen_widths", None)
    if widths is None:
        widths = face._docgen_widths = _WidthText(face)
    return widths
