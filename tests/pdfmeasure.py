"""Measure a produced PDF the way a ruler would: glyphs, lines of text, rules, images.

Every length is in millimetres and every y is measured from the TOP of the page,
so numbers compare directly with GB/T 9704 (top margin 37 mm, pitch 225/22 mm ...).

pdfplumber facts this module relies on (checked by tests/test_measure_selftest.py):

- ``char["matrix"]`` is the text rendering matrix already multiplied by the CTM;
  its ``[5]`` (``f``) is the glyph origin's y in PDF user space (bottom-up), i.e.
  the true baseline. ``char["top"]``/``["bottom"]`` are *not* ink: pdfminer
  builds the box from the font's descent, ``bottom = baseline - descent`` and
  ``top = bottom - size``, so ``top`` depends on the font's metrics.
- ``char["size"]`` is the box height, i.e. the font size times the matrix scale.
- ``line["linewidth"]`` is in page points (pdfplumber 0.11 applies the CTM's scale).
- LibreOffice draws a paragraph border as two identical stroked lines; exact
  duplicates are merged in :meth:`MeasuredPDF.rules`.
- Glyphs without a ToUnicode mapping come out as ``"(cid:N)"`` strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

MM_PER_PT = 25.4 / 72

# The text block of the default profile [5.2]: 28 mm left, 37 mm top, 156 x 225 mm.
BLOCK_LEFT = 28.0
BLOCK_TOP = 37.0
BLOCK_WIDTH = 156.0
BLOCK_HEIGHT = 225.0
BLOCK_TOLERANCE = 0.5

BASELINE_GROUP_MM = 0.5  # glyphs within this of a row's first baseline share the row
SEGMENT_GAP_EMS = 2.0  # a horizontal gap wider than this many ems splits a row
BODY_SIZE_PT = 16.0  # 3号
RULE_MAX_HEIGHT_MM = 1.5  # filled rects thinner than this are rules

_TAG = re.compile(r"^[A-Z]{6}\+")
_PAGE_NUMBER = re.compile(r"^[—―–\-]\s*(\d+)\s*[—―–\-]$")
_CID = re.compile(r"\(cid:\d+\)")


def _mm(pt: float) -> float:
    return pt * MM_PER_PT


def _rgb(color) -> tuple[int, int, int] | None:
    """pdfplumber colour (gray / rgb / cmyk floats 0-1, or None) → RGB 0-255."""
    if color is None:
        return None
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):
        return None  # pattern or other non-numeric colour
    if len(vals) == 1:
        vals = vals * 3
    elif len(vals) == 4:
        c, m, y, k = vals
        vals = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(vals) != 3:
        return None
    return tuple(max(0, min(255, round(v * 255))) for v in vals)  # type: ignore[return-value]


def strip_subset_tag(fontname: str) -> str:
    return _TAG.sub("", fontname or "")


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    top: float  # glyph box top (font-metric box, not ink), mm from page top
    bottom: float
    baseline: float  # origin y, mm from page top
    size_pt: float
    font: str  # subset tag stripped
    color: tuple[int, int, int] | None  # fill colour, RGB 0-255

    @property
    def em(self) -> float:
        """The glyph's font size in mm."""
        return _mm(self.size_pt)

    @property
    def is_space(self) -> bool:
        return not self.text.strip()


@dataclass
class TextLine:
    page: int  # 1-based
    baseline: float
    x0: float
    x1: float
    text: str
    glyphs: list[Glyph]
    segments: list[TextLine] = field(default_factory=list, repr=False)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def ink(self) -> list[Glyph]:
        return [g for g in self.glyphs if not g.is_space]

    @property
    def fonts(self) -> set[str]:
        return {g.font for g in self.ink}

    @property
    def size(self) -> float:
        """The most common font size (pt) of the line's visible glyphs."""
        sizes = [round(g.size_pt, 2) for g in (self.ink or self.glyphs)]
        return max(set(sizes), key=sizes.count)

    @property
    def color(self) -> tuple[int, int, int] | None:
        """The most common fill colour of the line's visible glyphs."""
        colors = [g.color for g in (self.ink or self.glyphs)]
        return max(colors, key=colors.count)

    @property
    def colors(self) -> set[tuple[int, int, int] | None]:
        return {g.color for g in self.ink}

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Rule:
    page: int
    x0: float
    x1: float
    y: float  # centre of the stroke, mm from page top
    width_mm: float  # stroke width (thickness)
    color: tuple[int, int, int] | None

    @property
    def length(self) -> float:
        return self.x1 - self.x0


