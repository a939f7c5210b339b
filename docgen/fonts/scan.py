"""Installed fonts, found by the family names written inside the files.

Windows and macOS have no fontconfig, and Windows file names say little
(``simfang.ttf`` is 仿宋, ``FZXBSJW.TTF`` 方正小标宋简体), so docgen reads the
name table of every font file in the platform's font folders:

- Windows: ``%WINDIR%\\Fonts`` and the per-user ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``
  (where a font "installed for me only" goes, as clerks without admin rights do);
- macOS: ``/Library/Fonts``, ``~/Library/Fonts``, ``/System/Library/Fonts``;
- elsewhere: ``/usr/share/fonts``, ``/usr/local/share/fonts``, ``~/.fonts``,
  ``~/.local/share/fonts``; fontconfig (``fc-list``), where present, adds what
  it knows beyond these.

``$DOCGEN_FONT_DIRS`` (folders joined by ``os.pathsep``) replaces the list.
A Windows font folder holds hundreds of files: what was read is cached in the
user cache folder by path, size and modification time, so only new or
changed files are opened again.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from docgen.fonts.sfnt import FaceInfo, FontError, read_faces

FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf", ".otc"})
CACHE_NAME = "font-scan.json"
CACHE_VERSION = 1


def font_dirs() -> list[Path]:
    """The folders searched for installed fonts on this platform (missing ones included)."""
    env = os.environ.get("DOCGEN_FONT_DIRS")
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        local = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return [Path(windir) / "Fonts", Path(local) / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), home / "Library" / "Fonts", Path("/System/Library/Fonts")]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
    ]


def font_files(dirs: Iterable[Path]) -> Iterator[Path]:
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in sorted(files):
                if os.path.splitext(name)[1].lower() in FONT_SUFFIXES:
                    yield Path(dirpath) / name


def _cache_path() -> Path:
    from docgen.resources import user_cache_dir

    return user_cache_dir() / CACHE_NAME


def _load_cache(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _save_cache(path: Path, files: dict[str, dict]) -> None:
    """Best effort: a read-only or full disk only costs the next run a rescan."""
    from docgen.fileio import atomic_write

    data = json.dumps({"version": CACHE_VERSION, "files": files}, ensure_ascii=False)
    try:
        atomic_write(path, data.encode("utf-8"))
    except OSError:
        pass


def _to_json(face: FaceInfo) -> list:
    return [face.index, face.family, list(face.families), face.postscript, face.glyf]


def _from_json(path: Path, row: list) -> FaceInfo:
    index, family, families, postscript, glyf = row
    return FaceInfo(path, int(index), family, tuple(families), postscript, bool(glyf))


def _read(path: Path) -> list[FaceInfo]:
    try:
        return read_faces(path)
    except (OSError, FontError, struct.error, KeyError, IndexError):
        return []  # not a font we can read: remembered as such, not retried every run


_FACES: dict[tuple[str, ...], list[FaceInfo]] = {}


def installed_faces() -> list[FaceInfo]:
    """Every face of every font file in :func:`font_dirs`, once per process."""
    dirs = font_dirs()
    key = tuple(str(d) for d in dirs)
    faces = _FACES.get(key)
    if faces is None:
        faces = _FACES[key] = _scan(dirs)
    return faces


def _scan(dirs: list[Path]) -> list[FaceInfo]:
    cache_file = _cache_path()
    cached = _load_cache(cache_file)
    seen: dict[str, dict] = {}
    faces: list[FaceInfo] = []
    changed = False
    for path in font_files(dirs):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp = [st.st_mtime_ns, st.st_size]
        entry = cached.get(str(path))
        if entry is not None and entry.get("stamp") == stamp:
            try:
                found = [_from_json(path, row) for row in entry["faces"]]
            except (KeyError, TypeError, ValueError):
                found, changed = _read(path), True
        else:
            found, changed = _read(path), True
        seen[str(path)] = {"stamp": stamp, "faces": [_to_json(f) for f in found]}
        faces.extend(found)
    # Entries of other folders (another DOCGEN_FONT_DIRS) are kept; only files
    # under the folders scanned now and gone from them are dropped.
    roots = tuple(str(d) for d in dirs)
    kept = {p: e for p, e in cached.items() if p in seen or not p.startswith(roots)}
    if changed or len(kept) != len(cached):
        _save_cache(cache_file, {**kept, **seen})
    return faces


_FC: list[list[tuple[Path, int, list[str]]]] = []


def fc_list() -> list[tuple[Path, int, list[str]]]:
    """(file, index, families) from fontconfig, or [] without it (Windows, most Macs).

    Run once per process: one fc-list call serves all five roles.
    """
    if not _FC:
        _FC.append(_run_fc_list())
    return _FC[0]


def _run_fc_list() -> list[tuple[Path, int, list[str]]]:
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        res = subprocess.run(
            [exe, "--format", "%{file}\t%{index}\t%{family}\n"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    out = []
    for line in res.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        try:
            index = int(parts[1] or 0)
        except ValueError:
            index = 0
        out.append((Path(parts[0]), index, parts[2].split(",")))
    return out
