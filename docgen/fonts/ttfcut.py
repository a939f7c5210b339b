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
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

from docgen.fonts.sfnt import _directory, ensure_made

# Tables the cut drops: subset._cut_fonttools' drop list, fontTools' default
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


class _Unsupported(Exception):
    """The font is outside what this module reproduces: fontTools cuts it."""


def cut_truetype(path: Path, index: int, chars: Iterable[str], ps_name: str) -> bytes | None:
    """Face ``index`` of ``path`` cut to ``chars``, named ``ps_name``; None when fontTools must.

    The bytes are those of subset._cut_fonttools for the same arguments.
    """
    ensure_made(path)
    with open(path, "rb") as fh:
        where = _directory(fh, path, index)
        fh.seek(0)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            version = mm[0:4] if mm[0:4] != b"ttcf" else _face_version(mm, index)
            tables = {tag: (off, length) for tag, (off, length) in where.items()}
            try:
                return _cut(version, {t: _Slice(mm, *tables[t]) for t in tables}, chars, ps_name)
            except (_Unsupported, IndexError, struct.error, ValueError):
                return None


def _face_version(mm: mmap.mmap, index: int) -> bytes:
    (base,) = struct.unpack_from(">I", mm, 12 + 4 * index)
    return bytes(mm[base : base + 4])


class _Slice:
    """One table of the mapped file: read whole (small tables) or in pieces (glyf)."""

    __slots__ = ("mm", "off", "length")

    def __init__(self, mm: mmap.mmap, off: int, length: int) -> None:
        if off + length > len(mm):
            raise _Unsupported("table past the end of the file")
        self.mm, self.off, self.length = mm, off, length

    def whole(self) -> bytes:
        return self.mm[self.off : self.off + self.length]

    def part(self, start: int, end: int) -> bytes:
        return self.mm[self.off + start : self.off + end]


def _cut(version: bytes, tables: dict[bytes, _Slice], chars: Iterable[str], ps: str) -> bytes:
    tags = set(tables)
    if version not in (b"\x00\x01\x00\x00", b"true"):
        raise _Unsupported("not TrueType outlines")
    if not _REBUILT <= tags or tags - _REBUILT - _COPIED - _DROPPED:
        raise _Unsupported("a table this module has no rule for")
    head = tables[b"head"].whole()
    maxp = tables[b"maxp"].whole()
    hhea = tables[b"hhea"].whole()
    _check_headers(head, maxp, hhea)
    num_glyphs = struct.unpack_from(">H", maxp, 4)[0]
    glyphs = _Glyphs(tables[b"glyf"], tables[b"loca"].whole(), head, num_glyphs)
    wanted = _requested(chars)
    cmaps = _read_cmaps(tables[b"cmap"].whole(), wanted, num_glyphs)

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
    subtables = _subset_cmaps(cmaps)
    out[b"cmap"] = _compile_cmap(subtables, new_id)
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
    mirrors = {mirrored(cp) for cp in wanted}
    mirrors.discard(None)
    return wanted | mirrors  # type: ignore[operator]


def _check_headers(head: bytes, maxp: bytes, hhea: bytes) -> None:
    """The fixed-size tables are as fontTools reads and writes them unchanged but for our fields."""
    if len(head) != 54 or head[20:24] != b"\0\0\0\0" or head[28:32] != b"\0\0\0\0":
        raise _Unsupported("head: odd size or timestamps fontTools would mend")
    if struct.unpack_from(">h", head, 52)[0] != 0:
        raise _Unsupported("head: unknown glyph data format")
    if len(maxp) != 32 or maxp[:4] != b"\x00\x01\x00\x00":
        raise _Unsupported("maxp: not version 1.0")
    if len(hhea) != 36 or hhea[:4] != b"\x00\x01\x00\x00":
        raise _Unsupported("hhea: not version 1.0")


# --- glyphs --------------------------------------------------------------------


