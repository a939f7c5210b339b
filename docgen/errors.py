"""The library's own errors: what went wrong, in Chinese, with what a caller needs to word it.

The command line (docgen/cli) and the workbench (docgen/web) each turn these into
their users' words: a flag to add for the one, a field to fill for the other. So a
message here never names a command-line flag; it carries the facts instead.
"""

from __future__ import annotations

import errno


class DocgenError(Exception):
    """Base of the errors docgen raises for its callers to show (never a bug).

    The message says what is wrong and what to do, in words any caller can show.
    ``remedy`` names the way out when the caller has a control for it: the
    command line adds its flag (``resume`` → "加 --resume"), the workbench its
    own words. One of :data:`REMEDIES`, or None.
    """

    def __init__(self, message: str = "", *, remedy: str | None = None):
        super().__init__(message)
        assert remedy is None or remedy in REMEDIES, remedy
        self.remedy = remedy


# What a caller can offer: the command line has a flag for each (cli/common.py).
REMEDIES = frozenset(
    {
        "registry",  # point to the right number register
        "new-registry",  # create the register that is not there
        "resume",  # go on with the last run, its numbers kept
        "jobs",  # render in one process
        "template",  # the Word template given
        "code",  # the 代字 given (shorter, or at all)
        "meeting",  # the meeting file given
        "strict",  # every finding stops the render
        "status",  # the status filter given
        "text",  # the feedback text given
        "reason",  # the reason given
        "font",  # a font file given for a role
        "contact",  # the contact person given
        "phone",  # the contact phone given
        "force",  # do it although it replaces what exists (another --per mode's notices)
    }
)


class ContextError(DocgenError):
    """The render context (profile, fonts, template) cannot be resolved from what was given.

    ``what`` says which value is wrong: ``"profile"`` (the office's profile file),
    ``"font-role"`` (a font given for a role that does not exist), ``"font-file"``
    (a font file that is not there) or ``"fonts"`` (the font set cannot be made).
    ``role`` and ``file`` are the font as given, when a font is at fault.
    """

    def __init__(
        self, message: str, *, what: str, role: str | None = None, file: str | None = None
    ):
        super().__init__(message)
        self.what = what
        self.role = role
        self.file = file


# --- the system's and PyYAML's errors, said in Chinese -------------------------


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.ENOENT: "文件不存在",
        errno.EACCES: "没有读取权限",
        errno.EISDIR: "这是一个文件夹",
    }
    return reasons.get(exc.errno or 0, "读取出错")


# PyYAML's usual problems, in Chinese; anything else gets a general phrase, never English.
_YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现“冒号+空格”；含冒号的文字请整段加引号",
    "could not find expected ':'": "缺少“: ”；每行应写成“字段: 值”",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found undefined alias": "引用了未定义的锚点（*名称 之前须有 &名称）",
    "found unknown escape character": "引号中的反斜杠 \\ 用法不对；路径请用单引号或正斜杠",
    "found unexpected end of stream": "引号或括号没有闭合",
    "did not find expected key": "缩进不一致或列表项缺少“- ”",
    "expected <block end>, but found": "缩进不一致",
    "found unhashable key": "字段名不能是列表或映射",
    "did not find expected node content": "缺少内容",
    "found a tab character": "不能用 Tab 键缩进，请改用空格",
}


def yaml_error_text(exc: Exception) -> str:
    """A PyYAML error as a Chinese phrase with its line and column (for every YAML file read)."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
    return where + yaml_problem(str(getattr(exc, "problem", "") or ""))


def os_error_text(exc: OSError) -> str:
    """Why a file could not be read, in Chinese (the system says it in English)."""
    return _os_reason(exc)


def yaml_problem(problem: str) -> str:
    for key, said in _YAML_PROBLEMS.items():
        if problem.startswith(key) or key in problem:
            return said
    return "写法不符合 YAML 规则（检查缩进、冒号后的空格和引号）"
