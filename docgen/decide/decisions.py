"""Decisions both renderers share, made once from the model.

The PDF and the .docx must show the same title breaks, the same 附件说明,
the same mark and the same colophon: deciding them here, before either
renderer runs, is what keeps the two outputs alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docgen.decide.glyphs import BODY_ROLES, Glyphs, measure_glyphs
from docgen.decide.tables import TableDecision, decide_table
from docgen.decide.widths import em_width
from docgen.models.parts import ColophonPart, HeadPart, MainPart
from docgen.models.tables import document_tables
from docgen.spec import (
    BLOCK_WIDTH,
    CHARS_PER_LINE,
    LINE_PITCH,
    LINES_PER_PAGE,
    MARK_TOP_IN_BLOCK,
    MM_PER_PT,
    PT_PER_MM,
    SEPARATOR_BELOW_NUMBER,
    SIZE_TITLE_PT,
    FontRole,
    Profile,
)
from docgen.text.dates import format_date
from docgen.text.headings import chinese_numeral
from docgen.text.title import break_title, title_lexicon

if TYPE_CHECKING:
    from docgen.fonts import FontSet
    from docgen.models.documents import Document
    from docgen.models.meeting import AgreedItem, Attendee, Minutes, Reminder, Supervision
    from docgen.models.tables import Table

# A title line holds this many 2号 characters (156 mm / 22 pt → 20).
TITLE_UNITS = math.floor(BLOCK_WIDTH / (SIZE_TITLE_PT * MM_PER_PT) + 1e-9)


SUPERVISION_MARK_MAX_PT = 26.0  # 一号: the 督办单 needs its page for the table


@dataclass
class Decisions:
    mark_lines: list[str]  # issuer names as stacked in the mark
    mark_suffix: str  # "文件" in the file format, "" otherwise
    mark_size_pt: float  # as large as reads well, never wider than the block
    title_lines: list[str]
    attachment_names: list[str]  # as printed in the 附件说明
    attachment_title_lines: list[list[str]]
    signature_issuers: list[str]
    date_text: str
    note: str | None
    recipients_text: str  # "A、B：" or ""
    recipients_in_colophon: bool
    cc_text: str  # "A，B。" or ""
    printer: str
    print_date_text: str
    protected_terms: list[str] = field(default_factory=list)
    # 纪要 and 督办单: their content as printed, shared by both renderers.
    issue_text: str = ""  # 第1期
    item_texts: list[str] = field(default_factory=list)  # 一、……（牵头单位：……）。
    attendance: list[tuple[str, str]] = field(default_factory=list)  # (出席, 单位姓名，……)
    distribute_text: str = ""  # 分送
    form_rows: list[tuple[str, list[str], int]] = field(
        default_factory=list
    )  # label, paragraphs, min lines
    # Tables: size, page and widths (decide/tables.py), by the table's place among the
    # document's tables (Table.place, given at validation): the same key in a worker
    # process that validated the same input.
    tables: dict[int, TableDecision] = field(default_factory=dict)
    # The body fonts' measures of the paragraphs' characters (decide/glyphs.py): the
    # .docx breaks each paragraph as the PDF does. Added for a .docx (with_glyphs).
    glyphs: Glyphs | None = None

    def table(self, table: Table, profile: Profile | None = None) -> TableDecision:
        """The decision decide() made for ``table``.

        ``profile`` is unused: the decision is decide()'s, with the document's
        profile (kept in the signature for the callers in layout/ and render/docx/).
        A table decide() did not see is a bug, said as one.
        """
        try:
            return self.tables[table.place]
        except KeyError:
            raise LookupError(
                f"table at place {table.place} was not decided (not part of the document?)"
            ) from None


def mark_size(lines: list[str], suffix: str, profile: Profile, cap: float | None = None) -> float:
    """The 发文机关标志's size: as large as reads well, never wider than the block.

    Stacked joint-issue names leave half an em between the names and 文件.
    """
    if profile.mark_size_pt:
        return profile.mark_size_pt
    limit = profile.mark_max_size_pt if cap is None else min(cap, profile.mark_max_size_pt)
    widest = max(em_width(ln) for ln in lines)
    if suffix:
        widest += em_width(suffix) + (0.5 if len(lines) > 1 else 0)
    return min(limit, math.floor(BLOCK_WIDTH * PT_PER_MM / widest * 2) / 2)


def names_text(names: list[str], end: str) -> str:
    return "、".join(names) + end if names else ""


def title_measure(fonts: FontSet | None = None) -> Callable[[str], float]:
    """Advance in em of each title character in the title font (小标宋).

    Digits and Latin letters are not half an em in a 小标宋: counted as ½,
    关于同意开展2025年度文物安全专项检查的函 came out 160.3 mm on one line, past
    the 156 mm block. Without a font set, the bundled 小标宋's advances.
    """
    if fonts is not None:
        from docgen.fonts.metrics import measurer_for

        m = measurer_for(fonts)
        return lambda ch: m.em(FontRole.XIAOBIAOSONG, ch)
    from docgen.fonts import bundled_em

    return lambda ch: bundled_em(FontRole.XIAOBIAOSONG, ch)


def decide(
    doc: Document,
    profile: Profile,
    extra_terms: list[str] | None = None,
    fonts: FontSet | None = None,
) -> Decisions:
    """Everything the renderers need beyond the model's own fields."""
    measure = title_measure(fonts)
    # Every kind has issuer, format, title, signature, date and note; the rest come with
    # a part (MainPart: recipients, attachments; ColophonPart: cc, printer, print date).
    main = doc if isinstance(doc, MainPart) else None
    colophon = doc if isinstance(doc, ColophonPart) else None
    issuers: list[str] = list(doc.issuer)
    recipients: list[str] = list(main.recipients) if main else []
    cc: list[str] = list(colophon.cc) if colophon else []
    mark = doc.mark if doc.kind != "supervision" and doc.kind != "reminder" else None
    compiler = doc.compiler if doc.kind == "minutes" else None
    # Names a title never splits (issue 18): the parties, the meeting's body
    # (from its mark and compiler; the meeting's own name is a phrase to
    # break), the office's terms (profile), member units (extra_terms).
    protected = title_lexicon(
        [
            *issuers,
            *recipients,
            *cc,
            *(v for v in (mark, compiler) if isinstance(v, str)),
            *profile.title_terms,
            *(extra_terms or []),
        ]
    )
    fmt = doc.format
    if mark:
        mark_lines, suffix = [mark], ""
    elif fmt == "file":
        mark_lines, suffix = issuers, "文件"
    else:
        mark_lines, suffix = issuers, ""

    cap = SUPERVISION_MARK_MAX_PT if fmt == "supervision" else None
    size = mark_size(mark_lines, suffix, profile, cap)
    title = doc.title
    title_lines = (
        break_title(
            title, TITLE_UNITS, shape=profile.title_shape, protected=protected, measure=measure
        )
        if title
        else []
    )
    attachments = list(main.attachments) if main else []
    listed = main.attachment_list if main else None
    attachment_names = list(listed) if listed else [a.title for a in attachments]
    attachment_units = math.floor(
        BLOCK_WIDTH / (profile.attachment_title_size_pt * MM_PER_PT) + 1e-9
    )
    attachment_title_lines = [
        break_title(
            a.title,
            attachment_units,
            shape=profile.title_shape,
            protected=protected,
            measure=measure,
        )
        for a in attachments
    ]

    signature = doc.signature
    sig_issuers = list(signature.issuers) if signature and signature.issuers else issuers
    date: dt.date = doc.date
    print_date = (colophon.print_date if colophon else None) or date
    recipients_text = names_text(recipients, "：")
    d = Decisions(
        mark_lines=mark_lines,
        mark_suffix=suffix,
        mark_size_pt=size,
        title_lines=title_lines,
        attachment_names=attachment_names,
        attachment_title_lines=attachment_title_lines,
        signature_issuers=sig_issuers,
        date_text=format_date(date),
        note=doc.note,
        recipients_text=recipients_text,
        recipients_in_colophon=_recipients_crowd_page_one(
            fmt, len(title_lines), recipients_text, doc
        ),
        cc_text=("，".join(cc) + "。") if cc else "",
        printer=(colophon.printer if colophon else None) or (issuers[0] if issuers else ""),
        print_date_text=format_date(print_date) + "印发",
        protected_terms=protected,
    )
    _tables(doc, d, profile)
    # One dispatch per kind: each helper reads its kind's own fields (a tagged union).
    if doc.kind == "minutes":
        _minutes(doc, d)
    elif doc.kind == "supervision":
        _supervision(doc, d)
    elif doc.kind == "reminder":
        _reminder(doc, d)
    return d


