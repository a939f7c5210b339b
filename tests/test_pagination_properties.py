"""Pagination over many generated 函 and 请示 (headings, paragraphs, tables, 附件说明, 附注):
what a proof-reader checks on every page holds whatever the text.

- no blank page before the 版记's pages;
- a heading on its own line is never the last line of a page;
- the signature's page holds text or a table row above the signature [7.3.5.5].

The examples are derived, not random, so a run is the same everywhere.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pdf_edges import letter

from docgen.decide.decisions import decide
from docgen.fonts import resolve_fonts
from docgen.layout import layout_document
from docgen.layout.plan import RuleItem, TextItem
from docgen.loader import build
from docgen.spec import Profile

HEADINGS = ("一、总体要求", "二、主要任务", "（一）加强组织领导", "三、保障措施", "1.明确责任分工")
DATE = "2025年7月7日"
PROFILE = Profile()


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


def table(rows: int) -> dict:
    return {"table": {"rows": [["项目", "金额"]] + [[f"项目{i}", f"{i}.00"] for i in range(rows)]}}


block = st.one_of(
    st.sampled_from(HEADINGS),
    st.integers(1, 120).map(lambda n: "正文" * n + "。"),
    st.integers(1, 12).map(table),
)
documents = st.fixed_dictionaries(
    {
        "body": st.lists(block, min_size=1, max_size=20),
        "attachment": st.booleans(),
        "note": st.booleans(),
        "request": st.booleans(),
    }
)


def data_of(spec: dict) -> dict:
    data = letter(body=spec["body"])
    if spec["request"]:
        data.update(kind="request", number="高文保〔2025〕31号", signers=["李志刚"])
        data.update(issuer="高平市文物保护中心", recipients=["高平市人民政府"])
        data.pop("cc")
    if spec["attachment"]:
        data["attachments"] = [{"title": "有关情况", "body": "附件正文。"}]
    if spec["note"]:
        data["note"] = "此件公开发布"
    return data


@settings(max_examples=150, deadline=None, derandomize=True)
@given(documents)
def test_pages_pass_the_proof_readers_checks(fonts, spec: dict) -> None:
    doc = build(data_of(spec))
    plan = layout_document(doc, PROFILE, fonts, decide(doc, PROFILE, fonts=fonts))
    pages = plan.pages
    signed = False
    for k, page in enumerate(pages, 1):
        texts = [i for i in page.items if isinstance(i, TextItem) and not i.text.startswith("—")]
        if k < len(pages) - 1:  # the 版记 may take a page of its own, with a blank before it
            assert texts or page.turned, f"第{k}页是空白页"
        body = [t for t in texts if t.size_pt == 16]
        if body and k < len(pages):
            last = max(body, key=lambda t: t.baseline)
            assert last.text not in HEADINGS, f"标题“{last.text}”是第{k}页的最后一行"
        dates = [t for t in texts if t.text == DATE]
        if dates and not signed:
            signed = True
            above = dates[0].baseline - 2.5 * 10.227  # over the signature's name
            carried = [t for t in body if t.baseline < above and t.color == (0, 0, 0)]
            ruled = [r for r in page.items if isinstance(r, RuleItem) and r.y < above]
            first_page_head = k == 1  # page 1 always has the title and the text's start
            assert carried or ruled or first_page_head, f"第{k}页只有署名"
    assert signed
