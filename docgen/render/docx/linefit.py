"""Each line of a paragraph ending where the PDF ends it, in a word processor that fills greedily.

The PDF chooses a paragraph's breaks together and sets punctuation half-width
to take one more character into a line (text/linebreak.py); Word, WPS and
LibreOffice fill one line at a time with the characters' own advances. Where
the two would end a line differently, the .docx gives that line's characters
a character spacing (w:spacing, the space after each character) chosen so that
the line's characters fit and the next one does not: the word processor then
ends the line where the PDF does, and justifies it to the margin as the PDF
does. The line stays ordinary text a clerk can edit.

The word processor, as measured in LibreOffice 7.4 (docs/docx-settings.md):
- text is set in portions: stretches of one formatting and one script (a
  run's Chinese and its ASCII letters, digits and signs are portions of
  their own); the spacing is not added after a portion's last character;
- it condenses a character by at most 1/6 em, whatever the run asks;
- it puts 1/5 em between a Han character and a Latin letter or digit,
  whatever w:autoSpaceDE/DN say;
- it carries a character down rather than start a line with a closing mark,
  and never breaks between a closing mark and a Latin letter or digit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from docgen.render.docx import ooxml as ox
from docgen.spec import BLOCK_WIDTH, PT_PER_MM, SIZE_BODY_PT
from docgen.text.linebreak import Line
from docgen.text.punctuation import NO_LINE_END, NO_LINE_START, holds_number

_WIDTH_PT = BLOCK_WIDTH * PT_PER_MM
_BASE_PT = ox.BODY_SPACING_TWIPS / ox.TWIPS_PER_PT
_MOST_CONDENSED_PT = -SIZE_BODY_PT / 6 + 0.1


# Each character's class for the gap and the portions: a Han character, an ASCII letter
# or digit, other ASCII (a Western portion, no gap), anything else (Chinese punctuation).
_HAN, _ALNUM, _ASCII, _OTHER = range(4)
_CLASS: dict[str, int] = {}


def _class(ch: str) -> int:
    found = _CLASS.get(ch)
    if found is None:
        if "\u3400" <= ch <= "\u9fff":
            found = _HAN
        elif ch.isascii():
            found = _ALNUM if ch.isalnum() else _ASCII
        else:
            found = _OTHER
        _CLASS[ch] = found
    return found


def line_spacings(
    text: str,
    lines: Sequence[Line],
    ems: Sequence[float],
    size_pt: float = SIZE_BODY_PT,
    width_pt: float = _WIDTH_PT,
) -> list[int | None]:
    """Each line's character spacing in twips, or None where the document's own already
    ends it where the PDF does. ``ems``: each character's advance in em; a line's
    indent is the PDF's (points); ``width_pt``: the text's width (the block's, or a
    cell's between its margins)."""
    adv = [em * size_pt for em in ems]
    n = len(text)
    if text.isascii() or not any(ch.isascii() for ch in text):  # one script: no gap, one portion
        gap = [0.0] * n
        joined = [False] + [True] * (n - 1)
    else:
        cls = [_class(ch) for ch in text]
        pairs = list(zip(cls, cls[1:]))
        gap = [0.0] + [ox.LO_SCRIPT_GAP_PT if {a, b} == {_HAN, _ALNUM} else 0.0 for a, b in pairs]
        # Is the spacing added between text[i - 1] and text[i]? (one portion: one script)
        western = [c in (_ALNUM, _ASCII) for c in cls]
        joined = [False] + [a == b for a, b in zip(western, western[1:])]
    out: list[int | None] = []
    at = 0
    for line in lines:
        start, end = at, at + len(line.text)
        at = end
        room = width_pt - line.indent
        if _greedy_end(text, adv, gap, joined, start, room) == end:
            out.append(None)
        else:
            out.append(_forced(adv, gap, joined, start, end, room))
    return out


def _greedy_end(
    text: str, adv: list[float], gap: list[float], joined: list[bool], start: int, room: float
) -> int:
    """Where a word processor ends a line begun at ``start``, the document's spacing throughout."""
    width = adv[start]
    end = start + 1
    while end < len(text):
        more = gap[end] + adv[end] + (_BASE_PT if joined[end] else 0.0)
        if width + more > room:
            break
        width += more
        end += 1
    if end >= len(text):
        return end
    back = end
    while back > start + 1 and (
        text[back] in NO_LINE_START
        or text[back - 1] in NO_LINE_END
        or holds_number(text[back - 1], text[back])
    ):
        back -= 1
    return back if back > start + 1 else end


def _forced(
    adv: list[float], gap: list[float], joined: list[bool], start: int, end: int, room: float
) -> int | None:
    """The spacing (twips) of a run holding ``start:end`` that fits it in ``room`` and not
    one more character (the run's end is a portion's: no spacing there): the middle of
    that range, or its end nearest the middle that the word processor can condense to;
    None when no spacing can do it."""
    pairs = sum(joined[start + 1 : end])
    if pairs == 0:
        return None
    natural = sum(adv[start:end]) + sum(gap[start + 1 : end])
    most = (room - natural) / pairs  # the line fits
    if end < len(adv):
        least = (room - natural - adv[end] - gap[end]) / pairs  # the next does not
        # The middle, or as near it as the word processor condenses.
        spacing = max((least + most) / 2, _MOST_CONDENSED_PT)
    else:  # the paragraph's last line: it only has to fit
        least, spacing = -math.inf, min(most - 0.05, _BASE_PT)
    twips = math.floor(spacing * ox.TWIPS_PER_PT)
    if not least < twips / ox.TWIPS_PER_PT <= most or spacing < _MOST_CONDENSED_PT:
        return None
    return twips
