"""One thing a proof-reader would mark: where it is, what it is, what to write instead."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]
LABELS = {"error": "错误", "warning": "提醒"}
QUOTE_RADIUS = 5  # about ten characters around the spot


@dataclass(frozen=True)
class Fix:
    """A replacement the checks are sure of: text[start:end] → new, in one paragraph."""

    start: int
    end: int
    new: str


@dataclass(frozen=True)
class Finding:
    """A finding of the text checks (核稿), located to the character."""

    check: str  # traditional / punctuation / brackets / units / doubled / dates
    message: str
    severity: Severity = "error"
    file: str = ""
    field: str = ""  # "attachments[1].body（附件[1].正文）"
    paragraph: int | None = None  # 1-based, for fields written as paragraphs
    offset: int | None = None  # 0-based character offset in the paragraph or field
    quote: str = ""
    suggestion: str = ""
    fix: Fix | None = None

    def __str__(self) -> str:
        where = [p for p in (self.file, self.field) if p]
        spot = f"第{self.paragraph}段" if self.paragraph is not None else ""
        if self.offset is not None:
            spot += f"第{self.offset + 1}字"
        if spot:
            where.append(spot)
        text = self.message
        if self.quote:
            text += f"（“{self.quote}”）"
        if self.suggestion:
            text += f"；{self.suggestion}"
        return f"{LABELS[self.severity]}：{'，'.join(where)}：{text}"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["level"] = LABELS[self.severity]
        out.pop("fix")
        out["fixable"] = self.fix is not None
        return out


def quote(text: str, start: int, end: int | None = None) -> str:
    """About ten characters around text[start:end], marked with … where cut."""
    end = start + 1 if end is None else end
    a = max(0, start - QUOTE_RADIUS)
    b = min(len(text), end + QUOTE_RADIUS)
    return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")
