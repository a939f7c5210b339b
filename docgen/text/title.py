"""Breaking a long title into lines at word boundaries, in a trapezoid or a diamond [7.3.1].

Decided once, here, so the PDF and the .docx show the same breaks.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from docgen.text.linebreak import _strict_at
from docgen.text.punctuation import is_fullwidth

Shape = Literal["auto", "widening", "narrowing", "diamond"]

# Terms of 公文 titles that a segmenter splits but a reader does not.
_TERMS = (
    "文物保护",
    "联席会议",
    "人民政府",
    "办公室",
    "工作方案",
    "实施方案",
    "管理办法",
    "实施意见",
    "有关事项",
    "体制机制",
    "议定事项",
    "督办单",
    "安全生产",
    "生态环境",
    "城乡建设",
    "国土空间",
    "国土空间规划",
    "不可移动文物",
    "消防安全",
    "文物安全",
    "安全管理",
    "专项整治",
    "专项行动",
    "保护范围",
    "建设控制地带",
    "历史文化名城",
    "实施细则",
    "工作要点",
    "工作制度",
    "会议制度",
    "有关情况",
    "落实情况",
    "商请",
    "函告",
    "函复",
    "宣传月",
    "宣传周",
    "文物保护单位",
    "保护单位",
    "不可移动文物保护单位",
    "重点文物保护单位",
    "全国重点文物保护单位",
    "文物保护项目",
    "文物保护利用",
    "专项资金",
    "专项检查",
    "工作规则",
    "全体会议",
    "成员单位",
    "牵头单位",
    "征求意见稿",
    "送审稿",
    "历史文化名镇",
    "历史文化名村",
    "文物安全检查",
    "督办情况",
    "办理情况",
)
# One-character words a segmenter leaves loose that end a compound (宣传|月, 检查|站):
# a break before one splits the compound.
_SUFFIXES = frozenset(
    "月周日节会站点所队处科馆团组区局室部厅委办费证表单稿书案员者家型性化类式制法"
)
_PLACE_ENDS = frozenset("市县省镇乡村区州旗盟")
# One-character words that stand alone in a title (function words): a break next to them is fine.
_FREE = frozenset("的和与及暨对在为将从向由于并或等之")
_NOMINAL = ("n", "vn", "an", "j", "l", "nz", "ng")
_GROUPS = {"《": "》", "“": "”", "（": "）", "〔": "〕", "「": "」", "【": "】"}
_END_PUNCT = "。，、；：！？,.;:!?"
_GOOD_BEFORE = ("关于",)
_CONJUNCTIONS = ("和", "与", "及", "暨")


def _units(ch: str) -> float:
    return 1.0 if is_fullwidth(ch) else 0.5


_WORDS = Path(__file__).resolve().parent.parent / "data" / "title-words.txt"


def _import_jieba() -> Any:
    """jieba, without the pkg_resources it imports only to open its own files.

    pkg_resources takes 0.1 s to import (most of jieba's cost, paid by every
    command that breaks a title); without it jieba opens its files by path,
    which is all pkg_resources would do for a package on disk. Installed any
    other way (in a zip), jieba is imported as it is.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.origin or not Path(spec.origin).with_name("dict.txt").is_file():
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba's fallback
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


class _Segmenter:
    """jieba over docgen's cut word list, with each word's part of speech.

    jieba's full dictionary and its POS model cost about 3 s to load; the
    cut list and a tag lookup of our own cost a fraction, and a title needs
    no more.
    """

    def __init__(self) -> None:
        jieba = _import_jieba()
        # jieba logs its progress, and a failed cache write with a traceback, to
        # the console: none of that is the clerk's business.
        jieba.setLogLevel(logging.CRITICAL + 1)
        self.tags: dict[str, str] = {}
        for line in _WORDS.read_text(encoding="utf-8").splitlines():
            word, _freq, tag = line.split(" ")
            self.tags[word] = tag
        self.tk = jieba.Tokenizer(dictionary=str(_WORDS))
        # Its cache goes to the user's cache folder, never the shared temp folder
        # (a second user there cannot replace the first one's file).
        self.tk.tmp_dir = str(_cache_folder())
        self.tk.initialize()
        for term in _TERMS:
            self.add(term)

    def add(self, term: str) -> None:
        if term not in self.tags:
            self.tk.add_word(term, freq=200000)
            self.tags[term] = "n"

    def cut(self, text: str) -> list[tuple[str, str]]:
        return [(w, self.tags.get(w, "x")) for w in self.tk.cut(text, HMM=False)]


