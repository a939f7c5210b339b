"""One page of a plan as an OFD Content.xml (GB/T 33190 §8-§12).

OFD measures in millimetres from the page's top-left corner, y downwards:
the page plan's own coordinates, so most values go in as the plan has them.
Text stays text: a TextObject per font run of a line, its characters in a
TextCode with the advances in DeltaX (``g N v`` where N advances repeat),
so a reader can search and copy it. Rules and chart boxes are PathObjects,
the seal an ImageObject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from docgen.fonts import FontSet, ResolvedFont
from docgen.layout.plan import BoxItem, ImageItem, Item, Page, RuleItem, TextItem
from docgen.render.ofd.embed import UsedFont
from docgen.spec import PAGE_HEIGHT, PAGE_WIDTH

NS = "http://www.ofdspec.org/2016"
PT_MM = 25.4 / 72
HATCH_STEP_MM = 1.2  # as the PDF's chart boxes (render/pdf.py)
HATCH_WIDTH_MM = 0.15
# A turned page (a wide table, GB/T 9704 §8) is drawn in its own coordinates
# and turned onto the upright sheet: (x, y) read → (y, 297 - x) on the sheet,
# as layout.plan.turned_to_upright, written as an OFD CTM (a b c d e f).
TURNED_CTM = f"0 -1 1 0 0 {PAGE_HEIGHT:g}"
TURNED_BOX = f"0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}"


@lru_cache(maxsize=1 << 16)
def num(v: float) -> str:
    """A length in mm to 0.001 mm, without trailing zeros (remembered: positions recur)."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def escape_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(s: str) -> str:
    return escape_text(s).replace('"', "&quot;")


def delta_x(advances: list[str]) -> str:
    """OFD's DeltaX: each advance, runs of equal ones as ``g N v`` (GB/T 33190 §11.3)."""
    out: list[str] = []
    i = 0
    n = len(advances)
    while i < n:
        j = i + 1
        while j < n and advances[j] == advances[i]:
            j += 1
        if j - i > 1:
            out.append(f"g {j - i} {advances[i]}")
        else:
            out.append(advances[i])
        i = j
    return " ".join(out)


def _rgb(color: tuple[int, int, int]) -> str:
    return f"{color[0]} {color[1]} {color[2]}"


@dataclass
class Images:
    """The package's images: one MultiMedia resource per distinct file."""

    ids: dict[str, int] = field(default_factory=dict)  # path → resource ID
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → pixels


