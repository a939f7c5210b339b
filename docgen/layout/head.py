"""版头: the head of page 1 in the file, letter and minutes formats.

Each function draws the head onto page 1 and returns the band tops page 1
offers the flow (the title first), so pagination need not know the format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docgen.decide.decisions import Decisions
from docgen.fonts.metrics import Measurer
from docgen.layout.compose import Composer
from docgen.layout.plan import Page, RuleItem, TextItem
from docgen.layout.rows import Row
from docgen.models.parts import HeadPart
from docgen.spec import (
    BASELINE_IN_LINE,
    BLOCK_HEIGHT,
    BODY_CHAR_SPACE_PT,
    LETTER_7_8,
    LETTER_BOTTOM_LINE_FROM_BOTTOM,
    LETTER_LINE_LENGTH,
    LETTER_MARK_TOP,
    LETTER_TOP_LINE_GAP,
    LINE_PITCH,
    MARK_TOP_IN_BLOCK,
    MM_PER_PT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PT_PER_MM,
    SEPARATOR_BELOW_NUMBER,
    SIZE_BODY_PT,
    FontRole,
    Profile,
)

Slots = Callable[[float], list[float]]  # pitch → band tops available on page 1


@dataclass
class Head:
    slots: Slots  # page 1's bands for the flow, as a function of the line pitch


def glyph_box(
    m: Measurer, band_top: float, size_pt: float = SIZE_BODY_PT, role: FontRole = FontRole.FANGSONG
) -> tuple[float, float]:
    """Top and bottom (mm) of the em box of a line set on the band at ``band_top``."""
    baseline = band_top + BASELINE_IN_LINE * LINE_PITCH
    top = baseline - m.box_to_baseline(role, size_pt)
    return top, top + size_pt * MM_PER_PT


def band_for_glyph_top(
    m: Measurer, glyph_top: float, size_pt: float = SIZE_BODY_PT, pitch: float = LINE_PITCH
) -> float:
    """The band top that puts a line's em box top at ``glyph_top``."""
    return glyph_top + m.box_to_baseline(FontRole.FANGSONG, size_pt) - BASELINE_IN_LINE * pitch


def draw_mark(
    page: Page,
    c: Composer,
    d: Decisions,
    profile: Profile,
    top: float,
) -> float:
    """Draw the red mark with its em box's top edge at ``top``; return its bottom (mm)."""
    lines, suffix, size = d.mark_lines, d.mark_suffix, d.mark_size_pt
    size_mm = size * MM_PER_PT
    red = profile.red_rgb
    to_base = c.m.box_to_baseline(FontRole.XIAOBIAOSONG, size)
    center = (c.left + c.right) / 2
    if len(lines) == 1:
        item = c.aligned(
            [(FontRole.XIAOBIAOSONG, lines[0] + suffix)], center=center, size_pt=size, color=red
        )
        item.baseline = top + to_base
        page.add(item)
        return top + size_mm
    # Joint issue: names stacked, lead issuer first; 文件 to the right, centred on the stack.
    suffix_w = c.text_width([(FontRole.XIAOBIAOSONG, suffix)], size, 0) if suffix else 0
    names_w = max(c.text_width([(FontRole.XIAOBIAOSONG, ln)], size, 0) for ln in lines)
    gap = size_mm * 0.5 if suffix else 0
    x = center - (names_w + gap + suffix_w) / 2
    step = size_mm * 1.15
    for i, ln in enumerate(lines):
        item = c.aligned([(FontRole.XIAOBIAOSONG, ln)], x=x, size_pt=size, color=red, tracking_pt=0)
        # Spread shorter names to the longest's width, as marks are set.
        n = len(ln)
        if n > 1:
            item.char_space_pt = (
                names_w * PT_PER_MM - c.m.width_pt(FontRole.XIAOBIAOSONG, ln, size)
            ) / (n - 1)
        item.baseline = top + i * step + to_base
        page.add(item)
    height = (len(lines) - 1) * step + size_mm
    if suffix:
        item = c.aligned(
            [(FontRole.XIAOBIAOSONG, suffix)],
            x=x + names_w + gap,
            size_pt=size,
            color=red,
            tracking_pt=0,
        )
        item.baseline = top + (height - size_mm) / 2 + to_base
        page.add(item)
    return top + height


def place_item(page: Page, c: Composer, item: TextItem, band_top: float) -> None:
    for placed in Row(texts=[item]).place(band_top, c.m):
        page.add(placed)


def red_rule(page: Page, x0: float, x1: float, y: float, width: float, profile: Profile) -> None:
    page.add(RuleItem(x0, x1, y, width, profile.red_rgb))


def grid_slots(profile: Profile, first_top: float) -> Slots:
    """Bands from ``first_top`` down to the block's bottom edge."""
    bottom = profile.top_margin + BLOCK_HEIGHT

    def slots(pitch: float) -> list[float]:
        n = int((bottom - first_top) / pitch + 1e-6)
        return [first_top + k * pitch for k in range(n)]

    return slots


def snap_to_grid(profile: Profile, wanted_top: float) -> float:
    """The grid band nearest ``wanted_top``, never above it by more than half a line.

    The .docx head follows the same rule (render/docx imports this one)."""
    k = round((wanted_top - profile.top_margin) / LINE_PITCH)
    top = profile.top_margin + k * LINE_PITCH
    if top < wanted_top - LINE_PITCH / 2:
        top += LINE_PITCH
    return top


