"""What every docgen subcommand shares: exit codes, formats, the usage error, common options."""

from __future__ import annotations

import argparse
from pathlib import Path

from docgen.errors import ContextError
from docgen.problems import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C (128 + SIGINT)
FORMATS = ("pdf", "docx", "ofd")


class UsageError(Exception):
    """A command line that cannot run as given: printed as one Chinese line, exit code 2."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", type=Path, help="本单位版式配置（YAML），覆盖规范中的惯例值")
    p.add_argument(
        "--font",
        action="append",
        default=[],
        metavar="ROLE=FILE",
        help="指定字体文件，ROLE 为 xiaobiaosong/fangsong/heiti/kaiti/songti，可多次使用",
    )
    p.add_argument("--template", type=Path, help="自定义 Word 模板（.docx）")


# How the command line offers each remedy (docgen.errors.REMEDIES): its flag.
FLAGS = {
    "registry": "--registry",
    "new-registry": "新建请加 --new-registry",
    "resume": "用同样的命令加 --resume",
    "jobs": "单进程：--jobs 1",
    "template": "--template",
    "code": "--code",
    "meeting": "--meeting",
    "strict": "--strict",
    "status": "--status",
    "text": "--text",
    "reason": "--reason",
    "font": "--font",
    "contact": "--contact",
    "phone": "--phone",
    "force": "确需如此请加 --force",
}


def said(exc: BaseException) -> str:
    """A library error in the command line's words: its message, then the flag that helps."""
    flag = FLAGS.get(getattr(exc, "remedy", None) or "")
    return f"{exc}（{flag}）" if flag else str(exc)


def problem_line(p: Problem) -> str:
    """One problem as the command line prints it, with the flag that helps."""
    flag = FLAGS.get(p.remedy or "")
    return f"{p}（{flag}）" if flag else str(p)


def context_message(exc: ContextError) -> str:
    """A render context that cannot be had, in the command line's words (its flags)."""
    if exc.what in ("font-role", "font-file"):
        return f"--font {exc.role}={exc.file}：{exc}"
    return str(exc)