class PageWriter:
    """The Content.xml of each page of one document, sharing IDs, fonts and images."""

    def __init__(self, fonts: FontSet, next_id: Callable[[], int]) -> None:
        self._fonts = fonts
        self._next_id = next_id
        self.used: dict[tuple[str, int], UsedFont] = {}
        self.images = Images()
        self._runs: dict[tuple[object, ...], tuple[float, list[_Run]]] = {}
        self._tops: dict[tuple[float, float], str] = {}
        self._paths: dict[tuple[object, ...], str] = {}

    def page(self, page: Page) -> str:
        layer = self._next_id()
        out: list[str] = [
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">',
            f'<ofd:Content><ofd:Layer ID="{layer}">',
        ]
        self._items(out, page.items, turned=False)
        if page.turned:
            self._items(out, page.turned, turned=True)
        out.append("</ofd:Layer></ofd:Content></ofd:Page>")
        return "".join(out)

    def _items(self, out: list[str], items: Iterable[Item], *, turned: bool) -> None:
        """Rules, boxes and images first, text over them, as the PDF draws them."""
        texts: list[TextItem] = []
        for item in items:
            if isinstance(item, TextItem):
                texts.append(item)
            elif isinstance(item, RuleItem):
                self._rule(out, item, turned)
            elif isinstance(item, BoxItem):
                self._box(out, item, turned)
            elif isinstance(item, ImageItem):
                self._image(out, item, turned)
        for t in texts:
            self._text(out, t, turned)

    # --- paths -------------------------------------------------------------

    def _path(
        self,
        out: list[str],
        points: list[tuple[float, float]],
        width: float,
        stroke: tuple[int, int, int],
        turned: bool,
        *,
        fill: float | None = None,
        close: bool = False,
    ) -> None:
        """One PathObject: its boundary the points' box widened by the line width.

        A table's grid is the same rules page after page: each distinct one is
        written once and repeated with a new ID.
        """
        key = (tuple(points), width, stroke, turned, fill, close)
        body = self._paths.get(key)
        if body is None:
            body = self._paths[key] = _path_body(points, width, stroke, turned, fill, close)
        out.append(f'<ofd:PathObject ID="{self._next_id()}"{body}')

    def _rule(self, out: list[str], r: RuleItem, turned: bool) -> None:
        self._path(out, [(r.x0, r.y), (r.x1, r.y_end)], r.width_mm, r.color, turned)

    def _box(self, out: list[str], b: BoxItem, turned: bool) -> None:
        """A chart's bar or legend key: filled grey, outlined, hatched across when asked."""
        x, top, w, h = b.x, b.top, b.width, b.height
        corners = [(x, top), (x + w, top), (x + w, top + h), (x, top + h)]
        self._path(out, corners, b.stroke_mm, (0, 0, 0), turned, fill=b.grey, close=True)
        if not b.hatch or w <= 0 or h <= 0:
            return
        k = -h
        while k < w:
            # "/" from the bottom left up to the right, cut to the box, as the PDF clips it.
            t0, t1 = max(0.0, -k / h), min(1.0, (w - k) / h)
            if t1 > t0:
                a = (x + k + t0 * h, top + h - t0 * h)
                c = (x + k + t1 * h, top + h - t1 * h)
                self._path(out, [a, c], HATCH_WIDTH_MM, (0, 0, 0), turned)
                if b.hatch == "x":
                    a2 = (x + k + t0 * h, top + t0 * h)
                    c2 = (x + k + t1 * h, top + t1 * h)
                    self._path(out, [a2, c2], HATCH_WIDTH_MM, (0, 0, 0), turned)
            k += HATCH_STEP_MM

    # --- images ------------------------------------------------------------

    def _image(self, out: list[str], im: ImageItem, turned: bool) -> None:
        """The image fitted in its box keeping its proportions, centred (reportlab's
        preserveAspectRatio with its default anchor), as the PDF places it."""
        res = self.images.ids.get(im.path)
        if res is None:
            from PIL import Image

            with Image.open(im.path) as pic:
                self.images.sizes[im.path] = pic.size
            res = self.images.ids[im.path] = self._next_id()
        pw, ph = self.images.sizes[im.path]
        scale = min(im.width / pw, im.height / ph)
        w, h = pw * scale, ph * scale
        x = im.x + (im.width - w) / 2
        top = im.top + (im.height - h) / 2
        if turned:
            # The unit square to the turned box, then onto the sheet.
            box = f"0 0 {num(PAGE_WIDTH)} {num(PAGE_HEIGHT)}"
            ctm = f"0 {num(-w)} {num(h)} 0 {num(top)} {num(PAGE_HEIGHT - x)}"
        else:
            box = f"{num(x)} {num(top)} {num(w)} {num(h)}"
            ctm = f"{num(w)} 0 0 {num(h)} 0 0"
        out.append(
            f'<ofd:ImageObject ID="{self._next_id()}" Boundary="{box}" CTM="{ctm}" ResourceID="{res}"/>'
        )

    # --- text --------------------------------------------------------------

    def _font_id(self, font: ResolvedFont, chars: str) -> int:
        used = self.used.get(font.key)
        if used is None:
            used = self.used[font.key] = UsedFont(font, self._next_id())
        used.chars.update(chars)
        return used.id

    def _line_runs(self, t: TextItem) -> tuple[float, list[_Run]]:
        """Where a line's first glyph moves (mm), and its font runs: each character's
        advance in mm (char spacing and half-width punctuation included).

        The same split and the same advances as the PDF's (fonts.runs, the
        fonts' hmtx, the plan's kerns). A run's object is the same wherever
        the line stands but for its ID and Boundary: a repeated line (a long
        table's cells, a form's labels) is worked out once, its characters
        counted for the font subset once.
        """
        key = (tuple(t.runs), t.size_pt, t.char_space_pt, t.color, t.kerns)
        made = self._runs.get(key)
        if made is not None:
            return made
        cs = t.char_space_pt
        size = t.size_pt * PT_MM
        color = "" if t.color == (0, 0, 0) else f'<ofd:FillColor Value="{_rgb(t.color)}"/>'
        pieces = [piece for role, text in t.runs for piece in self._fonts.runs(role, text)]
        adv = [
            (self._fonts.advance(font, ch, t.size_pt) + cs) * PT_MM
            for font, part in pieces
            for ch in part
        ]
        # 标点挤压: kern (i, dx) moves glyph i and all after it, so the step
        # before glyph i shrinks (i == 0 moves the line, i == n its end).
        start = 0.0
        for i, dx in t.kerns:
            if i == 0:
                start += dx * PT_MM
            else:
                adv[i - 1] += dx * PT_MM
        runs = []
        g = 0
        for font, part in pieces:
            steps = adv[g : g + len(part)]
            g += len(part)
            width = sum(steps)
            head = f' Font="{self._font_id(font, part)}" Size="{num(size)}">{color}'
            codes = _codes(part, steps, size / 2, 1.5 * size)
            runs.append(
                _Run(
                    text=part,
                    advances=steps,
                    width=width,
                    size=f"{num(width + size)} {num(2.5 * size)}",
                    head=head,
                    tail=f"{head}{codes}</ofd:TextObject>",
                )
            )
        made = self._runs[key] = (start, runs)
        return made

    def _text(self, out: list[str], t: TextItem, turned: bool) -> None:
        size = t.size_pt * PT_MM
        x = t.x
        # A box round the line with a margin of half the size: glyphs that
        # overhang their advance are not clipped by a strict reader.
        top = self._tops.get((t.baseline, size))
        if top is None:
            top = self._tops[(t.baseline, size)] = num(t.baseline - 1.5 * size)
        shift, runs = self._line_runs(t)
        x += shift
        for run in runs:
            if turned:
                # Drawn in the turned page's coordinates, turned by the CTM (origin 0 0).
                codes = _codes(run.text, run.advances, x, t.baseline)
                out.append(
                    f'<ofd:TextObject ID="{self._next_id()}" Boundary="{TURNED_BOX}"'
                    f' CTM="{TURNED_CTM}"{run.head}{codes}</ofd:TextObject>'
                )
            else:
                out.append(
                    f'<ofd:TextObject ID="{self._next_id()}"'
                    f' Boundary="{num(x - size / 2)} {top} {run.size}"{run.tail}'
                )
            x += run.width


