"""A minimal sfnt reader of our own (cmap, hmtx, head, hhea, name): font files' facts, fast.

fontTools would take ~0.1–0.3 s per CJK font just to parse the cmap, and these
reads happen in every render; fontTools is loaded only for what is rare (a CFF
glyph's ink, cutting fonts).
"""

from __future__ import annotations

import struct
import sys
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO


class FontError(ValueError):
    """A font file that cannot be used (missing, unreadable, CFF outlines)."""


# --- font files made on first use --------------------------------------------

_PENDING: dict[str, Callable[[], None]] = {}
_PENDING_LOCK = threading.Lock()


def make_when_opened(path: Path, make: Callable[[], None]) -> None:
    """``make()`` writes the font file ``path``: run when this process first opens it.

    A batch cuts its fonts to its characters (fonts/subset.py); a cut that
    no document draws with (the 楷体 of a batch of 督办单) is then never made.
    ``make`` must do nothing if the file is there (another process made it).
    """
    _PENDING[str(path)] = make


def forget_pending(paths: Iterable[Path]) -> None:
    """The files of make_when_opened that a finished run will not open again."""
    for path in paths:
        _PENDING.pop(str(path), None)


def ensure_made(path: Path | str) -> None:
    """Make the font file ``path`` now if it waits for its first opening (make_when_opened).

    Every reader of a font file calls this first: this module's, the ink
    measures' (fontTools) and reportlab's registration (rlfaces.py).
    """
    if not _PENDING or str(path) not in _PENDING:
        return
    with _PENDING_LOCK:
        make = _PENDING.get(str(path))
        if make is not None:
            make()
            _PENDING.pop(str(path), None)


# --- a minimal sfnt reader ---------------------------------------------------


def _read_tables(
    path: Path, index: int, wanted: Iterable[bytes]
) -> tuple[set[bytes], dict[bytes, bytes]]:
    """Tags present in face ``index`` of a TTF/OTF/TTC/OTC, and the bytes of ``wanted``.

    Seeks to just the tables asked for: a CJK font is 5–30 MB, its cmap and
    hmtx a few hundred KB.
    """
    ensure_made(path)
    with open(path, "rb") as fh:
        where = _directory(fh, path, index)
        out: dict[bytes, bytes] = {}
        for tag in wanted:
            if tag in where:
                off, length = where[tag]
                fh.seek(off)
                out[tag] = fh.read(length)
    return set(where), out


def glyph_outline(path: Path, index: int, gid: int) -> tuple[bytes, int] | None:
    """The glyf record of glyph ``gid`` of face ``index`` and its hmtx left side
    bearing; None when the font has no glyf table (CFF outlines).

    Reads the few bytes of loca, hmtx and glyf that glyph needs: a punctuation
    mark's ink is asked for in every batch, and parsing a CJK font's tables to
    find one glyph cost ~0.1 s a character.
    """
    ensure_made(path)
    with open(path, "rb") as fh:
        where = _directory(fh, path, index)
        if b"glyf" not in where or b"loca" not in where:
            return None

        def read(tag: bytes, at: int, size: int) -> bytes:
            fh.seek(where[tag][0] + at)
            return fh.read(size)

        long_loca = struct.unpack(">h", read(b"head", 50, 2))[0] == 1
        if long_loca:
            start, end = struct.unpack(">II", read(b"loca", 4 * gid, 8))
        else:
            start, end = (2 * v for v in struct.unpack(">HH", read(b"loca", 2 * gid, 4)))
        n_metrics = struct.unpack(">H", read(b"hhea", 34, 2))[0]
        if gid < n_metrics:
            lsb = struct.unpack(">h", read(b"hmtx", 4 * gid + 2, 2))[0]
        else:  # past the full pairs: the left side bearings alone
            lsb = struct.unpack(">h", read(b"hmtx", 4 * n_metrics + 2 * (gid - n_metrics), 2))[0]
        return read(b"glyf", start, max(0, end - start)), lsb