@dataclass
class Image:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _same_rule(a: Rule, b: Rule, tol: float = 0.01) -> bool:
    return (
        abs(a.y - b.y) < tol
        and abs(a.x0 - b.x0) < tol
        and abs(a.x1 - b.x1) < tol
        and abs(a.width_mm - b.width_mm) < tol
        and a.color == b.color
    )


def _make_line(page: int, glyphs: list[Glyph]) -> TextLine:
    ink = [g for g in glyphs if not g.is_space] or glyphs
    baselines = sorted(g.baseline for g in ink)
    return TextLine(
        page=page,
        baseline=baselines[len(baselines) // 2],
        x0=min(g.x0 for g in ink),
        x1=max(g.x1 for g in ink),
        text="".join(g.text for g in glyphs),
        glyphs=glyphs,
    )


def _split_row(page: int, glyphs: list[Glyph]) -> TextLine:
    """One baseline group → a row TextLine whose ``segments`` are its pieces."""
    glyphs = sorted(glyphs, key=lambda g: (g.x0, g.x1))
    ink = [g for g in glyphs if not g.is_space]
    row = _make_line(page, glyphs)
    if not ink:
        row.segments = [row]
        return row
    groups: list[list[Glyph]] = [[ink[0]]]
    for prev, g in zip(ink, ink[1:]):
        em = max(prev.em, g.em)
        if g.x0 - prev.x1 > SEGMENT_GAP_EMS * em:
            groups.append([g])
        else:
            groups[-1].append(g)
    if len(groups) == 1:
        row.segments = [row]
        return row
    segs = []
    spaces = [g for g in glyphs if g.is_space]
    for grp in groups:
        lo, hi = grp[0].x0, grp[-1].x1
        inner = [s for s in spaces if lo <= (s.x0 + s.x1) / 2 <= hi]
        seg = _make_line(page, sorted(grp + inner, key=lambda g: (g.x0, g.x1)))
        seg.segments = [seg]
        segs.append(seg)
    row.segments = segs
    row.text = " ".join(s.text for s in segs)
    return row


def sheet_obj(obj: dict, page_width: float, page_height: float) -> dict:
    """A pdfplumber object of a landscape page, as it lies on the upright A4 sheet.

    docgen sets a wide table's page across (GB/T 9704 §8) as a landscape page,
    the table upright, its top the upright sheet's left edge (as Word and WPS
    make a landscape section). Turned back onto the sheet, a point (X, Y) of
    the landscape page (PDF units, y up) is (page_height - Y, X) of the sheet:
    the table's text reads up the sheet, the page number lies as on every page.
    """
    out = dict(obj)
    out["x0"], out["x1"] = obj["top"], obj["bottom"]
    out["top"], out["bottom"] = page_width - obj["x1"], page_width - obj["x0"]
    if "matrix" in obj:
        a, b, c, d, e, f = obj["matrix"]
        out["matrix"] = (-b, a, -d, c, page_height - f, e)
        out["upright"] = not obj.get("upright", True)
    return out


class SheetPage:
    """A landscape pdfplumber page read as the upright sheet (see sheet_obj)."""

    def __init__(self, page) -> None:
        self._page = page
        self.width, self.height = float(page.height), float(page.width)
        self.mediabox = (0, 0, self.width, self.height)

    def _turned(self, objs: list[dict]) -> list[dict]:
        w, h = float(self._page.width), float(self._page.height)
        return [sheet_obj(o, w, h) for o in objs]

    @property
    def chars(self) -> list[dict]:
        return self._turned(self._page.chars)

    @property
    def lines(self) -> list[dict]:
        return self._turned(self._page.lines)

    @property
    def rects(self) -> list[dict]:
        return self._turned(self._page.rects)

    @property
    def images(self) -> list[dict]:
        return self._turned(self._page.images)


def sheet_page(page):
    """``page`` as the upright sheet: itself when upright, a SheetPage when set across."""
    return SheetPage(page) if float(page.width) > float(page.height) else page


class MeasuredPDF:
    """A produced PDF, measured. Use :meth:`open` or the constructor with a path."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._glyphs: dict[int, list[Glyph]] = {}
        self._rules: dict[int, list[Rule]] = {}
        self._images: dict[int, list[Image]] = {}
        self._rows: dict[int, list[TextLine]] = {}
        self.page_sizes: list[tuple[float, float]] = []  # (width, height) mm, as in the file
        self.landscape: list[int] = []  # pages set across, read as the upright sheet
        self._raw_texts: list[str] = []
        with pdfplumber.open(str(self.path)) as pdf:
            for i, page in enumerate(pdf.pages, start=1):
                self._read_page(i, page)

    @classmethod
    def open(cls, path: str | Path) -> MeasuredPDF:
        return cls(path)

    # -- reading -----------------------------------------------------------

    def _read_page(self, n: int, page) -> None:
        y_top = float(page.mediabox[3])  # PDF user-space y of the page's top edge
        self.page_sizes.append((_mm(float(page.width)), _mm(float(page.height))))
        if float(page.width) > float(page.height):
            # A page set across: measured on the upright sheet it is bound with.
            self.landscape.append(n)
            y_top = float(page.width)
            page = SheetPage(page)

        glyphs = []
        for ch in page.chars:
            text = ch.get("text", "")
            self._raw_texts.append(text)
            baseline_pt = y_top - float(ch["matrix"][5])
            glyphs.append(
                Glyph(
                    text=text,
                    x0=_mm(float(ch["x0"])),
                    x1=_mm(float(ch["x1"])),
                    top=_mm(float(ch["top"])),
                    bottom=_mm(float(ch["bottom"])),
                    baseline=_mm(baseline_pt),
                    size_pt=float(ch["size"]),
                    font=strip_subset_tag(ch.get("fontname", "")),
                    color=_rgb(ch.get("non_stroking_color")),
                )
            )
        self._glyphs[n] = glyphs

        rules = []
        for ln in page.lines:
            top, bottom = float(ln["top"]), float(ln["bottom"])
            if abs(bottom - top) > 0.3:  # not horizontal
                continue
            rules.append(
                Rule(
                    page=n,
                    x0=_mm(float(ln["x0"])),
                    x1=_mm(float(ln["x1"])),
                    y=_mm((top + bottom) / 2),
                    width_mm=_mm(float(ln.get("linewidth") or 0)),
                    color=_rgb(ln.get("stroking_color")),
                )
            )
        for rc in page.rects:
            top, bottom = float(rc["top"]), float(rc["bottom"])
            h = _mm(bottom - top)
            if h >= RULE_MAX_HEIGHT_MM or _mm(float(rc["x1"]) - float(rc["x0"])) < 2 * h:
                continue
            if rc.get("fill"):
                width, color = h, _rgb(rc.get("non_stroking_color"))
            elif rc.get("stroke") and h < 0.05:  # a zero-height stroked box is a line
                width, color = _mm(float(rc.get("linewidth") or 0)), _rgb(rc.get("stroking_color"))
            else:
                continue
            rules.append(
                Rule(
                    page=n,
                    x0=_mm(float(rc["x0"])),
                    x1=_mm(float(rc["x1"])),
                    y=_mm((top + bottom) / 2),
                    width_mm=width,
                    color=color,
                )
            )
        rules.sort(key=lambda r: (r.y, r.x0, r.x1, r.width_mm))
        merged: list[Rule] = []
        for r in rules:  # the same stroke painted twice is one rule
            if merged and _same_rule(merged[-1], r):
                continue
            merged.append(r)
        self._rules[n] = merged

        self._images[n] = [
            Image(
                page=n,
                x0=_mm(float(im["x0"])),
                x1=_mm(float(im["x1"])),
                top=_mm(float(im["top"])),
                bottom=_mm(float(im["bottom"])),
            )
            for im in page.images
        ]

    # -- queries -----------------------------------------------------------

    @property
    def pages(self) -> int:
        return len(self.page_sizes)

    def _page_range(self, page: int | None) -> Iterable[int]:
        if page is None:
            return range(1, self.pages + 1)
        if not 1 <= page <= self.pages:
            raise IndexError(f"{self.path.name}: page {page} of {self.pages}")
        return [page]

    def glyphs(self, page: int | None = None) -> list[Glyph]:
        return [g for p in self._page_range(page) for g in self._glyphs[p]]

    def rows(self, page: int | None = None) -> list[TextLine]:
        """One TextLine per baseline (within 0.5 mm), top→bottom, unsplit.

        A row's ``segments`` holds its pieces split at gaps wider than 2 ems.
        """
        out = []
        for p in self._page_range(page):
            if p not in self._rows:
                self._rows[p] = self._group(p)
            out.extend(self._rows[p])
        return out

    def _group(self, p: int) -> list[TextLine]:
        glyphs = sorted(self._glyphs[p], key=lambda g: (g.baseline, g.x0))
        groups: list[list[Glyph]] = []
        anchor = None
        for g in glyphs:
            if anchor is not None and g.baseline - anchor <= BASELINE_GROUP_MM:
                groups[-1].append(g)
            else:
                groups.append([g])
                anchor = g.baseline
        rows = [_split_row(p, grp) for grp in groups]
        rows = [r for r in rows if r.text.strip()]
        rows.sort(key=lambda r: (r.baseline, r.x0))
        return rows

    def lines(self, page: int | None = None) -> list[TextLine]:
        """Lines of text: rows split at horizontal gaps > 2 ems, top→bottom, left→right.

        "高平市人民政府办公室          2025年7月7日" comes out as two TextLines on
        the same baseline. Use :meth:`rows` for the unsplit baseline groups.
        """
        return [s for r in self.rows(page) for s in r.segments]

    segments = lines

    def rules(self, page: int | None = None) -> list[Rule]:
        """Horizontal rules (stroked lines, and filled rects < 1.5 mm high), top→bottom."""
        return [r for p in self._page_range(page) for r in self._rules[p]]

    def images(self, page: int | None = None) -> list[Image]:
        return [im for p in self._page_range(page) for im in self._images[p]]

    def text(self) -> str:
        """All text in reading order: rows top→bottom, pages in order, one row a line."""
        return "\n".join(r.text for r in self.rows())

    def missing_glyphs(self) -> int:
        """Characters that did not map back to text: NUL, U+FFFD or pdfminer's "(cid:N)"."""
        n = 0
        for t in self._raw_texts:
            n += t.count("\x00") + t.count("\ufffd") + len(_CID.findall(t))
        return n

    def page_number_lines(self) -> list[TextLine]:
        """Lines reading "— N —" that lie outside the text block (any page)."""
        out = []
        for ln in self.lines():
            if _PAGE_NUMBER.match(ln.text.strip()) and not block_ok(ln):
                out.append(ln)
        return out

    def body_line_pitches(self, page: int) -> list[float]:
        """Baseline differences between consecutive 3号 (16 pt) rows on a page."""
        rows = [r for r in self.rows(page) if abs(r.size - BODY_SIZE_PT) < 0.2]
        return [b.baseline - a.baseline for a, b in zip(rows, rows[1:])]


def page_number_value(line: TextLine) -> int | None:
    m = _PAGE_NUMBER.match(line.text.strip())
    return int(m.group(1)) if m else None


def block_bounds(profile=None) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the text block in mm; a docgen Profile may move it."""
    left = getattr(profile, "left_margin", BLOCK_LEFT)
    top = getattr(profile, "top_margin", BLOCK_TOP)
    return left, top, left + BLOCK_WIDTH, top + BLOCK_HEIGHT


def block_ok(line: TextLine | Glyph, profile=None, tol: float = BLOCK_TOLERANCE) -> bool:
    """Whether a line's glyph boxes lie inside the text block (28..184 x 37..262 mm ± tol)."""
    left, top, right, bottom = block_bounds(profile)
    return (
        line.x0 >= left - tol
        and line.x1 <= right + tol
        and line.top >= top - tol
        and line.bottom <= bottom + tol
    )


def body_line_pitches(pdf: MeasuredPDF, page: int) -> list[float]:
    return pdf.body_line_pitches(page)
