"""A TrueType font cut to a set of characters by hand: the very bytes fontTools' subsetter writes.

A batch cuts the fonts it draws with to its characters before rendering can
begin (fonts/subset.py). fontTools parses every table it touches into Python
objects and compiles them back: ~0.05-0.15 s a CJK font, plus 0.08 s to
import the subsetter. The cut itself is byte work: keep the glyphs the
characters need, renumber them, and rewrite the tables that count glyphs.
Done here with struct and slices it is a few milliseconds.

The output must be byte-identical to fontTools' with the options of
subset._cut_fonttools (tests/test_ttfcut.py cuts every font we use both
ways). So each step below mirrors a fontTools step, named in its comment,
and anything this module does not know (CFF outlines, a table it has no
rule for, a cmap format or an odd structure fontTools would repair or
reject) makes ``cut_truetype`` return None: the caller then cuts with
fontTools.
"""

from __future__ import annotations

import mmap
import operator
import struct
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path

from reportlab.lib.rl_accel import calcChecksum

from docgen.fonts.cmapcut import Unsupported, compile_cmap, read_cmaps, search_range, subset_cmaps
from docgen.fonts.sfnt import _directory, ensure_made

# Tables the cut drops (subset._cut_fonttools drops the same): ours, fontTools' default
# drop list, and FFTM (a FontForge timestamp fontTools cannot subset, so drops).
DROP_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG", "kern")
_FONTTOOLS_DROPS = ("EBDT", "EBLC", "EBSC", "PCLT", "LTSH", "Feat", "Glat", "Gloc", "Silf", "Sill")
_DROPPED = frozenset(t.ljust(4).encode() for t in (*DROP_TABLES, *_FONTTOOLS_DROPS, "FFTM"))
# Tables fontTools copies unchanged (its no_subset_tables, hinting kept).
_COPIED = frozenset({b"gasp", b"cvt ", b"fpgm", b"prep"})
_REBUILT = frozenset(
    {b"head", b"hhea", b"maxp", b"OS/2", b"hmtx", b"cmap", b"loca", b"glyf", b"name", b"post"}
)
# TTFont.save's order of the tables' data (fontTools' TTFTableOrder); the rest by tag.
_DATA_ORDER = (
    b"head", b"hhea", b"maxp", b"OS/2", b"hmtx", b"LTSH", b"VDMX", b"hdmx", b"DMAP", b"cmap",
    b"fpgm", b"prep", b"cvt ", b"loca", b"glyf", b"kern", b"name", b"post", b"gasp", b"PCLT",
)  # fmt: skip
_NAME_IDS_RENAMED = (1, 3, 4, 16)  # the family/full/unique names: the cut's name, spaced
_OS2_SIZES = {0: 78, 1: 86, 2: 96, 3: 96, 4: 96, 5: 100}


def cut_truetype(path: Path, index: int, chars: Iterable[str], ps_name: str) -> bytes | None:
    """Face ``index`` of ``path`` cut to ``chars``, named ``ps_name``; None when fontTools must.

    The bytes are those of subset._cut_fonttools for the same arguments.
    """
    ensure_made(path)
    with open(path, "rb") as fh:
        where = _directory(fh, path, index)
        fh.seek(0)
        # Mapped, not read: a CJK font is 5-15 MB, the cut reads a few hundred KB of it.
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            version = mm[0:4] if mm[0:4] != b"ttcf" else _face_version(mm, index)
            try:
                tables = {tag: _Slice(mm, off, length) for tag, (off, length) in where.items()}
                return _cut(version, tables, chars, ps_name)
            except (Unsupported, IndexError, struct.error, ValueError):
                # Unsupported, or a malformed font fontTools may mend, reject or
                # report in its own words: either way its business.
                return None


def _face_version(mm: mmap.mmap, index: int) -> bytes:
    (base,) = struct.unpack_from(">I", mm, 12 + 4 * index)
    return bytes(mm[base : base + 4])


class _Slice:
    """One table of the mapped file: read whole (small tables) or in pieces (glyf)."""

    __slots__ = ("mm", "off", "length")

    def __init__(self, mm: mmap.mmap, off: int, length: int) -> None:
        if off + length > len(mm):
            raise Unsupported("table past the end of the file")
        self.mm, self.off, self.length = mm, off, length

    def whole(self) -> bytes:
        return self.mm[self.off : self.off + self.length]

    def part(self, start: int, end: int) -> bytes:
        return self.mm[self.off + start : self.off + end]


