"""The joint meeting's member units: canonical names, aliases, and close-name hints.

Agreed-item tables are typed by hand in offices, so unit names arrive in the
forms people use (市住建局, 高平市公安局) and with typos made by pinyin input
methods (市公按局: same sound, wrong character). Resolution is strict — only
a registered name or alias counts — but a miss is reported with the closest
registered names, compared both as characters and as pinyin so that
homophone typos find their unit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from docgen.problems import InputError, Problem

_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Several units in one cell: 、 and the comma/semicolon in both widths.
_SPLIT = re.compile(r"[、，,;；\n]")
# Half-width brackets and stray spaces are the usual variation in hand-typed names.
_NORMALISE = str.maketrans({"(": "（", ")": "）", " ": "", "\u3000": "", "\t": ""})


def normalise(name: str) -> str:
    return name.strip().translate(_NORMALISE)


def split_units(cell: object) -> list[str]:
    """One cell → unit names, split on 、，,;；; empty parts dropped."""
    if cell is None:
        return []
    if isinstance(cell, (list, tuple)):
        return [normalise(str(c)) for c in cell if str(c).strip()]
    return [normalise(p) for p in _SPLIT.split(str(cell)) if p.strip()]


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> str:
    """Toneless pinyin with syllables space-separated; non-Chinese kept as is."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))


@dataclass(frozen=True)
class Unit:
    name: str
    aliases: tuple[str, ...] = ()
    duties: str = ""


@dataclass
class UnitRegistry:
    """Member units loaded from member-units.yaml (name, aliases, duties)."""

    units: list[Unit]
    joint_meeting: str = ""
    office: str = ""
    office_host: str = ""
    source: str = ""
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units:
            for key in (unit.name, *unit.aliases):
                self._index.setdefault(normalise(key), unit.name)

    @classmethod
    def load(cls, path: str | Path) -> UnitRegistry:
        path = Path(path)
        file = str(path)
        try:
            # libyaml when present: the list is read before every render (核稿), 10× faster
            data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_SAFE)  # noqa: S506
        except OSError as exc:
            raise InputError(
                [Problem(f"无法读取成员单位名录（{os_error_text(exc)}）", file=file)]
            ) from exc
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(
                [
                    Problem(
                        f"成员单位名录无法解析（{_said(exc)}）；请保存为 UTF-8 的 YAML", file=file
                    )
                ]
            ) from exc
        raw_units = data.get("units") if isinstance(data, dict) else None
        if not isinstance(raw_units, list) or not raw_units:
            raise InputError([Problem("成员单位名录应有 units: 列表", field="units", file=file)])
        units: list[Unit] = []
        problems: list[Problem] = []
        for i, u in enumerate(raw_units, 1):
            if not isinstance(u, dict) or not str(u.get("name") or "").strip():
                problems.append(Problem("缺少单位名称 name", field=f"units[{i}]", file=file))
                continue
            aliases = u.get("aliases") or []
            if isinstance(aliases, str):
                aliases = split_units(aliases)
            units.append(
                Unit(
                    name=normalise(str(u["name"])),
                    aliases=tuple(normalise(str(a)) for a in aliases),
                    duties=str(u.get("duties") or ""),
                )
            )
        if problems:
            raise InputError(problems)
        return cls(
            units=units,
            joint_meeting=str(data.get("joint_meeting") or ""),
            office=str(data.get("office") or ""),
            office_host=str(data.get("office_host") or ""),
            source=file,
        )

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.units]

    def resolve(self, name: str) -> str | None:
        """The canonical name for a registered name or alias, else None."""
        return self._index.get(normalise(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest registered units, best first, as “alias（即 name）” or “name”.

        The score is the better of the character similarity and the pinyin
        similarity, so both 公安 → 市公安局 (missing characters) and 市公按局 →
        市公安局 (homophone) rank the right unit first.
        """
        query = normalise(name)
        if not query:
            return []
        q_py = _pinyin(query)
        best: dict[str, tuple[float, str]] = {}
        for key, canonical in self._index.items():
            chars = difflib.SequenceMatcher(None, query, key).ratio()
            sound = difflib.SequenceMatcher(None, q_py, _pinyin(key)).ratio()
            # A same-sound match is slightly less certain than a same-character one.
            score = max(chars, sound * 0.97)
            if score > best.get(canonical, (0.0, ""))[0]:
                best[canonical] = (score, key)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        out: list[str] = []
        top = ranked[0][1][0] if ranked else 0.0
        for canonical, (score, key) in ranked[:n]:
            # Weak runners-up only distract from a clear best match.
            if score < 0.5 or score < top - 0.12:
                break
            out.append(canonical if key == canonical else f"{key}（即{canonical}）")
        return out

    def check_cell(
        self, cell: object, *, column: str, file: str = "", row: int | None = None
    ) -> tuple[list[str], list[Problem]]:
        """Canonical names of a cell's units, and a problem for each unknown one."""
        names: list[str] = []
        problems: list[Problem] = []
        for part in split_units(cell):
            canonical = self.resolve(part)
            if canonical is None:
                near = self.suggest(part)
                hint = (
                    f"；是不是 {'、'.join(near)}？"
                    if near
                    else f"；请填写成员单位名录（{self.source or 'member-units.yaml'}）中的名称"
                )
                problems.append(
                    Problem(f"“{part}”不是联席会议成员单位{hint}", field=column, file=file, row=row)
                )
            elif canonical not in names:
                names.append(canonical)
        return names, problems


def _said(exc: Exception) -> str:
    from docgen.errors import yaml_error_text

    return "不是 UTF-8 编码" if isinstance(exc, UnicodeDecodeError) else yaml_error_text(exc)


def os_error_text(exc: OSError) -> str:
    from docgen.errors import os_error_text as said

    return said(exc)


def find_registry(base_dir: Path, named: str | None = None) -> Path | None:
    """The member-unit file: the one named (relative to base_dir), else member-units.yaml beside."""
    if named:
        p = Path(named)
        return p if p.is_absolute() else base_dir / p
    beside = base_dir / "member-units.yaml"
    return beside if beside.is_file() else None
