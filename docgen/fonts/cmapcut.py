"""The cmap of a font cut to a set of characters, as fontTools' subsetter writes it.

fonts/ttfcut.py cuts TrueType fonts by hand; this is its character map part:
read the glyphs of the wanted characters from the full font's Unicode
subtables (formats 4 and 12), and compile the cut's subtables with
fontTools' own segment and group choices, which decide the bytes.
"""

from __future__ import annotations

import operator
import struct
import sys
from array import array
from bisect import bisect_left


class Unsupported(Exception):
    """The font is outside what fonts/ttfcut.py reproduces: fontTools cuts it."""


# (platformID, platEncID, language), format, {code point: glyph ID in the full font}
Cmap = tuple[tuple[int, int, int], int, dict[int, int]]


def read_cmaps(data: bytes, wanted: set[int], num_glyphs: int) -> list[Cmap]:
    """The Unicode subtables the cut keeps, each mapping the wanted characters it has.

    cmap.prune_pre_subset keeps Unicode subtables but Symbol (3,0) and format 0;
    subset_glyphs keeps in each the requested characters. Looked up one by one:
    a CJK font maps 30,000 characters, a batch wants a few hundred.
    """
    version, count = struct.unpack_from(">HH", data, 0)
    if version != 0:
        raise Unsupported("cmap: unknown version")
    out: list[Cmap] = []
    read: dict[int, dict[int, int]] = {}  # by offset: subtables often share one (Unicode, Windows)
    for i in range(count):
        pid, eid, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, off)[0]
        length = _subtable_length(data, off, fmt)
        if not length or off + length > len(data):
            raise Unsupported("cmap: subtable empty or cut short")
        if not (pid == 0 or (pid == 3 and eid in (1, 10))) or fmt == 0:
            continue
        if fmt not in (4, 12):
            raise Unsupported(f"cmap: format {fmt}")
        lang = struct.unpack_from(">H", data, off + 4)[0] if fmt == 4 else _u32(data, off + 8)
        if off not in read:
            lookup = _lookup_format4 if fmt == 4 else _lookup_format12
            read[off] = lookup(data[off : off + length], wanted)
        mapping = read[off]
        if any(g >= num_glyphs for g in mapping.values()):
            raise Unsupported("cmap: a glyph past the font's glyphs")
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
        raise Unsupported("cmap format 4: cut short")
    ends, starts = words[:seg], words[seg + 1 : 2 * seg + 1]
    deltas, offsets = words[2 * seg + 1 : 3 * seg + 1], words[3 * seg + 1 : 4 * seg + 1]
    glyph_ids = words[4 * seg + 1 :]
    last = seg - 1  # the closing segment, which fontTools does not read
    if any(map(operator.le, starts[1:last], ends[: last - 1])):
        raise Unsupported("cmap format 4: segments overlap or out of order")
    for i in [i for i in range(last) if offsets[i]]:
        first = offsets[i] // 2 + i - seg
        if starts[i] <= ends[i] and (first < 0 or first + ends[i] - starts[i] >= len(glyph_ids)):
            raise Unsupported("cmap format 4: glyph index outside the array")
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
        raise Unsupported("cmap format 12: length and group count disagree")
    groups = array("I", sub[16:])
    if groups.itemsize != 4:
        raise Unsupported("no 32-bit array type")
    if sys.byteorder == "little":
        groups.byteswap()
    starts, ends, gids = groups[0::3], groups[1::3], groups[2::3]
    for i in range(n):
        if starts[i] > ends[i] or ends[i] > 0x10FFFF or (i and starts[i] <= ends[i - 1]):
            raise Unsupported("cmap format 12: groups overlap, out of order or too far")
    searched = list(ends)
    out = {}
    for cp in wanted:
        k = bisect_left(searched, cp)
        if k < n and starts[k] <= cp:
            gid = gids[k] + cp - starts[k]
            if gid:  # a group starting at glyph 0 maps nothing at its first code
                out[cp] = gid
    return out


def subset_cmaps(cmaps: list[Cmap]) -> list[Cmap]:
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


def compile_cmap(cmaps: list[Cmap], new_id: dict[int, int]) -> bytes:
    """cmap.compile: subtables sorted by platform, encoding and language; equal ones stored once."""
    ordered = sorted(cmaps, key=lambda c: c[0])
    keys = [key for key, _fmt, _m in ordered]
    if len(set(keys)) != len(keys):
        raise Unsupported("cmap: two subtables for one platform, encoding and language")
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


def search_range(n: int, size: int) -> tuple[int, int, int]:
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
    deltas: list[int] = []
    offsets: list[int] = []
    glyph_ids: list[int] = []
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
    header = struct.pack(">7H", 4, 14 + len(data), lang, 2 * seg, *search_range(seg, 2))
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