def with_glyphs(doc: Document, d: Decisions, fonts: FontSet) -> Decisions:
    """``d`` with the body fonts' measures of ``doc``'s paragraphs, which the .docx writer
    needs to end its lines where the PDF does (measured once, only for a .docx)."""
    if d.glyphs is None:
        # A form's values are all 仿宋; other kinds open paragraphs in their headings' fonts.
        form = doc.kind in ("supervision", "reminder")
        roles = (FontRole.FANGSONG,) if form else BODY_ROLES
        d.glyphs = measure_glyphs(fonts, paragraph_texts(doc, d), roles)
    return d


def paragraph_texts(doc: Document, d: Decisions) -> list[str]:
    """The texts both writers break as body paragraphs: the body's and the attachments'
    paragraphs, a 纪要's introduction, items and attendance lists."""
    blocks: list[object] = []
    if isinstance(doc, MainPart):
        blocks += doc.body
        for attachment in doc.attachments:
            blocks += attachment.body
    texts = [b for b in blocks if isinstance(b, str)]
    if doc.kind == "minutes":
        texts += [*doc.body, doc.items_intro]
    texts += [f"{label}：{names}" for label, names in d.attendance]
    texts += [p.cell.text for table in document_tables(doc) for p in table.cells]
    texts += [p for _label, paragraphs, _min in d.form_rows for p in paragraphs]
    return texts + d.item_texts


