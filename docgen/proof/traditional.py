"""Traditional characters in simplified text (學 → 学), found with OpenCC.

OpenCC converts whole phrases, so characters simplified text keeps in their
proper senses (乾隆, 著作, 瞭望, 慰藉, 宫商角徵羽) come back unchanged and stay
quiet. A character that changes although 通用规范汉字表 lists it (乾, 著, 於
as a surname) may be a name: it is a 提醒 and is not changed by --fix. An
office allows a name's characters with the profile's ``allow_chars``.
"""

from __future__ import annotations

from functools import lru_cache

from docgen.proof.finding import Finding, Fix, Severity, quote
from docgen.proof.spots import Spot


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - opencc.OpenCC
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=2048)
def _simplified(text: str) -> str:
    # Each text is read twice (this check and the member-unit matcher).
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def standard_chars() -> frozenset[str]:
    """通用规范汉字表 (8,105 characters), shipped with the fonts."""
    from docgen.resources import fonts_dir

    try:
        return frozenset((fonts_dir() / "tgh8105.txt").read_text(encoding="utf-8").strip())
    except OSError:
        return frozenset()


def changes(text: str, allow: str = "") -> list[tuple[int, str, str, bool]]:
    """(offset, character, simplified form, sure) for each traditional character."""
    if text.isascii():
        return []
    simple = _simplified(text)
    if simple == text or len(simple) != len(text):
        return [] if simple == text else _by_character(text, allow)
    standard = standard_chars()
    return [
        (i, a, b, a not in standard)
        for i, (a, b) in enumerate(zip(text, simple))
        if a != b and a not in allow
    ]


def _by_character(text: str, allow: str) -> list[tuple[int, str, str, bool]]:
    # A phrase changed length (rare): fall back to single characters, flagged as unsure.
    conv = _t2s().convert
    out = []
    for i, ch in enumerate(text):
        s = conv(ch)
        if s != ch and len(s) == 1 and ch not in allow:
            out.append((i, ch, s, False))
    return out


def fix_traditional(text: str, allow: str = "") -> tuple[str, list[tuple[str, str]]]:
    """The text with every sure traditional character simplified, and the changes made."""
    chars = list(text)
    made = []
    for i, a, b, sure in changes(text, allow):
        if sure:
            chars[i] = b
            made.append((a, b))
    return "".join(chars), made


def check(spot: Spot, file: str, allow: str = "") -> list[Finding]:
    out = []
    for i, a, b, sure in changes(spot.text, allow):
        sev: Severity
        fix: Fix | None
        if sure:
            msg, sev, fix = f"繁体字“{a}”，简体应写作“{b}”", "error", Fix(i, i + 1, b)
            hint = f"请改为“{b}”"
        else:
            msg, sev, fix = f"“{a}”在简体文本中一般写作“{b}”", "warning", None
            hint = (
                f"如是人名、地名等专名可保留（或在版式配置 allow_chars 中加入“{a}”），否则改为“{b}”"
            )
        out.append(
            Finding(
                "traditional",
                msg,
                sev,
                file,
                spot.field,
                spot.paragraph,
                i,
                quote(spot.text, i),
                hint,
                fix,
            )
        )
    return out