def _stack_items(c: Composer, doc: HeadPart) -> list[TextItem]:
    """份号, 密级和保密期限, 紧急程度 in that order, flush left."""
    items: list[TextItem] = []
    if doc.copy_no:
        items.append(c.aligned([(FontRole.FANGSONG, doc.copy_no)]))
    if doc.secrecy:
        text = doc.secrecy + (f"★{doc.secrecy_term}" if doc.secrecy_term else "")
        items.append(c.aligned([(FontRole.HEITI, text)]))
    if doc.urgency:
        items.append(c.aligned([(FontRole.HEITI, doc.urgency)]))
    return items


def file_head(page: Page, c: Composer, doc: HeadPart, d: Decisions, profile: Profile) -> Head:
    """文件格式 [7.2]: mark 35 mm into the block, number, signers, red separator."""
    block_top = profile.top_margin
    for i, item in enumerate(_stack_items(c, doc)):
        place_item(page, c, item, block_top + i * LINE_PITCH)
    mark_bottom = draw_mark(page, c, d, profile, block_top + MARK_TOP_IN_BLOCK)
    band = mark_bottom + 2 * LINE_PITCH  # two empty lines below the mark
    number = str(doc.number) if doc.number else ""
    signers: list[str] = list(doc.signers)
    if signers:
        band = _signers(page, c, signers, number, band)
    elif number:
        place_item(
            page, c, c.aligned([(FontRole.FANGSONG, number)], center=(c.left + c.right) / 2), band
        )
    _, number_bottom = glyph_box(c.m, band)
    separator = number_bottom + SEPARATOR_BELOW_NUMBER
    red_rule(page, c.left, c.right, separator, profile.separator_width, profile)
    title_top = snap_to_grid(profile, separator + 2 * LINE_PITCH)
    return Head(slots=grid_slots(profile, title_top))


def _signers(page: Page, c: Composer, signers: list[str], number: str, band: float) -> float:
    """签发人 right-aligned one character in, two names a line; number left on the last line."""
    label = [(FontRole.FANGSONG, "签发人：")]
    lines = ["　".join(signers[i : i + 2]) for i in range(0, len(signers), 2)]
    label_w = c.text_width(label) + BODY_CHAR_SPACE_PT * MM_PER_PT
    first_w = c.text_width([(FontRole.KAITI, lines[0])])
    names_x = c.right - c.chars(1) - first_w
    for i, names in enumerate(lines):
        if i == 0:
            place_item(page, c, c.aligned(label, x=names_x - label_w), band)
        place_item(page, c, c.aligned([(FontRole.KAITI, names)], x=names_x), band + i * LINE_PITCH)
    last = band + (len(lines) - 1) * LINE_PITCH
    if number:
        place_item(page, c, c.aligned([(FontRole.FANGSONG, number)], x=c.left + c.chars(1)), last)
    return last


def letter_head(page: Page, c: Composer, doc: HeadPart, d: Decisions, profile: Profile) -> Head:
    """信函格式 [10.1]: mark 30 mm from the paper's top, red double lines, number flush right."""
    mark_bottom = draw_mark(page, c, d, profile, LETTER_MARK_TOP)
    x0 = (PAGE_WIDTH - LETTER_LINE_LENGTH) / 2
    x1 = x0 + LETTER_LINE_LENGTH
    thick, thin, gap = profile.letter_thick, profile.letter_thin, profile.letter_gap
    # Thick above thin, 4 mm below the mark.
    y_thick = mark_bottom + LETTER_TOP_LINE_GAP + thick / 2
    y_thin = y_thick + thick / 2 + gap + thin / 2
    red_rule(page, x0, x1, y_thick, thick, profile)
    red_rule(page, x0, x1, y_thin, thin, profile)
    body_mm = SIZE_BODY_PT * MM_PER_PT
    first_top = y_thin + thin / 2 + LETTER_7_8 * body_mm  # glyph top, 7/8 of a 3号 character below
    band0 = band_for_glyph_top(c.m, first_top)
    bottom = band0
    stack = _stack_items(c, doc)
    for i, item in enumerate(stack):
        place_item(page, c, item, band0 + i * LINE_PITCH)
        bottom = band0 + i * LINE_PITCH
    if doc.number:
        place_item(page, c, c.aligned([(FontRole.FANGSONG, str(doc.number))], right=c.right), band0)
    _, last_bottom = glyph_box(c.m, bottom)
    # Thin above thick, the pair's lower edge 20 mm above the paper's bottom.
    y_thick_b = PAGE_HEIGHT - LETTER_BOTTOM_LINE_FROM_BOTTOM - thick / 2
    y_thin_b = y_thick_b - thick / 2 - gap - thin / 2
    red_rule(page, x0, x1, y_thin_b, thin, profile)
    red_rule(page, x0, x1, y_thick_b, thick, profile)
    limit = y_thin_b - thin / 2 - LETTER_7_8 * body_mm  # lowest glyph bottom on page 1
    wanted = last_bottom + 2 * LINE_PITCH  # title two lines below the last element

    def slots(pitch: float) -> list[float]:
        # Anchored at the bottom: the last line sits 7/8 of a character above the double line.
        last = band_for_glyph_top(c.m, limit - body_mm, pitch=pitch)
        tops: list[float] = []
        top = last
        while top >= wanted - pitch / 2 - 1e-6:
            tops.append(top)
            top -= pitch
        return tops[::-1]

    return Head(slots=slots)


def page_slots(profile: Profile) -> Slots:
    return grid_slots(profile, profile.top_margin)