def _cut(version: bytes, tables: dict[bytes, _Slice], chars: Iterable[str], ps: str) -> bytes:
    """The cut font's file, table by table; Unsupported for a font fontTools must cut."""
    tags = set(tables)
    if version not in (b"\x00\x01\x00\x00", b"true"):
        raise Unsupported("not TrueType outlines")
    if not _REBUILT <= tags or tags - _REBUILT - _COPIED - _DROPPED:
        raise Unsupported("a table this module has no rule for")
    head = tables[b"head"].whole()
    maxp = tables[b"maxp"].whole()
    hhea = tables[b"hhea"].whole()
    _check_headers(head, maxp, hhea)
    num_glyphs = struct.unpack_from(">H", maxp, 4)[0]
    glyphs = _Glyphs(tables[b"glyf"], tables[b"loca"].whole(), head, num_glyphs)
    wanted = _requested(chars)
    cmaps = read_cmaps(tables[b"cmap"].whole(), wanted, num_glyphs)

    # Subsetter._closure_glyphs: .notdef, the characters' glyphs, their components.
    keep = {0}
    for _key, _fmt, mapping in cmaps:
        keep.update(mapping.values())
    _close_over_components(keep, glyphs, num_glyphs)
    order = sorted(keep)
    new_id = {old: new for new, old in enumerate(order)}

    glyf_data, locations = _cut_glyf(glyphs, order, new_id)
    out: dict[bytes, bytes] = {tag: tables[tag].whole() for tag in tags & _COPIED}
    out[b"glyf"] = glyf_data
    out[b"loca"], long_loca = _compile_loca(locations)
    out[b"head"] = head[:8] + b"\0\0\0\0" + head[12:50] + struct.pack(">hh", long_loca, 0)
    out[b"maxp"] = maxp[:4] + struct.pack(">H", len(order)) + maxp[6:32]
    hmtx, n_metrics = _cut_hmtx(tables[b"hmtx"].whole(), hhea, num_glyphs, order)
    out[b"hmtx"] = hmtx
    out[b"hhea"] = hhea[:34] + struct.pack(">H", n_metrics)
    subtables = subset_cmaps(cmaps)
    out[b"cmap"] = compile_cmap(subtables, new_id)
    codes = {cp for _key, _fmt, mapping in subtables for cp in mapping}
    out[b"OS/2"] = _cut_os2(tables[b"OS/2"].whole(), codes)
    out[b"post"] = _cut_post(tables[b"post"].whole())
    out[b"name"] = _cut_name(tables[b"name"].whole(), ps)
    return _write_sfnt(version, out)


def _requested(chars: Iterable[str]) -> set[int]:
    """The code points fontTools subsets to: the characters and their bidi mirrors
    (Options.bidi_closure: a "(" asked for brings its ")")."""
    from fontTools.unicodedata import mirrored  # ~7 ms, once a process

    wanted = {ord(ch) for ch in chars}
    if any(0xD800 <= cp <= 0xDFFF for cp in wanted):
        raise Unsupported("a lone surrogate: fontTools refuses it, in its words")
    mirrors = {m for m in map(mirrored, wanted) if m is not None}
    return wanted | mirrors


def _check_headers(head: bytes, maxp: bytes, hhea: bytes) -> None:
    """The fixed-size tables are as fontTools reads and writes them unchanged but for our fields."""
    if len(head) != 54 or head[20:24] != b"\0\0\0\0" or head[28:32] != b"\0\0\0\0":
        raise Unsupported("head: odd size or timestamps fontTools would mend")
    if struct.unpack_from(">h", head, 52)[0] != 0:
        raise Unsupported("head: unknown glyph data format")
    if len(maxp) != 32 or maxp[:4] != b"\x00\x01\x00\x00":
        raise Unsupported("maxp: not version 1.0")
    if len(hhea) != 36 or hhea[:4] != b"\x00\x01\x00\x00":
        raise Unsupported("hhea: not version 1.0")


# --- glyphs --------------------------------------------------------------------


