"""A model sent by a page → problems, PDF, .docx or a page image, through the CLI's own pipeline.

What is web-specific here is only what a request must not do: name a file
on the server. A seal image is uploaded first and referred to by the name
the server gave it; an ``items_file`` or a units file is refused.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docgen.pipeline import Rendered
from docgen.problems import InputError, Problem
from docgen.web.config import WebConfig
from docgen.web.workers import WorkerPool

SEAL_NAME = re.compile(r"seal-[0-9a-f]{32}\.png")
SOURCE_NAME = "网页输入"  # stands for the input file in paths; removed from messages
_CACHE_SIZE = 24  # rendered documents kept for the preview's next pages and downloads


class RenderFailed(Exception):
    """The layout or a writer failed on input that passed every check; said in Chinese."""


@dataclass
class Checked:
    doc: Any  # truthy once the model is valid (the model itself stays in the worker)
    problems: list[Problem]
    findings: list[Any] = field(default_factory=list)  # 核稿 (docgen.proof.Finding)


def problem_json(p: Problem) -> dict[str, Any]:
    """A problem as the API gives it: the CLI's line in ``text``, and the form field in ``path``."""
    from docgen.web.wording import for_clerk

    return {
        "message": for_clerk(p.message),
        "field": p.field,
        "path": field_path(p.field),
        "row": p.row,
        "severity": p.severity,
        "text": for_clerk(str(p)),
    }


def finding_json(f: Any) -> dict[str, Any]:
    """A 核稿 finding in the same shape, with its paragraph, quote and suggestion."""
    return {
        "message": f.message,
        "field": f.field,
        "path": field_path(f.field),
        "row": None,
        "severity": f.severity,
        "text": str(f),
        "check": f.check,
        "paragraph": f.paragraph,
        "quote": f.quote,
        "suggestion": f.suggestion,
    }


def field_path(field: str) -> str | None:
    """'attachments[2].title（附件[2].标题）' → 'attachments.1.title', the page's input name."""
    english = field.split("（", 1)[0].strip()
    if not english or not re.fullmatch(r"[A-Za-z_][\w.\[\]]*", english):
        return None
    parts: list[str] = []
    for name, index in re.findall(r"([A-Za-z_]\w*)(?:\[(\d+)\])?", english):
        parts.append(name)
        if index:
            parts.append(str(int(index) - 1))
    return ".".join(parts)


def _get(mapping: dict[str, Any], *keys: str) -> tuple[str | None, Any]:
    for key in keys:
        if key in mapping:
            return key, mapping[key]
    return None, None


class Workbench:
    """Checks and renders for one server, in its worker processes; a small cache of results."""

    def __init__(self, config: WebConfig, pool: WorkerPool):
        from docgen.context import resolve_context

        resolve_context()  # a ContextError (bundled fonts gone) stops the server's start
        self.config = config
        self.pool = pool
        self._lock = threading.Lock()  # guards the cache only; the work runs in the workers
        self._cache: OrderedDict[str, Rendered] = OrderedDict()

    # --- input --------------------------------------------------------------------

    def prepare(self, data: Any) -> dict[str, Any]:
        """A private copy of the model with server-side names resolved; InputError if it names a file."""
        if not isinstance(data, dict):
            raise InputError([Problem("应为一个 JSON 对象（“字段: 值”形式的映射）")])
        data = copy.deepcopy(data)
        problems: list[Problem] = []
        key, _ = _get(data, "items_file", "议定事项文件")
        if key:
            problems.append(
                Problem(
                    "网页中不能引用服务器上的文件：请直接填写议定事项，或在“纪要与督办”页上传表格",
                    field="items_file（议定事项文件）",
                )
            )
        _, block = _get(data, "supervision", "督办")
        if isinstance(block, dict) and _get(block, "units_file", "成员单位名录")[0]:
            problems.append(
                Problem(
                    "网页中不能引用服务器上的文件：成员单位名录请在“纪要与督办”页上传",
                    field="supervision.units_file（督办.成员单位名录）",
                )
            )
        _, signature = _get(data, "signature", "署名方式")
        if isinstance(signature, dict):
            skey, seal = _get(signature, "seal_image", "印章图片")
            if skey and seal:
                path = self.seal_path(str(seal))
                if path is None:
                    problems.append(
                        Problem(
                            f"印章图片“{str(seal)[:40]}”不是本页上传的图片；请用“上传印章图片”选择文件",
                            field="signature.seal_image（署名方式.印章图片）",
                        )
                    )
                else:
                    signature[skey] = str(path)
        if problems:
            raise InputError(problems)
        return data

    def seal_path(self, name: str) -> Path | None:
        if not SEAL_NAME.fullmatch(name):
            return None
        from docgen.web.store import served

        path = self.config.seals_dir / name
        # A link placed among the seals would lead out of the data folder: not followed.
        return path if served(self.config.seals_dir, path) else None

    def check(self, data: Any, proofread: bool = True) -> Checked:
        """Every problem of a model (errors and warnings) and, once it is valid, the 核稿
        findings, as `docgen check` gives them; never raises for bad input."""
        try:
            prepared = self.prepare(data)
        except InputError as exc:
            return Checked(None, exc.problems)
        result = self.pool.run("check", prepared, str(self.config.data_dir), proofread)
        return Checked(result["valid"] or None, result["problems"], result["findings"])

    # --- output -------------------------------------------------------------------

    def render(self, data: Any, fmt: str, double_sided: bool | None = None) -> Rendered:
        """The document as ``fmt`` (pdf or docx); InputError with the CLI's problems if invalid.
        ``double_sided``: printed on both sides (None: as the office's profile says)."""
        prepared = self.prepare(data)
        key = hashlib.sha256(
            json.dumps(
                [fmt, double_sided, prepared], sort_keys=True, ensure_ascii=False, default=str
            ).encode()
        ).hexdigest()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        result: Rendered = self.pool.run(
            "render", prepared, fmt, str(self.config.data_dir), double_sided
        )
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def page_image(
        self, data: Any, page: int, double_sided: bool | None = None
    ) -> tuple[bytes, Rendered]:
        """Page ``page`` of the PDF as PNG, and the rendered PDF (its pages, its notes)."""
        rendered = self.render(data, "pdf", double_sided)
        return self.pool.run("page_png", rendered.files["pdf"], page), rendered


def model_yaml(data: dict[str, Any]) -> bytes:
    """The model as the YAML input file `docgen render` reads (server names of seals left out)."""
    data = copy.deepcopy(data)
    _, signature = _get(data, "signature", "署名方式")
    if isinstance(signature, dict):
        skey, seal = _get(signature, "seal_image", "印章图片")
        if skey and seal:
            signature[skey] = "印章.png"  # the clerk keeps the image beside the YAML
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return ("# docgen 输入文件：docgen render 本文件 -o 输出夹\n" + text).encode("utf-8")
