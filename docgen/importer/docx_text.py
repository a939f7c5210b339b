"""What a Word reader sees of a .docx part: the text as accepted, without what revisions took out.

A draft back from 核稿 carries tracked changes (修订) and comments (批注).
The text imported is the one Word shows after "接受所有修订": inserted and
moved-to text kept, deleted and moved-from text dropped, a paragraph whose
mark was deleted run into the next. Comments are not text of the document.
Fields (a date, a page number) give their shown result; content controls
(WPS and Word templates use them) give their content, unless they still show
their placeholder ("单击或点击此处输入文字"), which is no one's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from docx.oxml.ns import qn

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"

# Elements whose content is not in the accepted text.
_DROPPED = {
    f"{_MC}Fallback",  # Word's second copy of a drawing for older readers
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:delText"),
    qn("w:delInstrText"),
    qn("w:instrText"),  # a field's code (DATE \@ …); its result is read
    qn("w:rPr"),  # run properties hold no text (and a deleted paragraph mark's w:del)
    qn("w:pPr"),
    qn("w:sdtPr"),
    qn("w:commentReference"),
}
# Containers whose children are read as if in their place.
_TRANSPARENT = (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag"))
_CHANGES = (qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo"))


def shows_placeholder(sdt) -> bool:  # noqa: ANN001
    """A content control still showing its prompt, not typed text."""
    pr = sdt.find(qn("w:sdtPr"))
    return pr is not None and pr.find(qn("w:showingPlcHdr")) is not None


def walk(el, boxes: list[str]) -> Iterator:  # noqa: ANN001
    """A paragraph's elements in reading order, as accepted; a text box's text goes to
    ``boxes`` instead (one entry a paragraph of the box)."""
    for child in el:
        tag = child.tag
        if tag in _DROPPED:
            continue
        if tag == qn("w:sdt") and shows_placeholder(child):
            continue
        if tag == qn("w:txbxContent"):
            for p in child.iter(qn("w:p")):
                text = plain_text(p).strip()
                if text:
                    boxes.append(text)
            continue
        yield child
        yield from walk(child, boxes)


def plain_text(p) -> str:  # noqa: ANN001
    """A paragraph's (or a cell's) text as accepted, text boxes after it."""
    boxes: list[str] = []
    out = []
    for el in walk(p, boxes):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:tab"):
            out.append("\t")
    return "".join(out) + "".join(boxes)


def mark_deleted(p) -> bool:  # noqa: ANN001
    """The paragraph's mark was deleted in tracked changes: it runs into the next paragraph."""
    ppr = p.find(qn("w:pPr"))
    rpr = ppr.find(qn("w:rPr")) if ppr is not None else None
    return rpr is not None and (
        rpr.find(qn("w:del")) is not None or rpr.find(qn("w:moveFrom")) is not None
    )


def blocks(parent) -> Iterator:  # noqa: ANN001
    """Body-level paragraphs and tables in order, looking inside content controls."""
    for child in parent:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in _TRANSPARENT:
            if child.tag == qn("w:sdt") and shows_placeholder(child):
                continue
            yield from blocks(child)


def rows(tbl) -> Iterator:  # noqa: ANN001
    """A table's rows, those inside content controls too; a row deleted in revisions left out."""
    for child in tbl:
        if child.tag == qn("w:tr"):
            trpr = child.find(qn("w:trPr"))
            if trpr is not None and trpr.find(qn("w:del")) is not None:
                continue
            yield child
        elif child.tag in _TRANSPARENT:
            yield from rows(child)


def cells(tr) -> Iterator:  # noqa: ANN001
    for child in tr:
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in _TRANSPARENT:
            yield from cells(child)


@dataclass
class Revisions:
    """Tracked changes and comments found in a part, counted as Word lists them."""

    changes: int = 0  # insertions, deletions and moves holding text
    comments: int = 0

    @classmethod
    def count(cls, root) -> Revisions:  # noqa: ANN001
        ids: set[str] = set()
        n = 0
        for el in root.iter(*_CHANGES):
            if el.getparent() is not None and el.getparent().tag == qn("w:rPr"):
                continue  # a paragraph mark's change goes with the text around it
            if not any(True for _ in el.iter(qn("w:t"), qn("w:delText"))):
                continue
            key = el.get(qn("w:id"))
            if key is None:
                n += 1
            elif key not in ids:
                ids.add(key)
        comments = {
            el.get(qn("w:id"))
            for el in root.iter(qn("w:commentReference"), qn("w:commentRangeStart"))
        }
        return cls(n + len(ids), len(comments))
