"""docgen's PDF against a word processor's PDF of the .docx, line by line.

The measure of /work/shared/tools/docx-vs-pdf.py (the issue's): a line is
the characters on one baseline, spaces and page numbers dropped, lines
matched in order; pages must hold the same characters. One difference: text
set across a page is read too. The PDF turns a wide table's page by drawing
its text a quarter turn on an upright sheet; Word and LibreOffice give that
section a landscape page with upright text. Both are the same lines, read
along the text's direction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pdfplumber

PAGENUM = re.compile(r"^[—–-]*\d+[—–-]*$")
# A Latin letter or digit beside a CJK character: where LibreOffice puts its
# 1/5-em gap whatever the .docx says (docs/docx-settings.md).
SCRIPT_GAP = re.compile(r"[0-9A-Za-z][\u3400-\u9fff]|[\u3400-\u9fff][0-9A-Za-z]")


def page_lines(path: Path) -> list[list[str]]:
    """Each page's lines, top to bottom (turned text: in its reading order)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows: dict[tuple[str, int], list[tuple[float, str]]] = {}
            for c in page.chars:
                if not c["text"].strip():
                    continue
                a, b, _, _, x, y = c["matrix"]  # origin (x, y), PDF units, y upwards
                if abs(b) < 1e-3 * max(abs(a), 1):  # upright: a baseline across the page
                    rows.setdefault(("h", round((page.height - y) / 2)), []).append((x, c["text"]))
                elif b > 0:  # a quarter turn anticlockwise: read upwards
                    rows.setdefault(("v", round(x / 2)), []).append((y, c["text"]))
                else:  # clockwise: read downwards, lines from right to left
                    rows.setdefault(("w", -round(x / 2)), []).append((-y, c["text"]))
            lines = []
            for key in sorted(rows):
                text = "".join(ch for _, ch in sorted(rows[key]))
                if not PAGENUM.match(text):
                    lines.append(text)
            out.append(lines)
    return out


@dataclass
class Comparison:
    pdf: list[list[str]]
    other: list[list[str]]

    @property
    def pdf_lines(self) -> list[str]:
        return [ln for p in self.pdf for ln in p]

    @property
    def other_lines(self) -> list[str]:
        return [ln for p in self.other for ln in p]

    def matcher(self) -> SequenceMatcher[str]:
        return SequenceMatcher(None, self.pdf_lines, self.other_lines, autojunk=False)

    @property
    def equal_lines(self) -> int:
        return sum(m.size for m in self.matcher().get_matching_blocks())

    @property
    def share(self) -> float:
        return self.equal_lines / max(len(self.pdf_lines), 1)

    def pages_differing(self) -> list[int]:
        return [
            n
            for n, (a, b) in enumerate(zip(self.pdf, self.other), 1)
            if sorted("".join(a)) != sorted("".join(b))
        ]

    def differing(self) -> list[tuple[list[str], list[str]]]:
        """The runs of lines that differ: (the PDF's, the other's)."""
        a, b = self.pdf_lines, self.other_lines
        return [
            (a[i1:i2], b[j1:j2])
            for tag, i1, i2, j1, j2 in self.matcher().get_opcodes()
            if tag != "equal"
        ]

    def ok(self) -> bool:
        return (
            len(self.pdf) == len(self.other) and not self.pages_differing() and self.share >= 0.95
        )

    def summary(self) -> str:
        return (
            f"pages {len(self.pdf)} vs {len(self.other)}; pages with other text "
            f"{self.pages_differing()}; lines equal {self.equal_lines} of "
            f"{len(self.pdf_lines)} ({self.share:.0%})"
        )

    def causes(self) -> list[str | None]:
        """What each differing run of lines starts at, when it is not the .docx's doing:

        - "gap": a Latin letter or digit beside a CJK character on its first line
          (LibreOffice's 1/5-em gap, which it cannot be told to drop);
        - "fit": the PDF fitted the line otherwise than a word processor can:
          punctuation compressed to take one more character in (a line wider than
          the grid), or a paragraph's breaks chosen together (the PDF's line a
          proper prefix of the word processor's, which filled it as far as it goes).
        - "cell": a short line (a table cell's) holding a character more or less
          than the word processor's: the PDF keeps a cell's words whole, Word
          and LibreOffice break a cell's text at the last character that fits.
        None where none of these explains it.
        """
        out: list[str | None] = []
        for ours, theirs in self.differing():
            a, b = (ours[:1] or [""])[0], (theirs[:1] or [""])[0]
            if a and b and cells(a) > 28:
                out.append("fit")  # compressed punctuation: wider than the grid
            elif SCRIPT_GAP.search(a) or SCRIPT_GAP.search(b):
                out.append("gap")
            elif a and b and a != b and cells(a) > 26 and a.startswith(b):
                out.append("fit")  # a first line (2 + 26) taking one more in
            elif a and b and a != b and b.startswith(a):
                out.append("fit")  # the PDF broke earlier than a first fit would
            elif (
                a and b and max(cells(a), cells(b)) < 20 and (set(a) <= set(b) or set(b) <= set(a))
            ):
                out.append("cell")  # a table cell broken elsewhere: the PDF keeps words whole
            else:
                out.append(None)
        return out


def cells(text: str) -> float:
    """Width in grid characters: wide characters 1, the rest ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def compare(pdf: Path, other: Path) -> Comparison:
    return Comparison(page_lines(pdf), page_lines(other))
