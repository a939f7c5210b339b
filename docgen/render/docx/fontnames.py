"""The body font the .docx names, and the characters a GB2312-only font cannot show.

Offices set the body in 仿宋_GB2312; Windows' own 仿宋 (FangSong) covers all
of GBK. A font limited to GB2312 shows a blank or a substitute for a name's
rare character (镕, 喆, 堃), so the profile may name 仿宋 instead
(``docx_fangsong``), and the writer says which characters need it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from docgen.render.docx import ooxml as ox
from docgen.spec import OFFICIAL_FONT_NAMES, FontRole, Profile

if TYPE_CHECKING:
    from pydantic import BaseModel

GB2312_FANGSONG = OFFICIAL_FONT_NAMES[FontRole.FANGSONG][0]  # 仿宋_GB2312, the templates' name


def body_font_styles(xml: str, profile: Profile) -> str:
    """styles.xml (or a font table) naming the profile's 仿宋 where the templates name 仿宋_GB2312."""
    if profile.docx_fangsong == GB2312_FANGSONG:
        return xml
    return xml.replace(f'="{ox.esc(GB2312_FANGSONG)}"', f'="{ox.esc(profile.docx_fangsong)}"')


def outside_gb2312(texts: Iterable[str]) -> list[str]:
    """Characters of ``texts`` that GB2312 does not encode (letters and digits of ASCII aside)."""
    seen: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if ch.isascii() or ch in seen or ch.isspace():
                continue
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                seen[ch] = None
    return list(seen)


def gb2312_note(texts: Iterable[str], profile: Profile) -> str | None:
    """The warning for a .docx naming 仿宋_GB2312 over text it cannot show, or None."""
    if profile.docx_fangsong != GB2312_FANGSONG:
        return None
    missing = outside_gb2312(texts)
    if not missing:
        return None
    shown = "、".join(missing[:20]) + ("等" if len(missing) > 20 else "")
    return (
        f"Word 文件正文字体为 {GB2312_FANGSONG}，该字体没有这些字：{shown}"
        "（打开时会显示为空白或其他字体）；可在版式配置中设 docx_fangsong: 仿宋"
    )


def model_texts(doc: BaseModel) -> list[str]:
    """Every string a document model holds (what the .docx may print)."""
    out: list[str] = []
    stack: list[object] = [doc.model_dump(mode="json")]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            stack.extend(v for k, v in value.items() if k != "seal_image")
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return out