class _Glyphs:
    """The glyf records of the full font, by glyph ID, through its loca."""

    __slots__ = ("glyf", "locs", "scale")

    def __init__(self, glyf: _Slice, loca: bytes, head: bytes, num_glyphs: int) -> None:
        long_loca = struct.unpack_from(">h", head, 50)[0]
        if long_loca not in (0, 1):
            raise Unsupported("head: unknown loca format")
        locs = array("I" if long_loca else "H", loca)
        if locs.itemsize != (4 if long_loca else 2):
            raise Unsupported("no 32-bit array type")
        if sys.byteorder == "little":
            locs.byteswap()
        self.glyf, self.locs, self.scale = glyf, locs, 1 if long_loca else 2
        # fontTools reads every glyph and rejects a loca running backwards or past glyf.
        if len(locs) != num_glyphs + 1 or locs[-1] * self.scale > glyf.length:
            raise Unsupported("loca does not match maxp or glyf")
        if any(map(operator.gt, locs, locs[1:])):
            raise Unsupported("loca runs backwards")

    def __getitem__(self, gid: int) -> bytes:
        return self.glyf.part(self.locs[gid] * self.scale, self.locs[gid + 1] * self.scale)


_ARGS_ARE_WORDS, _HAVE_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO, _INSTRUCTIONS = (
    0x0001, 0x0008, 0x0020, 0x0040, 0x0080, 0x0100,
)  # fmt: skip


def _components(data: bytes | bytearray) -> list[int]:
    """Byte offsets of a composite glyph's component glyph IDs (Glyph.getComponentNames)."""
    at, i, more = [], 10, True
    while more:
        more = bool(((data[i] << 8) | data[i + 1]) & _MORE)
        at.append(i + 2)
        i = _component_end(data, i)
    if i > len(data):
        raise Unsupported("composite glyph cut short")
    return at


def _contours(data: bytes | bytearray) -> int:
    count = struct.unpack_from(">h", data, 0)[0] if data else 0
    if count < -1:
        raise Unsupported("glyph with an unknown number of contours")
    return count


def _close_over_components(keep: set[int], glyphs: _Glyphs, num_glyphs: int) -> None:
    """Add the glyphs the kept composite glyphs are built of, to any depth (glyf.closure_glyphs)."""
    todo = set(keep)
    while todo:
        found: set[int] = set()
        for gid in todo:
            data = glyphs[gid]
            if _contours(data) == -1:
                for at in _components(data):
                    found.add((data[at] << 8) | data[at + 1])
        if any(g >= num_glyphs for g in found):
            raise Unsupported("component glyph past the font's glyphs")
        todo = found - keep
        keep |= todo


def _trimmed(data: bytes | bytearray) -> bytes | bytearray:
    """A glyph without the padding after its last byte (Glyph.trim, hinting kept)."""
    count = _contours(data)
    if count == 0:  # no outline: the instructions alone, if any
        i = 12 + ((data[10] << 8) | data[11]) if len(data) >= 12 else 10
        return data[:i]
    if count == -1:
        at = _components(data)
        i = _component_end(data, at[-1] - 2)
        if any(((data[a - 2] << 8) | data[a - 1]) & _INSTRUCTIONS for a in at):
            i += 2 + ((data[i] << 8) | data[i + 1])
        return data[:i]
    i = 10 + 2 * count
    n_points = ((data[i - 2] << 8) | data[i - 1]) + 1
    i += 2 + ((data[i] << 8) | data[i + 1])
    return data[: _points_end(data, i, n_points)]


# A flag's repeat bit, and the bytes its point's x and y take (1 short, 0 same, 2 long).
_REPEATS = bytes(flag >> 3 & 1 for flag in range(256))
_COORD_BYTES = bytes(
    (1 if flag & 0x02 else 0 if flag & 0x10 else 2)
    + (1 if flag & 0x04 else 0 if flag & 0x20 else 2)
    for flag in range(256)
)


def _points_end(data: bytes | bytearray, i: int, n_points: int) -> int:
    """The end of a simple glyph whose flags start at ``i``: its flags, then its coordinates.

    Runs of flags without the repeat bit are summed by the C loops of translate
    and sum: a CJK glyph has hundreds of points, a few repeats.
    """
    repeats = data.translate(_REPEATS)
    sizes = data.translate(_COORD_BYTES)
    coord_bytes = points = 0
    while points < n_points:
        stop = i + n_points - points  # where the flags end if none repeats from here
        j = repeats.find(1, i, stop)
        if j < 0:
            coord_bytes += sum(sizes[i:stop])
            points, i = n_points, stop
            break
        coord_bytes += sum(sizes[i:j]) + sizes[j] * (data[j + 1] + 1)
        points += j - i + data[j + 1] + 1
        i = j + 2
    if points != n_points or i + coord_bytes > len(data):
        raise Unsupported("bad glyph flags")
    return i + coord_bytes


