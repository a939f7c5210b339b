"""Problems found in an input, said in Chinese, each naming where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, row, field) and what to do."""

    message: str
    field: str = ""
    file: str = ""
    row: int | None = None
    severity: Severity = "error"
    # The way out when the caller has a control for it (docgen.errors.REMEDIES): the
    # command line adds its flag, the workbench its own words. Not part of the text.
    remedy: str | None = None

    def __str__(self) -> str:
        where = [
            p
            for p in (self.file, f"第{self.row}行" if self.row is not None else "", self.field)
            if p
        ]
        label = "错误" if self.severity == "error" else "提醒"
        message = self.message
        if len(message) > MAX_MESSAGE_CHARS or "\n" in message:
            # The last guard: whatever a message quotes, it stays one readable line.
            message = excerpt(message, MAX_MESSAGE_CHARS)
        return f"{label}：{'，'.join(where)}：{message}" if where else f"{label}：{message}"

    def located(self, file: str = "", row: int | None = None) -> Problem:
        return Problem(
            self.message,
            self.field,
            file or self.file,
            row if row is not None else self.row,
            self.severity,
            self.remedy,
        )


class InputError(Exception):
    """Raised with every error of an input at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


EXCERPT_CHARS = 40
MAX_MESSAGE_CHARS = 400


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, bounded rendering of any input value for a message.

    Never ``str()`` of the whole value: a 350-byte YAML of nested aliases is
    gigabytes when printed. Containers are walked only as far as ``limit``.
    """
    out: list[str] = []
    budget = [limit]

    def put(text: str) -> None:
        if budget[0] > 0:
            out.append(text[: budget[0]])
        budget[0] -= len(text)

    def walk(v: object, depth: int) -> None:
        if budget[0] <= 0:
            return
        if isinstance(v, (list, tuple)):
            put("[")
            for i, x in enumerate(v):
                if budget[0] <= 0 or depth > 3:
                    break
                if i:
                    put(", ")
                walk(x, depth + 1)
            put("]")
        elif isinstance(v, dict):
            put("{")
            for i, (k, x) in enumerate(v.items()):
                if budget[0] <= 0 or depth > 3:
                    break
                if i:
                    put(", ")
                put(f"{str(k)[:limit]}: ")
                walk(x, depth + 1)
            put("}")
        elif isinstance(v, str):
            put(v)
        else:
            put(str(v)[: limit + 1])

    walk(value, 0)
    text = "".join(out)
    # Line breaks and control characters would split the one-line message.
    text = "".join(c if c.isprintable() else " " for c in text)
    return text + "…" if budget[0] < 0 else text


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]
