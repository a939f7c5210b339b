"""A .docx draft → paragraphs, reading Word's own structure before any text.

What Word knows and the text does not: heading styles and outline levels,
automatic numbering labels, alignment (a right-aligned date), page breaks
before an attachment, tables, images, red letterhead runs.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from docgen.importer.docx_text import (
    BLIP,
    IMAGEDATA,
    Revisions,
    blocks,
    mark_deleted,
    plain_text,
    walk,
)
from docgen.importer.docx_text import cells as cells_of
from docgen.importer.docx_text import rows as rows_of
from docgen.importer.numbering import Numbering
from docgen.importer.patterns import is_org
from docgen.importer.source import Draft, DraftError, Para, Table

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes, name: str) -> Draft:
    from docgen.wordfile import WordFileError, open_word

    try:
        document, note = open_word(data)
    except WordFileError as exc:
        raise DraftError(f"{name}：{exc}") from None
    draft = _Reader(document, name).read()
    if note:
        draft.warnings.append(note)
    return draft


class _Reader:
    def __init__(self, document, name: str) -> None:  # noqa: ANN001
        self.doc = document
        self.name = name
        self.numbering = Numbering.read(document)
        self.styles = {s.style_id: s for s in document.styles if s.type == 1}  # paragraph styles
        self.paras: list[Para] = []
        self.count = 0
        self.break_pending = False
        self.runs_on = False  # the last paragraph's mark was deleted: this one runs into it

    def read(self) -> Draft:
        header = self._header()
        body = self.doc.element.body
        for child in blocks(body):
            if child.tag == qn("w:p"):
                self._paragraph(child)
            else:
                self._table(child)
        # An old letterhead kept in the page header: its lines come first, unless the body repeats them.
        top = {p.text.strip() for p in self.paras[:6]}
        notes = []
        kept = []
        for p in header:
            text = p.text.strip()
            if text in top:
                continue
            if p.red or is_org(text):
                kept.append(p)
            else:
                notes.append(f"页眉文字“{text[:20]}”不是版头，未导入")
        found = Revisions.count(body)
        return Draft(
            self.name, kept + self.paras, notes, revisions=found.changes, comments=found.comments
        )

    def _header(self) -> list[Para]:
        """The first page's header text (where old letterhead templates put the mark)."""
        try:
            section = self.doc.sections[0]
            part = (
                section.first_page_header
                if section.different_first_page_header_footer
                else section.header
            )
            if part.is_linked_to_previous:
                return []
            paragraphs = [p for p in part._element.iter(qn("w:p"))]
        except (IndexError, AttributeError, KeyError, ValueError):
            return []
        out = []
        for p in paragraphs:
            lines, _, _, red = self._runs(p)
            text = "".join(lines).strip()
            if text:
                ppr = p.find(qn("w:pPr"))
                out.append(
                    Para(
                        0, text, align=self._align(ppr, self._style_of(ppr)), red=red, label="页眉"
                    )
                )
        return out

    # --- paragraphs -----------------------------------------------------------

    def _paragraph(self, p) -> None:  # noqa: ANN001
        self.count += 1
        ppr = p.find(qn("w:pPr"))
        style = self._style_of(ppr)
        lines, breaks_page, images, red = self._runs(p)
        label = self._numbering_label(ppr, style)
        if label:
            lines[0] = label + lines[0].lstrip()
        page_before = self.break_pending or self._flag(ppr, style, "w:pageBreakBefore")
        self.break_pending = False
        align, outline = self._align(ppr, style), self._outline(ppr, style)
        split, trailing = split_lines(lines, breaks_page)
        if self.runs_on and self.paras and self.paras[-1].table is None and split:
            # Accepting the deletion of the mark before it joins the two paragraphs.
            self.paras[-1].text += split[0][0]
            split = split[1:]
        self.runs_on = mark_deleted(p)
        for k, (text, page_break) in enumerate(split):
            self.paras.append(
                Para(
                    self.count,
                    text,
                    page_break_before=page_break or (page_before and k == 0),
                    manual_break=k > 0 and not page_break,
                    align=align,
                    outline=outline,
                    images=images if k == 0 else 0,
                    red=red,
                    size=self.size,
                )
            )
        # A page break as the paragraph's last run, or a section break, starts the next page.
        self.break_pending = trailing or (ppr is not None and ppr.find(qn("w:sectPr")) is not None)

    def _runs(self, p) -> tuple[list[str], list[int], int, bool]:  # noqa: ANN001
        """Text lines split at manual breaks, indexes of page breaks, image count, red text.

        Text boxes (an old letterhead's mark often sits in one) become lines of
        their own before the paragraph's text; Word's fallback copy of a
        drawing (mc:Fallback) is not read twice.
        """
        lines = [""]
        boxes: list[str] = []
        page_breaks: list[int] = []
        images = 0
        red_chars = chars = 0
        self.size = 0.0
        for el in walk(p, boxes):
            tag = el.tag
            if tag == qn("w:t"):
                text = el.text or ""
                lines[-1] += text
                chars += len(text.strip())
                run = el.getparent()
                if _is_red(run):
                    red_chars += len(text.strip())
                if text.strip():
                    self.size = max(self.size, _size_pt(run))
            elif tag == qn("w:tab"):
                if el.getparent().tag == qn("w:r"):
                    lines[-1] += "\t"
            elif tag in (qn("w:br"), qn("w:cr")):
                kind = el.get(qn("w:type"))
                if kind == "page":
                    page_breaks.append(len(lines))
                    lines.append("")
                elif kind != "column":
                    lines.append("")
            elif tag == BLIP or tag == IMAGEDATA:
                images += 1
        if boxes:
            page_breaks = [k + len(boxes) for k in page_breaks]
            lines = boxes + lines
        return lines, page_breaks, images, chars > 0 and red_chars * 2 > chars

    def _style_of(self, ppr):  # noqa: ANN001, ANN202
        if ppr is None:
            return None
        ps = ppr.find(qn("w:pStyle"))
        return self.styles.get(ps.get(qn("w:val"))) if ps is not None else None

    def _chain(self, style):  # noqa: ANN001, ANN202 - the style and those it is based on
        seen = 0
        while style is not None and seen < 10:
            yield style
            style = style.base_style
            seen += 1

    def _style_ppr(self, style, tag: str):  # noqa: ANN001, ANN202
        for s in self._chain(style):
            ppr = s.element.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn(tag)) is not None:
                return ppr.find(qn(tag))
        return None

    def _prop(self, ppr, style, tag: str):  # noqa: ANN001, ANN202
        if ppr is not None and ppr.find(qn(tag)) is not None:
            return ppr.find(qn(tag))
        return self._style_ppr(style, tag)

    def _flag(self, ppr, style, tag: str) -> bool:  # noqa: ANN001
        el = self._prop(ppr, style, tag)
        return el is not None and el.get(qn("w:val"), "true") not in ("0", "false", "off")

    def _align(self, ppr, style) -> str | None:  # noqa: ANN001
        el = self._prop(ppr, style, "w:jc")
        if el is None:
            return None
        val = el.get(qn("w:val"))
        return {"end": "right", "start": "left", "distribute": "both"}.get(val, val)

    def _outline(self, ppr, style) -> int | None:  # noqa: ANN001
        for s in self._chain(style):
            m = _HEADING_STYLE.match(s.name or "")
            if m and ppr is not None and ppr.find(qn("w:outlineLvl")) is None:
                return int(m.group(1))
        el = self._prop(ppr, style, "w:outlineLvl")
        if el is not None:
            level = int(el.get(qn("w:val"), "9"))
            return level + 1 if level < 9 else None
        return None

    def _numbering_label(self, ppr, style) -> str:  # noqa: ANN001
        num_pr = self._prop(ppr, style, "w:numPr")
        if num_pr is None:
            return ""
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is None:
            return ""
        nid = num_id.get(qn("w:val"))
        if ilvl is not None:
            level = int(ilvl.get(qn("w:val"), "0"))
        else:  # numbering from the style: the level linked to the style, as Word finds it
            linked = self.numbering.level_of_style(nid, style.style_id if style is not None else "")
            level = linked if linked is not None else 0
        return self.numbering.label(nid, level)

    # --- tables ---------------------------------------------------------------

    def _table(self, tbl) -> None:  # noqa: ANN001
        """Rows of cells with merges as spans: gridSpan → colspan, vMerge → rowspan."""
        self.count += 1
        rows: list[list[str]] = []
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        origin: dict[int, tuple[int, int]] = {}  # grid column → (row, k) of the cell merging down
        header_rows = 0
        for tr in rows_of(tbl):
            r = len(rows)
            trpr = tr.find(qn("w:trPr"))
            if trpr is not None and trpr.find(qn("w:tblHeader")) is not None and header_rows == r:
                header_rows += 1
            row: list[str] = []
            col = 0
            for tc in cells_of(tr):
                tcpr = tc.find(qn("w:tcPr"))
                span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
                colspan = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                if vmerge is not None and vmerge.get(qn("w:val")) != "restart" and col in origin:
                    orow, k = origin[col]
                    rs, cs = spans.get((orow, k), (1, colspan))
                    spans[(orow, k)] = (rs + 1, cs)  # covered: the cell above grows
                    col += colspan
                    continue
                texts = [plain_text(p).strip() for p in tc.iter(qn("w:p"))]
                row.append("\n".join(t for t in texts if t))
                if vmerge is not None:
                    origin[col] = (r, len(row) - 1)
                else:
                    origin.pop(col, None)
                if colspan > 1:
                    spans[(r, len(row) - 1)] = (1, colspan)
                col += colspan
            rows.append(row)
        widths = []
        grid = tbl.find(qn("w:tblGrid"))
        if grid is not None:
            for col in grid.findall(qn("w:gridCol")):
                w = col.get(qn("w:w"))
                if w and w.isdigit():
                    widths.append(int(w) / 56.6929)  # twips → mm
        table = Table(rows, header_rows or 1, widths or None, spans)
        para = Para(self.count, "", table=table, page_break_before=self.break_pending)
        self.break_pending = False
        self.paras.append(para)


