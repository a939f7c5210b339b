"""Images an input names (the seal): only a real PNG or JPEG of sane size ever gets in.

The path comes from the input file, which anyone may have written; without
this check any readable file (a system file, a text file) would be copied
into the .docx as an "image" and the PDF writer would die in PIL. The image
is decoded in full here, at ``check`` time, so render never meets a bad one.
"""

from __future__ import annotations

from pathlib import Path

from docgen.problems import Problem

SEAL_FIELD = "signature.seal_image（署名方式.印章图片）"
MAX_BYTES = 10_000_000  # a scanned seal is tens of KB; a photo a few MB
MAX_SIDE = 6_000  # pixels: 42 mm at 3,600 dpi
MAX_PIXELS = 25_000_000  # decoded RGBA ≈ 100 MB at most
FORMATS = {"PNG": "png", "JPEG": "jpeg"}


def check_image(path: Path, field: str = SEAL_FIELD, file: str = "") -> Problem | None:
    """None if ``path`` is a PNG or JPEG that decodes and is of sane size; else the problem."""
    shown = str(path) if len(str(path)) <= 80 else "…" + str(path)[-60:]

    def problem(what: str) -> Problem:
        return Problem(f"印章图片“{shown}”{what}", field=field, file=file)

    try:
        if path.is_dir():
            return problem("是一个文件夹；请填写 PNG 或 JPEG 图片文件")
        if path.exists() and not path.is_file():
            return problem("不是普通文件（可能是设备或管道）；请填写 PNG 或 JPEG 图片文件")
        if not path.is_file():
            return problem("不存在（相对路径按输入文件所在文件夹查找）")
        size = path.stat().st_size
    except OSError:
        return problem("无法读取")
    if size == 0:
        return problem("是空文件")
    if size > MAX_BYTES:
        return problem(f"过大（{size / 1e6:.0f} MB，最多 {MAX_BYTES // 1_000_000} MB）")
    from PIL import Image

    try:
        with Image.open(path) as img:
            if img.format not in FORMATS:
                kind = f"{img.format} 图片" if img.format else "不是图片"
                return problem(f"是{kind}；只接受 PNG 或 JPEG")
            w, h = img.size
            if w < 8 or h < 8 or max(w, h) > MAX_SIDE or w * h > MAX_PIXELS:
                return problem(f"尺寸 {w}×{h} 像素不合理；请用边长 8–{MAX_SIDE} 像素的印章图片")
            img.load()  # decode it all now: a truncated or damaged file fails here, not in render
    except OSError:
        return problem("不是 PNG 或 JPEG 图片，或文件已损坏；请重新导出印章图片")
    except (Image.DecompressionBombError, ValueError, SyntaxError, MemoryError):
        return problem("无法解码；请重新导出为 PNG 或 JPEG")
    except Exception:  # noqa: BLE001 - any decoder failure is a bad image, said in one line
        return problem("无法解码；请重新导出为 PNG 或 JPEG")
    return None


def seal_path(doc: object, base_dir: Path | None) -> Path | None:
    """The seal image the document names, resolved against the input's folder."""
    sig = getattr(doc, "signature", None)
    if sig is None or not getattr(sig, "seal_image", None):
        return None
    path = Path(sig.seal_image)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    return path


def check_seal(doc: object, base_dir: Path | None, file: str = "") -> list[Problem]:
    path = seal_path(doc, base_dir)
    if path is None:
        return []
    found = check_image(path, file=file)
    return [found] if found else []
