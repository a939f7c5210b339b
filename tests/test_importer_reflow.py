"""Text pasted from a PDF reads as it was written: paragraphs joined by the width of their lines.

The 请示 in tests/data/request-pasted.yaml is rendered by docgen, its PDF's text taken
out the ways a clerk gets it (a viewer's copy through PyMuPDF, pdftotext with and
without -layout), imported back, compared with the model field by field, and
rendered again: every paragraph of the model must be on the new PDF's pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import drafts
import pymupdf
import pytest

from docgen import loader
from docgen.fonts import resolve_fonts
from docgen.importer import import_draft, text_paragraphs
from docgen.pipeline import load_checked, render_document
from docgen.spec import Profile

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "tests" / "data" / "request-pasted.yaml"
# The sample 函 with its 制度 attachment: long paragraphs, one ending at a line's end.
LETTER = ROOT / "samples" / "letter-gaoping-18.yaml"


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


@pytest.fixture(scope="module", params=[MODEL, LETTER], ids=["请示", "函"])
def rendered(request, tmp_path_factory, fonts) -> tuple[Path, Path]:
    model = request.param
    doc, _ = load_checked(model)
    result = render_document(doc, ("pdf",), Profile(), fonts, base_dir=model.parent)
    pdf = tmp_path_factory.mktemp("pasted") / "公文.pdf"
    pdf.write_bytes(result.files["pdf"])
    return model, pdf


def viewer_copy(pdf: Path) -> str:
    """What a PDF viewer's select-all and copy gives: each printed line a line of text."""
    with pymupdf.open(pdf) as doc:
        return "\n".join(page.get_text() for page in doc)