def _component_end(data: bytes | bytearray, i: int) -> int:
    """The offset after the component record starting at ``i``."""
    flags = (data[i] << 8) | data[i + 1]
    i += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
    if flags & _HAVE_SCALE:
        return i + 2
    if flags & _XY_SCALE:
        return i + 4
    if flags & _TWO_BY_TWO:
        return i + 8
    return i


def _cut_glyf(glyphs: _Glyphs, order: list[int], new_id: dict[int, int]) -> tuple[bytes, list[int]]:
    """The kept glyphs, components renumbered and padding trimmed, and their offsets.

    glyf.subset_glyphs (remapComponentsFast), prune_post_subset (trim) and
    glyf.compile with its default padding: odd lengths get a zero byte when
    that lets loca use short offsets.
    """
    pieces: list[bytes | bytearray] = []
    for gid in order:
        data: bytes | bytearray = glyphs[gid]
        if data and _contours(data) == -1:
            data = bytearray(data)
            for at in _components(data):
                data[at : at + 2] = new_id[(data[at] << 8) | data[at + 1]].to_bytes(2, "big")
        pieces.append(_trimmed(data) if data else b"")
    total = sum(len(p) for p in pieces)
    odd = [i for i, p in enumerate(pieces) if len(p) % 2]
    if total < 0x20000 and odd and total + len(odd) < 0x20000:
        for i in odd:
            pieces[i] = bytes(pieces[i]) + b"\0"
    locations = [0]
    for p in pieces:
        locations.append(locations[-1] + len(p))
    return b"".join(pieces) or b"\0", locations


