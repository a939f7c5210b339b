"""The PDF measured against GB/T 9704 in millimetres, as a proof-reader's ruler would.

Expected values are written from the spec (../shared/spec/gbt9704.md), not
read back from docgen's own constants.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfmeasure import MeasuredPDF, TextLine, page_number_value

from docgen.fonts import bundled_ink_top, resolve_fonts
from docgen.pipeline import load_checked, render_document
from docgen.spec import FontRole, Profile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# The spec's numbers, in mm.
LEFT, TOP, RIGHT, BOTTOM = 28.0, 37.0, 184.0, 262.0
PITCH = 225 / 22  # 10.227
CHAR = 156 / 28  # 5.571
BODY_EM = 16 * 25.4 / 72  # 5.644, a 3号 character
NUMBER_EM = 14 * 25.4 / 72  # 4.939, a 4号 character
BASELINE = 0.8  # baseline 80 % down an exact-height line (Word, LibreOffice)
RED = (255, 0, 0)
NO_LINE_START = set("。，、；：？！）》」』】”’")
NO_LINE_END = set("（《「『【“‘")


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


def render(path: Path, tmp: Path, fonts, profile: Profile | None = None) -> MeasuredPDF:
    doc, _ = load_checked(path)
    result = render_document(doc, ("pdf",), profile or Profile(), fonts, base_dir=path.parent)
    out = tmp / (path.stem + ".pdf")
    out.write_bytes(result.files["pdf"])
    return MeasuredPDF.open(out)


@pytest.fixture(scope="module")
def letter(tmp_path_factory, fonts) -> MeasuredPDF:
    return render(SAMPLES / "letter-gaoping-18.yaml", tmp_path_factory.mktemp("letter"), fonts)


@pytest.fixture(scope="module")
def request_pdf(tmp_path_factory, fonts) -> MeasuredPDF:
    return render(
        SAMPLES / "request-gaoping-wenbao-25.yaml", tmp_path_factory.mktemp("request"), fonts
    )


def body_lines(m: MeasuredPDF, page: int) -> list[TextLine]:
    """3号 black lines inside the block (not the mark, the page number or the colophon)."""
    return [
        ln
        for ln in m.lines(page)
        if abs(ln.size - 16) < 0.3
        and ln.color in (None, (0, 0, 0))
        and TOP - 1 < ln.top
        and ln.bottom < BOTTOM + 12
    ]


def all_text(m: MeasuredPDF) -> str:
    """The document's text in reading order, without the page numbers."""
    numbers = {(ln.page, round(ln.baseline, 2)) for ln in m.page_number_lines()}
    return "".join(
        ln.text
        for p in range(1, m.pages + 1)
        for ln in m.rows(p)
        if (p, round(ln.baseline, 2)) not in numbers
    )


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_close(actual: float, expected: float, tol: float, what: str) -> None:
    assert abs(actual - expected) <= tol, (
        f"{what}: {actual:.3f} mm, expected {expected:.3f} ± {tol} mm"
    )


# --- grid -------------------------------------------------------------------


def test_full_pages_hold_22_lines_on_the_pitch(letter: MeasuredPDF) -> None:
    # Attachment pages 3.. are full pages of body text in the block.
    full = [p for p in range(3, letter.pages) if len(body_lines(letter, p)) >= 20]
    assert full, "expected full attachment pages"
    for p in full:
        lines = body_lines(letter, p)
        assert len(lines) == 22, f"page {p}: {len(lines)} lines"
        for a, b in zip(lines, lines[1:]):
            assert_close(b.baseline - a.baseline, PITCH, 0.02, f"page {p} pitch")
        assert lines[0].top >= TOP - 0.01 and lines[-1].bottom <= BOTTOM + 0.01
        # The grid fills the block: 22 lines from 37 to 262 mm, each baseline 80 % down
        # its line, where Word and LibreOffice put it for exact line spacing.
        for k, ln in enumerate(lines):
            assert_close(
                ln.baseline, TOP + (k + BASELINE) * PITCH, 0.02, f"page {p} line {k + 1} baseline"
            )


