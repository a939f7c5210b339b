"""Paired brackets and quotes in each paragraph and field, nesting allowed (《关于〈…〉的请示》).

An unclosed or stray mark is an error that --fix cannot decide: where the
closing mark belongs is the writer's call.
"""

from __future__ import annotations

import re

from docgen.proof.finding import Finding, quote
from docgen.proof.spots import Spot

PAIRS = {"（": "）", "《": "》", "〈": "〉", "“": "”", "‘": "’", "【": "】", "〔": "〕", "「": "」"}
# Half-width round brackets pair with full-width ones here; their width is the punctuation check's.
_SAME = {"(": "（", ")": "）"}
_CLOSERS = {v: k for k, v in PAIRS.items()}
_MARKS = re.compile("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values()) + "()") + "]")
_NAMES = {"“": "引号", "‘": "单引号", "《": "书名号", "〈": "书名号", "〔": "六角括号"}


def _name(opener: str) -> str:
    return _NAMES.get(opener, "括号")


def _open(mark: str, opener: str) -> str:
    return f"左{_name(opener)} {mark} 没有对应的右{_name(opener)} {PAIRS[opener]}"


def unpaired(text: str) -> list[tuple[int, str, str]]:
    """(offset, mark, what is wrong) for each mark without its partner."""
    stack: list[tuple[int, str]] = []
    out: list[tuple[int, str, str]] = []
    for m in _MARKS.finditer(text):
        i, raw = m.start(), m.group()
        ch = _SAME.get(raw, raw)
        if ch in PAIRS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            if stack and stack[-1][1] == opener:
                stack.pop()
            elif any(o == opener for _, o in stack):
                # Closes an outer pair: the marks opened since were never closed.
                while stack[-1][1] != opener:
                    j, o = stack.pop()
                    out.append((j, text[j], _open(text[j], o)))
                stack.pop()
            else:
                out.append(
                    (i, raw, f"右{_name(opener)} {raw} 前面没有对应的左{_name(opener)} {opener}")
                )
    for j, o in stack:
        out.append((j, text[j], _open(text[j], o)))
    return sorted(out)


def check(spot: Spot, file: str) -> list[Finding]:
    return [
        Finding(
            "brackets",
            f"括号或引号不成对：{what}",
            "error",
            file,
            spot.field,
            spot.paragraph,
            i,
            quote(spot.text, i),
            "请补上或删去，使括号、引号成对",
        )
        for i, _mark, what in unpaired(spot.text)
    ]
