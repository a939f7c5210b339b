"""The fonts shipped with docgen: which file plays which role, and their measures."""

from __future__ import annotations

from docgen.fonts.sfnt import _metrics, ink_top_em
from docgen.resources import fonts_dir
from docgen.spec import FontRole

# Bundled files, relative to the fonts folder. Which plays which role and why
# is in fonts/README.md.
BUNDLED: dict[FontRole, str] = {
    FontRole.XIAOBIAOSONG: "noto/NotoSerifCJKsc-Bold-DG.ttf",
    FontRole.FANGSONG: "fandol/FandolFang-Regular.ttf",
    FontRole.HEITI: "noto/NotoSansCJKsc-Regular-DG.ttf",
    FontRole.KAITI: "lxgw-wenkai/LXGWWenKai-Regular.ttf",
    FontRole.SONGTI: "fandol/FandolSong-Regular.ttf",
}
BUNDLED_WENKAI = "lxgw-wenkai/LXGWWenKai-Regular.ttf"
BUNDLED_NOTO_SERIF = "noto/NotoSerifCJKsc-Bold-DG.ttf"
BUNDLED_NOTO_SANS = "noto/NotoSansCJKsc-Regular-DG.ttf"
# Breadth fallbacks after WenKai: serif first for serif roles, sans for 黑体,
# so a fallback glyph is as close in style to the primary as we have.
_BREADTH: dict[FontRole, tuple[str, ...]] = {
    FontRole.HEITI: (BUNDLED_WENKAI, BUNDLED_NOTO_SANS, BUNDLED_NOTO_SERIF),
}
_DEFAULT_BREADTH = (BUNDLED_WENKAI, BUNDLED_NOTO_SERIF, BUNDLED_NOTO_SANS)


def bundled_ink_top(role: FontRole, ch: str) -> float | None:
    """:func:`ink_top_em` in the bundled font of ``role``, the one a .docx is measured with."""
    return ink_top_em(fonts_dir() / BUNDLED[role], 0, ch)


def bundled_em(role: FontRole, ch: str) -> float:
    """Advance of ``ch`` in em in the bundled font of ``role`` (its fallbacks for what it lacks)."""
    for rel in (BUNDLED[role], *_BREADTH.get(role, _DEFAULT_BREADTH)):
        m = _metrics(fonts_dir() / rel, 0)
        if ord(ch) in m.cmap:
            return m.em(ch)
    return 1.0
