"""The parts every kind of document is built from.

Input keys are English snake_case with the Chinese names as aliases; both
spellings are a public interface, so do not rename them. Each part is a
mixin of fields: a kind is the sum of its parts, declared once here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from docgen.models.base import Part
from docgen.models.tables import Block, number_tables
from docgen.text.docnumber import DocNumber, DocNumberField


def _as_paragraphs(value: object) -> object:
    """A string is one paragraph a line (blank lines dropped); a list is kept."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [
            p.strip() if isinstance(p, str) else p
            for p in value
            if not (isinstance(p, str) and not p.strip())
        ]
    return value


def _as_names(value: object) -> object:
    """Names may be given as a list or as one string split on 、，,;；."""
    if isinstance(value, str):
        return [n.strip() for n in re.split(r"[、，,;；\n]", value) if n.strip()]
    return value


_DATE_FORM = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


_SERIAL = re.compile(r"^\s*(\d{5})(?:\.0*)?\s*$")
# Excel's day numbers for 1954-10-03 … 2119-01-10: a five-digit number in a date
# field is a date Excel lost its format for (a CSV export, a cell set to 常规).
_SERIAL_RANGE = (20_000, 80_000)


def excel_serial_date(value: object) -> dt.date | None:
    """46022 → 2025-12-31 (Excel's 1900 date system, which counts a 29 Feb 1900 that never was)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and _SERIAL.match(value):
        number = float(value)
    else:
        return None
    if not number.is_integer() or not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))


def parse_cn_date(value: object) -> object:
    """2025-09-30, 2025/9/30, 2025.9.30, 2025年9月30日 and Excel's 46022 all mean a day."""
    if isinstance(value, dt.datetime):
        return value.date()
    serial = excel_serial_date(value)
    if serial is not None:
        return serial
    if isinstance(value, str):
        m = _DATE_FORM.match(value)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise ValueError(
                    f"日期“{value}”不存在：{_why_not_a_day(y, mo, d)}；请核对（写法如 2025-07-07）"
                ) from None
    return value


def _why_not_a_day(year: int, month: int, day: int) -> str:
    """What is wrong with a date the calendar lacks, in Chinese (Python says it in English)."""
    import calendar

    if not 1 <= month <= 12:
        return f"没有{month}月（月份应为 1 至 12）"
    if not 1 <= year <= 9999:
        return f"年份 {year} 无效"
    last = calendar.monthrange(year, month)[1]
    return f"{year}年{month}月只有{last}天，没有{day}日"


MAX_TITLE_CHARS = 200
MAX_ATTACHMENTS = 30  # each has its own title to break; a 公文 rarely has more than ten

CnDate = Annotated[dt.date, BeforeValidator(parse_cn_date)]
Paragraphs = Annotated[list[str], BeforeValidator(_as_paragraphs)]
Names = Annotated[list[str], BeforeValidator(_as_names)]
NUMBER_NOTES = "number_notes"  # the validation context's list of (field, note)


def _noted_number(value: object, info: ValidationInfo) -> object:
    """Read a 发文字号 once, here: the notes of what was mended (brackets other than 〔〕)
    go to the validation's context, which the loader reports as warnings, so nothing
    parses the input's number a second time."""
    if not isinstance(value, str):
        return value
    number, notes = DocNumber.parse(value)
    if notes and isinstance(info.context, dict):
        info.context.setdefault(NUMBER_NOTES, []).extend((info.field_name, n) for n in notes)
    return number


# Runs before DocNumberField's own coercion, which then finds a DocNumber.
Number = Annotated[DocNumberField, BeforeValidator(_noted_number)]


# Body text with tables among its paragraphs.
Blocks = Annotated[list[Block], BeforeValidator(_as_paragraphs)]


class Attachment(Part):
    title: str = Field(
        ..., alias="标题", min_length=1, max_length=MAX_TITLE_CHARS, description="附件标题"
    )
    body: Blocks = Field(
        default_factory=list, alias="正文", description="附件正文：一行一段，表格写成 {table: …}"
    )


class Signature(Part):
    """署名：盖章、不盖章或签发人签名章。"""

    mode: Literal["sealed", "unsealed", "stamp"] = Field(
        "sealed",
        alias="方式",
        description="sealed 加盖印章 / unsealed 不加盖印章 / stamp 签发人签名章",
    )
    issuers: Names = Field(
        default_factory=list, alias="署名", description="署名机关，默认同发文机关"
    )
    seal_image: str | None = Field(
        None, alias="印章图片", description="印章图片文件（PNG，透明底）"
    )
    signer_title: str | None = Field(None, alias="签发人职务", description="签名章左侧的职务")
    signer: str | None = Field(
        None, alias="签名", description="签名章上的姓名（无图片时以文字代替）"
    )


class HeadPart(Part):
    """版头：份号、密级、紧急程度、发文机关标志、发文字号、签发人。"""

    copy_no: str | None = Field(
        None, alias="份号", pattern=r"^\d{6}$", description="6 位阿拉伯数字"
    )
    secrecy: Literal["绝密", "机密", "秘密"] | None = Field(None, alias="密级")
    secrecy_term: str | None = Field(None, alias="保密期限", description="如 1年")
    urgency: Literal["特急", "加急"] | None = Field(None, alias="紧急程度")
    issuer: Names = Field(
        ..., alias="发文机关", min_length=1, description="发文机关全称；联合行文时主办机关在前"
    )
    mark: str | None = Field(None, alias="发文机关标志", description="默认由发文机关生成")
    number: Number | None = Field(None, alias="发文字号", description="如 高政办函〔2025〕18号")
    signers: Names = Field(default_factory=list, alias="签发人")


class MainPart(Part):
    """主体：标题、主送机关、正文、附件。"""

    # A 公文 title is one to three lines (about 70 characters); 200 leaves room for any real one
    # and keeps title breaking (text/title.py) well under a second.
    title: str = Field(..., alias="标题", min_length=1, max_length=MAX_TITLE_CHARS)
    recipients: Names = Field(default_factory=list, alias="主送机关")
    body: Blocks = Field(
        ..., alias="正文", min_length=1, description="正文：一行一段，表格写成 {table: …}"
    )
    attachment_list: Names | None = Field(
        None, alias="附件说明", description="附件名称；默认取各附件标题"
    )
    attachments: list[Attachment] = Field(
        default_factory=list, alias="附件", max_length=MAX_ATTACHMENTS
    )

    @model_validator(mode="after")
    def _places(self) -> MainPart:
        """Each table learns its place in the document: its decision's key."""
        number_tables(self)
        return self


class ClosingPart(Part):
    """署名、成文日期、附注。"""

    signature: Signature = Field(default_factory=Signature, alias="署名方式")
    date: CnDate = Field(..., alias="成文日期")
    note: str | None = Field(None, alias="附注", description="如 此件公开发布；请示写联系人和电话")

    @field_validator("note")
    @classmethod
    def _bracket(cls, value: str | None) -> str | None:
        if value and not (value.startswith("（") and value.endswith("）")):
            value = value.strip("()（）")
            return f"（{value}）"
        return value


class ColophonPart(Part):
    """版记：抄送、印发机关和印发日期。"""

    cc: Names = Field(default_factory=list, alias="抄送")
    printer: str | None = Field(None, alias="印发机关", description="默认为发文机关的办公厅（室）")
    print_date: CnDate | None = Field(None, alias="印发日期", description="默认同成文日期")
