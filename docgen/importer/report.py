"""The recognition report: each part found or missing and from which paragraph,
and every paragraph of the draft with the role it was given."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PART_NAMES = {
    "issuer": "发文机关",
    "mark": "发文机关标志",
    "number": "发文字号",
    "signers": "签发人",
    "copy_no": "份号",
    "secrecy": "密级",
    "urgency": "紧急程度",
    "title": "标题",
    "recipients": "主送机关",
    "body": "正文",
    "attachment_list": "附件说明",
    "signature": "署名",
    "date": "成文日期",
    "note": "附注",
    "attachments": "附件",
    "cc": "抄送",
    "printer": "印发机关",
    "print_date": "印发日期",
    "meeting": "会议名称",
    "issue_no": "期数",
    "compiler": "编发机关",
    "present": "出席",
    "absent": "请假",
    "attending": "列席",
    "distribute": "分送",
}


@dataclass
class ParaRole:
    """One paragraph of the draft and what it became."""

    where: str  # 第3段 / 第12行
    role: str  # 标题, 正文, 一级标题, 页码（已删除）…
    field: str = ""  # the model field it went to: body[3], attachments[1].title
    text: str = ""
    note: str = ""  # 与上一段合并, 繁体“學”→“学” …

    def line(self) -> str:
        shown = self.text if len(self.text) <= 30 else self.text[:29] + "…"
        extra = f"（{self.note}）" if self.note else ""
        target = f" → {self.field}" if self.field else ""
        return f"  {self.where}　{self.role}{target}：{shown}{extra}"


@dataclass
class PartStatus:
    field: str
    found: bool
    where: str = ""  # 第1段, 第1–2段
    value: str = ""
    needed: bool = False  # the kind needs it and the draft does not tell: a gap to fill

    @property
    def name(self) -> str:
        return PART_NAMES.get(self.field, self.field)


@dataclass
class Report:
    file: str
    kind: str = ""
    kind_reason: str = ""
    parts: list[PartStatus] = field(default_factory=list)
    paragraphs: list[ParaRole] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # clean-up done, said once each
    revisions: int = 0  # tracked changes accepted
    comments: int = 0  # comments left out
    warnings: list[str] = field(default_factory=list)  # notes render and check repeat

    def revisions_said(self) -> str:
        """接受了 3 处修订，删去 1 条批注: what reading a draft back from 核稿 did."""
        said = []
        if self.revisions:
            said.append(f"接受了 {self.revisions} 处修订")
        if self.comments:
            said.append(f"删去 {self.comments} 条批注")
        why = "（插入的文字已保留，删除的文字已删去）" if self.revisions else ""
        return "，".join(said) + why + "；请核对"

    @property
    def unplaced(self) -> list[ParaRole]:
        return [p for p in self.paragraphs if p.role.startswith("未识别")]

    @property
    def images(self) -> list[ParaRole]:
        return [p for p in self.paragraphs if "图片" in p.role]

    @property
    def gaps(self) -> list[PartStatus]:
        return [p for p in self.parts if p.needed and not p.found]

    def part(self, name: str) -> PartStatus | None:
        return next((p for p in self.parts if p.field == name), None)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["gaps"] = [p.field for p in self.gaps]
        out["unplaced"] = [asdict(p) for p in self.unplaced]
        for part, d in zip(self.parts, out["parts"]):
            d["name"] = part.name
        return out

    def to_text(self) -> str:
        lines = [f"识别报告：{self.file}", f"文种：{self.kind_reason}"]
        lines.append("各部分：")
        for p in self.parts:
            if p.found:
                value = p.value if len(p.value) <= 40 else p.value[:39] + "…"
                lines.append(f"  ✓ {p.name}（{p.field}）：{value}　［{p.where}］")
            else:
                tail = "，请补上" if p.needed else ""
                lines.append(f"  ✗ {p.name}（{p.field}）：草稿中没有{tail}")
        if self.gaps:
            names = "、".join(p.name for p in self.gaps)
            lines.append(
                f"缺少：{names}（docgen check 会报告；可用 --number、--signer、--issuer 补上）"
            )
        unplaced = self.unplaced
        if unplaced:
            lines.append(f"未能识别的段落 {len(unplaced)} 个，已按原位置保留在正文中，请核对：")
            lines += [p.line() for p in unplaced]
        for img in self.images:
            lines.append(
                f"  {img.where} 有图片，未导入（印章、签名请用 signature.seal_image 指定）"
            )
        if self.notes:
            lines.append("整理：")
            lines += [f"  {n}" for n in self.notes]
        lines.append("逐段：")
        lines += [p.line() for p in self.paragraphs]
        return "\n".join(lines)
