"""What a batch is asked to do and what it gives back: options, jobs, results, refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.models.meeting import AgreedItem
from docgen.problems import Problem
from docgen.registry import (
    Issued,
)


class BatchRefused(DocgenError):
    """The run would overwrite or re-issue something; said in Chinese, nothing was written."""


class Interrupted(KeyboardInterrupt):
    """Ctrl+C during rendering; the message says what is done and how to go on.

    ``remedy`` as :class:`~docgen.errors.DocgenError`'s: how the caller goes on.
    """

    def __init__(self, message: str = "", *, remedy: str | None = None):
        super().__init__(message)
        self.remedy = remedy


def _reason(exc: BaseException) -> str:
    """Why rendering stopped, in words an office can act on (never an exception's English)."""
    import errno
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, BrokenProcessPool):
        return "并行生成的进程意外退出，多为内存不足；可改为单进程生成后重试"
    if isinstance(exc, OSError):
        said = {
            errno.ENOSPC: "磁盘已满",
            errno.EACCES: "输出文件夹没有写入权限",
            errno.EROFS: "输出位置只读",
            errno.ENAMETOOLONG: "文件名过长",
        }.get(exc.errno or 0, "读写文件出错")
        return f"{said}：{exc.filename}" if exc.filename else said
    if isinstance(exc, MemoryError):
        return "内存不足"
    return "排版时出现内部错误，请把输入文件交技术人员检查"


@dataclass
class BatchOptions:
    meeting: Path
    outdir: Path
    items: Path | None = None  # overrides the meeting's items_file / items
    per: str = "item"  # "item": one notice per lead unit per item; "unit": one per unit
    formats: tuple[str, ...] = ("pdf", "docx")
    ascii_names: bool = False
    zip: bool = False
    skip_invalid: bool = False
    resume: bool = False
    force: bool = False  # another --per mode for a meeting already batched: its notices withdrawn
    registry: Path | None = None
    new_registry: bool = False  # create the register at ``registry`` if it does not exist
    jobs: int = 0  # 0 → one per CPU core
    code: str | None = None
    contact: str | None = None
    phone: str | None = None
    date: dt.date | None = None
    minutes: bool = True  # also render the 纪要
    profile: Path | None = None
    fonts: list[str] = field(default_factory=list)  # ROLE=FILE, as render's --font
    template: Path | None = None
    progress: bool | None = None  # None → only when stderr is a terminal
    cut_fonts: bool = True  # cut each font to the batch's characters once (fonts.subset_fontset)
    strict: bool = False  # 核稿 findings stop the batch
    on_progress: Callable[[int, int], None] | None = None  # (done, total): the web's progress bar


@dataclass
class Job:
    """One document to render and the file names it gets."""

    key: str
    kind: str  # "minutes" / "supervision"
    doc: Any
    stem: str
    items: list[AgreedItem] = field(default_factory=list)
    unit: str = ""
    issued: Issued | None = None
    content: str = ""  # content_hash(): what the files say, for --resume

    def names(self, formats: Iterable[str]) -> dict[str, str]:
        return {fmt: f"{self.stem}.{fmt}" for fmt in formats}


@dataclass
class FileResult:
    name: str
    sha256: str
    size: int


@dataclass
class JobResult:
    key: str
    files: dict[str, FileResult]
    pages: int = 0
    notes: list[str] = field(default_factory=list)
    skipped: bool = False  # resumed: the file on disk already matched its recorded hash


@dataclass
class BatchResult:
    outdir: Path
    jobs: list[Job]
    results: dict[str, JobResult]
    warnings: list[Problem]
    seconds: float
    rendered: int
    skipped: int
    manifest: Path
    ledger: Path
    archive: Path | None = None
    phases: dict[str, float] = field(default_factory=dict)  # seconds per stage, for benchmarks
    main_cpu: dict[str, float] = field(default_factory=dict)  # this process's CPU seconds a stage
    workers: list[str] = field(default_factory=list)  # what each worker process did (--timing)

    @property
    def notices(self) -> list[Job]:
        return [j for j in self.jobs if j.kind == "supervision"]
