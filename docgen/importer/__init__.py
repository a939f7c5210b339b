"""Drafts in: a .docx typed in Word/WPS, or text pasted from a PDF → a model and a recognition report.

    result = import_draft("请示.docx")          # or bytes with name=…
    result.data    # the model's input mapping (English keys, JSON-friendly), as samples/ write it
    result.report  # each part found or missing and from which paragraph; every paragraph's role
    result.yaml()  # the model file with a Chinese comment on each part

The workbench (拟文 page) and the CLI call this same function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.importer.report import Report
from docgen.importer.source import Draft, DraftError

# The readers and the recogniser are imported when a draft is read: a
# `docgen render x.yaml` does not pay for python-docx and opencc.
KIND_LABEL = {"letter": "函", "request": "请示", "minutes": "纪要"}

DRAFT_SUFFIXES = (
    ".docx",
    ".docm",
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".doc",
    ".wps",
    ".wpt",
    ".dot",
    ".dotx",
    ".dotm",
)
_OLD_FORMATS = {
    ".doc": "Word 97-2003 文档（.doc）",
    ".dot": "Word 97-2003 模板（.dot）",
    ".wps": "WPS 文字文档（.wps）",
    ".wpt": "WPS 模板（.wpt）",
}
KINDS = tuple(KIND_LABEL)

__all__ = [
    "DRAFT_SUFFIXES",
    "DraftError",
    "Imported",
    "draft_to_model",
    "import_draft",
    "is_draft",
    "text_paragraphs",
]


@dataclass
class Imported:
    data: dict[str, Any]
    report: Report

    def yaml(self) -> str:
        from docgen.importer.yamlout import to_yaml

        return to_yaml(self.data, self.report)

    def model_dict(self) -> dict[str, Any]:
        """The data with dates as ISO text: JSON for the workbench."""
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.data.items()}


def is_draft(path: Path) -> bool:
    return path.suffix.lower() in DRAFT_SUFFIXES


def import_draft(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    kind: str | None = None,
    fill: dict[str, Any] | None = None,
    keep_revisions: bool = False,
) -> Imported:
    """Read a draft and recognise its parts. Raises DraftError (one Chinese line) on bad input.

    ``fill`` gives values for what a draft cannot tell: number, signers, issuer.
    A .docx's tracked changes are accepted and its comments left out, and the
    report says how many; ``keep_revisions`` refuses a draft with revisions instead.
    """
    if isinstance(source, bytes):
        data = source
        name = name or "草稿"
    else:
        from docgen.wordfile import WordFileError, read_bytes

        path = Path(source)
        name = name or str(path)
        if not path.suffix.lower().startswith((".doc", ".dot")):
            try:
                if path.stat().st_size > MAX_TEXT_BYTES:
                    raise DraftError(_too_big(name, path.stat().st_size))
            except OSError:
                pass  # said by read_bytes, in its words
        try:
            data = read_bytes(path)
        except WordFileError as exc:
            raise DraftError(f"{name}：{exc}") from None
    draft = read(data, name)  # refuses a bad file before the recogniser is even imported
    from docgen.importer.build import build_data, guess_kind
    from docgen.importer.recognise import recognise

    if keep_revisions and draft.revisions:
        raise DraftError(
            f"{name}：草稿中有 {draft.revisions} 处修订尚未处理；请在 Word 或 WPS 中"
            "“审阅”→接受或拒绝修订后再导入（不加 --keep-revisions 则自动接受全部修订）"
        )
    report = Report(file=name, revisions=draft.revisions, comments=draft.comments)
    found = recognise(draft, report)
    report.warnings = list(draft.warnings)
    if draft.revisions or draft.comments:
        report.warnings.insert(0, report.revisions_said())
    report.notes[:0] = report.warnings + draft.notes
    if kind:
        if kind not in KINDS:
            raise DraftError(
                f"--kind 只能是 {'、'.join(f'{k}（{v}）' for k, v in KIND_LABEL.items())}，现为“{kind}”"
            )
        report.kind, report.kind_reason = kind, f"{KIND_LABEL[kind]}（--kind 指定）"
    else:
        report.kind, report.kind_reason = guess_kind(found)
    fill = {k: v for k, v in (fill or {}).items() if v}
    model = build_data(found, report.kind, report, fill)
    return Imported(model, report)


def read(data: bytes, name: str) -> Draft:
    """The draft's paragraphs, by what the file is (its bytes first, its name second)."""
    from docgen.importer.read_text import read_text
    from docgen.wordfile import what_it_is
    from docgen.ziplimit import DOCX, zip_problem

    suffix = Path(name).suffix.lower()
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DraftError(f"{name}：文件是空的，没有可导入的内容")
    if data.startswith(b"PK"):
        bomb = zip_problem(data, DOCX)  # before python-docx and the reader are loaded
        if bomb:
            raise DraftError(f"{name}：{bomb}")
        from docgen.importer.read_docx import read_docx

        return _checked(read_docx(data, name))
    if suffix in _OLD_FORMATS:
        raise DraftError(
            f"{name}：这是{_OLD_FORMATS[suffix]}，docgen 读不了；请在 Word 或 WPS 中打开，"
            "“另存为”Word 文档（.docx）后再导入"
        )
    said = what_it_is(data)
    if said:
        raise DraftError(f"{name}：{said}")
    if suffix in (".docx", ".docm", ".dotx", ".dotm"):
        from docgen.importer.read_docx import read_docx

        return read_docx(data, name)  # says it is damaged
    if len(data) > MAX_TEXT_BYTES:
        raise DraftError(_too_big(name, len(data)))
    return read_text(data, name, markdown=suffix in (".md", ".markdown"))


MAX_TEXT_BYTES = 2_000_000  # a 公文's text is some 10-100 KB; a text draft past this is no draft
MAX_DRAFT_CHARS = 1_000_000  # characters read from a .docx (the rendered model allows 200,000)


def _too_big(name: str, size: int) -> str:
    return (
        f"{name}：文本草稿过大（约 {size / 1_000_000:.1f} MB，最多 {MAX_TEXT_BYTES // 1_000_000} MB）；"
        "一份公文的文字通常不到 100 KB，请确认选对了文件"
    )


def _checked(draft: Draft) -> Draft:
    chars = sum(
        len(p.text) + (sum(len(c) for r in p.table.rows for c in r) if p.table else 0)
        for p in draft.paras
    )
    if chars > MAX_DRAFT_CHARS:
        raise DraftError(
            f"{draft.name}：草稿有约 {chars // 10_000} 万字，远超一份公文；请确认选对了文件"
        )
    return draft


def draft_to_model(
    source: str | Path | bytes, *, name: str | None = None, kind: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """For the workbench's 拟文 page: a draft → (model dict for the form, report dict).

    The report dict has ``parts`` (each found or missing, with where), ``paragraphs``
    (every paragraph of the draft with its role and the field it went to), ``gaps``,
    ``unplaced`` and ``notes``. Raises DraftError with one Chinese line on bad input.
    """
    result = import_draft(source, name=name, kind=kind)
    return result.model_dict(), result.report.as_dict()


def text_paragraphs(text: str) -> list[str]:
    """For the workbench: text typed or pasted into the 正文 box → paragraphs, joined and
    cleaned by the same rules as a pasted draft (see docgen.importer.reflow)."""
    from docgen.importer.reflow import reflow_text

    return reflow_text(text)
