"""Output file names: readable Chinese by default, ASCII pinyin on request.

Chinese names are what an office wants to see in its folders
(督办单-高文联办督〔2025〕3号-市公安局.pdf); the ASCII variant is for mail
gateways, old zip tools and servers that mangle non-ASCII names.
"""

from __future__ import annotations

import re
import unicodedata

# Forbidden on Windows (and / everywhere); control characters too.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_STEM = 120  # well under the 255-byte limit even at 3 bytes a character


def safe(text: str) -> str:
    text = _UNSAFE.sub("_", text.strip())
    return text.rstrip(" .")[:MAX_STEM] or "_"


def ascii_slug(text: str) -> str:
    """Pinyin without tones, one word per Chinese run: 市公安局 → shigonganju, 〔2025〕3号 → 2025-3-hao."""
    from pypinyin import Style, lazy_pinyin

    parts: list[str] = []
    for token in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+", text):
        if token[0].isascii():
            parts.append(token.lower())
        else:
            parts.append("".join(lazy_pinyin(token, style=Style.NORMAL)))
    slug = "-".join(p for p in parts if p)
    # ü comes out as "v" in NORMAL style already; drop anything else non-ASCII.
    slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode()
    return slug[:MAX_STEM] or "x"


_NUMBER = re.compile(r"^(.+)〔(\d{4})〕(\d+)号$")


def notice_stem(number: str, unit: str, *, ascii_names: bool = False) -> str:
    if ascii_names:
        m = _NUMBER.match(number)
        num = f"{ascii_slug(m[1])}-{m[2]}-{m[3]}" if m else ascii_slug(number)
        return f"duban-{num}-{ascii_slug(unit)}"
    return safe(f"督办单-{number}-{unit}")


def minutes_stem(mark: str, issue_no: int, *, ascii_names: bool = False) -> str:
    if ascii_names:
        return f"jiyao-{ascii_slug(mark)}-di{issue_no}qi"
    return safe(f"纪要-{mark}-第{issue_no}期")


MANIFEST = "manifest.csv"


def ledger_name(ascii_names: bool = False) -> str:
    return "duban-taizhang.xlsx" if ascii_names else "督办台账.xlsx"


def zip_name(ascii_names: bool = False) -> str:
    return "duban-wenjian.zip" if ascii_names else "督办文件.zip"
