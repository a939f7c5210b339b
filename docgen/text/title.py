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

from docgen.text.linebreak import _legal
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
)
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


def _boundaries(title: str, protected: Iterable[str]) -> dict[int, float]:
    """Allowed break positions and how good each is (higher is better)."""
    seg = _segmenter()
    for term in protected:
        if term:
            seg.add(term)
    tokens = seg.cut(title)
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
        scores[pos] = score
    # Never inside a protected name, a term, a number in Chinese numerals or a bracketed group.
    blocked: set[int] = _numeral_spans(title)
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
        if b not in blocked and 0 < b < len(title) and _legal(title, b, words=True)
    }


_NUMERALS = "〇零一二三四五六七八九十百千万亿两"
# A number in Chinese numerals with what it counts: 二〇二五年度, 第十三届, 十四五, 三年.
_NUMBER = re.compile(
    rf"第?[{_NUMERALS}]{{2,}}(?:年度|季度|年|月|日|届|次|期|批|号|项|条|款|章|节|轮|个|周|部|类|级)?"
    rf"|第[{_NUMERALS}](?:年度|季度|年|月|日|届|次|期|批|号|项|条|款|章|节|轮|个|周|部|类|级)?"
)


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
    for k in range(fewest, fewest + 3):
        best: tuple[float, list[int]] | None = None
        if len(positions) < k - 1:
            break
        if math.comb(len(positions), k - 1) > 150_000:
            # A title of many lines: trying every combination would take minutes.
            cuts = _balanced_cuts(positions, bounds, prefix, k, max_units)
            if cuts:
                lengths = [prefix[b] - prefix[a] for a, b in zip(cuts, cuts[1:])]
                if _shape_ok(lengths, shape) or k >= fewest + 2:
                    return [title[a:b] for a, b in zip(cuts, cuts[1:])]
            continue
        for combo in combinations(positions, k - 1):
            cuts = [0, *combo, len(title)]
            lengths = [prefix[b] - prefix[a] for a, b in zip(cuts, cuts[1:])]
            if max(lengths) > max_units + 1e-9 or not _shape_ok(lengths, shape):
                continue
            score = sum(bounds[b] for b in combo)
            score -= (max(lengths) - min(lengths)) / max_units * 2  # balanced lines
            score -= sum(3 for n in lengths if n < max_units * 0.3)  # no stub of a line
            if best is None or score > best[0]:
                best = (score, cuts)
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