def _tables(doc: Document, d: Decisions, profile: Profile) -> None:
    """Decide every table of the body and of the attachments, once."""
    for table in document_tables(doc):
        d.tables[table.place] = decide_table(table, profile)


def item_text(item: AgreedItem) -> str:
    """一、<matter>（牵头单位：A；配合单位：B、C；完成时限：2025年9月30日前）。"""
    details = [f"牵头单位：{'、'.join(item.lead)}"]
    if item.support:
        details.append(f"配合单位：{'、'.join(item.support)}")
    if item.deadline:
        details.append(f"完成时限：{format_date(item.deadline)}前")
    matter = item.matter.rstrip("。；;.")
    return f"{chinese_numeral(item.seq)}、{matter}（{'；'.join(details)}）。"


def attendees_text(attendees: list[Attendee]) -> str:
    """单位　姓名、姓名，单位　姓名: the gap between a unit and its people kept (issue 18)."""
    return "，".join(a.text() for a in attendees)


def _minutes(doc: Minutes, d: Decisions) -> None:
    d.issue_text = f"第{doc.issue_no}期"
    d.item_texts = [item_text(i) for i in doc.items]
    d.attendance = [
        (label, attendees_text(people))
        for label, people in (("出席", doc.present), ("请假", doc.absent), ("列席", doc.attending))
        if people
    ]
    d.distribute_text = ("，".join(doc.distribute) + "。") if doc.distribute else ""
    d.printer = doc.printer or doc.compiler