@dataclass
class _Run:
    """One font run of a line, its TextObject written but for the ID and Boundary's corner."""

    text: str
    advances: list[float]  # mm, a character's advance and the char spacing after it
    width: float
    size: str  # the Boundary's width and height
    head: str  # Font, Size, FillColor
    tail: str  # head, the TextCodes at the line's place in its object, the end tag


def _path_body(
    points: list[tuple[float, float]],
    width: float,
    stroke: tuple[int, int, int],
    turned: bool,
    fill: float | None,
    close: bool,
) -> str:
    """A PathObject's attributes and content, after its ID."""
    if turned:
        points = [(y, PAGE_HEIGHT - x) for x, y in points]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left, top = min(xs) - width, min(ys) - width
    w, h = max(xs) - min(xs) + 2 * width, max(ys) - min(ys) + 2 * width
    cmds = [f"M {num(points[0][0] - left)} {num(points[0][1] - top)}"]
    cmds += [f"L {num(x - left)} {num(y - top)}" for x, y in points[1:]]
    if close:
        cmds.append("C")
    fill_attr = fill_el = ""
    if fill is not None:
        g = round(fill * 255)
        fill_attr = ' Fill="true"'
        fill_el = f'<ofd:FillColor Value="{g} {g} {g}"/>'
    return (
        f' Boundary="{num(left)} {num(top)} {num(w)} {num(h)}"'
        f' LineWidth="{num(width)}"{fill_attr}>'
        f'<ofd:StrokeColor Value="{_rgb(stroke)}"/>{fill_el}'
        f"<ofd:AbbreviatedData>{' '.join(cmds)}</ofd:AbbreviatedData></ofd:PathObject>"
    )


def _codes(text: str, adv: list[float], x: float, y: float) -> str:
    """TextCodes for a run starting at (x, y) in its object's space.

    A character outside the BMP (𠇔) gets a TextCode of its own: whether
    DeltaX counts it once or as two UTF-16 units is read differently by
    readers, so no DeltaX ever spans one.
    """
    out: list[str] = []
    start = 0
    n = len(text)
    while start < n:
        if ord(text[start]) > 0xFFFF:
            end = start + 1
        else:
            end = start
            while end < n and ord(text[end]) <= 0xFFFF:
                end += 1
        piece = text[start:end]
        steps = [num(a) for a in adv[start : end - 1]]
        dx = f' DeltaX="{delta_x(steps)}"' if steps else ""
        out.append(
            f'<ofd:TextCode X="{num(x)}" Y="{num(y)}"{dx}>{escape_text(piece)}</ofd:TextCode>'
        )
        x += sum(adv[start:end])
        start = end
    return "".join(out)
