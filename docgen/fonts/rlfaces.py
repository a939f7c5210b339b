"""reportlab's reading of a large TrueType font, kept in the user cache folder.

Registering a CJK font, reportlab reads its whole cmap and metrics tables
into Python dicts (TTFontFile.extractInfo): 25-60 ms a font, three or four
fonts a document, in every new process: a tenth of a cold `docgen render`.
What it reads depends only on the file, so it is kept, by path, size,
modification time, face and reportlab version, and read back in about a
quarter of the time. The PDFs are the same bytes either way (tests/test_rlfaces.py).

Only files of FONT_MIN_BYTES and more are kept: a batch's cut fonts are small,
cheap to read and made afresh every run. A missing, unreadable or damaged
entry only costs the parse; a folder that cannot be written is left alone, and
past KEEP entries the oldest go.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from reportlab.pdfbase import ttfonts

FORMAT = 1  # bump when what is kept changes
FONT_MIN_BYTES = 1 << 20
FOLDER = "reportlab-faces"
KEEP = 24  # entries: a few fonts a role, 0.5-1.5 MB each


def cache_file(path: Path, index: int) -> Path | None:
    """Where the reading of face ``index`` of ``path`` is kept, or None if not worth keeping."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_size < FONT_MIN_BYTES:
        return None
    from reportlab import Version

    from docgen.resources import user_cache_dir

    key = f"{FORMAT}|{Version}|{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|{index}"
    return user_cache_dir() / FOLDER / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".marshal")


def _scale(units_per_em: int) -> Any:
    # extractInfo's own scale function (a closure, so it is made again, not kept).
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _read(file: Path) -> dict[str, Any] | None:
    try:
        kept = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(kept, dict) and kept.get("format") == FORMAT):
        return None
    names, rest = kept.get("names"), kept.get("rest")
    if not (isinstance(names, dict) and isinstance(rest, dict) and "unitsPerEm" in rest):
        return None
    info = dict(rest)
    info.update({k: ttfonts.TTFNameBytes(v) for k, v in names.items()})
    info["_pdfScale"] = _scale(rest["unitsPerEm"])
    return info


def _write(file: Path, info: dict[str, Any]) -> None:
    from docgen.fileio import atomic_write

    names = {k: bytes(v) for k, v in info.items() if isinstance(v, ttfonts.TTFNameBytes)}
    rest = {k: v for k, v in info.items() if k not in names and k != "_pdfScale"}
    try:
        data = marshal.dumps({"format": FORMAT, "names": names, "rest": rest})
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(file, data)
        _prune(file.parent)
    except (OSError, ValueError):  # a read-only cache folder, or a value marshal refuses
        pass


def _prune(folder: Path) -> None:
    """Entries of replaced fonts and older docgen versions go, oldest first, past KEEP."""
    entries = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-KEEP]:
        old.unlink(missing_ok=True)


class _KeptFace(ttfonts.TTFontFace):
    """A face whose tables are read from the cache file when it is there, else parsed and kept."""

    kept_in: Path

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802 - reportlab's name
        info = _read(self.kept_in) if charInfo else None
        if info is not None:
            self.__dict__.update(info)
            return
        before = dict(self.__dict__)
        super().extractInfo(charInfo)
        if charInfo:  # what it set or changed (the face's name was None before, say)
            info = {k: v for k, v in self.__dict__.items() if k not in before or before[k] is not v}
            _write(self.kept_in, info)


def load_ttfont(name: str, path: Path, index: int) -> ttfonts.TTFont:
    """reportlab's TTFont ``name`` for face ``index`` of ``path``, its reading kept.

    Called only under fonts._REG_LOCK: reportlab's TTFont builds its face from
    the module's TTFontFace, which is swapped here for the duration.
    """
    from docgen.fonts.sfnt import ensure_made

    ensure_made(path)  # a batch's cut font may be made on first use
    file = cache_file(path, index)
    if file is None:
        return ttfonts.TTFont(name, str(path), subfontIndex=index)
    face = type("_KeptFace", (_KeptFace,), {"kept_in": file})
    saved = ttfonts.TTFontFace
    ttfonts.TTFontFace = face
    try:
        return ttfonts.TTFont(name, str(path), subfontIndex=index)
    finally:
        ttfonts.TTFontFace = saved