def _cache_folder() -> Path:
    """The user's docgen cache folder, made if need be (jieba writes into it, not makes it)."""
    from docgen.resources import user_cache_dir

    folder = user_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # jieba then builds its dictionary each run, without a cache: slower, still right
    return folder


@lru_cache(maxsize=1)
def _segmenter() -> _Segmenter:
    return _Segmenter()


# Endings that make an office (or a minutes' mark) of a body: the body's own
# name is a name too (高平市文物保护工作联席会议办公室 → 高平市文物保护工作联席会议).
_OFFICE_ENDINGS = ("办公室", "办", "纪要")


def title_lexicon(names: Iterable[str]) -> list[str]:
    """Names a title must keep whole: those given, the bodies their offices serve,
    and each without its city prefix (高平市文物局 → 市文物局 is how titles say it)."""
    return list(_lexicon(tuple(names)))


# A batch asks with the same names for every notice (its parties, the office's terms,
# the member units): some sixty names, worked out once. Bounded: the web server lives long.
@lru_cache(maxsize=64)
def _lexicon(names: tuple[str, ...]) -> tuple[str, ...]:
    out: set[str] = set()
    for name in names:
        name = name.strip()
        if len(name) < 2:
            continue
        out.add(name)
        for end in _OFFICE_ENDINGS:
            if name.endswith(end) and len(name) - len(end) >= 4:
                out.add(name[: -len(end)])
        city = name.find("市")
        if 0 < city < len(name) - 3 and city <= 3:
            out.add(name[city:])
    return tuple(sorted(out, key=len, reverse=True))


