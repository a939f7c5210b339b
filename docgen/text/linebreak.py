"""Breaking a paragraph into grid lines with the 避头尾 rules.

Greedy, one pass, O(n): fill a line; where the rules forbid breaking there,
first try to bring the next character in by setting punctuation half-width
(标点挤压, W3C clreq 3.1.6: 推入 before 推出), and only when the line holds
too little punctuation move the break back (推出: carry characters down
rather than let punctuation hang outside the block).
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import accumulate

from docgen.text.chars import joins_previous
from docgen.text.punctuation import (
    HOLDS_NUMBER,
    NO_LINE_END,
    NO_LINE_START,
    is_fullwidth,
    is_word_char,
)

# A character fits when it overflows by less than this (in the caller's unit,
# points in practice): float sums of 28 advances differ from the width in the
# last bits, and nothing under a hundredth of a point shows on paper.
_EPS = 1e-2


@dataclass(frozen=True)
class Line:
    text: str
    natural_width: float  # sum of the advances, in the caller's unit
    last: bool  # the paragraph's last line: set flush left, not justified
    indent: float  # left indent of this line, in the caller's unit
    # Offsets (in this line) of the punctuation set half-width to bring one
    # more character in; natural_width already has their halves taken off.
    squeezed: tuple[int, ...] = ()


# A character's classes for _Rules, remembered (the breaker asks for every character of
# every paragraph; a document's alphabet is a few thousand characters at most): joins the
# one before, not full-width (0/1, summed), a word character, and two codes whose sum
# tells a break between two characters the punctuation rules allow (at least 3): as the
# first, 0 never ends a line (NO_LINE_END), 1 not before a Latin letter or digit
# (holds_number), 2 may; as the second, 0 never starts one (NO_LINE_START, or it joins
# the one before: a letter and its combining mark, é or ṃ, are one character on paper),
# 1 a Latin letter or digit, 2 may. (—— and …… need no rule of their
# own here: — and … never start a line.)
_Classes = tuple[bool, int, bool, int, int]
_CLASSES: dict[str, _Classes] = {}


def _classify(ch: str) -> _Classes:
    joins = joins_previous(ch)
    if ch in NO_LINE_END:
        ends = 0
    else:
        ends = 1 if ch in HOLDS_NUMBER else 2
    if joins or ch in NO_LINE_START:
        starts = 0
    else:
        starts = 1 if ch.isascii() and ch.isalnum() else 2
    value = _CLASSES[ch] = (joins, 0 if is_fullwidth(ch) else 1, is_word_char(ch), ends, starts)
    return value


class _Rules:
    """Where a line of one paragraph may end, worked out once for the whole paragraph:
    ``strict[b]`` every rule kept (words and the caller's ``keep`` too), ``loose[b]``
    the punctuation rules only, ``joins[b]`` ``text[b]`` belongs to the character before."""

    __slots__ = ("joins", "loose", "narrow", "strict")

    def __init__(self, text: str, keep: AbstractSet[int]) -> None:
        n = len(text)
        classes = [_CLASSES.get(ch) or _classify(ch) for ch in text]
        self.joins = [c[0] for c in classes] + [False]
        # Characters before each offset that are not full-width (digits, Latin): a line
        # holding one has no count of 28 to keep, so it goes off the grid more cheaply.
        self.narrow = [0, *accumulate(c[1] for c in classes)]
        # The rules of where a line may end, from each character's classes, a list at a time.
        ends = [c[3] for c in classes]
        starts = [c[4] for c in classes[1:]]
        self.loose = [False, *[e + s >= 3 for e, s in zip(ends, starts)], False]
        words = [c[2] for c in classes]
        if any(words):
            self.strict = [
                legal and not (a and b)
                for legal, a, b in zip(self.loose, [False, *words], [*words, False])
            ]
        else:
            self.strict = self.loose.copy()
        for b in keep:
            if 0 < b < n:
                self.strict[b] = False

    def before(self, start: int, end: int) -> int:
        """_break_before() from the tables."""
        for table in (self.strict, self.loose):
            b = end
            while b > start + 1 and not table[b]:
                b -= 1
            if b > start + 1 or table[b]:
                return b
        return end


def _squeeze_in(
    text: str,
    prefix: list[float],
    savings: list[float],
    start: int,
    end: int,
    room: float,
    rules: _Rules,
) -> list[tuple[int, tuple[int, ...]]]:
    """推入: the legal breaks one or two characters after ``end`` that setting
    marks half-width reaches (a closing mark and what it follows, a pair like
    ——). The marks are chosen as clreq orders them: marks next to another
    mark first, then the rest from the line's end; only as many as needed.
    """
    n = len(text)
    found: list[tuple[int, tuple[int, ...]]] = []
    for extra in (1, 2):
        e = end + extra
        if e > n or (e < n and not rules.strict[e]):
            continue
        if found:
            break  # two more only where one more cannot end the line
        need = prefix[e] - prefix[start] - room
        paired: list[int] = []
        single: list[int] = []
        # Never the line's first or last character: a mark set half-width there
        # would put its box outside the block (its ink stays in, but a box
        # past the edge is what every measuring tool sees).
        for i in range(e - 2, start, -1):
            if savings[i]:
                touching = savings[i - 1] or savings[i + 1]
                (paired if touching else single).append(i)
        chosen: list[int] = []
        got = 0.0
        for i in (*paired, *single):
            if got >= need:
                break
            if (i + 1 in chosen and text[i + 1] in NO_LINE_END) or (
                i - 1 in chosen and text[i] in NO_LINE_END
            ):
                continue  # "）（" both half: their boxes would coincide and readers swap them
            chosen.append(i)
            got += savings[i]
        if got >= need:
            found.append((e, tuple(sorted(chosen))))
    return found


# Runs a table cell never breaks: dates, numbers with their units, digits, Latin words and
# what clings to them (2025年12月31日, 1200万元, 39条, 1,250.00, 12.5%, GB/T). Issue 18.
UNBREAKABLE = re.compile(
    r"[0-9]+年(?:[0-9]+月(?:[0-9]+日)?)?|[0-9]+月[0-9]+日"
    r"|[0-9][0-9,.]*(?:万元|亿元|万|亿|元|条|项|个|件|处|天|人|家|次|期|号|%|％)"
    r"|[0-9A-Za-z][0-9A-Za-z.,:/%％\-+_]*"
)


def inside_words(text: str) -> frozenset[int]:
    """Offsets inside the UNBREAKABLE runs of ``text`` (no line breaks there)."""
    out: set[int] = set()
    for m in UNBREAKABLE.finditer(text):
        out.update(range(m.start() + 1, m.end()))
    return frozenset(out)


def inside_names(text: str, separators: str = "，、　 ") -> frozenset[int]:
    """Offsets a list of names (出席：单位　姓名、姓名，单位　姓名) must not break at:
    inside a unit's or a person's name, and before the gap between them (the
    gap ends a line, it never starts one)."""
    seps = frozenset(separators)
    return frozenset(
        b
        for b in range(1, len(text))
        if text[b] in " \u3000" or (text[b - 1] not in seps and text[b] not in seps)
    )


def break_paragraph(
    text: str,
    width: float,
    measure: Callable[[str], float],
    *,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    squeeze: Callable[[str], float] | None = None,
    keep: AbstractSet[int] = frozenset(),
) -> list[Line]:
    """Lines of ``text`` no wider than ``width`` (indent included).

    ``squeeze``: how much a character gives up when set half-width (0 for
    one that cannot be); without it no punctuation is compressed.
    """
    return break_measured(
        text,
        [measure(ch) for ch in text],
        width,
        first_indent=first_indent,
        rest_indent=rest_indent,
        savings=None if squeeze is None else [squeeze(ch) for ch in text],
        keep=keep,
    )


def _search(
    text: str,
    prefix: list[float],
    savings: list[float] | None,
    width: float,
    first_indent: float,
    rest_indent: float,
    rules: _Rules,
    *,
    beam: bool,
) -> dict[int, tuple[float, int, tuple[int, ...]]] | None:
    """The cheapest way to each line start: start → (cost, previous start, squeezed marks).

    Beam: of the starts of one line number only the few cheapest seen are
    followed (the paragraph's ways differ by a character or two a line; a
    dearer start could win only by luck the cheaper ones share). This keeps a
    long paragraph's search to a few starts a line. None
    when the beam cut every way to the end (the caller searches again without).
    """
    n = len(text)
    best: dict[int, tuple[float, int, tuple[int, ...]]] = {0: (0.0, -1, ())}
    depth = {0: 0}
    todo = [0]
    final: float | None = None
    cheapest: dict[int, list[float]] = {}  # line number → costs of the starts followed
    while todo:
        start = heapq.heappop(todo)
        cost = best[start][0]
        if final is not None and cost >= final:
            continue  # cannot improve on a finished paragraph
        if beam:
            followed = cheapest.setdefault(depth[start], [])
            if len(followed) >= _BEAM and cost >= followed[-1]:
                continue
            bisect.insort(followed, cost)
            del followed[_BEAM:]
        for end, squeezed, step in _choices(
            text, prefix, savings, start, width, first_indent, rest_indent, rules
        ):
            total = cost + step
            if end >= n:
                if final is None or total < final:
                    final = total
                    best[n] = (total, start, squeezed)
                continue
            known = best.get(end)
            if known is None:
                heapq.heappush(todo, end)
            if known is None or total < known[0]:
                best[end] = (total, start, squeezed)
                depth[end] = depth[start] + 1
    return best if final is not None else None


def break_measured(
    text: str,
    advances: list[float],
    width: float,
    *,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    savings: list[float] | None = None,
    keep: AbstractSet[int] = frozenset(),
) -> list[Line]:
    """break_paragraph() for a caller that has each character's advance (and saving) at hand.

    Where the rules forbid the full line's break, the line goes off the grid
    one way or the other (推入, pushing one more character in by half-width
    punctuation, or 推出, carrying characters down), and every later break
    moves with it. Which way decides whether later lines fall on legal
    breaks, so the choice is made for the paragraph (fewest lines off the
    grid, then a last line of more than one character), as a shortest path
    over line starts: each start is reached once, in text order.
    """
    n = len(text)
    if n == 0:
        return []
    prefix = list(accumulate(advances, initial=0.0))  # as prefix[-1] + a, one by one
    greedy = _full_lines(text, prefix, width, first_indent, rest_indent, keep)
    if greedy is not None:
        return greedy
    args = (text, prefix, savings, width, first_indent, rest_indent, _Rules(text, keep))
    best = _search(*args, beam=True) or _search(*args, beam=False)
    assert best is not None  # without the beam every start leads on: the end is reached
    # Walk back from the paragraph's end.
    bounds: list[tuple[int, int, tuple[int, ...]]] = []
    end = n
    while end > 0:
        _, start, squeezed = best[end]
        bounds.append((start, end, squeezed))
        end = start
    lines: list[Line] = []
    for start, end, squeezed in reversed(bounds):
        natural = prefix[end] - prefix[start]
        if squeezed and savings is not None:
            natural -= sum(savings[i] for i in squeezed)
        indent = first_indent if start == 0 else rest_indent
        rel = tuple(i - start for i in squeezed)
        lines.append(Line(text[start:end], natural, end >= n, indent, rel))
    return lines


def _full_lines(
    text: str,
    prefix: list[float],
    width: float,
    first_indent: float,
    rest_indent: float,
    keep: AbstractSet[int],
) -> list[Line] | None:
    """The paragraph's lines when every full line may end where it is full, and the last
    holds more than one character (or is the first); else None.

    Such a way costs nothing, and every other way costs at least one line off the grid:
    it is what the search finds, found without working out the rules of every break
    (a form's values, most paragraphs). Ends as _choices() finds them.
    """
    n = len(text)
    bounds: list[int] = [0]
    start = 0
    while True:
        indent = first_indent if start == 0 else rest_indent
        room = width - indent + _EPS
        end = bisect.bisect_right(prefix, prefix[start] + room, start + 1) - 1
        end = max(end, start + 1)
        if end >= n:
            if n - start == 1 and start > 0:
                return None  # a lone last character: the search weighs other ways
            bounds.append(n)
            break
        if not _strict_at(text, end, keep):
            return None
        bounds.append(end)
        start = end
    return [
        Line(
            text[a:b],
            prefix[b] - prefix[a],
            b >= n,
            first_indent if a == 0 else rest_indent,
            (),
        )
        for a, b in zip(bounds, bounds[1:])
    ]


def _strict_at(text: str, b: int, keep: AbstractSet[int]) -> bool:
    """May a line end before ``text[b]``, words kept whole and ``keep``'s breaks forbidden?
    _Rules(text, keep).strict[b] for one offset inside the text (the titles' breaker asks it)."""
    before = _CLASSES.get(text[b - 1]) or _classify(text[b - 1])
    after = _CLASSES.get(text[b]) or _classify(text[b])
    if before[3] + after[4] < 3:
        return False
    return not (before[2] and after[2]) and b not in keep


# What a line off the grid costs; a last line of one character costs more
# (a proof-reader sends it back), and carrying down costs a little more than
# squeezing in (the carried-over line is spread, a squeezed one keeps its rhythm).
_OFF_GRID = 1.0
_OFF_GRID_MIXED = 0.5  # a line with digits or Latin letters: no count of 28 to keep
_BEAM = 4  # starts followed per line number
_WAYS_BACK = 1
_PUSHED_OUT = 0.05
_LONE_LAST = 3.0
_CHOSEN = 0.01


def _choices(
    text: str,
    prefix: list[float],
    savings: list[float] | None,
    start: int,
    width: float,
    first_indent: float,
    rest_indent: float,
    rules: _Rules,
) -> list[tuple[int, tuple[int, ...], float]]:
    """(end, squeezed marks, cost) of each way to end the line that begins at ``start``."""
    n = len(text)
    indent = first_indent if start == 0 else rest_indent
    room = width - indent + _EPS
    # The full line: the most characters that fit.
    end = bisect.bisect_right(prefix, prefix[start] + room, start + 1) - 1
    end = max(end, start + 1)  # a glyph wider than the line still has to go somewhere
    if end >= n:
        lone = _LONE_LAST if n - start == 1 and start > 0 else 0.0
        return [(n, (), lone)]
    out: list[tuple[int, tuple[int, ...], float]] = []
    legal = rules.strict[end]
    if legal:
        out.append((end, (), 0.0))
    # Off the grid: forced where the full line's break is illegal; chosen freely
    # near the paragraph's end only (to keep a last line from standing alone).
    near_end = prefix[n] - prefix[start] <= 3 * room
    # A line with half-width characters may go off the grid by choice anywhere: cheaply,
    # to bring a later line of full-width characters back onto it.
    mixed = rules.narrow[end] > rules.narrow[start]
    if not legal or near_end or mixed:
        # A line put off the grid by choice costs a little more than a forced one,
        # so that of two equal layouts the one following the text's own breaks wins.
        chosen = _CHOSEN if legal else 0.0
        if savings is not None:
            for e, squeezed in _squeeze_in(text, prefix, savings, start, end, room, rules):
                off = _off_grid(rules, start, e)
                out.append((e, squeezed, off + chosen + _PUSHED_OUT * (e - end - 1)))
        back = end if legal else end + 1
        for _ in range(_WAYS_BACK):  # the latest legal break before (and the one before that)
            if back - 1 <= start + 1:
                break
            back = rules.before(start, back - 1)
            while back < n and rules.joins[back]:
                back += 1  # even when no rule could be kept: never split a grapheme
            if back >= end or not rules.loose[back]:
                break
            if out and out[-1][0] < end and end - back > 2:
                break  # a second way back only a character further: more would gape
            off = _off_grid(rules, start, back)
            out.append((back, (), off + chosen + _PUSHED_OUT * (end - back)))
    if not out:  # no rule can be kept: break where the line is full
        while end < n and rules.joins[end]:
            end += 1
        out.append((end, (), _OFF_GRID))
    return out


def _off_grid(rules: _Rules, start: int, end: int) -> float:
    """What setting ``text[start:end]`` off the grid costs: less for a line with
    half-width characters, which holds no count of grid characters a reader checks."""
    return _OFF_GRID_MIXED if rules.narrow[end] > rules.narrow[start] else _OFF_GRID


def justify_gaps(line: Line, width: float) -> float:
    """Extra space per gap that makes a non-last line fill exactly ``width``."""
    n = len(line.text)
    if line.last or n < 2:
        return 0.0
    return (width - line.indent - line.natural_width) / (n - 1)
