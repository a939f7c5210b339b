"""Characters and punctuation typed twice (的的, 。。, ，，, 、、).

Whether a doubled character is a word (常常, 人人, 一一, 谢谢, 的的确确) or two
words meeting (会议|议定, 市|市场监督管理局) is the segmenter's call, made
with jieba's dictionary. Of two one-character pieces side by side, only
function words are reported (的的, 了了, 在在, 和和: particles, prepositions,
conjunctions, pronouns, adverbs by jieba's part of speech): nouns, verbs,
adjectives and measure words double by grammar (年年, 件件, 说说, 稳稳).
Doubled punctuation is always reported; —— and …… are single marks.
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
# Particles, prepositions, conjunctions, pronouns, adverbs, modal particles (jieba's tags).
_FUNCTION_TAGS = ("u", "p", "c", "r", "d", "y", "e", "o")


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
        if left[1] - left[0] > 1 and right[1] - right[0] > 1:
            continue  # two words meeting: 会议|议定
        if left[1] - left[0] > 1 or right[1] - right[0] > 1:
            # A word and a one-character word: 市|市场, 目的|的, 现在|在 are right;
            # only a pronoun before its own plural is a slip (我|我们).
            if not _tag(ch).startswith("r"):
                continue
        elif not _function_word(ch):
            continue  # nouns, verbs, adjectives, measure words double: 年年, 件件, 说说, 稳稳
        out.append((i + 1, ch))
    # A run of three (的的的) is reported once per extra character, never twice for one spot.
    return sorted(set(out))


def _tag(ch: str) -> str:
    from docgen.text.title import tag_of

    return tag_of(ch)


def _function_word(ch: str) -> bool:
    """的, 了, 在, 和, 我, 都: words that never double, by jieba's part of speech."""
    return _tag(ch).startswith(_FUNCTION_TAGS)


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