def _tokens(title: str, protected: Iterable[str]) -> list[tuple[str, str]]:
    """The title's words: each protected name one word (an organisation, "nt"), the
    text between cut by the segmenter. Names are not added to the segmenter:
    it is shared, and a title must break the same whatever was broken before."""
    names = sorted({p for p in protected if p}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for name in names:
        start = title.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
            start = title.find(name, end)
    seg = _segmenter()
    tokens: list[tuple[str, str]] = []
    pos = 0
    for a, b in sorted(spans):
        if pos < a:
            tokens += seg.cut(title[pos:a])
        tokens.append((title[a:b], "nt"))
        pos = b
    if pos < len(title):
        tokens += seg.cut(title[pos:])
    return tokens


def _boundaries(title: str, protected: Iterable[str]) -> dict[int, float]:
    """Allowed break positions and how good each is (higher is better)."""
    tokens = _tokens(title, protected)
    scores: dict[int, float] = {}
    pos = 0
    for (word, flag), (nxt, nflag) in zip(tokens, tokens[1:]):
        pos += len(word)
        score = 0.0
        if nxt.startswith(_GOOD_BEFORE):
            score += 3  # a line may start with 关于
        if word in _GOOD_BEFORE:
            score -= 4  # but never end with it
        if nxt in _CONJUNCTIONS or word in _CONJUNCTIONS:
            score += 1
        if nflag.startswith("v") and nflag != "vn" and not flag.startswith(("d", "p")):
            score += 1  # before a verb: 印发, 申请, 报送 start a phrase
        if flag.startswith(_NOMINAL) and nflag.startswith(_NOMINAL):
            score -= 1.5  # inside a noun compound
        if nxt == "的" or word == "的":
            score -= 0.5
        if word[-1].isdigit() and not nxt[0].isdigit():
            continue  # 2025年度, 18号, 3项: a number stays with its unit
        if len(nxt) == 1 and nxt in _SUFFIXES and len(word) > 1 and word not in _GOOD_BEFORE:
            score -= 12  # 宣传|月: the suffix of a compound the word list lacks
        elif nxt in _PLACE_ENDS and flag in ("nr", "ns"):
            score -= 12  # 高平|市: a place and its 市 (县, 镇…) are one name
        elif len(word) == 1 == len(nxt) and word not in _FREE and nxt not in _FREE:
            score -= 12  # 商|请: two loose characters are one word the list lacks
        scores[pos] = score
    # Never inside a protected name, a term, a number or a date, or a bracketed group.
    blocked: set[int] = _numeral_spans(title) | _digit_spans(title)
    for term in protected:
        start = title.find(term) if term else -1
        while start >= 0:
            end = start + len(term)
            blocked.update(range(start + 1, end))
            if end < len(title):
                scores[end] = scores.get(end, 0) + 2  # right after a name reads well
            start = title.find(term, end)
    for i, ch in enumerate(title):
        close = _GROUPS.get(ch)
        if close:
            j = title.find(close, i + 1)
            if j > 0:
                blocked.update(range(i + 1, j + 1))
    return {
        b: s
        for b, s in scores.items()
        if b not in blocked and 0 < b < len(title) and _strict_at(title, b, frozenset())
    }


_NUMERALS = "〇零一二三四五六七八九十百千万亿两"
# A number in Chinese numerals with what it counts: 二〇二五年度, 第十三届, 十四五, 三年.
_NUMBER = re.compile(
    rf"第?[{_NUMERALS}]{{2,}}(?:年度|季度|年|月|日|届|次|期|批|号|项|条|款|章|节|轮|个|周|部|类|级)?"
    rf"|第[{_NUMERALS}](?:年度|季度|年|月|日|届|次|期|批|号|项|条|款|章|节|轮|个|周|部|类|级)?"
)


# A number in digits with its unit, and a date however much of it is given:
# 2025年11月, 2025年度, 7月18日, 1200万元, 3.5%, 第3期.
_DIGITS = re.compile(
    r"第?\d+(?:[.．]\d+)?"
    r"(?:(?:年度|季度|年|月|日|号|届|次|期|批|项|条|个|处|家|件|万元|亿元|元|万|亿|%|％|平方米|米|公里|人)"
    r"(?:\d+(?:月|日|号))*)?"
)


def _digit_spans(title: str) -> set[int]:
    """Positions inside a number with its unit or a date: never a break there."""
    blocked: set[int] = set()
    for m in _DIGITS.finditer(title):
        blocked.update(range(m.start() + 1, m.end()))
    return blocked


def _numeral_spans(title: str) -> set[int]:
    """Positions inside numbers written in Chinese numerals: as unbreakable as 2025年."""
    blocked: set[int] = set()
    for m in _NUMBER.finditer(title):
        blocked.update(range(m.start() + 1, m.end()))
    return blocked


def _shape_ok(lengths: list[float], shape: Shape) -> bool:
    pairs = list(zip(lengths, lengths[1:]))
    widening = all(b > a for a, b in pairs)
    narrowing = all(b < a for a, b in pairs)
    peak = lengths.index(max(lengths))
    diamond = (
        len(lengths) >= 3
        and 0 < peak < len(lengths) - 1
        and all(b > a for a, b in pairs[:peak])
        and all(b < a for a, b in pairs[peak:])
    )
    if shape == "widening":
        return widening
    if shape == "narrowing":
        return narrowing
    if shape == "diamond":
        return diamond or (len(lengths) == 2 and lengths[0] != lengths[1])
    return widening or narrowing or diamond


# A step between lines smaller than this (in em) reads as a rectangle.
_MIN_STEP = 1.0
# A line more than the fewest: worth it only against a near-rectangle or a
# doubtful split, never for a nicer break point (an issuer's name alone on a line).
_EXTRA_LINE = 8.0
_IMPROPER = 20.0


def _shape_cost(lengths: list[float], shape: Shape) -> float | None:
    """How far the lines are from the shape asked for; None for a rectangle.

    Keeping a word whole comes first (a split word is never in the choices,
    a doubtful one costs 12), so a shape short of the house's is a cost, not a
    refusal: the house shape 0; another trapezoid or diamond 7.5 (a little
    less than a line more); steps under one character 10 more (it reads as a
    rectangle: 高平市人民政府办公室 over 关于开展2025年度的函); two equal lines
    in a row, an hourglass or a zigzag 20 (worse than two lines more). Only
    equal lines throughout are never chosen.
    """
    if len(lengths) < 2:
        return 0.0
    if max(lengths) - min(lengths) < 1e-9:
        return None
    if _shape_ok(lengths, shape):
        cost = 0.0
    elif _shape_ok(lengths, "auto"):
        cost = 7.5
    else:
        return _IMPROPER
    if min(abs(b - a) for a, b in zip(lengths, lengths[1:])) < _MIN_STEP:
        cost += 10.0
    return cost


def break_title(
    title: str,
    max_units: float,
    *,
    shape: Shape = "auto",
    protected: Iterable[str] = (),
    measure: Callable[[str], float] | None = None,
) -> list[str]:
    """The title's lines: as few as fit, broken at good word boundaries, never a rectangle or an hourglass."""
    measure = measure or _units
    widths = [measure(ch) for ch in title]
    total = sum(widths)
    if total <= max_units + 1e-9:
        return [title]
    protected = [p for p in protected if p and len(p) < len(title)]
    bounds = _boundaries(title, protected)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    fewest = math.ceil(total / max_units)
    positions = sorted(bounds)
    # The best arrangement over the fewest lines and one more (a line more costs
    # less than a shape that reads as a rectangle), else two more.
    best: tuple[float, list[int]] | None = None
    proper = False  # the best so far is a trapezoid or a diamond
    for k in range(fewest, fewest + 3):
        if best is not None and k > fewest + 1 and proper:
            break
        if len(positions) < k - 1:
            break
        if math.comb(len(positions), k - 1) > 150_000:
            # A title of many lines: trying every combination would take minutes.
            if best is not None:
                break
            cuts = _balanced_cuts(positions, bounds, prefix, k, max_units)
            if cuts:
                lengths = [prefix[b] - prefix[a] for a, b in zip(cuts, cuts[1:])]
                if _shape_ok(lengths, shape) or k >= fewest + 2:
                    return [title[a:b] for a, b in zip(cuts, cuts[1:])]
            continue
        for combo in combinations(positions, k - 1):
            cuts = [0, *combo, len(title)]
            lengths = [prefix[b] - prefix[a] for a, b in zip(cuts, cuts[1:])]
            if max(lengths) > max_units + 1e-9:
                continue
            off = _shape_cost(lengths, shape)
            if off is None:
                continue
            score = sum(bounds[b] for b in combo) - off - _EXTRA_LINE * (k - fewest)
            score -= (max(lengths) - min(lengths)) / max_units * 2  # balanced lines
            score -= sum(3 for n in lengths if n < max_units * 0.3)  # no stub of a line
            if best is None or score > best[0]:
                best = (score, cuts)
                proper = off < _IMPROPER
    if best is not None:
        cuts = best[1]
        return [title[a:b] for a, b in zip(cuts, cuts[1:])]
    if shape != "auto":
        # The house shape cannot be had without splitting a word: keep the words.
        return break_title(title, max_units, shape="auto", protected=protected, measure=measure)
    return _fallback(title, widths, max_units)


def _balanced_cuts(
    positions: list[int], bounds: dict[int, float], prefix: list[float], k: int, max_units: float
) -> list[int] | None:
    """k lines by dynamic programming: good break points, lines near the average length."""
    n = len(prefix) - 1
    target = prefix[-1] / k
    points = [0, *positions, n]
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
    for lines in range(1, k + 1):
        for j, b in enumerate(points[1:], 1):
            if (lines == k) != (b == n):
                continue
            for i in range(j):
                prev = best.get((lines - 1, i))
                width = prefix[b] - prefix[points[i]]
                if prev is None or width > max_units + 1e-9:
                    continue
                score = prev[0] + bounds.get(b, 0.0) - abs(width - target) / max_units * 2
                if (lines, j) not in best or score > best[(lines, j)][0]:
                    best[(lines, j)] = (score, i)
    end = len(points) - 1
    if (k, end) not in best:
        return None
    cuts, lines, j = [], k, end
    while j >= 0 and lines >= 0:
        cuts.append(points[j])
        j = best[(lines, j)][1]
        lines -= 1
    return cuts[::-1]


def _fallback(title: str, widths: list[float], max_units: float) -> list[str]:
    """No word-boundary arrangement fits: break by width, still obeying punctuation rules."""
    from docgen.text.linebreak import break_paragraph

    lines = break_paragraph(title, max_units, dict(zip(title, widths)).__getitem__)
    return [ln.text for ln in lines]


def title_warnings(title: str) -> list[str]:
    out = []
    if title and title[-1] in _END_PUNCT:
        out.append(f"标题末尾一般不加标点（现以“{title[-1]}”结尾）")
    return out


def cut_words(text: str) -> list[str]:
    """The words of ``text`` by the title segmenter (jieba over docgen's cut list)."""
    return [w for w, _ in _segmenter().cut(text)]


def tag_of(word: str) -> str:
    """jieba's part-of-speech tag of ``word`` in docgen's cut list ("x" when unknown)."""
    return _segmenter().tags.get(word, "x")