def split_lines(lines: list[str], page_breaks: list[int]) -> tuple[list[tuple[str, bool]], bool]:
    """Each manual line with whether a page break came before it, and a break left over at the end."""
    out: list[tuple[str, bool]] = []
    pending = False
    for k, line in enumerate(lines):
        pending = pending or k in page_breaks
        if not line.strip() and len(lines) > 1:
            continue  # the empty line a break leaves behind
        out.append((line, pending))
        pending = False
    if not out:
        out.append(("", False))
    return out, pending


def _size_pt(run) -> float:  # noqa: ANN001
    rpr = run.find(qn("w:rPr")) if run is not None else None
    sz = rpr.find(qn("w:sz")) if rpr is not None else None
    try:
        return int(sz.get(qn("w:val"))) / 2 if sz is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _is_red(run) -> bool:  # noqa: ANN001
    if run is None:
        return False
    rpr = run.find(qn("w:rPr"))
    color = rpr.find(qn("w:color")) if rpr is not None else None
    if color is None:
        return False
    val = (color.get(qn("w:val")) or "").upper()
    if len(val) != 6 or val == "AUTO":
        return False
    r, g, b = int(val[:2], 16), int(val[2:4], 16), int(val[4:], 16)
    return r > 180 and g < 90 and b < 90
