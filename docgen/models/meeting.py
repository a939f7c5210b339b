"""纪要 and 督办单: a meeting, its agreed items, and the notices that follow them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from docgen.models.parts import (
    MAX_TITLE_CHARS,
    ClosingPart,
    CnDate,
    ColophonPart,
    Names,
    Number,
    Paragraphs,
    Part,
    parse_cn_date,
)
from docgen.text.docnumber import DocNumber

MAX_ITEM_CHARS = 2000


class AgreedItem(Part):
    """One 议定事项: what was agreed, who leads, who helps, by when."""

    seq: int = Field(..., alias="序号", ge=1)
    # A notice is one page: an item longer than this cannot be a single 议定事项.
    matter: str = Field(..., alias="议定事项", min_length=1, max_length=MAX_ITEM_CHARS)
    lead: Names = Field(..., alias="牵头单位", min_length=1)
    support: Names = Field(default_factory=list, alias="配合单位")
    deadline: CnDate | None = Field(None, alias="完成时限")
    requirement: str | None = Field(None, alias="督办要求", max_length=MAX_ITEM_CHARS)
    extra: dict[str, Any] = Field(
        default_factory=dict, alias="其他", description="表格中的其他列，模板可用"
    )


class Attendee(Part):
    unit: str = Field(..., alias="单位", min_length=1)
    names: Names = Field(default_factory=list, alias="姓名")

    def text(self) -> str:
        return self.unit + ("　" + "、".join(self.names) if self.names else "")


def _attendees(value: object) -> object:
    """ "单位 姓名、姓名" strings, or {unit, names} mappings."""
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, str):
                unit, _, names = v.strip().partition(" ")
                if not names:
                    unit, _, names = v.strip().partition("　")
                out.append({"unit": unit, "names": names})
            else:
                out.append(v)
        return out
    return value


Attendees = Annotated[list[Attendee], BeforeValidator(_attendees)]


class Minutes(ClosingPart, ColophonPart):
    """纪要：记载会议主要情况和议定事项；纪要格式，不加盖印章。"""

    kind: Literal["minutes"] = Field("minutes", alias="类型")
    meeting: str = Field(
        ..., alias="会议名称", description="如 高平市文物保护工作联席会议第一次全体会议"
    )
    mark: str = Field(..., alias="纪要标志", description="如 高平市文物保护工作联席会议纪要")
    issue_no: int = Field(..., alias="期数", ge=1, description="第N期")
    compiler: str = Field(..., alias="编发机关", description="如 高平市文物保护工作联席会议办公室")
    number: Number | None = Field(None, alias="纪要编号", description="供督办单引用，可不填")
    title: str | None = Field(None, alias="标题", max_length=MAX_TITLE_CHARS)
    body: Paragraphs = Field(..., alias="正文", min_length=1, description="会议基本情况")
    items_intro: str = Field("会议议定以下事项：", alias="议定事项引语")
    items: list[AgreedItem] = Field(default_factory=list, alias="议定事项")
    items_file: str | None = Field(
        None, alias="议定事项文件", description="议定事项表格（CSV 或 xlsx）"
    )
    present: Attendees = Field(default_factory=list, alias="出席")
    absent: Attendees = Field(default_factory=list, alias="请假")
    attending: Attendees = Field(default_factory=list, alias="列席")
    distribute: Names = Field(default_factory=list, alias="分送")
    # Practice: minutes are not sealed. (Narrower than ClosingPart's Signature on purpose:
    # a 纪要 given one is refused.)
    signature: None = Field(None, exclude=True)  # type: ignore[assignment]

    @property
    def format(self) -> str:
        return "minutes"

    @property
    def issuer(self) -> list[str]:
        return [self.compiler]


class Supervision(ClosingPart):
    """督办单：联席会议办公室就议定事项向牵头单位发出的督办通知。"""

    kind: Literal["supervision"] = Field("supervision", alias="类型")
    office: str = Field(..., alias="督办机关", description="如 高平市文物保护工作联席会议办公室")
    number: Number = Field(..., alias="编号", description="如 高文联办督〔2025〕1号")
    form_title: str = Field("议定事项督办单", alias="标题", max_length=MAX_TITLE_CHARS)
    unit: str = Field(..., alias="承办单位", description="牵头单位")
    meeting: str = Field(..., alias="会议名称")
    minutes_ref: str = Field(..., alias="纪要", description="如 第1期 或纪要编号")
    items: list[AgreedItem] = Field(..., alias="议定事项", min_length=1)
    contact: str = Field(..., alias="联系人")
    phone: str = Field(..., alias="联系电话")
    feedback_by: CnDate | None = Field(None, alias="反馈时限", description="默认为最早的完成时限")
    sealed: bool | None = Field(
        None, alias="加盖印章", description="督办机关有无印章；不填按版式配置（sealed）"
    )

    @property
    def format(self) -> str:
        return "supervision"

    @property
    def issuer(self) -> list[str]:
        return [self.office]

    @property
    def title(self) -> str:
        return self.form_title


class Reminder(ClosingPart):
    """督办事项催办单：对逾期未办结（或临近时限）的督办事项再次督促；与督办单同一表式，另行编号。"""

    kind: Literal["reminder"] = Field("reminder", alias="类型")
    office: str = Field(..., alias="督办机关")
    number: Number = Field(..., alias="编号", description="如 高文联办催〔2025〕1号")
    form_title: str = Field("督办事项催办单", alias="标题")
    grade: Literal["提醒", "催办", "红头催办"] = Field(
        "催办", alias="催办等级", description="提醒：临近时限；催办：已逾期；红头催办：逾期较久"
    )
    unit: str = Field(..., alias="承办单位")
    original_number: str = Field(..., alias="原督办单编号")
    original_date: CnDate = Field(..., alias="原督办单日期")
    meeting: str = Field(..., alias="会议名称")
    minutes_ref: str = Field("", alias="纪要")
    item_seqs: str = Field("", alias="议定事项序号", description="如 3 或 3、5")
    matter: str = Field(..., alias="督办事项", min_length=1)
    deadline: CnDate | None = Field(None, alias="完成时限")
    days_overdue: int = Field(0, alias="逾期天数", ge=0)
    red_after_days: int = Field(30, alias="红头催办天数", ge=1)
    last_feedback: str = Field("", alias="最近反馈")
    last_feedback_date: CnDate | None = Field(None, alias="最近反馈日期")
    reply_by: CnDate = Field(..., alias="反馈时限")
    contact: str = Field(..., alias="联系人")
    phone: str = Field(..., alias="联系电话")
    sealed: bool | None = Field(
        None, alias="加盖印章", description="督办机关有无印章；不填按版式配置（sealed）"
    )

    @property
    def format(self) -> str:
        return "supervision"  # the 督办单's form: same head, same ruled table

    @property
    def issuer(self) -> list[str]:
        return [self.office]

    @property
    def title(self) -> str:
        return self.form_title

    def house_profile(self, profile: Any) -> Any:
        """Only the red-head grade prints its head in red; 提醒 and 催办 print it black."""
        if self.grade == "红头催办":
            return profile
        return profile.model_copy(update={"red_rgb": (0, 0, 0)})


__all__ = [
    "AgreedItem",
    "Reminder",
    "Attendee",
    "CnDate",
    "DocNumber",
    "Minutes",
    "Supervision",
    "parse_cn_date",
]