def _directory(fh: BinaryIO, path: Path, index: int) -> dict[bytes, tuple[int, int]]:
    """Tag → (offset, length) of face ``index``'s tables, read from the open file."""
    head = fh.read(12)
    if len(head) < 12:
        raise FontError(f"{path} 不是字体文件")
    base = 0
    if head[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", head, 8)
        if not 0 <= index < count:
            raise FontError(f"{path}：字体集合只有 {count} 个字体，没有第 {index} 个")
        fh.seek(12 + 4 * index)
        (base,) = struct.unpack(">I", fh.read(4))
    elif index:
        raise FontError(f"{path} 不是字体集合（TTC），字体序号只能为 0")
    elif head[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise FontError(f"{path} 不是 TrueType/OpenType 字体")
    fh.seek(base + 4)
    (num,) = struct.unpack(">H", fh.read(2))
    fh.seek(base + 12)
    directory = fh.read(16 * num)
    where: dict[bytes, tuple[int, int]] = {}
    for i in range(num):
        tag, _cs, off, length = struct.unpack_from(">4sIII", directory, 16 * i)
        where[tag] = (off, length)
    return where


def _face_count(path: Path) -> int:
    ensure_made(path)
    with open(path, "rb") as fh:
        head = fh.read(12)
    return struct.unpack_from(">I", head, 8)[0] if head[:4] == b"ttcf" else 1


def _read_names(data: bytes) -> dict[int, list[str]]:
    """Name ID → strings of the ``name`` table, English first (``[0]`` is canonical)."""
    if not data:
        return {}
    off = 0
    _fmt, count, storage = struct.unpack_from(">HHH", data, off)
    ranked: dict[int, list[tuple[int, str]]] = {}
    for i in range(count):
        pid, eid, lang, nid, length, so = struct.unpack_from(">HHHHHH", data, off + 6 + 12 * i)
        if nid not in (1, 4, 6, 16):
            continue
        raw = data[off + storage + so : off + storage + so + length]
        if pid == 3 or pid == 0:
            text = raw.decode("utf-16-be", "replace")
            rank = 0 if (pid == 3 and lang == 0x409) else 2
        elif pid == 1 and eid == 0:
            text = raw.decode("mac-roman", "replace")
            rank = 1
        else:
            continue
        ranked.setdefault(nid, []).append((rank, text))
    return {nid: [t for _, t in sorted(v, key=lambda rt: rt[0])] for nid, v in ranked.items()}


def _parse_cmap(data: bytes) -> dict[int, int]:
    """Best Unicode subtable: format 12 (full repertoire) over format 4 (BMP)."""
    off = 0
    _ver, num = struct.unpack_from(">HH", data, off)
    candidates: list[tuple[int, int]] = []
    for i in range(num):
        pid, eid, sub = struct.unpack_from(">HHI", data, off + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, off + sub)[0]
        if fmt == 12 and (pid, eid) in ((3, 10), (0, 4), (0, 6)):
            candidates.append((0, off + sub))
        elif fmt == 4 and (pid, eid) in ((3, 1), (0, 3), (0, 1), (0, 0)):
            candidates.append((1, off + sub))
    if not candidates:
        raise FontError("字体没有 Unicode 字符映射表（cmap）")
    _, at = min(candidates)
    fmt = struct.unpack_from(">H", data, at)[0]
    out: dict[int, int] = {}
    if fmt == 12:
        (ngroups,) = struct.unpack_from(">I", data, at + 12)
        groups = array("I", data[at + 16 : at + 16 + 12 * ngroups])
        if sys.byteorder == "little":
            groups.byteswap()
        for k in range(0, len(groups), 3):
            start, end, gid = groups[k], groups[k + 1], groups[k + 2]
            if end - start < 8:
                for cp in range(start, end + 1):
                    out[cp] = gid + cp - start
            else:
                out.update(
                    zip(range(start, end + 1), range(gid, gid + end - start + 1), strict=True)
                )
        return out
    seg2 = struct.unpack_from(">H", data, at + 6)[0]
    seg = seg2 // 2
    words = array("H", data[at + 14 : at + 16 + 4 * seg2])
    length = struct.unpack_from(">H", data, at + 2)[0]
    tail = array("H", data[at + 16 + 4 * seg2 : at + length])
    if sys.byteorder == "little":
        words.byteswap()
        tail.byteswap()
    ends = words[0:seg]
    starts = words[seg + 1 : 2 * seg + 1]
    deltas = words[2 * seg + 1 : 3 * seg + 1]
    ranges = words[3 * seg + 1 : 4 * seg + 1]
    for i in range(seg):
        start, end, delta, ro = starts[i], ends[i], deltas[i], ranges[i]
        if start == 0xFFFF:
            continue
        if ro == 0:
            for cp in range(start, end + 1):
                gid = (cp + delta) & 0xFFFF
                if gid:
                    out[cp] = gid
        else:
            # idRangeOffset counts bytes from its own slot; translate into the
            # glyphIdArray ("tail"), which starts right after idRangeOffset[].
            base = ro // 2 - (seg - i)
            for cp in range(start, end + 1):
                k = base + cp - start
                if 0 <= k < len(tail) and tail[k]:
                    out[cp] = (tail[k] + delta) & 0xFFFF
    return out


class _Metrics:
    """What the layout needs from one face: cmap set and advances, loaded lazily."""

    __slots__ = ("path", "index", "_cmap", "_adv", "_upm", "_em", "_lock")

    def __init__(self, path: Path, index: int) -> None:
        self.path = path
        self.index = index
        self._cmap: dict[int, int] | None = None
        self._adv: array | None = None
        self._upm = 1000
        self._em: dict[str, float] = {}
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._cmap is not None:
                return
            _, t = _read_tables(self.path, self.index, (b"head", b"hhea", b"hmtx", b"cmap"))
            upm = struct.unpack_from(">H", t[b"head"], 18)[0]
            nhm = struct.unpack_from(">H", t[b"hhea"], 34)[0]
            raw = array("H", t[b"hmtx"][: 4 * nhm])
            if sys.byteorder == "little":
                raw.byteswap()
            adv = raw[0::2]
            self._upm = upm
            self._adv = adv
            self._cmap = _parse_cmap(t[b"cmap"])

    @property
    def upm(self) -> int:
        """Units per em (head)."""
        if self._cmap is None:
            self._load()
        return self._upm

    @property
    def cmap(self) -> dict[int, int]:
        if self._cmap is None:
            self._load()
        return self._cmap  # type: ignore[return-value]

    def em(self, ch: str) -> float:
        """Advance of ``ch`` in em; .notdef's when the font lacks it."""
        value = self._em.get(ch)
        if value is None:
            cmap = self.cmap
            adv = self._adv
            assert adv is not None
            gid = cmap.get(ord(ch), 0)
            value = adv[min(gid, len(adv) - 1)] / self._upm
            self._em[ch] = value
        return value


_METRICS: dict[tuple[str, int], _Metrics] = {}


def _metrics(path: Path, index: int) -> _Metrics:
    key = (str(path), index)
    m = _METRICS.get(key)
    if m is None:
        m = _METRICS[key] = _Metrics(path, index)
    return m


def font_tables(path: Path, index: int, wanted: Iterable[bytes]) -> dict[bytes, bytes]:
    """The bytes of the tables ``wanted`` that face ``index`` of ``path`` has (OFD font subsets)."""
    return _read_tables(path, index, wanted)[1]


def unicode_cmap(path: Path, index: int) -> dict[int, int]:
    """Code point → glyph ID of face ``index``: the layout's own reading, made once a process."""
    return _metrics(path, index).cmap


@lru_cache(maxsize=64)
def ink_top_em(path: Path, index: int, ch: str) -> float | None:
    """Top of ``ch``'s outline above the baseline, in em; None without a TrueType outline.

    GB/T 9704 places some marks by their ink, not their box: the page
    number's 一字线 has its top 7 mm below the block [7.5], and an em dash
    sits near the middle of the em, far below the box's top.
    """
    gid = _metrics(path, index).cmap.get(ord(ch))
    if not gid:
        return None
    _, t = _read_tables(path, index, (b"head", b"loca", b"glyf"))
    if b"glyf" not in t or b"loca" not in t:
        return _cff_ink_top(path, index, ch)
    upm = struct.unpack_from(">H", t[b"head"], 18)[0]
    long_loca = struct.unpack_from(">h", t[b"head"], 50)[0] == 1
    if long_loca:
        start, end = struct.unpack_from(">II", t[b"loca"], 4 * gid)
    else:
        start, end = (2 * v for v in struct.unpack_from(">HH", t[b"loca"], 2 * gid))
    if end <= start:
        return None  # an empty glyph (a space)
    y_max = struct.unpack_from(">h", t[b"glyf"], start + 8)[0]
    return y_max / upm


def _cff_ink_top(path: Path, index: int, ch: str) -> float | None:
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    ensure_made(path)
    font = TTFont(path, fontNumber=index, lazy=True)
    name = font.getBestCmap().get(ord(ch))
    if name is None:
        return None
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    return pen.bounds[3] / font["head"].unitsPerEm if pen.bounds else None


@dataclass(frozen=True)
class FaceInfo:
    path: Path
    index: int
    family: str
    families: tuple[str, ...]  # every family name, all languages (ID 1 and 16)
    postscript: str
    glyf: bool  # TrueType outlines: usable by reportlab


def read_faces(path: Path) -> list[FaceInfo]:
    """Names and outline kind of every face of a font file (header reads only)."""
    faces = []
    for i in range(_face_count(path)):
        tags, t = _read_tables(path, i, (b"name",))
        names = _read_names(t.get(b"name", b""))
        fams = tuple(dict.fromkeys(names.get(16, []) + names.get(1, [])))
        family = (names.get(16) or names.get(1) or [path.stem])[0]
        faces.append(
            FaceInfo(
                path=path,
                index=i,
                family=family,
                families=fams,
                postscript=(names.get(6) or [""])[0],
                glyf=b"glyf" in tags,
            )
        )
    return faces
