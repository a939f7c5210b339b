"""发文字号: agency code + 〔year〕 + sequence + 号, e.g. 高政办函〔2025〕18号 [7.2.4]."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

_OPEN = "〔[(（【﹝［"
_CLOSE = "〕])）】﹞］"
_FORM = re.compile(
    rf"^\s*(?P<code>.*?)\s*(?P<open>[{re.escape(_OPEN)}])\s*(?P<year>\d+)\s*"
    rf"(?P<close>[{re.escape(_CLOSE)}])\s*(?P<di>第?)\s*(?P<seq>\d+)\s*(?P<hao>号?)\s*$"
)
EXAMPLE = "高政办函〔2025〕18号"


class DocNumberError(ValueError):
    """A number that cannot be read; the message says what to write instead."""


class DocNumber(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(..., min_length=1, description="机关代字，如 高政办函")
    year: int = Field(..., ge=1000, le=9999, description="年份，写全")
    seq: int = Field(..., ge=1, description="发文顺序号，不加“第”，不编虚位")

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        return f"{self.code}〔{self.year}〕{self.seq}号"

    @classmethod
    def parse(cls, text: str) -> tuple[DocNumber, list[str]]:
        """Read a number; brackets other than 〔〕 are normalised with a warning."""
        m = _FORM.match(text)
        if not m:
            raise DocNumberError(
                f"发文字号“{text}”无法识别；应写成 机关代字〔年份〕序号号，如 {EXAMPLE}"
            )
        warnings: list[str] = []
        if not m["code"]:
            raise DocNumberError(f"发文字号“{text}”缺少机关代字；应写成如 {EXAMPLE}")
        if len(m["year"]) != 4:
            raise DocNumberError(
                f"发文字号“{text}”的年份应写全 4 位，如〔2025〕，不能写〔{m['year']}〕"
            )
        if m["di"]:
            raise DocNumberError(
                f"发文字号“{text}”的序号前不加“第”，应写成如 {m['code']}〔{m['year']}〕{int(m['seq'])}号"
            )
        if m["seq"].startswith("0"):
            raise DocNumberError(
                f"发文字号“{text}”的序号不编虚位（不写 01、001），应写成 {m['code']}〔{m['year']}〕{int(m['seq'])}号"
            )
        if not m["hao"]:
            raise DocNumberError(
                f"发文字号“{text}”的序号后缺少“号”，应写成 {m['code']}〔{m['year']}〕{m['seq']}号"
            )
        if m["open"] != "〔" or m["close"] != "〕":
            warnings.append(f"发文字号“{text}”中的年份应使用六角括号〔〕，已改为〔{m['year']}〕")
        number = cls(code=m["code"], year=int(m["year"]), seq=int(m["seq"]))
        return number, warnings


def _coerce(value: object) -> object:
    """Strings become a DocNumber; errors raise and pydantic reports them.

    Normalisation warnings are not kept here: the type rules re-read the
    input text with :meth:`DocNumber.parse` and report them per document.
    """
    if isinstance(value, str):
        number, _warnings = DocNumber.parse(value)
        return number
    return value


# Input is text (高政办函〔2025〕18号); the schema says so.
DocNumberField = Annotated[
    DocNumber,
    BeforeValidator(_coerce),
    WithJsonSchema({"type": "string", "examples": ["高政办函〔2025〕18号"]}),
]
