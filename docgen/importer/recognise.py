"""Paragraphs of a draft → the parts of a 公文, each with the paragraph it came from.

The head is read from the top (mark, number, signer, title, recipients);
the tail from the bottom of the main text (colophon, attachments, note,
date, signature, attachment list), so a body paragraph that happens to look
like a signature stays body text. What is left between them is the body.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from docgen.importer import cleanup, patterns
from docgen.importer.report import ParaRole, Report
from docgen.importer.source import Draft, DraftError, Para, Table
from docgen.text.docnumber import DocNumber, DocNumberError


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


@dataclass
class Block:
    """A body item: a paragraph of text or a table."""

    text: str = ""
    table: Table | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Found:
    """What the recogniser found, before it becomes a model dict."""

    head: dict = field(default_factory=dict)
    title: str = ""
    recipients: list[str] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    attachment_list: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    date: object = None
    note: str | None = None
    attachments: list[tuple[str, list[Block]]] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    printer: str | None = None
    print_date: object = None
    where: dict[str, str] = field(default_factory=dict)  # field → 第N段
    meeting: dict = field(default_factory=dict)


def recognise(draft: Draft, report: Report) -> Found:
    lines = _prepare(draft, report)
    return _Parser(lines, report).parse()


# --- preparing lines ----------------------------------------------------------------------


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


def _prepare(draft: Draft, report: Report) -> list[Line]:
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
            report.paragraphs.append(role)
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

    Repeated three times anywhere, or twice with a page number beside the
    later one; the first one, at the top, is the document's own line.
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
    out = []
    seen: set[str] = set()
    for k, ln in enumerate(lines):
        if ln.text in repeated:
            first = ln.text not in seen
            seen.add(ln.text)
            # A running head opens a page: just after the previous page's number.
            near_seam = any(ln.para.index - d in numbers for d in (0, 1, 2, 3))
            if not (first and k < 8) and (counts[ln.text] >= 3 or near_seam):
                report.paragraphs.append(ParaRole(ln.para.where, "页眉（已删除）", text=ln.text))
                continue
        out.append(ln)
    return out


def report_page_numbers(report: Report) -> set[int]:
    """Paragraph numbers of the page-number lines already removed."""
    return {_order(r.where) for r in report.paragraphs if r.role.startswith("页码")}


# --- the parser -----------------------------------------------------------------------------


class _Parser:
    def __init__(self, lines: list[Line], report: Report) -> None:
        self.lines = lines
        self.report = report
        self.found = Found()

    def role(self, line: Line, role: str, field: str = "", note: str = "") -> None:
        line.role.role = role
        line.role.field = field
        if note:
            line.role.note = f"{line.role.note}；{note}" if line.role.note else note

    def parse(self) -> Found:
        lines = self.lines
        if not any(ln.text for ln in lines) and not any(ln.table for ln in lines):
            raise DraftError(f"{self.report.file}：草稿是空的，没有可导入的文字")
        start = self._head()
        end = self._colophon(start)
        date_at = self._date(start, end)
        main_end, attach_start = self._after_date(date_at, end)
        body_end = self._closing(start, date_at if date_at is not None else main_end)
        self.found.body = self._blocks(lines[start:body_end], "body")
        if attach_start is not None:
            rest = lines[attach_start:end]
            first = rest[0]
            if (
                self.found.attachment_list
                or first.para.page_break_before
                or (first.table is None and patterns.ATTACH_LABEL.match(first.text))
            ):
                self._attachments(rest)
            else:
                self._unplaced(rest)
        return self.found

    def _unplaced(self, lines: list[Line]) -> None:
        """Text after the date that is no attachment: kept, at the end of the body, and reported."""
        for ln in lines:
            field = f"body[{len(self.found.body) + 1}]"
            if ln.table is not None:
                self.found.body.append(Block(table=ln.table, lines=[ln]))
            else:
                self.found.body.append(Block(ln.text, lines=[ln]))
            self.role(ln, "未识别（保留在正文末尾）", field)

    # --- head, from the top -----------------------------------------------------------------

    def _head(self) -> int:
        f = self.found
        i = 0
        lines = self.lines
        mark_lines: list[Line] = []
        while i < len(lines):
            ln = lines[i]
            t = ln.text
            if ln.table is not None:
                break
            if patterns.SEPARATOR.match(ln.raw):
                self.role(ln, "版头分隔线（不导入）")
            elif patterns.LETTERHEAD_INFO.search(t) and not f.title:
                self.role(ln, "旧版头信息（地址电话等，不导入）")
            elif re.fullmatch(r"[A-Za-z .,'&()\-]+", t):
                self.role(ln, "旧版头英文名（不导入）")
            elif patterns.COPY_NO.match(t) and "copy_no" not in f.head:
                f.head["copy_no"] = t
                self._at("copy_no", ln)
                self.role(ln, "份号", "copy_no")
            elif (m := patterns.SECRECY.match(t)) and "secrecy" not in f.head:
                f.head["secrecy"] = m["level"]
                if m["term"]:
                    f.head["secrecy_term"] = m["term"]
                self._at("secrecy", ln)
                self.role(ln, "密级", "secrecy")
            elif patterns.URGENCY.match(t):
                f.head["urgency"] = t
                self._at("urgency", ln)
                self.role(ln, "紧急程度", "urgency")
            elif (m := patterns.NUMBER.match(t)) and "number" not in f.head:
                f.head["number"] = _number(m["number"], self.report)
                self._at("number", ln)
                self.role(ln, "发文字号", "number")
                if m["signers"]:
                    f.head["signers"] = _names(m["signers"])
                    self._at("signers", ln)
                    self.role(ln, "发文字号、签发人", "number, signers")
            elif m := patterns.SIGNER.match(t):
                f.head["signers"] = _names(m["signers"])
                self._at("signers", ln)
                self.role(ln, "签发人", "signers")
            elif t.endswith("纪要") and any(
                patterns.ISSUE_NO.match(n.text) for n in lines[i + 1 : i + 3]
            ):
                mark_lines.append(ln)  # 纪要标志 above 第N期
                self.role(ln, "纪要标志", "mark")
            elif (m := _ORG_AND_DATE.match(ln.raw.strip())) and patterns.is_org(m["org"].strip()):
                # 纪要 head: 编发机关 and date on one line
                f.meeting["compiler"] = cleanup.squeeze_spaces(m["org"])
                f.date = patterns.parse_date(cleanup.squeeze_spaces(m["date"]))
                self._at("compiler", ln)
                self._at("date", ln)
                self.role(ln, "编发机关和日期", "compiler, date")
            elif "number" not in f.head and _is_mark(ln, lines[i + 1 : i + 4]):
                mark_lines.append(ln)
                self.role(ln, "发文机关标志", "issuer")
            elif patterns.ISSUE_NO.match(t):
                f.meeting["issue_no"] = int(patterns.ISSUE_NO.match(t).group(1))
                self._at("issue_no", ln)
                self.role(ln, "期数", "issue_no")
            else:
                break
            i += 1
        if mark_lines:
            names = [ln.text for ln in mark_lines]
            f.head["mark_text"] = names
            self._at("mark", *mark_lines)
        return self._title(i)

    def _title(self, i: int) -> int:
        lines = self.lines
        if i >= len(lines) or lines[i].table is not None:
            raise DraftError(
                f"{self.report.file}：找不到标题；请确认草稿开头（版头之后）是公文标题"
            )
        parts = [lines[i]]
        j = i + 1
        while j < len(lines) and _continues_title(parts, lines[j]):
            parts.append(lines[j])
            j += 1
        title = "".join(p.text for p in parts)
        first = parts[0]
        if (
            title[-1:] in "。；，、：:"
            or patterns.width(title) > 120
            or patterns.heading_level(title)
            or patterns.parse_date(title)
        ):
            raise DraftError(
                f"{self.report.file}：找不到标题（{first.para.where}“{title[:20]}”不像标题）；"
                "请在草稿开头写明标题，如“关于……的函”"
            )
        self.found.title = title
        for p in parts:
            self.role(p, "标题", "title", "标题跨行，已合并" if len(parts) > 1 else "")
        self._at("title", *parts)
        # Recipients: the line after the title that ends with a colon.
        if j < len(lines) and _is_recipients(lines[j].text):
            ln = lines[j]
            self.found.recipients = _names(ln.text.rstrip("：:"))
            self.role(ln, "主送机关", "recipients")
            self._at("recipients", ln)
            j += 1
        return j

    # --- tail, from the bottom -----------------------------------------------------------

    def _colophon(self, start: int) -> int:
        """抄送 and 印发 lines at the very end; returns where they begin."""
        lines = self.lines
        end = len(lines)
        k = end
        while k > start:
            ln = lines[k - 1]
            if ln.table is not None:
                break
            if self._colophon_line(ln):
                k -= 1
                continue
            break
        # A 抄送 line that wrapped: its continuation sits below it, already taken above.
        return k

    def _colophon_line(self, ln: Line) -> bool:
        f = self.found
        if m := patterns.CC.match(ln.text):
            f.cc = _names(m["rest"].rstrip("。"))
            self.role(ln, "抄送", "cc")
            self._at("cc", ln)
            return True
        if m := patterns.PRINTED.match(ln.text):
            f.printer = m["printer"].strip()
            f.print_date = patterns.parse_date(m["date"].replace(" ", ""))
            self.role(ln, "印发机关和印发日期", "printer, print_date")
            self._at("printer", ln)
            self._at("print_date", ln)
            return True
        if patterns.SEPARATOR.match(ln.raw):
            self.role(ln, "版记分隔线（不导入）")
            return True
        return False

    def _date(self, start: int, end: int) -> int | None:
        """The 成文日期: the first line after the title that is only a date."""
        if self.found.date:
            return None  # a 纪要's date is in its head
        for k in range(start, end):
            ln = self.lines[k]
            if ln.table is None and (d := patterns.parse_date(ln.text)):
                self.found.date = d
                self.role(ln, "成文日期", "date")
                self._at("date", ln)
                return k
            # 署名 and date on one line, pushed right: 高平市人民政府办公室　2025年7月7日
            m = re.match(
                r"^(?P<org>.+?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$",
                ln.raw.strip(),
            )
            if m and ln.pushed_right and patterns.is_org(m["org"].strip()):
                self.found.date = patterns.parse_date(m["date"])
                self.found.signature = [cleanup.squeeze_spaces(m["org"])]
                self.role(ln, "署名和成文日期", "signature, date")
                self._at("date", ln)
                self._at("signature", ln)
                return k
        return None

    def _after_date(self, date_at: int | None, end: int) -> tuple[int, int | None]:
        """附注 and misplaced colophon lines after the date; where attachments begin."""
        lines = self.lines
        if date_at is None:
            return end, None
        k = date_at + 1
        while k < end:
            ln = lines[k]
            if ln.table is not None:
                break
            if self.found.note is None and (
                patterns.NOTE.match(ln.text) or ln.text.startswith(("联系人", "（联系人"))
            ):
                note, used = _note(lines, k, end)
                self.found.note = note
                for n in lines[k : k + used]:
                    self.role(n, "附注", "note")
                self._at("note", *lines[k : k + used])
                k += used
                continue
            if self._colophon_line(ln):
                k += 1
                continue
            break
        if k >= end:
            return end, None
        return k, k

    def _closing(self, start: int, stop: int) -> int:
        """Signature lines above the date and the 附件说明 above them; returns where the body ends."""
        lines = self.lines
        k = stop
        sig: list[Line] = []
        if not self.found.signature:
            while k > start and len(sig) < 4:
                ln = lines[k - 1]
                if (
                    ln.table is None
                    and patterns.is_org(ln.text)
                    and (
                        ln.pushed_right
                        or ln.para.unit == "行"
                        or not ln.para.align
                        or ln.para.align == "right"
                    )
                    and not patterns.heading_level(ln.text)
                ):
                    sig.insert(0, ln)
                    k -= 1
                    continue
                break
            if sig:
                self.found.signature = [ln.text for ln in sig]
                for ln in sig:
                    self.role(ln, "署名", "signature")
                self._at("signature", *sig)
        # 附件说明: the nearest 附件： line above, with the items and continuation lines under it.
        for a in range(k - 1, max(start, k - 30) - 1, -1):
            ln = lines[a]
            if ln.table is not None:
                break
            if m := patterns.ATTACH_LIST.match(ln.text):
                items = _attachment_items(m["rest"], lines[a + 1 : k])
                self.found.attachment_list = items
                for n in lines[a:k]:
                    self.role(n, "附件说明", "attachment_list")
                self._at("attachment_list", *lines[a:k])
                return a
        return k

    # --- attachments ----------------------------------------------------------------------

    def _attachments(self, lines: list[Line]) -> None:
        names = [_flat(n) for n in self.found.attachment_list]
        starts: list[int] = []
        labelled = [
            k
            for k, ln in enumerate(lines)
            if ln.table is None and patterns.ATTACH_LABEL.match(ln.text)
        ]
        if labelled:
            starts = labelled
            if starts[0] != 0:
                starts.insert(0, 0)
        else:
            starts = [0]
            for k, ln in enumerate(lines[1:], 1):
                if ln.table is None and (
                    (ln.para.page_break_before and (not names or _flat(ln.text) in names))
                    or (
                        names and _flat(ln.text) in names and _flat(ln.text) != _flat(lines[0].text)
                    )
                ):
                    starts.append(k)
        for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(lines)]), 1):
            chunk = lines[a:b]
            if chunk and chunk[0].table is None and patterns.ATTACH_LABEL.match(chunk[0].text):
                self.role(chunk[0], "附件标签", f"attachments[{n}]")
                chunk = chunk[1:]
            if not chunk:
                continue
            title_lines = self._attachment_title(chunk, names)
            title = "".join(ln.text for ln in title_lines)
            for ln in title_lines:
                self.role(ln, "附件标题", f"attachments[{n}].title")
            rest = chunk[len(title_lines) :]
            blocks = self._blocks(rest, f"attachments[{n}].body", role="附件正文")
            self.found.attachments.append((title, blocks))
            self._at(f"attachments[{n}]", *chunk)
        self._at("attachments", *lines)

    def _attachment_title(self, chunk: list[Line], names: list[str]) -> list[Line]:
        first = chunk[0]
        if first.table is not None:
            return []
        taken = [first]
        for ln in chunk[1:3]:
            joined = _flat("".join(t.text for t in taken))
            if ln.table is not None or joined in names:
                break
            candidate = joined + _flat(ln.text)
            if any(n.startswith(candidate) for n in names) or (
                not names
                and ln.centered
                and first.centered
                and ln.text[-1:] not in patterns.TERMINAL
            ):
                taken.append(ln)
            else:
                break
        return taken

    # --- body blocks: joining wrapped lines ---------------------------------------------------

    def _blocks(self, lines: list[Line], field: str, role: str = "正文") -> list[Block]:
        blocks: list[Block] = []
        full = _full_width(lines)
        indents = _indents_mark_paragraphs(lines)
        for ln in lines:
            if ln.table is not None:
                blocks.append(Block(table=ln.table, lines=[ln]))
                self.role(ln, "表格", f"{field}[{len(blocks)}]")
                continue
            prev = blocks[-1] if blocks else None
            if prev is not None and prev.table is None and _joins(prev, ln, full, indents):
                prev.text = _join_text(prev.text, ln.text)
                prev.lines.append(ln)
                why = "换行符" if ln.para.manual_break else "断行"
                self.role(ln, role, f"{field}[{len(blocks)}]", f"{why}，与上一段合并")
                continue
            blocks.append(Block(ln.text, lines=[ln]))
            level = patterns.heading_level(ln.text)
            name = f"{'一二三四'[level - 1]}级标题" if level else role
            if ln.para.outline and not level:
                name = f"{role}（Word 标题样式 {ln.para.outline} 级，无序号）"
            self.role(ln, name, f"{field}[{len(blocks)}]")
        return blocks

    def _at(self, field: str, *lines: Line) -> None:
        wheres = []
        for ln in lines:
            if ln.para.where not in wheres:
                wheres.append(ln.para.where)
        if len(wheres) > 2:
            wheres = [wheres[0], "…", wheres[-1]]
        self.found.where[field] = "、".join(wheres)


_ORG_AND_DATE = re.compile(r"^(?P<org>.+?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")

# --- helpers -------------------------------------------------------------------------------


def _flat(text: str) -> str:
    return re.sub(r"[\s　]+", "", text)


def _number(text: str, report: Report) -> str:
    """The 发文字号 normalised (〔〕, no 第, no leading zeros) when it can be read; else as typed."""
    raw = _flat(text)
    fixed = re.sub(r"[\[(（【﹝［](\d{4})[\])）】﹞］]", r"〔\1〕", raw)
    fixed = re.sub(r"〕第", "〕", fixed)
    fixed = re.sub(r"〕0+(\d)", r"〕\1", fixed)
    if not fixed.endswith("号"):
        fixed += "号"
    try:
        number, _ = DocNumber.parse(fixed)
    except DocNumberError:
        return raw  # docgen check says what is wrong with it
    if number.format() != raw:
        report.notes.append(f"发文字号“{raw}”已规范为“{number.format()}”")
    return number.format()


def _names(text: str) -> list[str]:
    return [
        n.strip() for n in re.split(r"[、，,；;\s]+", text.strip().rstrip("：:。")) if n.strip()
    ]


def _is_mark(line: Line, following: list[Line]) -> bool:
    """A letterhead mark: an organisation's name (or …文件) above the number or the title.

    Red or large type says so at once. Otherwise a name whose next line starts
    with 关于 is the first line of a title broken after the issuer's name.
    """
    t = line.text
    if patterns.looks_like_title(t) and not t.endswith("文件"):
        return False
    if (line.para.red or line.para.size >= 24) and len(t) <= 40:
        return True
    if not patterns.is_org(t):
        return False
    nxt = next((n for n in following if n.table is None and n.text), None)
    if nxt is None:
        return False
    if patterns.NUMBER.match(nxt.text) or _is_mark_neighbour(nxt) or t.endswith("文件"):
        return True
    if nxt.text.startswith("关于"):
        return False
    return patterns.looks_like_title(nxt.text)


def _is_mark_neighbour(line: Line) -> bool:
    return bool(
        patterns.SEPARATOR.match(line.raw)
        or patterns.is_org(line.text)
        or patterns.LETTERHEAD_INFO.search(line.text)
        or re.fullmatch(r"[A-Za-z .,'&()\-]+", line.text)
    )


def _is_recipients(text: str) -> bool:
    return (
        text[-1:] in "：:"
        and patterns.width(text) <= 80
        and "。" not in text
        and not patterns.ATTACH_LIST.match(text)
        and not patterns.heading_level(text)
    )


def _continues_title(parts: list[Line], nxt: Line) -> bool:
    """The next line is more of the title: no colon ending, no sentence, the title not yet ended."""
    current = "".join(p.text for p in parts)
    if nxt.table is not None or current.endswith(patterns.TITLE_ENDINGS[:12]):
        return False
    t = nxt.text
    if (
        _is_recipients(t)
        or t[-1:] in "。；，"
        or patterns.heading_level(t)
        or patterns.parse_date(t)
    ):
        return False
    if patterns.width(current + t) > 100:
        return False
    if nxt.para.manual_break:
        return True
    if nxt.para.unit == "段" and parts[0].centered != nxt.centered:
        return False
    return patterns.width(t) <= 40


def _note(lines: list[Line], k: int, end: int) -> tuple[str, int]:
    """A bracketed note, possibly wrapped over lines; returns its text and lines used."""
    text = lines[k].text
    used = 1
    while text.startswith(("（", "(")) and not text.endswith(("）", ")")) and k + used < end:
        text += lines[k + used].text
        used += 1
    return text.strip("（）()"), used


def _attachment_items(first: str, rest: list[Line]) -> list[str]:
    """附件：1.甲 / 2.乙 (continuation lines of a long name joined) → [甲, 乙]."""
    items: list[str] = []
    texts = ([first] if first.strip() else []) + [ln.text for ln in rest]
    for t in texts:
        m = patterns.LIST_ITEM.match(t)
        if m or not items:
            items.append(t[m.end() :] if m else t)
        else:
            items[-1] += t
    return [i.strip() for i in items if i.strip()]


def _full_width(lines: list[Line]) -> float:
    """How wide a full line of this draft is: the width most long lines share."""
    widths = sorted(patterns.width(ln.text) for ln in lines if ln.table is None and ln.text)
    if not widths:
        return 0.0
    return widths[int(len(widths) * 0.9) if len(widths) > 1 else 0]


def _indents_mark_paragraphs(lines: list[Line]) -> float | None:
    """The indent that starts a paragraph, when the typist indented first lines with spaces
    (so a line that is not indented goes on): some lines sit deeper than the least indented."""
    texts = [ln for ln in lines if ln.table is None and ln.text and not ln.pushed_right]
    if len(texts) < 2:
        return None
    base = min(ln.indent for ln in texts)
    deeper = sum(1 for ln in texts if ln.indent >= base + 1.5)
    return base + 1.5 if deeper >= 2 else None


def _structural(text: str) -> bool:
    return bool(
        patterns.heading_level(text)
        or patterns.parse_date(text)
        or patterns.ATTACH_LIST.match(text)
        or patterns.ATTACH_LABEL.match(text)
        or patterns.CC.match(text)
        or patterns.PRINTED.match(text)
    )


def _joins(prev: Block, line: Line, full: float, indents: float | None) -> bool:
    """Whether ``line`` continues the paragraph ``prev`` (a wrap, not a new paragraph)."""
    last = prev.lines[-1]
    before = prev.text
    if line.para.page_break_before and line.para.unit == "段":
        return False
    if _structural(line.text):
        return False
    if patterns.is_standalone_heading(before) and not _wrapped_heading(before, full):
        return False
    if line.para.outline or (last.para.outline and not line.para.manual_break):
        return False
    starts = indents is not None and line.indent >= indents
    if starts:
        return False  # an indented line starts a paragraph
    if line.para.manual_break and line.para.index == last.para.index:
        return before[-1:] not in patterns.SENTENCE_END + "：:" or indents is not None
    end = before[-1:]
    w = patterns.width(last.text)
    if end in patterns.SENTENCE_END + "：:；;":
        # A sentence ended exactly at the end of a full line: only indents can tell.
        return indents is not None and full > 0 and w >= full * 0.95
    if end in "，、（《“‘—…":
        return True  # the sentence goes on
    return w >= 40 or (full > 0 and w >= full * 0.85 and w >= 12)


def _wrapped_heading(text: str, full: float) -> bool:
    """A heading line that is as full as a body line, with a comma in it, wrapped (…责任人、管)."""
    return "，" in text and full > 0 and patterns.width(text) >= full * 0.85


def _join_text(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"  # an English word wrapped at a space
    return a + b
