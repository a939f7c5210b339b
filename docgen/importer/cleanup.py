"""Clean-up of a draft's text: what typing and PDF copying put there that the layout does itself.

Each function takes one line or paragraph and returns it cleaned; the
recogniser decides where each applies (a signature's pushing spaces tell
it something before they are removed).
"""

from __future__ import annotations

import re
import unicodedata

from docgen.text.punctuation import is_cjk

SPACES = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—―–\-－~～_·•]{1,3}\s*\d{1,4}\s*[—―–\-－~～_·•]{1,3}"
    r"|第\s*\d{1,4}\s*页\s*[,，/／]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,3})\s*$"
)


def is_page_number(line: str) -> bool:
    """— 1 —, -1-, 第1页 共3页, 1/3, a lone 12: what a PDF prints between pages."""
    return bool(_PAGE_NUMBER.match(line))


def leading_space(line: str) -> float:
    """How far a line is pushed right, in characters (a full-width space or a tab counts more)."""
    n = 0.0
    for ch in line:
        if ch in " \u00a0\u2009":
            n += 0.5
        elif ch == "\t":
            n += 2
        elif ch in "\u3000\u2002\u2003":
            n += 1
        elif ch in "\u200b\ufeff":
            continue
        else:
            break
    return n


def _joinable_space(a: str, b: str) -> bool:
    """A space between these two characters is a PDF's or a typist's, not the text's."""
    wide_a = is_cjk(a) or _is_fullwidth_punct(a)
    wide_b = is_cjk(b) or _is_fullwidth_punct(b)
    if wide_a and wide_b:
        return True
    return (wide_a and b.isdigit()) or (a.isdigit() and wide_b)


def _is_fullwidth_punct(ch: str) -> bool:
    o = ord(ch)
    return 0x3001 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or ch in "“”‘’—…·"


def squeeze_spaces(text: str) -> str:
    """Spaces inside Chinese text removed (between two Chinese characters, or Chinese and a digit);
    spaces between Latin words kept."""
    text = text.strip(SPACES)
    if not any(ch in SPACES for ch in text):
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in SPACES:
            j = i
            while j < n and text[j] in SPACES:
                j += 1
            before = out[-1] if out else ""
            after = text[j] if j < n else ""
            if before and after and _joinable_space(before, after):
                i = j
                continue
            out.append(" ")
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# --- characters a PDF gets wrong ---------------------------------------------------


def _is_radical_or_compat(ch: str) -> bool:
    o = ord(ch)
    return 0x2F00 <= o <= 0x2FDF or 0x2E80 <= o <= 0x2EFF or 0xF900 <= o <= 0xFAFF


def fix_characters(text: str) -> tuple[str, list[str]]:
    """Kangxi radicals and compatibility ideographs a PDF extracts → the ordinary character;
    traditional characters in simplified text (學 in 中小學生) → simplified, by 核稿's own rule
    (docgen.proof.traditional), so the import and ``docgen check --fix`` agree.

    Returns the text and what was changed, for the report.
    """
    from docgen.proof.traditional import fix_traditional

    changes: list[str] = []
    chars = list(text)
    for i, ch in enumerate(chars):
        if not ch.isascii() and _is_radical_or_compat(ch):
            new = unicodedata.normalize("NFKC", ch)
            if new != ch and len(new) == 1:
                chars[i] = new
                changes.append(f"“{ch}”→“{new}”")
    text, made = fix_traditional("".join(chars))
    changes += [f"繁体“{old}”→“{new}”" for old, new in made]
    return text, changes


# --- punctuation ----------------------------------------------------------------------


def normalise_punctuation(text: str) -> str:
    """Half-width punctuation in Chinese text → full-width, with ``docgen check``'s rules."""
    from docgen.proof.punctuation import normalise_punctuation as normalise

    return normalise(text)[0]