class _Glyphs:
    """The glyf records of the full font, by glyph ID, through its loca."""

    __slots__ = ("glyf", "locs", "scale")

    def __init__(self, glyf: _Slice, loca: bytes, head: bytes, num_glyphs: int) -> None:
        long_loca = struct.unpack_from(">h", head, 50)[0]
        if long_loca not in (0, 1):
            raise _Unsupported("head: unknown loca format")
        locs = array("I" if long_loca else "H", loca)
        if locs.itemsize != (4 if long_loca else 2):
            raise _Unsupported("no 32-bit array type")
        if sys.byteorder == "little":
            locs.byteswap()
        self.glyf, self.locs, self.scale = glyf, locs, 1 if long_loca else 2
        # fontTools reads every glyph and rejects a loca running backwards or past glyf.
        if len(locs) != num_glyphs + 1 or locs[-1] * self.scale > glyf.length:
            raise _Unsupported("loca does not match maxp or glyf")
        if any(map(operator.gt, locs, locs[1:])):
            raise _Unsupported("loca runs backwards")

    def __getitem__(self, gid: int) -> bytes:
        return self.glyf.part(self.locs[gid] * self.scale, self.locs[gid + 1] * self.scale)


_ARGS_ARE_WORDS, _HAVE_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO, _INSTRUCTIONS = (
    0x0001, 0x0008, 0x0020, 0x0040, 0x0080, 0x0100,
)  # fmt: skip


def _components(data: bytes | bytearray) -> list[int]:
    """Byte offsets of a composite glyph's component glyph IDs (Glyph.getComponentNames)."""
    at, i, more = [], 10, True
    while more:
        flags = (data[i] << 8) | data[i + 1]
        at.append(i + 2)
        i += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            i += 2
        elif flags & _XY_SCALE:
            i += 4
        elif flags & _TWO_BY_TWO:
            i += 8
        more = bool(flags & _MORE)
    if i > len(data):
        raise _Unsupported("composite glyph cut short")
    return at


def _contours(data: bytes) -> int:
    count = struct.unpack_from(">h", data, 0)[0] if data else 0
    if count < -1:
        raise _Unsupported("glyph with an unknown number of contours")
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
            raise _Unsupported("component glyph past the font's glyphs")
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
    (1 if flag & 0x02 else 0 if flag & 0x10 else 2) + (1 if flag & 0x04 else 0 if flag & 0x20 else 2)
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
        raise _Unsupported("bad glyph flags")
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


def _cut_glyf(
    glyphs: _Glyphs, order: list[int], new_id: dict[int, int]
) -> tuple[bytes, list[int]]:
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
        raise _Unsupported("hmtx does not match hhea and maxp")
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


# --- character maps --------------------------------------------------------------

# (platformID, platEncID, language), format, {code point: glyph ID in the full font}
_Cmap = tuple[tuple[int, int, int], int, dict[int, int]]


def _read_cmaps(data: bytes, wanted: set[int], num_glyphs: int) -> list[_Cmap]:
    """The Unicode subtables the cut keeps, each mapping the wanted characters it has.

    cmap.prune_pre_subset keeps Unicode subtables but Symbol (3,0) and format 0;
    subset_glyphs keeps in each the requested characters. Looked up one by one:
    a CJK font maps 30,000 characters, a batch wants a few hundred.
    """
    version, count = struct.unpack_from(">HH", data, 0)
    if version != 0:
        raise _Unsupported("cmap: unknown version")
    out: list[_Cmap] = []
    read: dict[int, dict[int, int]] = {}  # by offset: subtables often share one (Unicode, Windows)
    for i in range(count):
        pid, eid, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, off)[0]
        length = _subtable_length(data, off, fmt)
        if not length or off + length > len(data):
            raise _Unsupported("cmap: subtable empty or cut short")
        if not (pid == 0 or (pid == 3 and eid in (1, 10))) or fmt == 0:
            continue
        if fmt not in (4, 12):
            raise _Unsupported(f"cmap: format {fmt}")
        lang = struct.unpack_from(">H", data, off + 4)[0] if fmt == 4 else _u32(data, off + 8)
        if off not in read:
            lookup = _lookup_format4 if fmt == 4 else _lookup_format12
            read[off] = lookup(data[off : off + length], wanted)
        mapping = read[off]
        if any(g >= num_glyphs for g in mapping.values()):
            raise _Unsupported("cmap: a glyph past the font's glyphs")
        out.append(((pid, eid, lang), fmt, mapping))
    return out