def test_full_lines_hold_28_characters_filling_the_width(letter: MeasuredPDF) -> None:
    counted = 0
    for p in range(2, letter.pages + 1):
        lines = body_lines(letter, p)
        for ln, nxt in zip(lines, lines[1:]):
            cjk = [
                g
                for g in ln.ink
                if "\u3000" <= g.text <= "\u9fff" or "\uff00" <= g.text <= "\uffef"
            ]
            if len(cjk) == len(ln.ink) and nxt.x0 < LEFT + 0.5 and ln.x0 < LEFT + 0.5:
                # A full line of CJK text that continues on the next line: 28, or one
                # either side where 避头尾 moved the break (27 carried down, 29 with
                # two marks set half-width: 标点挤压, issue 18).
                assert len(ln.ink) in (27, 28, 29), ln.text
                assert_close(ln.x1, RIGHT, 0.05, f"right edge of {ln.text!r}")
                counted += len(ln.ink) == 28
    assert counted > 20


def test_paragraphs_indent_two_characters(letter: MeasuredPDF) -> None:
    lines = body_lines(letter, 1)
    first = next(ln for ln in lines if ln.text.startswith("你中心"))
    assert_close(first.x0, LEFT + 2 * CHAR, 0.05, "first-line indent")


def test_no_line_starts_or_ends_with_forbidden_punctuation(
    letter: MeasuredPDF, request_pdf: MeasuredPDF
) -> None:
    for m in (letter, request_pdf):
        for ln in m.lines():
            text = ln.text.strip()
            if not text:
                continue
            assert text[0] not in NO_LINE_START, (
                f"page {ln.page}: line starts with {text[0]}: {text}"
            )
            assert text[-1] not in NO_LINE_END, f"page {ln.page}: line ends with {text[-1]}: {text}"


def test_no_missing_glyphs(letter: MeasuredPDF, request_pdf: MeasuredPDF) -> None:
    assert letter.missing_glyphs() == 0
    assert request_pdf.missing_glyphs() == 0


@pytest.mark.parametrize("sample", ["letter-gaoping-18.yaml", "request-gaoping-wenbao-25.yaml"])
def test_every_input_line_present_in_order(sample: str, tmp_path: Path, fonts) -> None:
    m = render(SAMPLES / sample, tmp_path, fonts)
    doc, _ = load_checked(SAMPLES / sample)
    text = flat(all_text(m))
    pos = 0
    wanted = [doc.title, *doc.body, *[p for a in doc.attachments for p in (a.title, *a.body)]]
    for para in wanted:
        found = text.find(flat(para), pos)
        assert found >= 0, f"missing or out of order: {para[:30]}"
        pos = found + len(flat(para))


# --- letter format [10.1] -----------------------------------------------------


def test_letter_mark_and_double_lines(letter: MeasuredPDF) -> None:
    mark = next(ln for ln in letter.lines(1) if ln.color == RED)
    assert mark.text.replace(" ", "") == "高平市人民政府办公室"
    assert_close(mark.top, 30.0, 0.1, "mark top from the paper's top")
    assert_close(mark.center, 106.0, 0.3, "mark centred on the block")
    assert mark.x0 >= LEFT - 0.01 and mark.x1 <= RIGHT + 0.01
    reds = sorted((r for r in letter.rules(1) if r.color == RED), key=lambda r: r.y)
    assert len(reds) == 4
    for r in reds:
        assert_close(r.length, 170.0, 0.1, "double line length")
        assert_close(r.x0, 20.0, 0.1, "double line centred")
    top_thick, top_thin, bottom_thin, bottom_thick = reds
    assert top_thick.width_mm > top_thin.width_mm  # thick above thin
    assert bottom_thick.width_mm > bottom_thin.width_mm  # thin above thick
    assert_close(
        top_thick.y - top_thick.width_mm / 2,
        mark.bottom + 4.0,
        0.1,
        "upper double line 4 mm below the mark",
    )
    assert_close(
        bottom_thick.y + bottom_thick.width_mm / 2,
        297 - 20.0,
        0.1,
        "lower double line 20 mm above the bottom",
    )


def test_letter_number_flush_right_below_the_line(letter: MeasuredPDF) -> None:
    number = next(ln for ln in letter.lines(1) if "〔2025〕18号" in ln.text)
    assert number.text.strip() == "高政办函〔2025〕18号"
    thin = sorted((r for r in letter.rules(1) if r.color == RED), key=lambda r: r.y)[1]
    assert_close(number.x1, RIGHT, 0.1, "number flush with the block's right edge")
    assert_close(
        number.top,
        thin.y + thin.width_mm / 2 + 7 / 8 * BODY_EM,
        0.1,
        "7/8 of a character below the line",
    )


