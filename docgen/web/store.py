"""Files the workbench keeps: drafts and seal images, each under a name the server chose.

A request names a stored thing only by an identifier matching ``ID`` (or a
seal name matching service.SEAL_NAME); anything else is “not found”, so no
request path ever becomes a file-system path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.fileio import atomic_write
from docgen.problems import InputError, Problem

ID = re.compile(r"[0-9a-f]{32}")
MAX_SEAL_PIXELS = 4000 * 4000  # a scanned seal at 600 dpi is ~1000 px; this is generous


def served(folder: Path, path: Path) -> bool:
    """True for a regular file inside ``folder``: never a link placed in the data folder
    (to /etc/passwd, say), nor anything a link would lead out of the folder to."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def new_id() -> str:
    return uuid.uuid4().hex


def valid_id(value: str) -> bool:
    return bool(ID.fullmatch(value))


@dataclass
class DraftInfo:
    id: str
    kind: str
    title: str
    saved_at: str


class Drafts:
    """One JSON file a draft in the data folder's drafts/."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, draft_id: str) -> Path | None:
        return self.folder / f"{draft_id}.json" if valid_id(draft_id) else None

    def save(self, model: dict[str, Any], draft_id: str | None = None) -> DraftInfo:
        if draft_id is not None and not valid_id(draft_id):
            raise KeyError(draft_id)
        info = DraftInfo(
            id=draft_id or new_id(),
            kind=str(model.get("kind", model.get("类型", ""))),
            title=str(model.get("title") or model.get("标题") or model.get("meeting") or "")[:200],
            saved_at=dt.datetime.now().isoformat(timespec="seconds"),
        )
        record = {**info.__dict__, "model": model}
        atomic_write(
            self.folder / f"{info.id}.json",
            json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"),
        )
        return info

    def load(self, draft_id: str) -> dict[str, Any]:
        path = self._path(draft_id)
        if path is None or not served(self.folder, path):
            raise KeyError(draft_id)
        return json.loads(path.read_text("utf-8"))

    def delete(self, draft_id: str) -> None:
        path = self._path(draft_id)
        if path is None or not path.is_file():
            raise KeyError(draft_id)
        path.unlink()

    def list(self) -> list[DraftInfo]:
        out = []
        for path in self.folder.glob("*.json"):
            if not served(self.folder, path):
                continue
            try:
                record = json.loads(path.read_text("utf-8"))
                out.append(
                    DraftInfo(*(str(record[k]) for k in ("id", "kind", "title", "saved_at")))
                )
            except (OSError, ValueError, KeyError):
                continue  # a damaged draft is skipped, not fatal to the list
        return sorted(out, key=lambda d: d.saved_at, reverse=True)


def save_seal(folder: Path, data: bytes) -> str:
    """Check an uploaded image and keep it as PNG; returns the name the model refers to.

    Decoding and re-encoding means what is stored is a picture and nothing else,
    whatever the upload carried.
    """
    from PIL import Image, UnidentifiedImageError

    field = "signature.seal_image（署名方式.印章图片）"
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ("PNG", "JPEG"):
                raise InputError([Problem("印章图片应为 PNG 或 JPEG 图片", field=field)])
            if width * height > MAX_SEAL_PIXELS:
                raise InputError(
                    [
                        Problem(
                            f"印章图片太大（{width}×{height} 像素）；请缩小到 4000×4000 以内",
                            field=field,
                        )
                    ]
                )
            image = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InputError(
            [Problem("无法识别的图片文件；印章图片应为 PNG 或 JPEG", field=field)]
        ) from exc
    out = io.BytesIO()
    image.save(out, "PNG")
    png = out.getvalue()
    name = f"seal-{hashlib.sha256(png).hexdigest()[:32]}.png"
    atomic_write(folder / name, png)
    return name
