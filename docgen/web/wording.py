"""The library's messages say what to do at the command line (“加 --resume”); the pages say
what to click. One place turns the one into the other, for every message a page shows."""

from __future__ import annotations

import re

from docgen.problems import Problem

# (pattern, replacement), tried in order; the flags a command line offers, as the pages offer them.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"用同样的命令加 --resume 继续", "点“继续生成”即可沿用这些文号继续"),
    (r"排除问题后用 --resume 继续", "排除问题后点“继续生成”"),
    (
        r"继续上次的批次请加 --resume（沿用已发文号，跳过已完成的文件），或换一个输出文件夹",
        "请点“继续生成”（沿用已发文号，跳过已完成的文件）",
    ),
    (r"；?可加 --jobs 1 重试", "；请稍后重试"),
    (r"或用 --code 指定", "或在“督办单代字”中填写"),
    (r"或用 --contact 指定", "或在“联系人”中填写"),
    (r"或用 --phone 指定", "或在“联系电话”中填写"),
    (r"请缩短 --code（代字）", "请缩短督办单代字"),
    (r"或在命令行给出表格", "或上传议定事项表"),
    (
        r"请用 --code 指定（如 (\S+?)），或用 --meeting 指向会议文件并在其 supervision: 中填写 remind_code",
        r"请在“催办单代字”中填写（如 \1）",
    ),
    (r"请用 --text 写明", "请写明"),
    (r"请用 --reason 写明", "请写明"),
    (r"（--template）", ""),
    (r"--resume", "“继续生成”"),
)


# A library error's remedy (docgen.errors.REMEDIES), said as the pages offer it.
REMEDY_WORDS = {
    "resume": "点“继续生成”即可沿用已发文号继续",
    "jobs": "请稍后重试",
    "code": "请在“代字”一栏填写",
    "contact": "请在“联系人”一栏填写",
    "phone": "请在“联系电话”一栏填写",
    "text": "请写明办理情况",
    "reason": "请写明原因",
    "meeting": "请上传会议文件或选用纪要草稿",
    "registry": "请检查数据文件夹中的文号登记簿（registry.sqlite3）",
    "new-registry": "请检查数据文件夹中的文号登记簿（registry.sqlite3）",
}


def error_for_clerk(exc: BaseException) -> str:
    """A library error's message with its remedy in the pages' words (no command-line flag)."""
    message = for_clerk(str(exc))
    words = REMEDY_WORDS.get(str(getattr(exc, "remedy", None) or ""))
    return f"{message}；{words}" if words and words not in message else message


def for_clerk(message: str) -> str:
    """``message`` without command-line wording."""
    for pattern, replacement in _PHRASES:
        message = re.sub(pattern, replacement, message)
    return message


def problem_for_clerk(problem: Problem) -> Problem:
    from dataclasses import replace

    return replace(problem, message=for_clerk(problem.message))
