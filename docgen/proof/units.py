"""Member units named in the text: each alias reported with the canonical name.

A unit written one way throughout under an alias (市住建局) is a 提醒; one
unit written two different ways in one document (市发改委 here, 市发展改革和
科技局 there) is an error, since a reader cannot tell whether two units are
meant. The full name with the place in front (高平市公安局 for 市公安局, as
a 发文机关, 主送 or 抄送 is written) is the canonical name in full, not
another spelling, and --fix leaves it and the document's own issuer alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.proof.finding import Finding, Fix, Severity, quote
from docgen.proof.spots import Spot
from docgen.proof.traditional import fix_traditional
from docgen.units import UnitRegistry, normalise

_COMPILE_AFTER = 20_000  # characters matched by the index before the alternation pays

# Length-preserving, so offsets in the matched copy are offsets in the text.
_WIDTH = str.maketrans({"(": "（", ")": "）"})


@dataclass(frozen=True)
class Mention:
    spot: Spot
    start: int
    end: int
    written: str
    canonical: str

    @property
    def full_name(self) -> bool:
        """市公安局 or 高平市公安局: the canonical name, in short or in full."""
        return self.written == self.canonical or normalise(self.written).endswith(self.canonical)


class UnitMatcher:
    """Every registered name and alias, matched leftmost-longest, as a regex alternation would.

    An index by first character while the texts are few: compiling the
    alternation of a long member list costs more than matching one document.
    Past _COMPILE_AFTER characters (a batch's 纪要 of a thousand items: 73,000)
    the alternation is compiled and finds the same spans seven times faster.
    """

    def __init__(self, registry: UnitRegistry):
        self.registry = registry
        names = {normalise(n) for u in registry.units for n in (u.name, *u.aliases)}
        names.discard("")
        self._names = sorted(names, key=len, reverse=True)  # longest first, for both ways
        self._by_first: dict[str, list[str]] = {}
        for n in self._names:
            self._by_first.setdefault(n[0], []).append(n)
        self._scanned = 0
        self._pattern: re.Pattern[str] | None = None

    def _find(self, text: str) -> list[tuple[int, int]]:
        if self._pattern is None:
            self._scanned += len(text)
            if self._scanned < _COMPILE_AFTER or not self._names:
                return self._scan(text)
            # Longest first: at each place the first alternative that matches is the longest.
            self._pattern = re.compile("|".join(map(re.escape, self._names)))
        return [m.span() for m in self._pattern.finditer(text)]

    def _scan(self, text: str) -> list[tuple[int, int]]:
        out = []
        i = 0
        by_first = self._by_first
        while i < len(text):
            for name in by_first.get(text[i], ()):
                if text.startswith(name, i):
                    out.append((i, i + len(name)))
                    i += len(name)
                    break
            else:
                i += 1
        return out

    def mentions(self, spot: Spot) -> list[Mention]:
        # 市發改委 is 市发改委 written with a traditional character: still a mention.
        text = fix_traditional(spot.text)[0]
        text = (text if len(text) == len(spot.text) else spot.text).translate(_WIDTH)
        out = []
        for start, end in self._find(text):
            canonical = self.registry.resolve(text[start:end])
            if canonical:
                out.append(Mention(spot, start, end, spot.text[start:end], canonical))
        return out


# Fields that hold the document's own issuing body, written in full by rule.
ISSUER_FIELDS = frozenset({"issuer", "mark", "printer", "compiler", "office"})


def issuer_names(spots: list[Spot]) -> frozenset[str]:
    """The document's own issuer names, as written in its issuer fields."""
    return frozenset(
        normalise(s.text)
        for s in spots
        if s.path and (s.path[0] in ISSUER_FIELDS or s.path[:2] == ("signature", "issuers"))
    )


def check(spots: list[Spot], file: str, matcher: UnitMatcher) -> list[Finding]:
    own = issuer_names(spots)
    mentions = [m for s in spots for m in matcher.mentions(s) if normalise(m.written) not in own]
    ways: dict[str, set[str]] = {}  # canonical → the distinct ways it is written
    written: dict[str, set[str]] = {}  # canonical → every form as written
    for m in mentions:
        ways.setdefault(m.canonical, set()).add(
            m.canonical if m.full_name else normalise(m.written)
        )
        written.setdefault(m.canonical, set()).add(m.written)
    out = []
    for m in mentions:
        if m.full_name:
            continue  # 市公安局, or 高平市公安局 in full as 抄送 and 主送 are written
        fix = Fix(m.start, m.end, m.canonical)
        if len(ways[m.canonical]) > 1:
            others = "、".join(f"“{w}”" for w in sorted(written[m.canonical]) if w != m.written)
            msg = (
                f"同一单位写法不一：“{m.written}”与{others}都指成员单位“{m.canonical}”，"
                "读者无法判断是否为同一单位"
            )
            sev: Severity = "error"
        else:
            msg = f"“{m.written}”是成员单位“{m.canonical}”的别称"
            sev = "warning"
        text = m.spot.text
        out.append(
            Finding(
                "units",
                msg,
                sev,
                file,
                m.spot.field,
                m.spot.paragraph,
                m.start,
                quote(text, m.start, m.end),
                f"请统一写作“{m.canonical}”（成员单位名录 {matcher.registry.source}）",
                fix,
            )
        )
    return out


def fix_units(
    text: str, matcher: UnitMatcher, own: frozenset[str] = frozenset()
) -> tuple[str, list[tuple[str, str]]]:
    """Every alias in ``text`` → its canonical name; the document's own issuer (``own``) stays."""
    spot = Spot((), "", None, text)
    made = []
    parts = []
    pos = 0
    for m in matcher.mentions(spot):
        if m.full_name or normalise(m.written) in own:
            continue
        parts += [text[pos : m.start], m.canonical]
        pos = m.end
        made.append((m.written, m.canonical))
    parts.append(text[pos:])
    return "".join(parts), made