def _compile_loca(locations: list[int]) -> tuple[bytes, int]:
    """loca.compile: short offsets when they can hold every offset; head's indexToLocFormat."""
    if max(locations) < 0x20000 and all(v % 2 == 0 for v in locations):
        arr = array("H", (v // 2 for v in locations))
        long_loca = 0
    else:
        arr = array("I", locations)
        long_loca = 1
    if sys.byteorder == "little":
        arr.byteswap()
    return arr.tobytes(), long_loca


def _cut_hmtx(data: bytes, hhea: bytes, num_glyphs: int, order: list[int]) -> tuple[bytes, int]:
    """hmtx of the kept glyphs, trailing equal advances folded (hmtx.compile)."""
    n_metrics = struct.unpack_from(">H", hhea, 34)[0]
    if not 0 < n_metrics <= num_glyphs or len(data) < 2 * (n_metrics + num_glyphs):
        raise Unsupported("hmtx does not match hhea and maxp")
    metrics = []
    last_advance = struct.unpack_from(">H", data, 4 * (n_metrics - 1))[0]
    for gid in order:
        if gid < n_metrics:
            metrics.append(struct.unpack_from(">Hh", data, 4 * gid))
        else:
            lsb = struct.unpack_from(">h", data, 4 * n_metrics + 2 * (gid - n_metrics))[0]
            metrics.append((last_advance, lsb))
    last = metrics[-1][0]
    count = len(metrics)
    while metrics[count - 2][0] == last:
        count -= 1
        if count <= 1:
            count = 1
            break
    longs = b"".join(struct.pack(">Hh", *m) for m in metrics[:count])
    shorts = struct.pack(f">{len(metrics) - count}h", *(lsb for _, lsb in metrics[count:]))
    return longs + shorts, count


# --- the other tables ---------------------------------------------------------------


def _cut_os2(data: bytes, codes: set[int]) -> bytes:
    """OS/2 with the Unicode and code page bits the kept characters no longer touch cleared
    (prune_unicode_ranges, prune_codepage_ranges) and the first and last character updated."""
    # fontTools' own tables of ranges: already loaded with fontTools.ttLib (fonts/metrics.py).
    from fontTools.ttLib.tables.O_S_2f_2 import calcCodePageRanges, intersectUnicodeRanges

    version = struct.unpack_from(">H", data, 0)[0]
    size = _OS2_SIZES.get(version)
    if size is None or len(data) < size:
        raise Unsupported("OS/2: unknown version or cut short")
    out = bytearray(data[:size])
    words = struct.unpack_from(">4I", out, 42)
    bits = {32 * w + b for w in range(4) for b in range(32) if words[w] >> b & 1}
    bits -= intersectUnicodeRanges(codes, inverse=True)
    struct.pack_into(">4I", out, 42, *(_bits_word(bits, w) for w in range(4)))
    if version >= 1:
        words = struct.unpack_from(">2I", out, 78)
        pages = {32 * w + b for w in range(2) for b in range(32) if words[w] >> b & 1}
        pages &= calcCodePageRanges(codes)
        struct.pack_into(">2I", out, 78, *(_bits_word(pages or {0}, w) for w in range(2)))
    if codes:
        struct.pack_into(">HH", out, 64, min(0xFFFF, min(codes)), min(0xFFFF, max(codes)))
    return bytes(out)


def _bits_word(bits: set[int], word: int) -> int:
    return sum(1 << (b - 32 * word) for b in bits if 32 * word <= b < 32 * word + 32)


def _cut_post(data: bytes) -> bytes:
    """post format 3: the header alone, no glyph names (glyph_names=False)."""
    if len(data) < 32 or data[:4] not in (b"\0\1\0\0", b"\0\2\0\0", b"\0\3\0\0"):
        raise Unsupported("post: unknown format")
    return b"\0\3\0\0" + data[4:32]


def _cut_name(data: bytes, ps: str) -> bytes:
    """name: Unicode records of IDs below 256 (name_IDs=['*'], name_legacy off), the family,
    full and PostScript names the cut's own (subset._rename_cut), sorted and compiled as
    table__n_a_m_e.compile does (equal strings stored once)."""
    fmt, count, strings = struct.unpack_from(">HHH", data, 0)
    if fmt != 0:
        raise Unsupported("name: format 1")
    records = []
    for i in range(count):
        pid, eid, lang, nid, length, off = struct.unpack_from(">6H", data, 6 + 12 * i)
        raw = data[strings + off : strings + off + length]
        if len(raw) != length:
            raise Unsupported("name: a string past the table")
        if nid >= 256 or not (pid == 0 or (pid == 3 and eid in (0, 1, 10))):
            continue
        if nid == 6:
            raw = ps.encode("utf_16_be")
        elif nid in _NAME_IDS_RENAMED:
            raw = ps.replace("-", " ").encode("utf_16_be")
        records.append((pid, eid, lang, nid, raw))
    records.sort()
    table = [struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))]
    pool: list[bytes] = []
    at: dict[bytes, int] = {}
    size = 0
    for pid, eid, lang, nid, raw in records:
        if raw not in at:
            at[raw] = size
            size += len(raw)
            pool.append(raw)
        table.append(struct.pack(">6H", pid, eid, lang, nid, len(raw), at[raw]))
    return b"".join(table + pool)


# --- the file -------------------------------------------------------------------------


# A table's checksum: reportlab's (C), which its subsets and render/pdffonts use too.
_checksum = calcChecksum


def _write_sfnt(version: bytes, tables: dict[bytes, bytes]) -> bytes:
    """TTFont.save: directory by tag, data in the recommended order, each padded to 4 bytes,
    head's checkSumAdjustment making the file's sum 0xB1B0AFBA."""
    tags = sorted(tables)
    order = [t for t in _DATA_ORDER if t in tables] + [t for t in tags if t not in _DATA_ORDER]
    offset = 12 + 16 * len(tags)
    where: dict[bytes, int] = {}
    for tag in order:
        where[tag] = offset
        offset += (len(tables[tag]) + 3) & ~3
    sums = {tag: _checksum(tables[tag]) for tag in tags}  # head's with its adjustment zero
    directory = version + struct.pack(">HHHH", len(tags), *search_range(len(tags), 16))
    directory += b"".join(
        struct.pack(">4sIII", tag, sums[tag], where[tag], len(tables[tag])) for tag in tags
    )
    adjustment = (0xB1B0AFBA - sum(sums.values()) - _checksum(directory)) & 0xFFFFFFFF
    head = tables[b"head"]
    tables[b"head"] = head[:8] + struct.pack(">I", adjustment) + head[12:]
    return directory + b"".join(tables[tag] + b"\0" * (-len(tables[tag]) % 4) for tag in order)
