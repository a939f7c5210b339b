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

    def __str__(self) -> str:
        where = [
            p
            for p in (self.file, f"第{self.row}行" if self.row is not None else "", self.field)
            if p
        ]
        label = "错误" if self.severity == "error" else "提醒"
        return (
            f"{label}：{'，'.join(where)}：{self.message}" if where else f"{label}：{self.message}"
        )

    def located(self, file: str = "", row: int | None = None) -> Problem:
        return Problem(
            self.message,
            self.field,
            file or self.file,
            row if row is not None else self.row,
            self.severity,
        )


class InputError(Exception):
    """Raised with every error of an input at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]
