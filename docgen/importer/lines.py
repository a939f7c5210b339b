"""A draft's paragraphs → cleaned lines, with page numbers and running heads taken out.

Each line keeps what its layout told (alignment, indent) and the role it will be
given in the report; the recogniser reads these lines, never the raw paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from docgen.importer import cleanup, patterns
from docgen.importer.report import ParaRole, Report
from docgen.importer.source import Draft, Para, Table


@dataclass
class Line:
    """A paragraph of the draft, cleaned, with what its layout told."""

    para: Para
    text: str  # cleaned: no indent, no stray spaces, full-width punctuation
    raw: str
    indent: float  # leading spaces, in characters
    role: ParaRole

    @property
    def pushed_right(self) -> bool:
        return self.para.align == "right" or self.indent >= 8

    @property
    def centered(self) -> bool:
        return self.para.align == "center"

    @property
    def table(self) -> Table | None:
        return self.para.table


def _layout_tables(paras: list[Para]) -> list[Para]:
    """Tables used for layout, not data: a letterhead laid out in a table above the title, or a
    版记 typed as a ruled table (抄送 / 印发 rows). Their cells are read as lines."""
    first_text = next(
        (k for k, p in enumerate(paras) if p.table is None and p.text.strip()), len(paras)
    )
    title_at = next(
        (k for k, p in enumerate(paras) if p.table is None and patterns.looks_like_title(p.text)),
        first_text,
    )
    out: list[Para] = []
    for k, p in enumerate(paras):
        cells = [c for row in p.table.rows for c in row if c.strip()] if p.table is not None else []
        colophon = any(
            patterns.CC.match(c.strip()) or patterns.PRINTED.match(c.strip()) for c in cells
        )
        if p.table is None or not (k < title_at or colophon):
            out.append(p)
            continue
        for row in p.table.rows:
            seen = []
            for c in row:
                if c.strip() and c not in seen:  # a merged cell repeats its text
                    seen.append(c)
            if seen:
                text = "　　".join(seen) if not colophon else "".join(seen)
                out.append(
                    Para(
                        p.index,
                        text,
                        page_break_before=p.page_break_before,
                        label=f"{p.where}（表格）",
                    )
                )
    return out


def prepare_lines(draft: Draft, report: Report) -> list[Line]:
    """Cleaned lines, page numbers and running heads removed (and listed in the report)."""
    out: list[Line] = []
    carry_break = False
    fixed: list[str] = []
    suspect: list[str] = []
    for p in _layout_tables(draft.paras):
        if p.table is not None:
            p.table.rows = [[_clean_cell(c) for c in row] for row in p.table.rows]
            p.page_break_before = p.page_break_before or carry_break
            carry_break = False
            role = ParaRole(
                p.where,
                "表格",
                text=f"{len(p.table.rows)} 行 × {max(len(r) for r in p.table.rows)} 列",
            )
            out.append(Line(p, "", "", 0, role))
            continue
        raw = p.text.replace("\u200b", "").replace("\ufeff", "")
        if not raw.strip(cleanup.SPACES):
            carry_break = carry_break or p.page_break_before
            if p.images:
                report.paragraphs.append(ParaRole(p.where, "图片（未导入）"))
            continue
        if p.images:
            report.paragraphs.append(ParaRole(p.where, "图片（未导入）", text=raw.strip()))
        p.page_break_before = p.page_break_before or carry_break
        carry_break = False
        if cleanup.is_page_number(raw):
            report.paragraphs.append(ParaRole(p.where, "页码（已删除）", text=raw.strip()))
            continue
        text, changes = cleanup.fix_characters(raw)
        fixed += [f"{p.where}：{c}" for c in changes]
        if p.cells:
            # A row of a table that did not line up: kept as a paragraph, its cells apart.
            text = "　".join(_clean_cell(c) for c in p.cells)
            suspect.append(p.where)
        else:
            text = cleanup.squeeze_spaces(
                cleanup.normalise_punctuation(cleanup.squeeze_spaces(text))
            )
        role = ParaRole(p.where, "", text=text, note="；".join(changes))
        out.append(Line(p, text, raw, cleanup.leading_space(raw), role))
    out = _drop_running_heads(out, report)
    for line in out:
        report.paragraphs.append(line.role)
    report.paragraphs.sort(key=lambda r: _order(r.where))
    if fixed:
        report.notes.append("PDF 提取错字已改正：" + "，".join(fixed))
    if suspect:
        report.notes.append(
            f"{'、'.join(suspect)}疑似表格，但各行列数对不齐，未能识别，已按段落保留（单元格间以空格隔开），请核对"
        )
    return out


def _clean_cell(text: str) -> str:
    """A cell's text cleaned like a paragraph; its own line breaks kept (each a paragraph)."""
    lines = []
    for line in text.split("\n"):
        fixed, _ = cleanup.fix_characters(line)
        lines.append(
            cleanup.squeeze_spaces(cleanup.normalise_punctuation(cleanup.squeeze_spaces(fixed)))
        )
    return "\n".join(ln for ln in lines if ln)


def _order(where: str) -> int:
    m = re.match(r"第(\d+)", where)
    return int(m.group(1)) if m else 0


def _drop_running_heads(lines: list[Line], report: Report) -> list[Line]:
    """A short line a PDF repeated at the top of each page (its running head) is not text.

    A running head opens pages: a short line repeated where each copy is the first
    line after a page number (or near the top of the first page, where it is the
    document's own line and stays). With no page numbers to show the seams, a line
    repeated three times goes, but never a name (an issuer's recurs in the title,
    the signature and the 印发 line).
    """
    seam = {ln.para.index for ln in lines if ln.para.page_break_before and ln.para.unit == "行"}
    short = [
        ln.text
        for ln in lines
        if ln.text and len(ln.text) <= 40 and not patterns.heading_level(ln.text)
    ]
    counts = Counter(short)
    repeated = {t for t, n in counts.items() if n >= 2 and not patterns.parse_date(t)}
    if not repeated:
        return lines
    numbers = report_page_numbers(report) | seam

    def opens_page(k: int) -> bool:
        before = lines[k - 1].para.index if k else 0
        return any(before < n <= lines[k].para.index for n in numbers)

    places: dict[str, list[int]] = {}
    for k, ln in enumerate(lines):
        if ln.text in repeated:
            places.setdefault(ln.text, []).append(k)
    heads = {
        text
        for text, ks in places.items()
        if (numbers and _opens_pages(ks, opens_page))
        or (not numbers and len(ks) >= 3 and not patterns.is_org(text))
    }
    out = []
    for k, ln in enumerate(lines):
        if ln.text in heads and not (k < 8 and k == places[ln.text][0]):
            report.paragraphs.append(ParaRole(ln.para.where, "页眉（已删除）", text=ln.text))
            continue
        out.append(ln)
    return out


def _opens_pages(places: list[int], opens_page: Callable[[int], bool]) -> bool:
    """Every copy opens a page, but one near the top of the first page (the document's own)."""
    elsewhere = [k for k in places if not opens_page(k)]
    return len(elsewhere) < len(places) and (
        not elsewhere or (len(elsewhere) == 1 and elsewhere[0] < 8)
    )


def report_page_numbers(report: Report) -> set[int]:
    """Paragraph numbers of the page-number lines already removed."""
    return {_order(r.where) for r in report.paragraphs if r.role.startswith("页码")}
