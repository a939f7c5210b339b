"""The OFD container: a plain zip (GB/T 33190 §7.1), written with deflate streams kept for reuse.

Python's zipfile compresses every member afresh. A batch's documents embed
the same font subsets (the mark, the form's labels, the page numbers), and
a document's largest members are its fonts: each distinct member is
compressed once a process, as the PDF writer does with its font streams.
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from threading import Lock

_KEPT: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()  # data → (crc, deflated)
_KEPT_MAX = 64
_KEPT_MIN = 4096  # smaller members cost less to compress than to look up
_LOCK = Lock()
# A fixed time stamp (1980-01-01 00:00): the same document gives the same package.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1


def _deflate(data: bytes) -> tuple[int, bytes]:
    c = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate, as zip members hold it
    return zlib.crc32(data), c.compress(data) + c.flush()


def _packed(data: bytes, keep: bool) -> tuple[int, bytes]:
    if not keep or len(data) < _KEPT_MIN:
        return _deflate(data)
    with _LOCK:
        got = _KEPT.get(data)
        if got is not None:
            _KEPT.move_to_end(data)
            return got
    got = _deflate(data)
    with _LOCK:
        _KEPT[data] = got
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)
    return got


def zip_bytes(members: list[tuple[str, bytes, str]]) -> bytes:
    """A zip of ``(name, data, how)`` members: how is "deflate", "keep" (deflate, the result
    kept for the next package) or "store" (already compressed: PNG, JPEG)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, how in members:
        raw_name = name.encode("utf-8")
        if how == "store":
            crc, body, method = zlib.crc32(data), data, 0
        else:
            crc, body = _packed(data, how == "keep")
            method = 8
        flags = 0x0800  # names in UTF-8
        fields = (20, flags, method, _DOS_TIME, _DOS_DATE, crc, len(body), len(data))
        local = struct.pack("<IHHHHHIII", 0x04034B50, *fields) + struct.pack(
            "<HH", len(raw_name), 0
        )
        out += [local, raw_name, body]
        central.append(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIII", *fields)
            + struct.pack("<HHHHHII", len(raw_name), 0, 0, 0, 0, 0, offset)
            + raw_name
        )
        offset += len(local) + len(raw_name) + len(body)
    directory = b"".join(central)
    n = len(members)
    if n >= 0xFFFF or offset + len(directory) >= 0xFFFFFFFF:
        return _zip64(members)  # past the plain format's counts and sizes
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(directory), offset, 0)
    return b"".join(out) + directory + end


def _zip64(members: list[tuple[str, bytes, str]]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data, how in members:
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if how == "store" else None)
    return buf.getvalue()
