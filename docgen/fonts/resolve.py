"""Font resolution per GB/T 9704 role, fallback chains, cmap runs and advances.

Resolution order for each :class:`~docgen.spec.FontRole`:

1. a file named by the caller (``--font role=path``) or a YAML config file
   (``fonts: {fangsong: path, ...}``);
2. the official font, if installed (方正小标宋简体, 仿宋_GB2312 …, searched by
   family name in the usual font folders and through fontconfig);
3. the font bundled in ``fonts/`` (see ``fonts/README.md``).

reportlab only reads TrueType (glyf) outlines, so CFF files (.otf/.otc) found
on the system are skipped with a note; a CFF file named explicitly is an error.

No single open font covers everything (FandolFang lacks 镕, 喆 …), so each
role has a chain: its primary, then LXGW WenKai, then Noto Serif/Sans CJK SC.
:meth:`FontSet.runs` splits text by the first font of the chain whose cmap has
each character, and records what fell back or is missing.

Metrics come from a small sfnt reader of our own (sfnt.py): fontTools would
take ~0.1–0.3 s per CJK font just to parse the cmap, and this module is
imported by every render.
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from docgen.fonts import scan as fontscan
from docgen.fonts.bundled import _BREADTH, _DEFAULT_BREADTH, BUNDLED
from docgen.fonts.sfnt import FaceInfo, FontError, _metrics, read_faces
from docgen.resources import fonts_dir
from docgen.spec import LATIN_CHARS, LATIN_ROLES, OFFICIAL_FONT_NAMES, FontRole

Source = Literal["config", "system", "bundled", "fallback"]

ROLE_LABELS: dict[FontRole, str] = {
    FontRole.XIAOBIAOSONG: "小标宋",
    FontRole.FANGSONG: "仿宋",
    FontRole.HEITI: "黑体",
    FontRole.KAITI: "楷体",
    FontRole.SONGTI: "宋体",
}
SOURCE_LABELS: dict[str, str] = {
    "config": "用户指定",
    "system": "系统已安装",
    "bundled": "随附",
    "fallback": "后备",
}


# --- resolved fonts and sets -------------------------------------------------


@dataclass(frozen=True)
class ResolvedFont:
    role: FontRole
    path: Path
    subfont_index: int
    family: str
    source: Source
    rl_name: str

    @property
    def key(self) -> tuple[str, int]:
        return (str(self.path), self.subfont_index)


_RL_NAMES: dict[tuple[str, int], str] = {}
_RL_TAKEN: set[str] = set()


def _rl_name(wanted: str, key: tuple[str, int]) -> str:
    """One reportlab name per (file, face) per process.

    reportlab's font registry is global: the same name must never point at
    two files, or a second FontSet would silently draw with the first's font.
    """
    name = _RL_NAMES.get(key)
    if name is None:
        name = wanted
        if name in _RL_TAKEN:
            digest = hashlib.sha1(f"{key[0]}#{key[1]}".encode()).hexdigest()[:8]
            name = f"{wanted}-{digest}"
        _RL_NAMES[key] = name
        _RL_TAKEN.add(name)
    return name


def _slug(text: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower()).strip("-")


# runs' answer for a text, with what it records: missing characters, fallback ones.
_Runs = tuple[tuple[tuple[ResolvedFont, str], ...], frozenset[str], frozenset[str]]


class FontSet:
    """The resolved fonts of all five roles, with their fallback chains."""

    def __init__(
        self,
        chains: Mapping[FontRole, list[ResolvedFont]],
        notes: Iterable[str] = (),
        latin: Mapping[FontRole, int] | None = None,
    ) -> None:
        # role → chain position of the office's Latin font, which takes LATIN_CHARS.
        self._latin: dict[FontRole, int] = dict(latin or {})
        self._chains: dict[FontRole, list[ResolvedFont]] = {r: list(c) for r, c in chains.items()}
        self.notes: list[str] = list(notes)
        self.fallbacks_used: dict[FontRole, set[str]] = {}
        self.missing: set[str] = set()
        # role → char → chain position (-1: none has it). Hot path of runs().
        self._pick: dict[FontRole, dict[str, int]] = {r: {} for r in self._chains}
        self._runs: dict[tuple[FontRole, str], _Runs] = {}  # runs' memo

    def __getstate__(self) -> dict[str, object]:
        # Worker processes get the font choice, not our caches.
        state = self.__dict__.copy()
        state["_pick"] = {r: {} for r in self._chains}
        state["_runs"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_runs", {})  # a FontSet pickled before runs had its memo

    def choice(self) -> Hashable:
        """What this set's measures depend on: each role's chain of fonts and where
        the office's Latin font stands in it. Two sets with the same choice measure
        alike, as the copies a worker process gets of one set do (fonts/metrics.py)."""
        return (
            frozenset((role, tuple(chain)) for role, chain in self._chains.items()),
            frozenset(self._latin.items()),
        )

    def __repr__(self) -> str:
        inner = ", ".join(f"{r.value}={c[0].path.name}" for r, c in self._chains.items())
        return f"FontSet({inner})"

    @property
    def roles(self) -> list[FontRole]:
        return list(self._chains)

    def primary(self, role: FontRole) -> ResolvedFont:
        return self._chains[role][0]

    def chain(self, role: FontRole) -> list[ResolvedFont]:
        return list(self._chains[role])

    def all_fonts(self) -> list[ResolvedFont]:
        """Every distinct (file, face) of every chain, first occurrence kept."""
        seen: dict[tuple[str, int], ResolvedFont] = {}
        for chain in self._chains.values():
            for f in chain:
                seen.setdefault(f.key, f)
        return list(seen.values())

    def covers(self, font: ResolvedFont, ch: str) -> bool:
        return ord(ch) in _metrics(font.path, font.subfont_index).cmap

    def advance(self, font: ResolvedFont, ch: str, size_pt: float) -> float:
        """Advance width of ``ch`` in points at ``size_pt`` (hmtx, cached per font)."""
        return _metrics(font.path, font.subfont_index).em(ch) * size_pt

    def _position(self, role: FontRole, ch: str) -> int:
        picks = self._pick[role]
        pos = picks.get(ch)
        if pos is None and ch in LATIN_CHARS and role in self._latin:
            pos = picks[ch] = self._latin[role]
        if pos is None:
            pos = -1
            cp = ord(ch)
            for i, f in enumerate(self._chains[role]):
                if cp in _metrics(f.path, f.subfont_index).cmap:
                    pos = i
                    break
            picks[ch] = pos
        return pos

    def font_for(self, role: FontRole, ch: str) -> ResolvedFont:
        pos = self._position(role, ch)
        return self._chains[role][max(pos, 0)]

    def runs(self, role: FontRole, text: str) -> list[tuple[ResolvedFont, str]]:
        """Split ``text`` into maximal runs by the first chain font having each char.

        A character no font has stays with the primary (reportlab draws a gap)
        and is recorded in :attr:`missing`; control and blank characters that
        fonts legitimately lack (line feeds, zero-width spaces) are not.
        A text met before (a form's labels, in every document of a batch) is
        answered from a memo, what it records recorded again.
        """
        key = (role, text)
        known = self._runs.get(key)
        if known is None:
            if len(self._runs) >= 8192:  # bounded: the web server is long-running
                self._runs.clear()
            known = self._runs[key] = self._split_runs(role, text)
        out, missing, used = known
        if missing:
            self.missing.update(missing)
        if used:
            self.fallbacks_used.setdefault(role, set()).update(used)
        return list(out)

    def _split_runs(self, role: FontRole, text: str) -> _Runs:
        """runs' answer, with the characters it records as missing and as taken from a fallback."""
        chain = self._chains[role]
        picks = self._pick[role]
        out: list[tuple[ResolvedFont, str]] = []
        missing: set[str] = set()
        used: set[str] = set()
        cur = -1
        buf: list[str] = []
        for ch in text:
            pos = picks.get(ch)  # _position's memo, looked up here: once a character
            if pos is None:
                pos = self._position(role, ch)
            if pos < 0:
                if ch.isprintable() and not ch.isspace():
                    missing.add(ch)
                pos = 0 if cur < 0 else cur  # keep unprintables in the current run
            elif pos > 0 and self._latin.get(role) != pos:
                used.add(ch)
            if pos != cur and buf:
                out.append((chain[cur], "".join(buf)))
                buf = []
            cur = pos
            buf.append(ch)
        if buf:
            out.append((chain[cur], "".join(buf)))
        return tuple(out), frozenset(missing), frozenset(used)

    def reset_report(self) -> None:
        self.fallbacks_used = {}
        self.missing = set()


# --- resolution --------------------------------------------------------------


def _norm(name: str) -> str:
    return "".join(name.split()).casefold()


def _fc_list() -> list[tuple[Path, int, list[str]]]:
    """fontconfig's fonts (see docgen.fonts.scan); a seam tests replace."""
    return fontscan.fc_list()


def _find_system(role: FontRole, notes: list[str]) -> FaceInfo | None:
    """The first installed official font for ``role`` that reportlab can use."""
    wanted = [_norm(n) for n in OFFICIAL_FONT_NAMES[role]]
    # The names inside the files in the platform's font folders first (Windows
    # and macOS have no fontconfig), then whatever fontconfig knows beyond them.
    found = [(f.path, f.index, f.families) for f in fontscan.installed_faces()]
    candidates: dict[int, list[tuple[Path, int]]] = {}
    for path, index, fams in [*found, *_fc_list()]:
        for fam in fams:
            if _norm(fam) in wanted:
                place = candidates.setdefault(wanted.index(_norm(fam)), [])
                if (path, index) not in place:
                    place.append((path, index))
    for rank in sorted(candidates):
        for path, index in candidates[rank]:
            try:
                face = read_faces(path)[index]
            except (OSError, FontError, struct.error, IndexError, KeyError):
                continue
            if face.glyf:
                return face
            notes.append(
                f"{ROLE_LABELS[role]}：系统字体 {path}（{face.family}）是 CFF 轮廓，reportlab 无法使用，已跳过"
            )
    return None


def _parse_spec(value: str | Path, base: Path | None = None) -> tuple[Path, int]:
    """``path`` or ``path#N`` (face N of a .ttc) → (absolute path, index)."""
    text = str(value)
    index = 0
    head, sep, tail = text.rpartition("#")
    if sep and tail.isdigit():
        text, index = head, int(tail)
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return path, index


def _load_config(config_file: Path) -> dict[FontRole, tuple[Path, int]]:
    import yaml

    data = yaml.safe_load(Path(config_file).read_text(encoding="utf-8")) or {}
    table = data.get("fonts", {}) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        raise FontError(f"{config_file}：fonts 应为 角色: 文件 的映射")
    out = {}
    for key, value in table.items():
        try:
            role = FontRole(str(key).strip())
        except ValueError as exc:
            roles = "、".join(r.value for r in FontRole)
            raise FontError(f"{config_file}：未知字体角色 {key}（应为 {roles}）") from exc
        out[role] = _parse_spec(value, Path(config_file).resolve().parent)
    return out


def _checked_face(path: Path, index: int, what: str) -> FaceInfo:
    if not path.is_file():
        raise FontError(f"{what}：找不到字体文件 {path}")
    try:
        faces = read_faces(path)
    except (OSError, struct.error, KeyError) as exc:
        why = "文件已损坏或不是字体" if not isinstance(exc, OSError) else "无法打开"
        raise FontError(f"{what}：无法读取字体文件 {path}（{why}）") from exc
    if index >= len(faces):
        raise FontError(f"{what}：{path} 只有 {len(faces)} 个字体")
    face = faces[index]
    if not face.glyf:
        raise FontError(
            f"{what}：{path} 是 CFF（PostScript）轮廓，reportlab 只能使用 TrueType 轮廓的字体；"
            "可用 tools/build_fonts.py 的方法转换"
        )
    return face


_FACE_CACHE: dict[tuple[str, int], FaceInfo] = {}


def _bundled_face(rel: str) -> FaceInfo:
    path = fonts_dir() / rel
    key = (str(path), 0)
    face = _FACE_CACHE.get(key)
    if face is None:
        if not path.is_file():
            raise FontError(
                f"随附字体缺失：{path}。请重新安装 docgen（pip install docgen-….whl），"
                "或设置环境变量 DOCGEN_FONTS_DIR 指向 fonts 文件夹"
            )
        face = _FACE_CACHE[key] = _checked_face(path, 0, "随附字体")
    return face


def resolve_fonts(
    overrides: Mapping[FontRole, str | Path] | None = None,
    *,
    use_system: bool = True,
    config_file: Path | None = None,
    latin: str | Path | None = None,
) -> FontSet:
    """Choose a font file for every role; see the module docstring for the order.

    ``DOCGEN_NO_SYSTEM_FONTS=1`` forces ``use_system=False`` (reproducible tests).
    """
    if os.environ.get("DOCGEN_NO_SYSTEM_FONTS", "").strip() not in ("", "0"):
        use_system = False
    explicit: dict[FontRole, tuple[Path, int]] = {}
    if config_file is not None:
        explicit.update(_load_config(config_file))
    for role, value in (overrides or {}).items():
        explicit[FontRole(role)] = _parse_spec(value)

    notes: list[str] = []
    plan: dict[FontRole, list[tuple[FaceInfo, Source]]] = {}
    for role in FontRole:
        entries: list[tuple[FaceInfo, Source]] = []
        if role in explicit:
            path, index = explicit[role]
            entries.append(
                (_checked_face(path.resolve(), index, f"{ROLE_LABELS[role]}字体"), "config")
            )
        elif use_system:
            face = _find_system(role, notes)
            if face is not None:
                entries.append((face, "system"))
        # The role's own bundled font stays in the chain behind a system or
        # configured one: an installed 仿宋_GB2312 lacks the same characters.
        entries.append((_bundled_face(BUNDLED[role]), "bundled" if not entries else "fallback"))
        for rel in _BREADTH.get(role, _DEFAULT_BREADTH):
            entries.append((_bundled_face(rel), "fallback"))
        seen: set[tuple[str, int]] = set()
        plan[role] = []
        for face, source in entries:
            key = (str(face.path), face.index)
            if key not in seen:
                seen.add(key)
                plan[role].append((face, source))

    # Name each file after the role it is primary for ("dg-fangsong-0", the
    # number being the face index), else as a fallback by its file name.
    names: dict[tuple[str, int], str] = {}
    for role, entries in plan.items():
        face = entries[0][0]
        names.setdefault((str(face.path), face.index), f"dg-{role.value}-{face.index}")
    for entries in plan.values():
        for face, _ in entries[1:]:
            key = (str(face.path), face.index)
            names.setdefault(key, f"dg-fallback-{_slug(face.path.stem)}-{face.index}")

    chains = {
        role: [
            ResolvedFont(
                role=role,
                path=face.path,
                subfont_index=face.index,
                family=face.family,
                source=source,
                rl_name=_rl_name(names[(str(face.path), face.index)], (str(face.path), face.index)),
            )
            for face, source in entries
        ]
        for role, entries in plan.items()
    }
    positions: dict[FontRole, int] = {}
    if latin:
        face = _latin_face(latin)
        font = ResolvedFont(
            role=FontRole.FANGSONG,
            path=face.path,
            subfont_index=face.index,
            family=face.family,
            source="config",
            rl_name=_rl_name(f"dg-latin-{face.index}", (str(face.path), face.index)),
        )
        for role in LATIN_ROLES:
            chains[role].append(font)
            positions[role] = len(chains[role]) - 1
    return FontSet(chains, notes, positions)


def _latin_face(value: str | Path) -> FaceInfo:
    """The office's font for Latin letters and digits: a file, or an installed family."""
    path = Path(value)
    if path.suffix.lower() in (".ttf", ".ttc", ".otf") or path.exists():
        p, index = _parse_spec(value)
        return _checked_face(p.resolve(), index, "西文字体")
    wanted = _norm(str(value))
    # Regular faces first: a family name means its upright, normal weight.
    listed = sorted(
        _fc_list(), key=lambda e: sum(w in e[0].name.lower() for w in ("bold", "italic", "oblique"))
    )
    for p, index, fams in listed:
        if any(_norm(f) == wanted for f in fams):
            face = read_faces(p)[index]
            if face.glyf:
                return face
    for face in fontscan.installed_faces():
        if face.glyf and any(_norm(f) == wanted for f in face.families):
            return face
    raise FontError(f"西文字体“{value}”未安装（或不是 TrueType 轮廓）；请写字体文件的路径")


# --- reportlab ---------------------------------------------------------------

_REGISTERED: set[str] = set()
_REG_LOCK = threading.Lock()


def register_reportlab(fs: FontSet) -> None:
    """Register every font of every chain with reportlab, once per process."""
    for f in fs.all_fonts():
        register_font(f)


def register_font(f: ResolvedFont) -> str:
    """Register one font on first use and return its reportlab name.

    Parsing a CJK TTF costs reportlab 25-60 ms (a fraction of that from the
    cache); a document that never needs the 楷体 or a fallback should not pay for it.
    """
    if f.rl_name in _REGISTERED:
        return f.rl_name
    from reportlab.pdfbase import pdfmetrics

    from docgen.fonts.rlfaces import load_ttfont

    with _REG_LOCK:
        if f.rl_name not in _REGISTERED:
            # What reportlab reads of a large font is kept between runs (rlfaces.py).
            pdfmetrics.registerFont(load_ttfont(f.rl_name, f.path, f.subfont_index))
            _REGISTERED.add(f.rl_name)
    return f.rl_name


# --- description -------------------------------------------------------------


def describe(fs: FontSet) -> str:
    """Human-readable summary for ``docgen fonts``."""
    lines = []
    for role in fs.roles:
        chain = fs.chain(role)
        p = chain[0]
        official = "、".join(OFFICIAL_FONT_NAMES[role])
        face = f"（第 {p.subfont_index} 个字体）" if p.subfont_index else ""
        lines.append(f"{ROLE_LABELS[role]}（{role.value}；公文字体：{official}）")
        lines.append(f"  使用：{p.family}  {p.path}{face}  [{SOURCE_LABELS[p.source]}]")
        if len(chain) > 1:
            lines.append("  缺字后备：" + " → ".join(f.family for f in chain[1:]))
    for note in fs.notes:
        lines.append(f"注意：{note}")
    lines.append(f"随附字体目录：{fonts_dir()}")
    return "\n".join(lines)