def _u32(data: bytes, at: int) -> int:
    return int(struct.unpack_from(">I", data, at)[0])


def _subtable_length(data: bytes, off: int, fmt: int) -> int:
    if fmt in (8, 10, 12, 13):
        return _u32(data, off + 4)
    if fmt in (14, 15):
        return _u32(data, off + 2)
    return int(struct.unpack_from(">H", data, off + 2)[0])


def _words(data: bytes) -> array:
    words = array("H", data)
    if sys.byteorder == "little":
        words.byteswap()
    return words


def _lookup_format4(sub: bytes, wanted: set[int]) -> dict[int, int]:
    """Format 4's glyphs for ``wanted``, as cmap_format_4.decompile reads them.

    It reads every segment but the last and raises on a glyph index outside
    the glyph array: checked here for all segments, so a font it would
    reject is left to it. Overlapping segments are left to it too.
    """
    seg = struct.unpack_from(">H", sub, 6)[0] // 2
    words = _words(sub[14:])
    if len(words) < 4 * seg + 1 or seg < 1:
        raise _Unsupported("cmap format 4: cut short")
    ends, starts = words[:seg], words[seg + 1 : 2 * seg + 1]
    deltas, offsets = words[2 * seg + 1 : 3 * seg + 1], words[3 * seg + 1 : 4 * seg + 1]
    glyph_ids = words[4 * seg + 1 :]
    last = seg - 1  # the closing segment, which fontTools does not read
    if any(map(operator.le, starts[1:last], ends[: last - 1])):
        raise _Unsupported("cmap format 4: segments overlap or out of order")
    for i in [i for i in range(last) if offsets[i]]:
        first = offsets[i] // 2 + i - seg
        if starts[i] <= ends[i] and (first < 0 or first + ends[i] - starts[i] >= len(glyph_ids)):
            raise _Unsupported("cmap format 4: glyph index outside the array")
    searched = ends[:last]
    out = {}
    for cp in wanted:
        k = bisect_left(searched, cp)
        if k == len(searched) or starts[k] > cp:
            continue
        if offsets[k]:
            g = glyph_ids[offsets[k] // 2 + k - seg + cp - starts[k]]
            gid = (g + deltas[k]) & 0xFFFF if g else 0
        else:
            gid = (cp + deltas[k]) & 0xFFFF
        if gid:
            out[cp] = gid
    return out


def _lookup_format12(sub: bytes, wanted: set[int]) -> dict[int, int]:
    """Format 12's glyphs for ``wanted`` (cmap_format_12.decompile); odd groups left to fontTools."""
    length, _lang, n = struct.unpack_from(">III", sub, 4)
    if length != 16 + 12 * n:
        raise _Unsupported("cmap format 12: length and group count disagree")
    groups = array("I", sub[16:])
    if groups.itemsize != 4:
        raise _Unsupported("no 32-bit array type")
    if sys.byteorder == "little":
        groups.byteswap()
    starts, ends, gids = groups[0::3], groups[1::3], groups[2::3]
    for i in range(n):
        if starts[i] > ends[i] or ends[i] > 0x10FFFF or (i and starts[i] <= ends[i - 1]):
            raise _Unsupported("cmap format 12: groups overlap, out of order or too far")
    searched = list(ends)
    out = {}
    for cp in wanted:
        k = bisect_left(searched, cp)
        if k < n and starts[k] <= cp:
            gid = gids[k] + cp - starts[k]
            if gid:  # a group starting at glyph 0 maps nothing at its first code
                out[cp] = gid
    return out


def _subset_cmaps(cmaps: list[_Cmap]) -> list[_Cmap]:
    """cmap.subset_glyphs' end: a format 12 subtable holding only BMP characters, the same as
    its BMP sibling's, is emptied; empty subtables go."""
    siblings = {(0, 4): (0, 3), (3, 10): (3, 1)}
    bmp = {(key[0], key[1], key[2]): mapping for key, fmt, mapping in cmaps}
    kept = []
    for key, fmt, mapping in cmaps:
        if not mapping:
            continue
        sibling = siblings.get(key[:2])
        if fmt == 12 and sibling and max(mapping) < 0x10000:
            if bmp.get((*sibling, key[2])) == mapping:
                continue
        kept.append((key, fmt, mapping))
    return kept


def _compile_cmap(cmaps: list[_Cmap], new_id: dict[int, int]) -> bytes:
    """cmap.compile: subtables sorted by platform, encoding and language; equal ones stored once."""
    ordered = sorted(cmaps, key=lambda c: c[0])
    keys = [key for key, _fmt, _m in ordered]
    if len(set(keys)) != len(keys):
        raise _Unsupported("cmap: two subtables for one platform, encoding and language")
    offset = 4 + 8 * len(ordered)
    head = [struct.pack(">HH", 0, len(ordered))]
    chunks: list[bytes] = []
    at: dict[bytes, int] = {}
    made: dict[tuple[int, int, int], bytes] = {}  # by format, language and the mapping read
    for (pid, eid, lang), fmt, mapping in ordered:
        chunk = made.get((fmt, lang, id(mapping)))
        if chunk is None:
            renumbered = {cp: new_id[g] for cp, g in mapping.items()}
            compile_ = _compile_format4 if fmt == 4 else _compile_format12
            chunk = made[fmt, lang, id(mapping)] = compile_(lang, renumbered)
        if chunk not in at:
            at[chunk] = offset
            offset += len(chunk)
            chunks.append(chunk)
        head.append(struct.pack(">HHI", pid, eid, at[chunk]))
    return b"".join(head + chunks)


def _search_range(n: int, size: int) -> tuple[int, int, int]:
    """searchRange, entrySelector, rangeShift (fontTools.ttLib.getSearchRange)."""
    exponent = max(n.bit_length() - 1, 0)
    return (2**exponent) * size, exponent, max(0, n * size - (2**exponent) * size)


def _split_range(start: int, end: int, cmap: dict[int, int]) -> tuple[list[int], list[int]]:
    """A run of consecutive codes split where glyph IDs run consecutively long enough to pay
    for a segment of their own: fontTools' splitRange, step for step."""
    if start == end:
        return [], [end]
    last_id, last_code = cmap[start], start
    in_order: bool | None = None
    begin = 0
    runs = []
    for code in range(start + 1, end + 1):
        gid = cmap[code]
        if gid - 1 == last_id:
            if not in_order:
                in_order, begin = True, last_code
        elif in_order:
            in_order = False
            runs.append((begin, last_code))
        last_id, last_code = gid, code
    if in_order:
        runs.append((begin, last_code))
    kept = []
    for b, e in runs:
        if b == start and e == end:
            break
        threshold = 4 if b == start or e == end else 8
        if e - b + 1 > threshold:
            kept.append((b, e))
    if not kept:
        return [], [end]
    if kept[0][0] != start:
        kept.insert(0, (start, kept[0][0] - 1))
    if kept[-1][1] != end:
        kept.append((kept[-1][1] + 1, end))
    i = 1
    while i < len(kept):
        if kept[i - 1][1] + 1 != kept[i][0]:
            kept.insert(i, (kept[i - 1][1] + 1, kept[i][0] - 1))
            i += 1
        i += 1
    return [b for b, _ in kept][1:], [e for _, e in kept]


def _compile_format4(lang: int, cmap: dict[int, int]) -> bytes:
    """cmap_format_4.compile, step for step (its segments decide the bytes)."""
    codes = sorted(cmap)
    starts, ends = [codes[0]], []
    last = codes[0]
    for code in codes[1:]:
        if code == last + 1:
            last = code
            continue
        s, e = _split_range(starts[-1], last, cmap)
        starts.extend(s)
        ends.extend(e)
        starts.append(code)
        last = code
    s, e = _split_range(starts[-1], last, cmap)
    starts.extend(s)
    ends.extend(e)
    starts.append(0xFFFF)
    ends.append(0xFFFF)
    deltas, offsets, glyph_ids = [], [], []
    for i in range(len(ends) - 1):
        ids = [cmap[code] for code in range(starts[i], ends[i] + 1)]
        if ids == list(range(ids[0], ids[0] + len(ids))):
            deltas.append((ids[0] - starts[i]) % 0x10000)
            offsets.append(0)
        else:
            deltas.append(0)
            offsets.append(2 * (len(ends) + len(glyph_ids) - i))
            glyph_ids.extend(ids)
    deltas.append(1)  # 0xFFFF + 1 wraps to glyph 0: the closing segment maps to .notdef
    offsets.append(0)
    seg = len(ends)
    body = array("H", ends + [0] + starts + deltas + offsets + glyph_ids)
    if sys.byteorder == "little":
        body.byteswap()
    data = body.tobytes()
    header = struct.pack(">7H", 4, 14 + len(data), lang, 2 * seg, *_search_range(seg, 2))
    return header + data


def _compile_format12(lang: int, cmap: dict[int, int]) -> bytes:
    """cmap_format_12.compile: runs of consecutive codes on consecutive glyphs, one group each."""
    codes = sorted(cmap)
    groups = []
    start = last = codes[0]
    for code in codes[1:]:
        if code != last + 1 or cmap[code] != cmap[last] + 1:
            groups.append((start, last, cmap[start]))
            start = code
        last = code
    groups.append((start, last, cmap[start]))
    data = b"".join(struct.pack(">III", *g) for g in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(data), lang, len(groups)) + data


# --- the other tables ---------------------------------------------------------------


def _cut_os2(data: bytes, codes: set[int]) -> bytes:
    """OS/2 with the Unicode and code page bits the kept characters no longer touch cleared
    (prune_unicode_ranges, prune_codepage_ranges) and the first and last character updated."""
    # fontTools' own tables of ranges: already loaded with fontTools.ttLib (fonts/metrics.py).
    from fontTools.ttLib.tables.O_S_2f_2 import calcCodePageRanges, intersectUnicodeRanges

    version = struct.unpack_from(">H", data, 0)[0]
    size = _OS2_SIZES.get(version)
    if size is None or len(data) < size:
        raise _Unsupported("OS/2: unknown version or cut short")
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
        raise _Unsupported("post: unknown format")
    return b"\0\3\0\0" + data[4:32]


def _cut_name(data: bytes, ps: str) -> bytes:
    """name: Unicode records of IDs below 256 (name_IDs=['*'], name_legacy off), the family,
    full and PostScript names the cut's own (subset._rename_cut), sorted and compiled as
    table__n_a_m_e.compile does (equal strings stored once)."""
    fmt, count, strings = struct.unpack_from(">HHH", data, 0)
    if fmt != 0:
        raise _Unsupported("name: format 1")
    records = []
    for i in range(count):
        pid, eid, lang, nid, length, off = struct.unpack_from(">6H", data, 6 + 12 * i)
        raw = data[strings + off : strings + off + length]
        if len(raw) != length:
            raise _Unsupported("name: a string past the table")
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


def _checksum(data: bytes) -> int:
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


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
    directory = version + struct.pack(">HHHH", len(tags), *_search_range(len(tags), 16))
    directory += b"".join(
        struct.pack(">4sIII", tag, sums[tag], where[tag], len(tables[tag])) for tag in tags
    )
    adjustment = (0xB1B0AFBA - sum(sums.values()) - _checksum(directory)) & 0xFFFFFFFF
    head = tables[b"head"]
    tables[b"head"] = head[:8] + struct.pack(">I", adjustment) + head[12:]
    return directory + b"".join(
        tables[tag] + b"\0" * (-len(tables[tag]) % 4) for tag in order
    )
