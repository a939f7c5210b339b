"""Draw a page plan with reportlab. No layout decisions are made here."""

from __future__ import annotations

import itertools
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from docgen.fonts import FontSet, ResolvedFont, register_font
from docgen.layout.memo import Memo
from docgen.layout.plan import BoxItem, ImageItem, Item, Plan, RuleItem, TextItem
from docgen.render.pdffonts import Deflate, add_font_objects, remember_subsets, to_unicode_cmap
from docgen.render.pdfsave import format_document
from docgen.spec import PAGE_HEIGHT, PAGE_WIDTH, FontRole, mm


def render_pdf(plan: Plan, fonts: FontSet, *, title: str = "", author: str = "") -> bytes:
    """The PDF bytes of a plan; every glyph drawn from a font that has it."""
    canvas = Canvas(
        None,  # no file: the bytes are asked for (getpdfdata), not written and read back
        pagesize=(mm(PAGE_WIDTH), mm(PAGE_HEIGHT)),
        pageCompression=1,
        initialFontName=register_font(fonts.primary(FontRole.FANGSONG)),
        initialFontSize=16,
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("docgen")
    pages = _PageWriter(canvas, fonts)  # its memos live exactly as long as this document
    for page in plan.pages:
        if page.turned:
            # A page set across is a landscape page holding the table upright, as Word
            # and WPS export a landscape section (the .docx's own). Its top is the
            # upright sheet's left edge (plan.turned_to_upright): what the upright
            # sheet carries as on every page (the page number) is drawn turned with it.
            canvas.setPageSize((mm(PAGE_HEIGHT), mm(PAGE_WIDTH)))
            pages.draw(page.turned, PAGE_WIDTH)
            canvas.saveState()
            canvas.transform(0, -1, 1, 0, 0, mm(PAGE_WIDTH))
            pages.draw(page.items, PAGE_HEIGHT)
            canvas.restoreState()
            canvas.showPage()
            canvas.setPageSize((mm(PAGE_WIDTH), mm(PAGE_HEIGHT)))
            continue
        pages.draw(page.items, PAGE_HEIGHT)
        canvas.showPage()
    with _tuned_save():
        data: bytes = canvas.getpdfdata()
    return data


def _cut(g: int, n: int, shifts: dict[int, float]) -> list[tuple[int, int]]:
    """A piece of ``n`` glyphs from line index ``g`` cut where a glyph moves."""
    if not shifts:
        return [(0, n)]
    cuts = [i - g for i in sorted(shifts) if g < i < g + n]
    bounds = [0, *cuts, n]
    return list(zip(bounds, bounds[1:]))


# reportlab's encoding for everything in a PDF but stream data (extpdfdoc) is
# ASCII itself for every ASCII character but 0x18-0x1F, which it refuses.
_NOT_PDFDOC_ASCII = re.compile("[\x18-\x1f]")


def _fast_pdfdoc_enc(slow: Callable[[object], object]) -> Callable[[object], object]:
    """reportlab's pdfdocEnc, plain ASCII encoded directly.

    Its codec maps character by character in Python-called C, about 25 ns a
    character: on the 2,882-page 通报 the page streams' ASCII85 text alone
    took 0.2 s. Anything else (non-ASCII, 0x18-0x1F, bytes) goes to reportlab.
    """

    def encode(x: object) -> object:
        if isinstance(x, str) and x.isascii() and not _NOT_PDFDOC_ASCII.search(x):
            return x.encode("ascii")
        return slow(x)

    return encode


class _NumberText(dict[float, bytes]):
    """A number's text in a PDF (reportlab's fp_str), worked out once per value."""

    def __missing__(self, value: float) -> bytes:
        if len(self) >= 65536:  # bounded: the web server is long-running
            self.clear()
        text = self[value] = fp_str(value).encode("ascii")
        return text


_NUMBERS = _NumberText()


class _Texts(dict[str, bytes]):
    """A short text's bytes as reportlab's format writes it (names, operators, dates), and a
    dictionary key's as a name: each depends on the text alone."""

    def __init__(self, write: Callable[[str], bytes]) -> None:
        super().__init__()
        self._write = write

    def __missing__(self, text: str) -> bytes:
        if len(self) >= 4096:  # bounded: the web server is long-running
            self.clear()
        data = self[text] = self._write(text)
        return data


_SHORT_TEXT = 64  # longer texts (a page's stream) are not worth remembering


def _fast_format(slow: Callable[..., bytes]) -> Callable[..., bytes]:
    """reportlab's pdfdoc.format, numbers, bytes and short texts answered directly.

    A document reportlab formats itself (the first of a process's, and what
    pdffonts/pdfpage/pdfsave leave to it) formats hundreds of numbers, each
    through format → fp_str → pdfdocEnc; the text of a number
    depends on its value alone, so it is remembered, and so is a short text's
    (a name such as /Page). Everything else (and every PDFObject, checked
    first by reportlab) goes to reportlab's format.
    """
    numbers = _NUMBERS
    texts = _Texts(lambda text: slow(text, None))  # a text's bytes need no document

    def format(element: object, document: object, toplevel: int = 0) -> bytes:
        kind = type(element)
        if kind is int or kind is float:  # not bool: True would print as 1
            return numbers[element]  # type: ignore[index]
        if kind is bytes:
            return element  # type: ignore[return-value]
        if kind is str and len(element) <= _SHORT_TEXT:  # type: ignore[arg-type]
            return texts[element]  # type: ignore[index]
        return slow(element, document, toplevel)

    return format


def _array_format(self: pdfdoc.PDFArray, document: object, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    """reportlab's PDFArray.format, its numbers looked up inline."""
    numbers, fmt = _NUMBERS, _FORMAT
    items = [
        numbers[e] if type(e) is int or type(e) is float else fmt(e, document)
        for e in self.sequence
    ]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"[ " + IND.join(items) + b" ]"
    for i in reversed(range(10, len(items), 10)):  # a line break every 10 elements
        items.insert(i, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


def _dict_format(self: pdfdoc.PDFDictionary, document: object, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    """reportlab's PDFDictionary.format, each key's name looked up rather than escaped again."""
    entries = self.dict
    keys = list(entries)
    if not isinstance(entries, OrderedDict):
        keys.sort()
    names, fmt = _KEY_NAMES, _FORMAT
    items = [names[k] + b" " + fmt(entries[k], document) for k in keys]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"<<\n" + IND.join(items) + b"\n>>"
    for i in reversed(range(6, len(items), 6)):  # a line break every 6 entries
        items.insert(i, b"\n ")
    return b"<<\n" + b" ".join(items) + b"\n>>"


# The names of a page's dictionaries (/Type, /Contents, /MediaBox, ...) are
# escaped character by character for every page; the result depends on the
# name alone. Bounded: the web server is long-running.
_pdf_name = lru_cache(maxsize=4096)(pdfdoc.PDFName)


_FORMAT = _fast_format(pdfdoc.format)
_KEY_NAMES = _Texts(lambda key: pdfdoc.pdfdocEnc(pdfdoc.PDFName(key)))
_SAVE_LOCK = threading.Lock()


@contextmanager
def _tuned_save() -> Iterator[None]:
    """reportlab's module helpers swapped while this document is written.

    zlib at level 1 instead of 6: measured on a one-page 督办单, 17.5 ms →
    13 ms a PDF for 4 % more bytes; in a batch of a thousand that is the
    difference that matters, and reportlab has no setting for the level.
    The ToUnicode CMap with surrogate pairs (to_unicode_cmap); the fonts'
    objects written directly (add_font_objects), and the file put together
    directly (format_document). pdfdocEnc, PDFName, format, PDFArray.format
    and PDFDictionary.format as they were, only faster (same bytes: tools/golden.py).
    """
    # One save at a time in a process: two threads (the web server's) swapping and
    # restoring in turn could otherwise leave the swapped helpers installed for good.
    with _SAVE_LOCK:
        saved = (
            pdfdoc.zlib,
            ttfonts.makeToUnicodeCMap,
            pdfdoc.pdfdocEnc,
            pdfdoc.PDFName,
            pdfdoc.format,
            pdfdoc.PDFArray.format,
            pdfdoc.PDFDictionary.format,
            TTFont.addObjects,
            pdfdoc.PDFDocument.format,
        )
        pdfdoc.zlib = Deflate()
        ttfonts.makeToUnicodeCMap = to_unicode_cmap  # written at save time, with the fonts
        TTFont.addObjects = add_font_objects
        pdfdoc.PDFDocument.format = format_document
        pdfdoc.pdfdocEnc = _fast_pdfdoc_enc(pdfdoc.pdfdocEnc)
        pdfdoc.PDFName = _pdf_name
        pdfdoc.format = _FORMAT
        pdfdoc.PDFArray.format = _array_format
        pdfdoc.PDFDictionary.format = _dict_format
        try:
            yield
        finally:
            (
                pdfdoc.zlib,
                ttfonts.makeToUnicodeCMap,
                pdfdoc.pdfdocEnc,
                pdfdoc.PDFName,
                pdfdoc.format,
                pdfdoc.PDFArray.format,
                pdfdoc.PDFDictionary.format,
                TTFont.addObjects,
                pdfdoc.PDFDocument.format,
            ) = saved


def _y(top_mm: float, height: float = PAGE_HEIGHT) -> float:
    return mm(height - top_mm)


HATCH_STEP_MM = 1.2


def _box(canvas: Canvas, b: BoxItem, height: float = PAGE_HEIGHT) -> None:
    """A grey-filled rectangle, hatched when asked, outlined in black: vector, not an image."""
    x, y, w, h = mm(b.x), _y(b.top + b.height, height), mm(b.width), mm(b.height)
    canvas.saveState()
    canvas.setFillGray(b.grey)
    canvas.setStrokeGray(0)
    canvas.setLineWidth(mm(b.stroke_mm))
    canvas.rect(x, y, w, h, stroke=1, fill=1)
    if b.hatch:
        path = canvas.beginPath()
        path.rect(x, y, w, h)
        canvas.clipPath(path, stroke=0, fill=0)
        canvas.setLineWidth(mm(0.15))
        step = mm(HATCH_STEP_MM)
        k = -h
        while k < w:
            canvas.line(x + k, y, x + k + h, y + h)  # "/"
            if b.hatch == "x":
                canvas.line(x + k, y + h, x + k + h, y)
            k += step
    canvas.restoreState()


def _image(canvas: Canvas, im: ImageItem, height: float = PAGE_HEIGHT) -> None:
    canvas.drawImage(
        im.path,
        mm(im.x),
        _y(im.top + im.height, height),
        mm(im.width),
        mm(im.height),
        mask="auto",
        preserveAspectRatio=True,
    )


_NONES = itertools.repeat(None)
_ZEROS = itertools.repeat(0)


def _split(rl_font: TTFont, text: str, doc: object) -> list[tuple[int, bytes]]:
    """reportlab's TTFont.splitString: (subset, one byte a character) pieces of ``text``.

    reportlab walks the text a character at a time, giving each character new
    to the document the next code. Here the new characters are given their
    codes together (_codes: in the order they first appear, which is the order
    reportlab would give them; past code 255, by reportlab); then every code is
    looked up at once, and the usual
    line (every code in the first subset) is one piece. A character the font
    lacks is code 0, as reportlab has it. tests/test_pdf_subsets.py compares.
    """
    if not text:
        return []
    codes = _codes(rl_font, text, doc)
    if max(codes) < 256:
        return [(0, bytes(codes))]
    pieces: list[tuple[int, bytes]] = []
    for subset, group in itertools.groupby(codes, key=lambda n: n >> 8):
        pieces.append((subset, bytes(n & 0xFF for n in group)))
    return pieces


def _codes(rl_font: TTFont, text: str, doc: object) -> list[int]:
    """The codes of ``text``'s characters in the document, subset and code as one number
    (subset × 256 + code), new characters given theirs as reportlab's splitString gives them."""
    state = rl_font.state.get(doc)
    if state is None:  # the font's first line in the document: its codes start as reportlab's
        state = rl_font.state[doc] = _fresh_state(rl_font)
    points = list(map(ord, text.replace("\u00a0", " ")))  # reportlab draws a no-break space as one
    known = state.assignments.get
    codes = list(map(known, points))
    if None in codes:
        new = list(dict.fromkeys(itertools.compress(points, map(operator.is_, codes, _NONES))))
        _assign(rl_font, state, new, doc)  # codes for the new characters, in reportlab's order
        codes = list(map(known, points, _ZEROS))
    return codes


def _fresh_state(rl_font: TTFont) -> Any:
    """reportlab's TTFont.State for a font's first line in a document, copied from one made once.

    Making one walks the 96 ASCII codes through the font's cmap: three fonts a
    notice. The copy is the same state: the same assignments, subsets and next code.
    """
    key = (rl_font._asciiReadable, rl_config.ttfAsciiReadable)
    made = getattr(rl_font, "_docgen_state", None)
    if made is None or made[0] != key:
        made = (key, TTFont.State(rl_font._asciiReadable, rl_font))
        rl_font._docgen_state = made  # one assignment: threads drawing at once see one or the other
    template = made[1]
    state = object.__new__(TTFont.State)
    state.__dict__.update(template.__dict__)
    state.assignments = dict(template.assignments)
    state.subsets = [list(subset) for subset in template.subsets]
    return state


def _assign(rl_font: TTFont, state: Any, new: list[int], doc: object) -> None:
    """Codes for characters new to the document (code points, in the order they first
    appear), as reportlab's splitString gives them.

    reportlab gives each new character the font has the next code, a
    character at a time: in an ASCII-readable font the first subset's free
    slots 1-31 first, then 128 on; a code past 255 opens a new 256-code
    subset with its own rules (code 32 kept for the space). Up to 255 that is
    done here; the rest of the characters, if any, go to reportlab.
    """
    fresh = list(filter(rl_font.face.charToGlyph.__contains__, new))  # others: code 0, unassigned
    if state.frozen or not rl_font._asciiReadable:
        rl_font.splitString("".join(map(chr, new)), doc)
        return
    first, assigned = state.subsets[0], state.assignments
    n = state.nextCode
    if n < 32:  # the slots before the ASCII codes, n to 31; then on from 128
        slots = fresh[: 32 - n]
        first[n : n + len(slots)] = slots
        assigned.update(zip(slots, range(n, n + len(slots))))
        n += len(slots)
        n = 128 if n == 32 else n
        fresh = fresh[len(slots) :]
    state.nextCode = n
    if not fresh:
        return
    if 128 <= n <= 256 - len(fresh):
        first.extend(fresh)
        assigned.update(zip(fresh, range(n, n + len(fresh))))
        state.nextCode = n + len(fresh)
        return
    rl_font.splitString("".join(map(chr, fresh)), doc)


class _RuleOps(dict[tuple[Any, ...], tuple[str, tuple[float, ...], float]]):
    """A rule's operators (and the stroke colour and width they leave) by its place, colour,
    width and page height: the same in every document, so kept across them (a batch's
    notices have the same form's rules)."""

    def __missing__(self, key: tuple[Any, ...]) -> tuple[str, tuple[float, ...], float]:
        if len(self) >= 4096:  # bounded: the web server is long-running
            self.clear()
        x0, x1, y, y1, width_mm, color, height = key
        rgb = tuple(v / 255 for v in color)
        width = mm(width_mm)
        start = fp_str(mm(x0), _y(y, height))
        end = fp_str(mm(x1), _y(y if y1 is None else y1, height))
        ops = f"{fp_str(rgb)} RG\n{fp_str(width)} w\nn {start} m {end} l S"
        known = self[key] = (ops, rgb, width)
        return known


_RULES = _RuleOps()


class _PageNumbers(dict[float, str]):
    """A number's text as reportlab writes it into a page (fp_str), by the number; ``mm_from``:
    a page height, the number a distance from the top in mm, the text the y in points."""

    def __init__(self, mm_from: float | None = None) -> None:
        super().__init__()
        self._height = mm_from

    def __missing__(self, value: float) -> str:
        if len(self) >= 4096:  # bounded: the web server is long-running
            self.clear()
        number = value if self._height is None else _y(value, self._height)
        text = self[value] = fp_str(number)
        return text


class _Baselines(dict[float, _PageNumbers]):
    """Baselines' y texts by page height: the same in every document."""

    def __missing__(self, height: float) -> _PageNumbers:
        texts = self[height] = _PageNumbers(mm_from=height)
        return texts


_BASELINES = _Baselines()
_SIZES = _PageNumbers()


# A line's pieces' places: per font run, each piece's (first glyph, end, positioning operators).
_Places = tuple[tuple[tuple[int, int, str], ...], ...]


class _LineForm(NamedTuple):
    """What a line's operators depend on but the document: its font runs, its pieces' places
    (_places), its opening operators and its size's text."""

    runs: list[tuple[TTFont, str]]
    places: _Places
    start: str
    size: str


# Lines' forms by set of fonts (_font_token) and line; bounded: the web server is long-running.
_FORMS: Memo[_LineForm] = Memo(kept=8192)
_FONT_TOKENS: dict[Hashable, int] = {}
_NEXT_TOKEN = itertools.count()


def _font_token(fonts: FontSet) -> int:
    """A number for what a set of fonts draws with (its choice): sets that choose alike run a
    line's text into the same fonts. A number is never given to two choices."""
    choice = fonts.choice()
    token = _FONT_TOKENS.get(choice)
    if token is None:
        if len(_FONT_TOKENS) >= 256:  # bounded: the web server is long-running
            _FONT_TOKENS.clear()
        token = _FONT_TOKENS[choice] = next(_NEXT_TOKEN)
    return token


def _places(t: TextItem, runs: list[tuple[TTFont, str]]) -> _Places:
    """Per font run of a line, each piece's (first glyph, end, positioning operators), the
    run being one piece in one subset: cut where a glyph moves (_cut), each piece at the
    end of the one before, as _pieces places them."""
    x = mm(t.x)
    cs = t.char_space_pt
    shifts = dict(t.kerns)  # glyph index → move (half-width punctuation)
    g = 0  # index in the line of the run's first glyph
    out = []
    for rl_font, part in runs:
        cuts = []
        for a, b in _cut(g, len(part), shifts):
            x += shifts.get(g + a, 0.0)
            cuts.append((a, b, f" 1 0 0 1 {fp_str(x)} "))
            x += rl_font.stringWidth(part[a:b], t.size_pt) + (b - a) * cs
        g += len(part)
        out.append(tuple(cuts))
    return tuple(out)


class _PageWriter:
    """A document's page operators, written straight into reportlab's page code.

    A long table repeats itself: its grid is the same few dozen rules on every
    page, and its cells (units, dates, statuses, the header row) the same
    lines of text. Each distinct rule and line is worked out once and its
    operators kept: a text line's with its baseline left open, since the same
    cell recurs on other rows. Repeating a line adds no glyph: reportlab's
    subset bookkeeping (which glyph sits in which 256-glyph subset, which
    subset is a font resource) was done when the line was first written, so
    the embedded subsets come out as they would without the memo. The lines'
    memo belongs to one document (codes and subset numbers are per document)
    and goes with it; what depends on no document (a rule's operators, a
    line's fonts and where its pieces go, a baseline's y) is kept across
    documents (_RULES, _FORMS, _BASELINES): a batch's notices are the same form.
    """

    def __init__(self, canvas: Canvas, fonts: FontSet) -> None:
        self._canvas = canvas
        self._fonts = fonts
        self._lines: dict[tuple[object, ...], list[str]] = {}
        self._token = _font_token(fonts)
        self._starts: dict[tuple[tuple[int, int, int], float], str] = {}
        self._rl_fonts: dict[str, TTFont] = {}
        self._subset_names: dict[tuple[str, int], str] = {}

    def draw(self, items: list[Item], height: float) -> None:
        """Rules, boxes and images first, text over them.

        ``height``: the page's, as its items measure it. The page's text goes
        in as one string: reportlab joins its page code with line feeds, so
        that is the same stream as a string a line.
        """
        canvas = self._canvas
        texts: list[TextItem] = []
        for item in items:
            if isinstance(item, TextItem):
                texts.append(item)
            elif isinstance(item, RuleItem):
                self._rule(item, height)
            elif isinstance(item, ImageItem):
                _image(canvas, item, height)
            elif isinstance(item, BoxItem):
                _box(canvas, item, height)
        if texts:
            canvas._code.append("\n".join(self._lines_of(texts, height)))

    def _rule(self, r: RuleItem, height: float) -> None:
        """A stroke as reportlab's setStrokeColorRGB, setLineWidth and line write it."""
        ops, rgb, width = _RULES[(r.x0, r.x1, r.y, r.y1, r.width_mm, r.color, height)]
        canvas = self._canvas
        canvas._code.append(ops)
        # the graphics state those calls leave, for a saveState or a later page's preamble
        canvas._strokeColorObj = rgb
        canvas._lineWidth = width

    def _lines_of(self, texts: list[TextItem], height: float) -> list[str]:
        """The lines' operators, each from the memo when the line was seen before.

        The lines first met on the page are written together (_write_new).
        One pass over a page's lines rather than a call a line: on a long
        table these run 160,000 times.
        """
        lines = self._lines
        keys = [(tuple(t.runs), t.x, t.size_pt, t.char_space_pt, t.color, t.kerns) for t in texts]
        new: dict[tuple[Any, ...], TextItem] = {}
        for t, key in zip(texts, keys):
            if key not in lines:
                new.setdefault(key, t)
        if new:
            self._write_new(new)
        baselines = _BASELINES[height]
        return [baselines[t.baseline].join(lines[key]) for t, key in zip(texts, keys)]

    def _write_new(self, new: dict[tuple[Any, ...], TextItem]) -> None:
        """Lines first met, in the order met, into the memo.

        Each font's codes for all of them are found at once (_codes over its
        runs joined): reportlab gives a character its code when first drawn,
        and the order of first appearance across the lines joined is the
        order line by line. What depends on no document comes from the memo
        across documents (_form).
        """
        token = self._token
        forms = []
        texts: dict[TTFont, list[str]] = {}
        for key, t in new.items():
            form = _FORMS.get((token, key))
            if form is None:
                form = _FORMS.keep((token, key), self._form(t))
            forms.append(form)
            for rl_font, part in form.runs:
                texts.setdefault(rl_font, []).append(part)
        doc = self._canvas._doc
        codes = {font: iter(_codes(font, "".join(parts), doc)) for font, parts in texts.items()}
        for (key, t), form in zip(new.items(), forms):
            runs = [list(itertools.islice(codes[font], len(part))) for font, part in form.runs]
            self._lines[key] = self._line_parts(t, form, runs)

    def _line_parts(self, t: TextItem, form: _LineForm, runs: list[list[int]]) -> list[str]:
        """One line's operators from its form and its runs' codes.

        The usual line has one piece per font run (every code in the first
        subset): its runs' fonts and where each piece goes depend on the line
        and the set of fonts, not on the document (_form); the codes, and the
        subset names, are the document's. Otherwise, piece by piece (_pieces).
        """
        parts = [form.start]
        for (rl_font, _), cuts, codes in zip(form.runs, form.places, runs):
            if not codes or max(codes) > 255:  # codes in two subsets: each placed on its own
                return self._pieces(t)
            data = bytes(codes)
            font = f" Tm {self._subset_name(rl_font, 0)} {form.size} Tf ("
            for a, b, x in cuts:
                parts[-1] += x  # the baseline follows
                parts.append(f"{font}{escapePDF(data[a:b])}) Tj")
        parts[-1] += " ET"
        return parts

    def _form(self, t: TextItem) -> _LineForm:
        """A line's form: its runs split by the fonts having each character (as the layout
        split them, which recorded any fallback or missing character), placed."""
        runs = [
            (self._rl_font(font), part)
            for role, text in t.runs
            for font, part in self._fonts.runs(role, text)
        ]
        start = self._start(t.color, t.char_space_pt)
        return _LineForm(runs, _places(t, runs), start, _SIZES[t.size_pt])

    def _pieces(self, t: TextItem) -> list[str]:
        """One line's operators, cut where its baseline goes.

        Every font or subset change restarts at its computed position:
        reportlab splits a font into 256-glyph subsets, each a PDF font of its
        own. Viewers apply the character spacing (Tc) across such switches, but
        pdfminer (pdfplumber) drops it after each string; positioning every
        piece explicitly makes all readers, and every proof-reader's tool, agree.
        The operators are written as reportlab documents for dynamic fonts
        (splitString + getSubsetInternalName), once per piece.
        """
        x = mm(t.x)
        cs = t.char_space_pt
        size = fp_str(t.size_pt)
        doc = self._canvas._doc
        escape = self._canvas._escape
        parts = [self._start(t.color, cs)]
        shifts = dict(t.kerns)  # glyph index → move (half-width punctuation)
        g = 0  # index in the line of the piece's first glyph
        for role, text in t.runs:
            for font, part in self._fonts.runs(role, text):
                rl_font = self._rl_font(font)
                start = 0
                for subset, codes in _split(rl_font, part, doc):
                    n = len(codes)  # one byte per character in a subset
                    name = self._subset_name(rl_font, subset)
                    for a, b in _cut(g, n, shifts):
                        x += shifts.get(g + a, 0.0)
                        parts[-1] += f" 1 0 0 1 {fp_str(x)} "  # the baseline follows
                        parts.append(f" Tm {name} {size} Tf ({escape(codes[a:b])}) Tj")
                        piece = part[start + a : start + b]
                        x += rl_font.stringWidth(piece, t.size_pt) + (b - a) * cs
                    start += n
                    g += n
        parts[-1] += " ET"
        return parts

    def _start(self, color: tuple[int, int, int], char_space: float) -> str:
        """A line's opening operators: text object, fill colour, character spacing."""
        key = (color, char_space)
        start = self._starts.get(key)
        if start is None:
            rgb = fp_str(*(v / 255 for v in color))
            start = self._starts[key] = f"BT {rgb} rg {fp_str(char_space)} Tc"
        return start

    def _rl_font(self, font: ResolvedFont) -> TTFont:
        """reportlab's font for one of ours, registered and its subsets remembered on first use."""
        rl_font = self._rl_fonts.get(font.rl_name)
        if rl_font is None:
            rl_font = self._rl_fonts[font.rl_name] = getFont(register_font(font))
            remember_subsets(rl_font)
        return rl_font

    def _subset_name(self, rl_font: TTFont, subset: int) -> str:
        """The PDF font name of a subset; reportlab makes it a resource on first use."""
        key = (rl_font.fontName, subset)
        name = self._subset_names.get(key)
        if name is None:
            name = self._subset_names[key] = rl_font.getSubsetInternalName(
                subset, self._canvas._doc
            )
        return name
