"""GB/T 9704-2012 as data: the one source of truth for both renderers.

Every length is in millimetres unless the name says ``_pt``. The standard's
fixed numbers are module constants; the values the spec marks "practice" live
in :class:`Profile`, which an office can override with a small YAML file.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MM_PER_PT = 25.4 / 72
PT_PER_MM = 72 / 25.4


def mm(value_mm: float) -> float:
    """Millimetres to PDF points."""
    return value_mm * PT_PER_MM


class FontRole(str, Enum):
    """The five typefaces GB/T 9704 names, by their job."""

    XIAOBIAOSONG = "xiaobiaosong"  # 小标宋: titles, marks
    FANGSONG = "fangsong"  # 仿宋: body and nearly everything
    HEITI = "heiti"  # 黑体: level-1 headings, 密级, 附件 label
    KAITI = "kaiti"  # 楷体: level-2 headings, signer names
    SONGTI = "songti"  # 宋体: page numbers


# Names offices have installed, in order of preference. The .docx names the
# first; font resolution for the PDF looks for any of them on the system.
OFFICIAL_FONT_NAMES: dict[FontRole, tuple[str, ...]] = {
    FontRole.XIAOBIAOSONG: ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"),
    FontRole.FANGSONG: ("仿宋_GB2312", "方正仿宋_GBK", "仿宋", "FangSong", "SimFang"),
    FontRole.HEITI: ("黑体", "方正黑体_GBK", "SimHei"),
    FontRole.KAITI: ("楷体_GB2312", "方正楷体_GBK", "楷体", "KaiTi", "SimKai"),
    FontRole.SONGTI: ("宋体", "SimSun"),
}

# 字号 → points.
FONT_SIZES_PT: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
}
SIZE_BODY_PT = FONT_SIZES_PT["三号"]
SIZE_TITLE_PT = FONT_SIZES_PT["二号"]
SIZE_COLOPHON_PT = FONT_SIZES_PT["四号"]
SIZE_PAGE_NUMBER_PT = FONT_SIZES_PT["四号"]

# Page and grid [5.2].
PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
BLOCK_WIDTH = 156.0
BLOCK_HEIGHT = 225.0
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Characters an office's Latin font (profile.latin_font) takes over, in these roles.
LATIN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
LATIN_ROLES = (FontRole.FANGSONG, FontRole.KAITI, FontRole.HEITI)

# Rules [7.2.6, 7.4.1, 10.1].
SEPARATOR_BELOW_NUMBER = 4.0  # red line, mm below the 发文字号's baseline box
COLOPHON_THICK_MM = 0.35
COLOPHON_THIN_MM = 0.25
PAGE_NUMBER_DASH_DROP = 7.0  # top of "— N —" below the block's bottom edge

# Letter format [10.1].
LETTER_MARK_TOP = 30.0  # mark's top edge below the paper's top
LETTER_LINE_LENGTH = 170.0
LETTER_TOP_LINE_GAP = 4.0  # double line below the mark
LETTER_BOTTOM_LINE_FROM_BOTTOM = 20.0  # bottom double line above the paper's bottom edge
LETTER_7_8 = 7 / 8  # of a 3号 character height, for gaps to the double lines

# Standard and minutes formats: mark's top edge below the block's top [7.2.4, 10.3].
MARK_TOP_IN_BLOCK = 35.0

# Tables [8]: a table sits in the block like text; one set across the page
# (landscape) keeps the page's own block, turned: 225 mm wide, 156 mm high,
# its head at the binding edge of an odd page and the outer edge of an even
# one, which on both is the left of the upright sheet.
LANDSCAPE_BLOCK_WIDTH = BLOCK_HEIGHT
LANDSCAPE_BLOCK_HEIGHT = BLOCK_WIDTH
TABLE_CELL_PAD_MM = 1.5  # text to the rule, left and right, in a cell
TABLE_MIN_CHARS = 4  # a column narrower than 4 characters of its text counts as too narrow


class Profile(BaseModel):
    """An office's house choices where the standard says "practice".

    Defaults follow ``shared/spec/gbt9704.md``. Load an override with
    :func:`load_profile`; only the keys given are changed.
    """

    model_config = ConfigDict(extra="forbid")

    top_margin: float = Field(37.0, ge=36.0, le=38.0, description="天头, mm (37 ± 1)")
    left_margin: float = Field(28.0, ge=27.0, le=29.0, description="订口, mm (28 ± 1)")
    red_rgb: tuple[int, int, int] = Field((255, 0, 0), description="版头 red, RGB")
    mark_size_pt: float = Field(
        0,
        ge=0,
        description="发文机关标志 size in pt; 0 = as large as fits, at most mark_max_size_pt",
    )
    mark_max_size_pt: float = Field(
        42.0, gt=0, description="upper bound for the automatic mark size"
    )
    title_shape: Literal["auto", "widening", "narrowing", "diamond"] = Field(
        "auto", description="how a long title's lines are arranged"
    )
    sealed: bool = Field(
        True,
        description="the issuing body has a seal (印章); false for a body that has none, such as a "
        "joint meeting (联席会议不刻制印章): its signatures follow GB/T 9704 7.3.5.2",
    )
    title_terms: list[str] = Field(
        default_factory=list,
        description="names and terms a title never breaks inside (the office's bodies, "
        "projects, campaigns), beyond the issuers, recipients and member units",
    )
    double_sided: bool = Field(True, description="版记 on an even page; blank page numbering rules")
    latin_font: str | None = Field(
        None,
        description="font for Latin letters and digits in the text (仿宋, 楷体, 黑体): a TrueType "
        "file or an installed family such as Times New Roman; empty = the Chinese font's own",
    )
    docx_fangsong: Literal["仿宋_GB2312", "仿宋"] = Field(
        "仿宋_GB2312",
        description="the body font the .docx names: 仿宋_GB2312 (offices' usual font, GB2312 "
        "characters only) or 仿宋 (Windows' FangSong, all of GBK)",
    )
    attachment_title_size_pt: float = Field(SIZE_TITLE_PT, description="附件 title size")
    max_squeeze_pt: float = Field(
        1.3,
        ge=0,
        le=2.0,
        description="how much the line pitch of a page may shrink (pt) to keep a signature with its text; "
        "1.3 pt lets a page hold 23 lines instead of 22",
    )
    separator_width: float = Field(0.5, gt=0, le=2, description="red separator under the head, mm")
    letter_thick: float = Field(0.8, gt=0, le=2, description="letter format: thick red line, mm")
    letter_thin: float = Field(0.3, gt=0, le=1, description="letter format: thin red line, mm")
    letter_gap: float = Field(
        0.6, gt=0, le=2, description="letter format: gap between the double lines, mm"
    )
    seal_diameter: float = Field(42.0, gt=0, description="印章 diameter, mm (practice: 42)")
    allow_chars: str = Field(
        "",
        description="characters the text checks accept although OpenCC reads them as traditional "
        "(a person's or place's name, e.g. 乾)",
    )
    table_size_pt: float = Field(
        SIZE_BODY_PT, ge=9, le=22, description="table text size, pt (practice: the body's 3号)"
    )
    table_wide_size_pt: float = Field(
        FONT_SIZES_PT["四号"],
        ge=9,
        le=22,
        description="a table too wide at table_size_pt is set one size smaller (practice: 4号)",
    )
    table_rule_pt: float = Field(0.5, gt=0, le=2, description="table rules, pt (practice: 0.5)")

    @property
    def right_margin(self) -> float:
        return PAGE_WIDTH - self.left_margin - BLOCK_WIDTH

    @property
    def bottom_margin(self) -> float:
        return PAGE_HEIGHT - self.top_margin - BLOCK_HEIGHT

    @property
    def red_hex(self) -> str:
        return "{:02X}{:02X}{:02X}".format(*self.red_rgb)


class ProfileError(ValueError):
    pass


# Word and LibreOffice set a line of exact height with its baseline 80 % of
# the way down (measured in LibreOffice 7.4; the same rule is published for
# Word). The PDF uses the same rule so both outputs put text at one height.
BASELINE_IN_LINE = 0.8

# Derived grid numbers: the same for every profile, since the block is fixed.
LINE_PITCH = BLOCK_HEIGHT / LINES_PER_PAGE  # 10.227 mm
LINE_PITCH_PT = mm(LINE_PITCH)  # 28.99 pt
CHAR_PITCH = BLOCK_WIDTH / CHARS_PER_LINE  # 5.571 mm
CHAR_PITCH_PT = mm(CHAR_PITCH)  # 15.80 pt
# Tracking that makes 28 3号 characters exactly fill the block: the first
# glyph's left edge at the block's left, the 28th's right edge at its right.
BODY_CHAR_SPACE_PT = (mm(BLOCK_WIDTH) - CHARS_PER_LINE * SIZE_BODY_PT) / (CHARS_PER_LINE - 1)
# One cell of that grid as the glyphs advance (15.785 pt): the unit of indents,
# so that 2 cells of indent + 26 glyphs end exactly where 28 glyphs do.
BODY_CELL_PT = SIZE_BODY_PT + BODY_CHAR_SPACE_PT
BODY_CELL_MM = BODY_CELL_PT * MM_PER_PT
