"""Output file names: readable Chinese by default, ASCII pinyin on request.

Chinese names are what an office wants to see in its folders
(督办单-高文联办督〔2025〕3号-市公安局.pdf); the ASCII variant is for mail
gateways, old zip tools and servers that mangle non-ASCII names.

Every name docgen makes must be valid on Windows, wherever it runs: a batch
made on a server is zipped and opened on the clerks' PCs. :func:`name_problem`
is the one checker; :func:`safe` makes any text into a stem that passes it.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

# Forbidden on Windows (and / everywhere); control characters too.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Device names Windows reserves in every folder, with any extension (CON.pdf too).
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
MAX_NAME_BYTES = 255  # one path component: ext4 counts UTF-8 bytes, NTFS 255 UTF-16 units
# A stem leaves room for "-99", ".docx" and the ".<name>.XXXXXXXX.tmp" of atomic writes.
MAX_STEM_BYTES = 200
MAX_STEM = 120  # characters, so a long title still reads as a name
WINDOWS_MAX_PATH = 259  # MAX_PATH (260) less the terminating NUL, without long-path support
POSIX_MAX_PATH = 4095


class UnsafeName(ValueError):
    """A file name or path that Windows (or this system) cannot hold; said in Chinese."""


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file name on Windows, in Chinese; None when it can."""
    if name in ("", ".", ".."):
        return "文件名为空"
    bad = sorted(set(_UNSAFE.findall(name)))
    if bad:
        shown = "".join(c if c.isprintable() else "控制字符" for c in bad)
        return f"文件名“{name}”含 Windows 不允许的字符 {shown}"
    if name[-1] in " .":
        return f"文件名“{name}”以空格或句点结尾，Windows 会去掉它们"
    if name.split(".")[0].rstrip(" ").upper() in RESERVED:
        return f"文件名“{name}”是 Windows 保留的设备名"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES or len(name.encode("utf-16-le")) > 2 * 255:
        return f"文件名过长（{len(name.encode('utf-8'))} 字节，上限 {MAX_NAME_BYTES}）"
    return None


def path_limit() -> int:
    return WINDOWS_MAX_PATH if sys.platform == "win32" else POSIX_MAX_PATH


def check_name(name: str) -> str:
    """``name`` unchanged if it is a valid file name; else :class:`UnsafeName`."""
    problem = name_problem(name)
    if problem:
        raise UnsafeName(problem)
    return name


def check_path(path: Path, limit: int | None = None) -> Path:
    """A file docgen is about to write: a valid name, and a whole path within the limit.

    The limit is Windows' MAX_PATH there (Explorer, Word and WPS still fail
    beyond it even where Python would not), the POSIX one elsewhere.
    """
    check_name(path.name)
    limit = path_limit() if limit is None else limit
    _check_length(str(Path(path).absolute()), limit)
    return path


def check_paths(folder: Path, names: Iterable[str]) -> None:
    """check_path for many files of one folder (a batch's thousands): the folder made
    absolute once, not once a file."""
    limit = path_limit()
    base = str(Path(folder).absolute())
    for name in names:
        check_name(name)  # no separators: joined to the folder, it is the file's path
        _check_length(os.path.join(base, name), limit)


def _check_length(full: str, limit: int) -> None:
    if len(full) > limit:
        raise UnsafeName(
            f"路径过长（{len(full)} 个字符，上限 {limit}）：{full}；请换一个层级较浅的输出文件夹"
        )


def _cut_bytes(text: str, limit: int) -> str:
    raw = text.encode("utf-8")[:limit]
    return raw.decode("utf-8", "ignore")


def safe(text: str) -> str:
    """A stem from any text that passes :func:`name_problem` with any extension."""
    text = _UNSAFE.sub("_", text.strip())
    text = _cut_bytes(text[:MAX_STEM], MAX_STEM_BYTES).rstrip(" .") or "_"
    if text.split(".")[0].rstrip(" ").upper() in RESERVED:
        text = f"_{text}"
    return text


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
        return safe(f"duban-{num}-{ascii_slug(unit)}")
    return safe(f"督办单-{number}-{unit}")


def minutes_stem(mark: str, issue_no: int, *, ascii_names: bool = False) -> str:
    if ascii_names:
        return safe(f"jiyao-{ascii_slug(mark)}-di{issue_no}qi")
    return safe(f"纪要-{mark}-第{issue_no}期")


MANIFEST = "manifest.csv"


def ledger_name(ascii_names: bool = False) -> str:
    return "duban-taizhang.xlsx" if ascii_names else "督办台账.xlsx"


def zip_name(ascii_names: bool = False) -> str:
    return "duban-wenjian.zip" if ascii_names else "督办文件.zip"
