"""Word's automatic numbering: the label (一、 （一） 1. （1）) Word draws but the text lacks.

A heading numbered by Word has no 一、 in its runs; the label is computed
from numbering.xml (the list's level format, its start value and how many
earlier paragraphs used the same list), as Word itself counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

from docgen.text.headings import chinese_numeral


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    style: str = ""  # a heading style linked to this level (w:pStyle): its paragraphs take it


@dataclass
class Numbering:
    """numbering.xml read once; ``label`` advances the counters like Word does."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # lvlOverride/startOverride
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNum → counts

    @classmethod
    def read(cls, document) -> Numbering:  # noqa: ANN001 - a python-docx Document
        out = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return out
        abstracts: dict[str, dict[int, _Level]] = {}
        for absn in root.findall(qn("w:abstractNum")):
            aid = absn.get(qn("w:abstractNumId"))
            abstracts[aid] = {
                int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in absn.findall(qn("w:lvl"))
            }
        for num in root.findall(qn("w:num")):
            nid = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            aid = ref.get(qn("w:val")) if ref is not None else None
            if aid not in abstracts:
                continue
            levels = dict(abstracts[aid])
            for ov in num.findall(qn("w:lvlOverride")):
                ilvl = int(ov.get(qn("w:ilvl"), "0"))
                lvl = ov.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    out.starts[(nid, ilvl)] = int(so.get(qn("w:val"), "1"))
            out.levels[nid] = levels
            # A list restarted by an override counts on its own; otherwise lists
            # sharing an abstract definition continue each other, as in Word.
            out.abstract_of[nid] = (
                aid if not any(k[0] == nid for k in out.starts) else f"{aid}/{nid}"
            )
        return out

    def level_of_style(self, num_id: str, style_id: str) -> int | None:
        """The level a style is linked to (Heading 2 → ilvl 1), when numbering comes from the style."""
        for ilvl, lvl in self.levels.get(num_id, {}).items():
            if style_id and lvl.style == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next paragraph in list ``num_id`` at level ``ilvl``."""
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        key = self.abstract_of[num_id]
        counts = self.counters.setdefault(key, {})
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a higher level restarts the levels below it
        lvl = levels.get(ilvl, _Level())
        start = self.starts.get((num_id, ilvl), lvl.start)
        counts[ilvl] = counts.get(ilvl, start - 1) + 1
        text = lvl.text
        for k in range(ilvl, -1, -1):
            above = levels.get(k, _Level())
            value = counts.get(k, self.starts.get((num_id, k), above.start))
            text = text.replace(f"%{k + 1}", _format(value, above.fmt))
        return text if lvl.fmt not in ("bullet", "none") else ""


def _level(lvl) -> _Level:  # noqa: ANN001 - an lxml element
    def val(tag: str, default: str) -> str:
        el = lvl.find(qn(tag))
        return el.get(qn("w:val"), default) if el is not None else default

    return _Level(
        fmt=val("w:numFmt", "decimal"),
        text=val("w:lvlText", ""),
        start=int(val("w:start", "1")),
        style=val("w:pStyle", ""),
    )


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _format(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "japaneseCounting",
        "chineseLegalSimplified",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "ideographDigital",
    ):
        return chinese_numeral(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += sym
            n -= value
    return out