def test_letter_title_and_recipient(letter: MeasuredPDF) -> None:
    titles = [ln for ln in letter.lines(1) if abs(ln.size - 22) < 0.3]
    joined = "".join(ln.text.replace(" ", "") for ln in titles)
    assert joined == "高平市人民政府办公室关于同意建立高平市文物保护工作联席会议制度的函"
    for ln in titles:
        assert_close(ln.center, 106.0, 0.5, f"title line centred: {ln.text}")
    lengths = [len(ln.ink) for ln in titles]
    assert len(titles) >= 2 and len(set(lengths)) == len(lengths), f"no rectangle: {lengths}"
    for word in ("高平市人民政府办公室", "联席会议", "文物保护"):
        assert any(word in ln.text for ln in titles), f"{word} split across title lines"
    number = next(ln for ln in letter.lines(1) if "〔2025〕18号" in ln.text)
    assert titles[0].top - number.bottom > 2 * PITCH - 0.5 * PITCH - 0.1  # two lines below
    recipient = next(ln for ln in letter.lines(1) if ln.text.startswith("市文物保护中心"))
    assert recipient.text.endswith("：")
    assert_close(recipient.x0, LEFT, 0.05, "recipients flush left")
    assert_close(
        recipient.baseline - titles[-1].baseline, 2 * PITCH, 0.05, "one empty line below the title"
    )


def test_letter_first_page_unnumbered_then_by_parity(letter: MeasuredPDF) -> None:
    numbers = {ln.page: ln for ln in letter.page_number_lines()}
    assert 1 not in numbers
    for p in range(2, letter.pages + 1):
        ln = numbers[p]
        assert page_number_value(ln) == p
        assert ln.text.strip() == f"— {p} —"
        assert abs(ln.size - 14) < 0.1
        ink = bundled_ink_top(FontRole.SONGTI, "—") * NUMBER_EM
        assert_close(ln.baseline - ink, BOTTOM + 7.0, 0.1, "dashes' ink top 7 mm below the block")
        if p % 2:
            assert_close(ln.x1, RIGHT - NUMBER_EM, 0.1, "odd page: right, one character in")
        else:
            assert_close(ln.x0, LEFT + NUMBER_EM, 0.1, "even page: left, one character in")


def test_letter_signature_sealed_and_note(letter: MeasuredPDF) -> None:
    date = next(ln for ln in letter.lines() if ln.text.strip() == "2025年7月7日")
    assert_close(date.x1, RIGHT - 4 * CHAR, 0.1, "date four characters in from the right")
    name = next(
        ln
        for ln in letter.lines(date.page)
        if ln.text.strip() == "高平市人民政府办公室" and ln.color != RED
    )
    assert_close(name.center, date.center, 0.1, "issuer centred over the date")
    assert_close(date.baseline - name.baseline, PITCH, 0.05, "date on the line after the name")
    note = next(ln for ln in letter.lines(date.page) if ln.text.startswith("（此件公开发布）"))
    assert_close(note.x0, LEFT + 2 * CHAR, 0.05, "附注 indented two characters")
    assert_close(note.baseline - date.baseline, PITCH, 0.05, "附注 on the line after the date")
    attachment_note = next(ln for ln in letter.lines(date.page) if ln.text.startswith("附件："))
    # Seal space: two empty lines between the 附件说明 and the issuer name.
    assert_close(name.baseline - attachment_note.baseline, 3 * PITCH, 0.05, "seal space")


def test_letter_attachment_page(letter: MeasuredPDF) -> None:
    page = next(
        p
        for p in range(1, letter.pages + 1)
        if any(ln.text.strip() == "附件" for ln in letter.lines(p))
    )
    assert page > 1
    lines = letter.lines(page)
    label = next(ln for ln in lines if ln.text.strip() == "附件")
    assert_close(label.x0, LEFT, 0.05, "附件 flush left")
    assert any("Hei" in f or "Sans" in f for f in label.fonts), label.fonts
    assert_close(label.baseline, TOP + BASELINE * PITCH, 0.05, "附件 on line 1")
    title = next(ln for ln in lines if abs(ln.size - 22) < 0.3)
    assert title.text.replace(" ", "") == "高平市文物保护工作联席会议制度"
    assert_close(title.baseline - label.baseline, 2 * PITCH, 0.05, "title on line 3")
    assert_close(title.center, 106.0, 0.3, "attachment title centred")


def test_level_one_headings_in_heiti(letter: MeasuredPDF) -> None:
    heading = next(ln for ln in letter.lines() if ln.text.strip() == "一、主要职责")
    assert all("Hei" in f or "Sans" in f for f in heading.fonts), heading.fonts
    assert_close(heading.x0, LEFT + 2 * CHAR, 0.05, "heading indented two characters")