def pdftotext(pdf: Path, *options: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def model_of(data: dict) -> dict:
    return loader.build(data).model_dump()


EXTRACTORS = {
    "viewer": viewer_copy,
    "pdftotext": lambda pdf: pdftotext(pdf),
    "pdftotext-layout": lambda pdf: pdftotext(pdf, "-layout"),
}


@pytest.mark.parametrize("how", list(EXTRACTORS))
def test_a_document_pasted_from_its_pdf_imports_as_written(
    tmp_path: Path, rendered: tuple[Path, Path], fonts, how: str
) -> None:
    model, pdf = rendered
    if model == LETTER and how != "viewer":
        # Its lines with wide justification gaps (a list of 22 units) pdftotext cuts at the
        # gaps into pieces (市市场监督管理局： / 负责……) that no viewer's copy has.
        pytest.skip("pdftotext splits this letter's widely spaced lines at their gaps")
    text = EXTRACTORS[how](pdf)
    # The copy is what the issue describes: lines of a printed page, page numbers between.
    assert re.search(r"— ?2 ?—", text)
    if model == MODEL:  # 一、… runs over its line
        first = re.search(r"(?m)^\s*一、同意[^\n]*$", text)
        assert first and not first.group().rstrip().endswith("。")
    draft = tmp_path / "公文.txt"
    draft.write_text(text, encoding="utf-8")
    result = import_draft(draft)
    want = loader.load(model).model_dump()
    got = model_of(result.model_dict())
    for key in want:
        if key in ("printer", "print_date") and want[key] is None:
            continue  # the model's default (the issuer, the date) is what the page shows
        assert got[key] == want[key], f"{how}: {key}"
    assert not result.report.unplaced
    roles = [p.role for p in result.report.paragraphs]
    assert roles.count("页码（已删除）") == len(re.findall(r"(?m)^\s*— ?\d+ ?—\s*$", text)) >= 2
    # Rendered again, every paragraph of the model is on the pages, in order.
    doc, _ = load_checked(draft)
    again = render_document(doc, ("pdf",), Profile(), fonts, base_dir=tmp_path)
    out = tmp_path / "again.pdf"
    out.write_bytes(again.files["pdf"])
    printed = flat(re.sub(r"(?m)^— \d+ —$", "", viewer_copy(out)))
    pos = 0
    expected = [want["title"], *want["body"], *(want["attachment_list"] or [])]
    for att in want["attachments"]:
        expected += [att["title"], *att["body"]]
    for para in expected:
        at = printed.find(flat(str(para)), pos)
        assert at >= 0, f"{how}: not printed: {str(para)[:30]}"
        pos = at


# --- the rules, one at a time ------------------------------------------------------------------

RUN_ON = "一、同意你中心于2025年11月至12月在全市范围内开展文物安全专项检查，检查对象为全市126处各级文物保护单位和38处尚未核定公布为文物保护单位的不可移动文物。"
DIGITS = "检查所需经费约12.5万元，拟从2025年度文物保护专项资金中列支，共涉及126处2024年已登记的点位，不足部分由我中心自筹解决。"


def test_a_numbered_paragraph_that_runs_over_is_one_paragraph() -> None:
    lines = drafts.wrap(RUN_ON, 28, first=26)
    assert lines[0].endswith("开展文物") and lines[1].startswith("安全")
    assert text_paragraphs("\n".join([*lines, "二、检查内容", "正文。"])) == [
        RUN_ON,
        "二、检查内容",
        "正文。",
    ]


def test_a_line_of_half_width_digits_is_as_full_as_a_line_of_chinese() -> None:
    lines = drafts.wrap(DIGITS, 28, first=26)
    # Lines holding more characters than cells, one of them with a half cell left free.
    assert any(len(ln) > 28 for ln in lines[1:])
    assert any(drafts.cells(ln) % 1 for ln in lines[:-1])
    assert text_paragraphs("\n".join(lines)) == [DIGITS]


def test_a_full_line_runs_on_whatever_the_next_starts_with() -> None:
    para = "根据工作安排，现将检查范围调整为文物保护单位和列入第二、三批名录的历史建筑，请各单位按此执行。"
    lines = drafts.wrap(para, 28, first=26)
    # The second line starts with 二、 (a heading's number, mid-sentence here).
    assert lines[1].startswith("二、")
    assert text_paragraphs("\n".join([*lines, "三、工作要求"])) == [para, "三、工作要求"]


def test_a_short_numbered_line_is_a_heading_and_a_short_line_ends_its_paragraph() -> None:
    text = "\n".join(
        [
            *drafts.wrap("为加强管理，特制定本办法。", 28, first=26),
            "二、资金需求",
            *drafts.wrap(RUN_ON, 28, first=26),
            "（一）保护修缮",
        ]
    )
    assert text_paragraphs(text) == [
        "为加强管理，特制定本办法。",
        "二、资金需求",
        RUN_ON,
        "（一）保护修缮",
    ]


def test_the_width_is_learned_from_the_source() -> None:
    """A source set 35 cells wide (a Word page with small margins): lines of 35 are full."""
    paras = [RUN_ON, DIGITS, "二、工作要求", "请各单位认真落实。"]
    lines = [ln for p in paras for ln in drafts.wrap(p, 35, first=33)]
    assert text_paragraphs("\n".join(lines)) == paras


def test_indented_first_lines_and_page_seams() -> None:
    lines = []
    for p in (RUN_ON, DIGITS):
        first, *rest = drafts.wrap(p, 28, first=26)
        lines += ["    " + first, *rest]
    lines[2:2] = ["", "— 3 —", ""]  # a page seam inside the first paragraph
    assert text_paragraphs("\n".join(lines)) == [RUN_ON, DIGITS]


def test_text_typed_one_paragraph_a_line_is_left_as_typed() -> None:
    paras = [RUN_ON, "二、检查内容", DIGITS, "妥否，请批示。"]
    assert text_paragraphs("\n".join(paras)) == paras


def test_markdown_follows_the_same_rules(tmp_path: Path) -> None:
    lines = ["# 高平市文物保护中心关于开展文物安全专项检查的请示", "", "高平市人民政府：", ""]
    for p in (RUN_ON, DIGITS):
        lines += drafts.wrap(p, 28, first=26)
    lines += ["", "妥否，请批示。", "", "高平市文物保护中心", "2025年10月20日"]
    path = tmp_path / "请示.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert import_draft(path).data["body"] == [RUN_ON, DIGITS, "妥否，请批示。"]


# --- 附件说明 over several lines ----------------------------------------------------------------

LONG_NAME = "高平市2025年度文物安全专项检查重点单位及建设项目清单"


@pytest.mark.parametrize("numbered", [True, False])
def test_attachment_list_over_lines_with_a_wrapped_title(tmp_path: Path, numbered: bool) -> None:
    names = ["高平市2025年度文物安全专项检查工作方案", LONG_NAME] if numbered else [LONG_NAME]
    if numbered:
        listed = drafts.wrap("附件：1.高平市2025年度文物安全专项检查工作方案", 28, first=26)
        listed += drafts.wrap("2." + LONG_NAME, 24)  # hung under the first name
    else:
        listed = drafts.wrap("附件：" + LONG_NAME, 28, first=26)
    assert len(listed) >= 2
    lines = [
        "高平市文物保护中心关于开展文物安全专项检查的请示",
        "高平市人民政府：",
        *drafts.wrap(RUN_ON, 28, first=26),
        "妥否，请批示。",
        *listed,
        "高平市文物保护中心",
        "2025年10月20日",
        "（联系人：王晓燕，电话：0356-5220000）",
        "— 1 —",
    ]
    for n, name in enumerate(names, 1):
        label = f"附件{n}" if numbered else "附件"
        lines += [label, *drafts.wrap(name, 22), "正文一段。", f"— {n + 1} —"]
    path = tmp_path / "附件说明.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = import_draft(path)
    data = result.data
    listed_at = result.report.part("attachment_list")
    assert listed_at is not None and listed_at.found
    assert data.get("attachment_list", names) == names
    assert [a["title"] for a in data["attachments"]] == names
    assert data["body"] == [RUN_ON, "妥否，请批示。"]
    assert data["issuer"] == ["高平市文物保护中心"]
    assert data["date"].isoformat() == "2025-10-20"


def test_text_wrapped_by_a_character_count_is_read_by_count() -> None:
    """28 characters a line whatever they are (a script's wrap, not a PDF's): a line of
    digits is then short in cells, yet full."""

    def by_count(text: str) -> list[str]:
        return [text[:26]] + [text[i : i + 28] for i in range(26, len(text), 28)]

    paras = [DIGITS, RUN_ON, "二、检查内容", DIGITS.replace("12.5", "112.50"), "妥否，请批示。"]
    lines = [ln for p in paras for ln in by_count(p)]
    assert any(drafts.cells(ln) < 26 and len(ln) == 28 for ln in lines)
    assert text_paragraphs("\n".join(lines)) == paras


def test_recipients_over_two_lines(tmp_path: Path) -> None:
    recipients = [
        "各乡（镇）人民政府",
        "各街道办事处",
        "市发展和改革委员会",
        "市财政局",
        "市文物局",
        "市直各有关单位",
    ]
    listed = drafts.wrap("、".join(recipients) + "：", 28)
    assert len(listed) == 2
    lines = [
        "高平市文物保护中心关于开展文物安全专项检查的函",
        *listed,
        *drafts.wrap(RUN_ON, 28, first=26),
        "高平市文物保护中心",
        "2025年10月20日",
    ]
    path = tmp_path / "函.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    data = import_draft(path).data
    assert data["recipients"] == recipients
    assert data["body"] == [RUN_ON]
    # A first paragraph ending with a colon is no list of recipients.
    first = "为进一步加强全市文物安全工作，经研究，现将有关事项函告如下："
    lines[1:3] = drafts.wrap(first, 28, first=26)
    path.write_text("\n".join(lines), encoding="utf-8")
    data = import_draft(path).data
    assert not data.get("recipients")
    assert data["body"][0] == first


def test_repeated_lines_away_from_page_seams_are_text() -> None:
    """Three paragraphs ending alike are not a running head when page numbers show the seams."""
    para = "请各单位认真组织自查，于10月31日前报送自查情况，对发现的问题建立台账，限期整改到位。"
    lines = drafts.wrap(para, 28, first=26)
    assert len(lines) == 2 and len(lines[-1]) < 20
    text = "\n".join([*drafts.wrap(RUN_ON, 28, first=26), *lines, *lines, "— 1 —", *lines])
    assert text_paragraphs(text) == [RUN_ON, para, para, para]
