"""Paragraphs of a draft → the parts of a 公文, each with the paragraph it came from.

The head is read from the top (mark, number, signer, title, recipients);
the tail from the bottom of the main text (colophon, attachments, note,
date, signature, attachment list), so a body paragraph that happens to look
like a signature stays body text. What is left between them is the body.
"""

import re
from dataclasses import dataclass, field

from docgen.importer import cleanup, patterns
from docgen.importer.lines import Line, prepare_lines
from docgen.importer.parts import (
    ORG_AND_DATE,
    are_names,
    attachment_items,
    continues_title,
    doc_number,
    flat,
    is_mark,
    is_recipients,
    note_at,
    split_names,
)
from docgen.importer.reflow import Block, paragraphs, structural
from docgen.importer.report import Report
from docgen.importer.source import Draft, DraftError

__all__ = ["Block", "Found", "Line", "recognise"]


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
    lines = prepare_lines(draft, report)
    return _Parser(lines, report).parse()


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
                f.head["number"] = doc_number(m["number"], self.report)
                self._at("number", ln)
                self.role(ln, "发文字号", "number")
                if m["signers"]:
                    f.head["signers"] = split_names(m["signers"])
                    self._at("signers", ln)
                    self.role(ln, "发文字号、签发人", "number, signers")
            elif m := patterns.SIGNER.match(t):
                f.head["signers"] = split_names(m["signers"])
                self._at("signers", ln)
                self.role(ln, "签发人", "signers")
            elif t.endswith("纪要") and any(
                patterns.ISSUE_NO.match(n.text) for n in lines[i + 1 : i + 3]
            ):
                mark_lines.append(ln)  # 纪要标志 above 第N期
                self.role(ln, "纪要标志", "mark")
            elif (m := ORG_AND_DATE.match(ln.raw.strip())) and patterns.is_org(m["org"].strip()):
                # 纪要 head: 编发机关 and date on one line
                f.meeting["compiler"] = cleanup.squeeze_spaces(m["org"])
                f.date = patterns.parse_date(cleanup.squeeze_spaces(m["date"]))
                self._at("compiler", ln)
                self._at("date", ln)
                self.role(ln, "编发机关和日期", "compiler, date")
            elif "number" not in f.head and is_mark(ln, lines[i + 1 : i + 4]):
                mark_lines.append(ln)
                self.role(ln, "发文机关标志", "issuer")
            elif issue := patterns.ISSUE_NO.match(t):
                f.meeting["issue_no"] = int(issue.group(1))
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
        while j < len(lines) and continues_title(parts, lines[j]):
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
        # Recipients: the line after the title that ends with a colon (two lines, when a
        # long list wrapped: names of offices, the first line full).
        used = next(
            (
                n
                for n in (1, 2)
                if j + n <= len(lines)
                and all(ln.table is None for ln in lines[j : j + n])
                and is_recipients("".join(ln.text for ln in lines[j : j + n]))
                and (n == 1 or are_names("".join(ln.text for ln in lines[j : j + n])))
            ),
            0,
        )
        if used:
            taken = lines[j : j + used]
            self.found.recipients = split_names("".join(ln.text for ln in taken).rstrip("：:"))
            for ln in taken:
                self.role(ln, "主送机关", "recipients", "跨行，已合并" if used > 1 else "")
            self._at("recipients", *taken)
            j += used
        return j

    # --- tail, from the bottom -----------------------------------------------------------

    def _colophon(self, start: int) -> int:
        """抄送 and 印发 lines at the very end; returns where they begin."""
        lines = self.lines
        k = len(lines)
        while k > start:
            ln = lines[k - 1]
            if ln.table is not None:
                break
            if self._colophon_line(ln):
                k -= 1
                continue
            # 印发机关 and 印发日期 at the two ends of one line, copied as two lines.
            if (m := patterns.PRINT_DATE.match(ln.text)) and k - 1 > start:
                org = lines[k - 2]
                if org.table is None and patterns.is_org(org.text):
                    self.found.printer = org.text
                    self.found.print_date = patterns.parse_date(m["date"].replace(" ", ""))
                    for n in (org, ln):
                        self.role(n, "印发机关和印发日期", "printer, print_date")
                    self._at("printer", org)
                    self._at("print_date", ln)
                    k -= 2
                    continue
            # A 抄送 line that wrapped: its last lines sit below it.
            cc_at = next(
                (
                    j
                    for j in range(k - 2, max(start, k - 4) - 1, -1)
                    if lines[j].table is None and patterns.CC.match(lines[j].text)
                ),
                None,
            )
            tail = lines[cc_at + 1 : k] if cc_at is not None else []
            if (
                cc_at is not None
                and tail
                and all(n.table is None and not structural(n.text) for n in tail)
            ):
                head = lines[cc_at]
                text = head.text + "".join(n.text for n in tail)
                self._colophon_line(Line(head.para, text, text, head.indent, head.role))
                for n in tail:
                    self.role(n, "抄送", "cc", "断行，与上一段合并")
                self._at("cc", head, *tail)
                k = cc_at
                continue
            break
        return k

    def _colophon_line(self, ln: Line) -> bool:
        f = self.found
        if m := patterns.CC.match(ln.text):
            f.cc = split_names(m["rest"].rstrip("。"))
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
                note, used = note_at(lines, k, end)
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
                items = attachment_items(m["rest"], lines[a + 1 : k])
                self.found.attachment_list = items
                for n in lines[a:k]:
                    self.role(n, "附件说明", "attachment_list")
                self._at("attachment_list", *lines[a:k])
                return a
        return k

    # --- attachments ----------------------------------------------------------------------

    def _attachments(self, lines: list[Line]) -> None:
        names = [flat(n) for n in self.found.attachment_list]
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
                    (ln.para.page_break_before and (not names or flat(ln.text) in names))
                    or (names and flat(ln.text) in names and flat(ln.text) != flat(lines[0].text))
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
            joined = flat("".join(t.text for t in taken))
            if ln.table is not None or joined in names:
                break
            candidate = joined + flat(ln.text)
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
        blocks = paragraphs(lines)
        for n, block in enumerate(blocks, 1):
            first, *rest = block.lines
            if block.table is not None:
                self.role(first, "表格", f"{field}[{n}]")
                continue
            level = patterns.heading_level(block.text)
            name = f"{'一二三四'[level - 1]}级标题" if level else role
            if first.para.outline and not level:
                name = f"{role}（Word 标题样式 {first.para.outline} 级，无序号）"
            self.role(first, name, f"{field}[{n}]")
            for ln in rest:
                why = "换行符" if ln.para.manual_break else "断行"
                self.role(ln, role, f"{field}[{n}]", f"{why}，与上一段合并")
        return blocks

    def _at(self, field: str, *lines: Line) -> None:
        wheres = []
        for ln in lines:
            if ln.para.where not in wheres:
                wheres.append(ln.para.where)
        if len(wheres) > 2:
            wheres = [wheres[0], "…", wheres[-1]]
        self.found.where[field] = "、".join(wheres)