def _supervision(doc: Supervision, d: Decisions) -> None:
    items = doc.items
    several = len(items) > 1

    def numbered(texts: list[str]) -> list[str]:
        return [f"{i}.{t}" for i, t in enumerate(texts, 1)] if several else texts

    seqs = "、".join(f"第{i.seq}项" for i in items)
    support = list(dict.fromkeys(u for i in items for u in i.support))
    deadlines = [format_date(i.deadline) + "前" if i.deadline else "按会议要求" for i in items]
    requirements = [i.requirement or "按期办结并书面反馈办理情况" for i in items]
    d.form_rows = [
        ("督办事项来源", [f"{doc.meeting}纪要（{doc.minutes_ref}）{seqs}"], 1),
        ("承办单位", [doc.unit], 1),
        ("督办事项", numbered([i.matter for i in items]), 2),
        ("配合单位", ["、".join(support) if support else "无"], 1),
        ("完成时限", numbered(deadlines), 1),
        ("督办要求", numbered(requirements), 1),
        ("联系人及电话", [f"{doc.contact}　{doc.phone}"], 1),
        ("办理情况", [], 3),
        ("签收人及日期", ["签收人：　　　签收日期：　　年　月　日"], 1),
    ]


def grade_text(doc: Reminder) -> str:
    """The reminder's grade as printed (三色督办): why this grade, in words, not colour."""
    if doc.grade == "提醒":
        return "提醒（临近完成时限）"
    if doc.grade == "红头催办":
        return f"红头催办（逾期超过{doc.red_after_days}日）"
    return "催办（已逾期）"


def _reminder(doc: Reminder, d: Decisions) -> None:
    """督办事项催办单: the 督办单's form, naming the original notice, the delay and the reply date."""
    if doc.deadline is None:
        deadline = "按会议要求"
    elif doc.days_overdue:
        deadline = f"{format_date(doc.deadline)}前（已逾期{doc.days_overdue}日）"
    else:
        left = (doc.deadline - doc.date).days
        deadline = f"{format_date(doc.deadline)}前（尚余{left}日）"
    if doc.last_feedback:
        when = f"{format_date(doc.last_feedback_date)}：" if doc.last_feedback_date else ""
        last = when + doc.last_feedback
    else:
        last = "截至催办之日未收到反馈"
    d.form_rows = [
        ("催办等级", [grade_text(doc)], 1),
        # The original notice names the meeting and the item; its number and date identify it.
        ("原督办单", [f"{doc.original_number}（{format_date(doc.original_date)}）"], 1),
        ("承办单位", [doc.unit], 1),
        ("督办事项", [doc.matter], 2),
        ("完成时限", [deadline], 1),
        ("最近反馈", [last], 1),
        ("反馈时限", [f"请于{format_date(doc.reply_by)}前书面反馈办理情况"], 1),
        ("联系人及电话", [f"{doc.contact}　{doc.phone}"], 1),
        ("办理情况", [], 3),
        ("签收人及日期", ["签收人：　　　签收日期：　　年　月　日"], 1),
    ]


def _recipients_crowd_page_one(
    fmt: str, title_count: int, recipients_text: str, doc: Document
) -> bool:
    """True when the recipients would leave page 1 without a line of body text.

    Counted on the grid: the head takes the lines down to the separator, then
    two empty lines, the title, one empty line, the recipients; the body
    needs at least one line after them.
    """
    if not recipients_text:
        return False
    # 35 mm to the mark, the mark, two empty lines, the number, 4 mm to the separator.
    mark_mm = mark_size(list(doc.issuer) or [""], "文件", Profile()) * MM_PER_PT
    head_mm = MARK_TOP_IN_BLOCK + mark_mm + 3 * LINE_PITCH + SEPARATOR_BELOW_NUMBER
    head_lines = math.ceil(head_mm / LINE_PITCH)
    if isinstance(doc, HeadPart) and doc.signers:  # the kinds with a head: 签发人 lines
        head_lines += max(0, math.ceil(len(doc.signers) / 2) - 1)
    free = LINES_PER_PAGE - head_lines - 2 - title_count - 1
    recipient_lines = math.ceil(len(recipients_text) / CHARS_PER_LINE)
    return recipient_lines >= free
