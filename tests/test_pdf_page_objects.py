"""render/pdfpage.py writes a plain page's objects (its content stream, its dictionary, the
page tree, the catalog, the font dictionary) directly and from memos; the file must be
byte for byte the one reportlab's own page objects give, document after document.

tools/golden.py checks the sample documents; these build documents for the cases: one
page and many, text in several fonts, rules, a hatched box (clipping), a page set across,
and the same form twice (the memos answering the second time).
"""

from __future__ import annotations

from argparse import Namespace

import pytest
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

import docgen.render.pdfsave as pdfsave
from docgen.cli import load_context
from docgen.layout.plan import BoxItem, Page, Plan, RuleItem, TextItem
from docgen.render.pdf import render_pdf
from docgen.spec import FontRole


def _text(y: float, text: str, role: FontRole = FontRole.FANGSONG) -> TextItem:
    return TextItem(x=28, baseline=y, runs=[(role, text)], size_pt=16, char_space_pt=-0.2)


def _notice(number: int) -> list[Page]:
    items: list = [
        _text(40, "高平市文物保护工作联席会议办公室", FontRole.XIAOBIAOSONG),
        RuleItem(x0=28, x1=184, y=60, width_mm=0.35, color=(230, 0, 0)),
        _text(70, f"高文联办督〔2025〕{number}号"),
        _text(80, "承办单位：市文物局" if number % 2 else "承办单位：市发展和改革委员会"),
        _text(270, "— 1 —", FontRole.SONGTI),
    ]
    return [Page(items=items)]


def _many_pages() -> list[Page]:
    pages = []
    for n in range(23):  # more than ten pages: the page tree's Kids run over lines
        items: list = [_text(40 + 10 * k, f"第{n}页第{k}行：整改情况已报送") for k in range(5)]
        items.append(_text(270, f"— {n + 1} —", FontRole.SONGTI))
        pages.append(Page(items=items))
    return pages


def _box_and_turned() -> list[Page]:
    box = BoxItem(x=30, top=50, width=60, height=20, grey=0.8, hatch="x")
    turned = Page(
        items=[_text(40, "横排表格：单位、事项、时限")],
        landscape=True,
        turned=[_text(270, "— 2 —", FontRole.SONGTI)],
    )
    return [Page(items=[box, _text(90, "图示")]), turned]


DOCUMENTS = {
    "notice 1": _notice(1),
    "notice 2": _notice(2),
    "notice 3": _notice(3),
    "many pages": _many_pages(),
    "box and turned page": _box_and_turned(),
}


def _reportlab_pages(obj: object, doc: pdfdoc.PDFDocument) -> bytes:
    """Every object formatted by reportlab, as before render/pdfpage.py."""
    if type(obj) is pdfdoc.PDFInfo:
        return obj.format(doc)  # type: ignore[attr-defined, no-any-return]
    result: bytes = pdfdoc.format(obj, doc, toplevel=1)
    return result


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_page_objects_are_reportlabs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, fonts = load_context(Namespace(profile=None, font=[]))
    monkeypatch.setattr(rl_config, "invariant", 1)  # the same timestamp in both files
    plan = Plan(pages=DOCUMENTS[name], title_lines=[])
    ours = [render_pdf(plan, fonts, title="督办单", author="办公室") for _ in range(2)]
    monkeypatch.setattr(pdfsave, "_body", _reportlab_pages)
    theirs = render_pdf(plan, fonts, title="督办单", author="办公室")
    assert b"/Type /Page" in theirs
    assert ours[0] == theirs
    assert ours[1] == theirs  # the memos' answer is the same file