# --- file format [7.2] with signers (请示) -------------------------------------


def test_request_head(request_pdf: MeasuredPDF) -> None:
    lines = request_pdf.lines(1)
    mark = next(ln for ln in lines if ln.color == RED)
    assert mark.text.replace(" ", "") == "高平市文物保护中心文件"
    assert_close(mark.top, TOP + 35.0, 0.1, "mark 35 mm below the block's top")
    assert_close(mark.center, 106.0, 0.3, "mark centred on the block")
    signer = next(ln for ln in request_pdf.rows(1) if "签发人" in ln.text)
    names = signer.segments[-1] if signer.segments else signer
    assert "李志刚" in names.text
    assert_close(names.x1, RIGHT - CHAR, 0.1, "signers one character in from the right")
    number = next(seg for seg in (signer.segments or [signer]) if "〔2025〕25号" in seg.text)
    assert_close(number.x0, LEFT + CHAR, 0.1, "number one character in from the left")
    assert_close(
        signer.baseline - mark.bottom,
        (2 + BASELINE) * PITCH,
        0.05,
        "two empty lines below the mark",
    )
    sep = next(r for r in request_pdf.rules(1) if r.color == RED)
    assert_close(sep.length, 156.0, 0.1, "separator as wide as the block")
    assert_close(sep.x0, LEFT, 0.1, "separator on the block")
    assert_close(sep.y, number.bottom + 4.0, 0.1, "separator 4 mm below the number")
    kai = [g for g in names.ink if g.text in "李志刚"]
    assert all("WenKai" in g.font or "Kai" in g.font for g in kai), {g.font for g in kai}


def test_request_title_two_lines_below_separator(request_pdf: MeasuredPDF) -> None:
    sep = next(r for r in request_pdf.rules(1) if r.color == RED)
    titles = [ln for ln in request_pdf.lines(1) if abs(ln.size - 22) < 0.3]
    gap = titles[0].top - sep.y
    assert 1.5 * PITCH <= gap <= 2.5 * PITCH + (PITCH - 22 * 25.4 / 72) / 2 + 0.1, gap


def test_request_colophon_on_even_last_page(request_pdf: MeasuredPDF) -> None:
    last = request_pdf.pages
    assert last % 2 == 0, "double-sided: the colophon is on an even page"
    rules = sorted(
        (r for r in request_pdf.rules(last) if r.color in (None, (0, 0, 0))), key=lambda r: r.y
    )
    assert len(rules) >= 2
    for r in rules:
        assert_close(r.length, 156.0, 0.1, "colophon lines as wide as the block")
    assert_close(rules[-1].y, BOTTOM, 0.2, "last thick line on the block's bottom edge")
    assert_close(rules[-1].width_mm, 0.35, 0.02, "last line thick")
    assert_close(rules[0].width_mm, 0.35, 0.02, "first line thick")
    assert all(abs(r.width_mm - 0.25) < 0.02 for r in rules[1:-1])
    printed = next(ln for ln in request_pdf.rows(last) if "印发" in ln.text)
    assert abs(printed.size - 14) < 0.1
    left, right = printed.segments[0], printed.segments[-1]
    assert left.text.strip() == "高平市文物保护中心"
    assert right.text.strip() == "2025年6月20日印发"
    assert_close(left.x0, LEFT + NUMBER_EM, 0.1, "printer one character in")
    assert_close(right.x1, RIGHT - NUMBER_EM, 0.1, "print date one character in")
    assert rules[-2].y < printed.top < printed.bottom < rules[-1].y
    cc = next(ln for ln in request_pdf.lines(last) if ln.text.startswith("抄送："))
    assert cc.text.strip().endswith("。")
    assert_close(cc.x0, LEFT + NUMBER_EM, 0.1, "抄送 one character in")


def test_request_contact_note(request_pdf: MeasuredPDF) -> None:
    note = next(ln for ln in request_pdf.lines() if ln.text.startswith("（联系人："))
    assert_close(note.x0, LEFT + 2 * CHAR, 0.05, "附注 indented two characters")


def test_request_page_numbers(request_pdf: MeasuredPDF) -> None:
    numbers = {ln.page: page_number_value(ln) for ln in request_pdf.page_number_lines()}
    assert numbers.get(1) == 1
    for p, n in numbers.items():
        assert n == p
