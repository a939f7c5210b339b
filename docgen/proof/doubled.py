"""Characters and punctuation typed twice (的的, 。。, ，，, 、、).

Whether a doubled character is a word (常常, 人人, 一一, 谢谢, 的的确确) or two
words meeting (会议|议定, 市|市场监督管理局) is the segmenter's call, made
with jieba's dictionary: only two one-character pieces side by side are
reported. Doubled punctuation is always reported; —— and …… are single marks.
"""

from __future__ import annotations

import re

from docgen.proof.finding import Finding, quote
from docgen.proof.spots import Spot
from docgen.text.punctuation import is_cjk

_PUNCT = "。，、；：？！"
# Chinese numerals repeat in years and numbers: 二〇二二年, 一一〇.
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")
_DOUBLE = re.compile(r"(.)\1")
_WINDOW = 8


def doubles(text: str) -> list[tuple[int, str]]:
    """(offset of the second, character) for each character typed twice by mistake."""
    out = []
    for m in _DOUBLE.finditer(text):
        ch = m.group(1)
        i = m.start()
        if ch in _PUNCT:
            out.append((i + 1, ch))
            continue
        if not is_cjk(ch) or ch in _NUMERALS:
            continue
        # Segment a window around the pair: the words there decide, and a
        # paragraph of the sample 函 costs 0.3 ms to segment whole.
        a = max(0, i - _WINDOW)
        words = _word_spans(text[a : i + 2 + _WINDOW], a)
        left = next((s for s in words if s[0] <= i < s[1]), (i, i + 1))
        right = next((s for s in words if s[0] <= i + 1 < s[1]), (i + 1, i + 2))
        if left == right:
            continue  # one word: 常常, 人人
        if left[1] - left[0] > 1 or right[1] - right[0] > 1:
            continue  # two words meeting: 会议|议定
        out.append((i + 1, ch))
    # A run of three (的的的) is reported once per extra character, never twice for one spot.
    return sorted(set(out))


def _word_spans(text: str, pos: int = 0) -> list[tuple[int, int]]:
    from docgen.text.title import cut_words

    spans = []
    for w in cut_words(text):
        spans.append((pos, pos + len(w)))
        pos += len(w)
    return spans


def check(spot: Spot, file: str) -> list[Finding]:
    return [
        Finding(
            "doubled",
            f"“{ch}”重复了（“{ch}{ch}”）",
            "error",
            file,
            spot.field,
            spot.paragraph,
            i,
            quote(spot.text, i),
            f"请删去一个“{ch}”",
        )
        for i, ch in doubles(spot.text)
    ]
