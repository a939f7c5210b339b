"""Inputs a real office sends that the samples do not: long titles, many
recipients, rare characters, awkward punctuation, text ending at a page
foot; and the 纪要 and 督办单 formats. All measured on the produced PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pdfmeasure import MeasuredPDF, TextLine

from docgen.fonts import resolve_fonts
from docgen.loader import build
from docgen.pipeline import render_document
from docgen.spec import Profile

LEFT, TOP, RIGHT, BOTTOM = 28.0, 37.0, 184.0, 262.0
PITCH = 225 / 22
CHAR = 156 / 28
RED = (255, 0, 0)
NO_LINE_START = set("。，、；：？！）》」』】”’")


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


def letter(**over: object) -> dict:
    data: dict = {
        "kind": "letter",
        "issuer": "高平市人民政府办公室",
        "number": "高政办函〔2025〕21号",
        "title": "高平市人民政府办公室关于某事的函",
        "recipients": ["市文物保护中心"],
        "body": ["市政府同意建立高平市文物保护工作联席会议制度。"],
        "date": "2025-07-07",
        "cc": ["市文物局"],
    }
    data.update(over)
    return data


def pdf_of(data: dict, tmp_path: Path, fonts, profile: Profile | None = None) -> MeasuredPDF:
    doc = build(data)
    out = render_document(doc, ("pdf",), profile or Profile(), fonts)
    path = tmp_path / "out.pdf"
    path.write_bytes(out.files["pdf"])
    return MeasuredPDF.open(path)


def body(m: MeasuredPDF, page: int) -> list[TextLine]:
    return [
        ln
        for ln in m.rows(page)
        if abs(ln.size - 16) < 0.3 and TOP - 1 < ln.top and ln.bottom < BOTTOM + 1
    ]


def test_long_title_breaks_into_a_trapezoid_or_diamond(tmp_path: Path, fonts) -> None:
    title = "高平市文物保护工作联席会议办公室关于开展全市文物建筑消防安全隐患排查整治和文物安全巡查工作的函"
    m = pdf_of(letter(title=title, issuer="高平市文物保护工作联席会议办公室"), tmp_path, fonts)
    lines = [ln for ln in m.lines(1) if abs(ln.size - 22) < 0.3]
    assert "".join(ln.text.replace(" ", "") for ln in lines) == title
    assert len(lines) >= 3
    lengths = [len(ln.ink) for ln in lines]
    assert max(lengths) <= 20
    steps = [b - a for a, b in zip(lengths, lengths[1:])]
    widening = all(s > 0 for s in steps)
    narrowing = all(s < 0 for s in steps)
    peak = lengths.index(max(lengths))
    diamond = (
        0 < peak < len(lengths) - 1
        and all(s > 0 for s in steps[:peak])
        and all(s < 0 for s in steps[peak:])
    )
    assert widening or narrowing or diamond, lengths
    assert any("高平市文物保护工作联席会议办公室" in ln.text for ln in lines)
    for ln in lines:
        assert abs(ln.center - 106.0) < 0.5


@pytest.mark.parametrize("shape", ["widening", "narrowing"])
def test_house_title_shape(tmp_path: Path, fonts, shape: str) -> None:
    # Either shape with every word whole (issue 18: a name is never split for a shape).
    title = "高平市文物保护中心关于申请2025年度文物保护专项资金的请示"
    m = pdf_of(letter(title=title), tmp_path, fonts, Profile(title_shape=shape))
    lengths = [len(ln.ink) for ln in m.lines(1) if abs(ln.size - 22) < 0.3]
    assert lengths == sorted(lengths, reverse=shape == "narrowing") and len(set(lengths)) == len(
        lengths
    )


def test_many_recipients_move_to_the_colophon(tmp_path: Path, fonts) -> None:
    recipients = [f"第{i}乡镇人民政府" for i in range(1, 41)]
    m = pdf_of(
        letter(recipients=recipients, title="高平市人民政府办公室关于加强文物安全巡查工作的函"),
        tmp_path,
        fonts,
    )
    page1 = body(m, 1)
    assert any(ln.text.startswith("市政府同意") for ln in page1), "page 1 shows body text"
    last = m.pages
    texts = [ln.text for ln in m.lines(last)]
    main = next(t for t in texts if t.startswith("主送："))
    cc_index = next(i for i, t in enumerate(texts) if t.startswith("抄送："))
    assert texts.index(main) < cc_index
    joined = "".join(texts)
    for r in recipients:
        assert r in joined


def test_rare_characters_in_names_never_go_missing(tmp_path: Path, fonts) -> None:
    rare = "朱镕基、王喆、李堃、赵玥、孙珺、周昇、吴彧、郑犇、冯祎、陈旻、褚赟、卫垚、蒋燚"
    data = letter(
        body=[f"参加座谈的有{rare}等同志。"],
        signature={"mode": "unsealed", "issuers": ["高平市堃垚文物保护中心"]},
    )
    m = pdf_of(data, tmp_path, fonts)
    assert m.missing_glyphs() == 0
    text = m.text()
    for ch in "镕喆堃玥珺昇彧犇祎旻赟垚燚":
        assert ch in text
    glyph = next(g for g in m.glyphs() if g.text == "镕")
    assert "Fandol" not in glyph.font  # FandolFang lacks it: drawn from the fallback


def test_punctuation_never_starts_a_line_and_full_lines_fill(tmp_path: Path, fonts) -> None:
    # 26 characters after the two-character indent end the first line; each
    # variant puts closing punctuation where it would start the next line.
    paragraphs = []
    for tail in ("。", "，", "”。", "》，", "）；", "……", "——"):
        paragraphs.append("甲" * 26 + "乙" + tail + "丙" * 30 + "。")
    paragraphs.append("根据“十四五”规划，" * 12)
    m = pdf_of(letter(body=paragraphs), tmp_path, fonts)
    lines = body(m, 1) + body(m, 2)
    for ln in lines:
        assert ln.text[0] not in NO_LINE_START, ln.text
        assert not ln.text.startswith(("…", "—")) or ln.text.startswith(("……", "——"))
    rows = [ln for ln in lines if ln.text[0] in "甲乙丙根"]
    for a, b in zip(rows, rows[1:]):
        if b.x0 < LEFT + 0.5 and not a.text.endswith("。"):
            assert abs(a.x1 - RIGHT) < 0.05, f"not justified: {a.text}"


@pytest.mark.parametrize("extra", range(0, 23, 2))
def test_signature_never_alone_on_a_page(tmp_path: Path, fonts, extra: int) -> None:
    # Paragraphs sized so the text ends at every line of page 2 in turn.
    paras = ["本段用于测试版面。" * 3 + "末" * 1 for _ in range(14 + extra // 2)] + [
        "甲" * (extra * 13 % 50 + 1) + "。"
    ]
    m = pdf_of(letter(body=paras, signature={"mode": "sealed"}), tmp_path, fonts)
    date = next(ln for ln in m.lines() if ln.text.strip() == "2025年7月7日")
    lines = body(m, date.page)
    body_text = [
        ln
        for ln in lines
        if ln.baseline < date.baseline and ln.text.strip() not in ("高平市人民政府办公室",)
    ]
    assert len(body_text) >= 2, f"signature alone on page {date.page}"
    pitches = [
        b.baseline - a.baseline
        for a, b in zip(lines, lines[1:])
        if b.baseline - a.baseline < PITCH * 1.5
    ]
    assert min(pitches) >= PITCH - 1.3 * 25.4 / 72 - 0.02, (
        "line pitch tightened beyond the profile's bound"
    )
    name = next(
        ln
        for ln in m.lines(date.page)
        if ln.text.strip() == "高平市人民政府办公室" and ln.color != RED
    )
    assert abs(name.center - date.center) < 0.1


@pytest.mark.parametrize("extra", range(0, 23, 3))
def test_attachment_note_and_signature_go_with_text(tmp_path: Path, fonts, extra: int) -> None:
    """附件说明 and the signature share a page with the last lines of the text [7.3.5.5]."""
    paras = ["本段用于测试版面。" * 3 + "末" for _ in range(14 + extra // 2)]
    paras.append("甲" * (extra * 13 % 50 + 1) + "。")
    data = letter(body=paras, attachments=[{"title": "测试附件", "body": "附件正文。"}])
    m = pdf_of(data, tmp_path, fonts)
    note = next(ln for ln in m.lines() if ln.text.replace(" ", "").startswith("附件：测试附件"))
    date = next(ln for ln in m.lines() if ln.text.strip() == "2025年7月7日")
    assert note.page == date.page
    text = [ln for ln in body(m, date.page) if ln.baseline < note.baseline - 1.5 * PITCH]
    assert text, f"第{date.page}页只有附件说明和署名"


@pytest.mark.parametrize("lead", range(0, 24))
def test_a_heading_never_ends_a_page(tmp_path: Path, fonts, lead: int) -> None:
    """A heading on its own line keeps with the text under it (the .docx's heading styles
    keep with the next paragraph): the heading lands on every line of page 1 in turn."""
    paras = ["短句。"] * lead + ["二、工作要求", "要求正文" * 10 + "。", "三、其他事项", "其他。"]
    m = pdf_of(letter(body=paras), tmp_path, fonts)

    def text(page: int) -> list[TextLine]:  # a letter's page 1 runs below the block
        return [ln for ln in m.rows(page) if abs(ln.size - 16) < 0.3 and ln.color != RED]

    for heading in ("二、工作要求", "三、其他事项"):
        at = next(ln for ln in m.lines() if ln.text.strip() == heading)
        after = [ln for ln in text(at.page) if ln.baseline > at.baseline + 0.5]
        assert after, f"“{heading}”是第{at.page}页的最后一行（前有{lead}段）"


@pytest.mark.parametrize("lead", range(12, 20))
def test_headings_that_end_the_text_stay_together(tmp_path: Path, fonts, lead: int) -> None:
    paras = ["短句。"] * lead + ["一、总体要求", "（一）加强领导"]
    m = pdf_of(letter(body=paras), tmp_path, fonts)
    first, second = (
        next(ln for ln in m.lines() if ln.text.strip() == h)
        for h in ("一、总体要求", "（一）加强领导")
    )
    assert first.page == second.page, lead


def test_page_one_always_shows_body_text_under_a_long_head(tmp_path: Path, fonts) -> None:
    data = letter(
        title="高平市人民政府办公室关于同意建立高平市文物保护工作联席会议制度并做好成员单位职责分工和议定事项督办落实工作的函",
        recipients=[f"市直{i}单位" for i in range(1, 16)],
        body=["正文第一段。" * 30],
    )
    m = pdf_of(data, tmp_path, fonts)
    assert any("正文第一段" in ln.text for ln in body(m, 1))


# --- 纪要 ----------------------------------------------------------------------


def minutes(**over: object) -> dict:
    data: dict = {
        "kind": "minutes",
        "meeting": "高平市文物保护工作联席会议第一次全体会议",
        "mark": "高平市文物保护工作联席会议纪要",
        "issue_no": 1,
        "compiler": "高平市文物保护工作联席会议办公室",
        "date": "2025-07-21",
        "body": ["2025年7月18日上午，召集人主持召开联席会议第一次全体会议。"],
        "items": [
            {
                "序号": 1,
                "议定事项": "组织开展打击文物犯罪专项行动。",
                "牵头单位": "市公安局",
                "配合单位": "市文物局、市文物保护中心",
                "完成时限": "2025-12-31",
            },
            {"序号": 2, "议定事项": "开展文物建筑消防安全检查", "牵头单位": "市消防救援大队"},
        ],
        "present": ["市人民政府 赵志刚", "市文物保护中心 郭晓东、常丽萍"]
        + [f"市第{i}局 张{i}" for i in range(1, 25)],
        "absent": ["晋城市生态环境局高平分局 冯志勇"],
        "cc": ["市委办公室"],
    }
    data.update(over)
    return data


def test_minutes_head_items_and_attendance(tmp_path: Path, fonts) -> None:
    m = pdf_of(minutes(), tmp_path, fonts)
    mark = next(ln for ln in m.lines(1) if ln.color == RED)
    assert mark.text.replace(" ", "") == "高平市文物保护工作联席会议纪要"
    assert abs(mark.top - (TOP + 35)) < 0.1
    assert mark.x0 >= LEFT - 0.01 and mark.x1 <= RIGHT + 0.01
    issue = next(ln for ln in m.lines(1) if ln.text.strip() == "第1期")
    assert abs(issue.center - 106) < 0.3
    compiler = next(
        ln for ln in m.lines(1) if ln.text.strip() == "高平市文物保护工作联席会议办公室"
    )
    date = next(ln for ln in m.lines(1) if ln.text.strip() == "2025年7月21日")
    assert abs(compiler.x0 - LEFT) < 0.05 and abs(date.x1 - RIGHT) < 0.05
    assert abs(compiler.baseline - date.baseline) < 0.01
    sep = next(r for r in m.rules(1) if r.color == RED)
    assert abs(sep.length - 156) < 0.1 and abs(sep.y - (date.bottom + 4)) < 0.1
    text = "".join(ln.text for ln in m.rows())
    assert (
        "一、组织开展打击文物犯罪专项行动（牵头单位：市公安局；配合单位：市文物局、市文物保护中心；完成时限：2025年12月31日前）。"
        in text
    )
    assert "二、开展文物建筑消防安全检查（牵头单位：市消防救援大队）。" in text
    present = next(ln for ln in m.rows() if ln.text.startswith("出席："))
    label = [g for g in present.glyphs if g.text in "出席"]
    assert all("Sans" in g.font or "Hei" in g.font for g in label)
    assert abs(present.x0 - (LEFT + 2 * CHAR)) < 0.05
    after_colon = next(g for g in present.glyphs if g.text == "：").x1
    rows = m.rows(present.page)
    i = rows.index(present)
    wrapped = rows[i + 1]
    assert abs(wrapped.x0 - after_colon) < 0.3, "wrapped attendance aligns after the colon"
    assert any(ln.text.startswith("请假：") for ln in m.rows())
    assert m.missing_glyphs() == 0


# --- 督办单 --------------------------------------------------------------------


def supervision(**over: object) -> dict:
    data: dict = {
        "kind": "supervision",
        "office": "高平市文物保护工作联席会议办公室",
        "number": "高文联办督〔2025〕7号",
        "unit": "市公安局",
        "meeting": "高平市文物保护工作联席会议第一次全体会议",
        "minutes_ref": "第1期",
        "items": [
            {
                "序号": 3,
                "议定事项": "组织开展打击文物犯罪专项行动，严厉打击盗掘古文化遗址古墓葬等违法犯罪活动。",
                "牵头单位": "市公安局",
                "配合单位": "市文物局",
                "完成时限": "2025年12月31日",
                "督办要求": "每月25日前报送进展",
            },
        ],
        "contact": "常丽萍",
        "phone": "0356-5221180",
        "date": "2025-07-22",
    }
    data.update(over)
    return data


def test_supervision_is_one_ruled_page_inside_the_block(tmp_path: Path, fonts) -> None:
    m = pdf_of(supervision(), tmp_path, fonts)
    assert m.pages == 1
    assert m.missing_glyphs() == 0
    text = "".join(ln.text for ln in m.rows())
    for piece in (
        "高文联办督〔2025〕7号",
        "市公安局",
        "组织开展打击文物犯罪专项行动",
        "2025年12月31日前",
        "每月25日前报送进展",
        "常丽萍",
        "0356-5221180",
        "办理情况",
        "签收人",
    ):
        assert piece in text, piece
    black = [r for r in m.rules(1) if r.color != RED]
    assert len(black) >= 4
    for r in black:
        assert LEFT - 0.2 <= r.x0 and r.x1 <= RIGHT + 0.2
    for ln in m.lines(1):
        if ln.color != RED and not ln.text.startswith("—"):
            assert (
                LEFT - 0.5 <= ln.x0
                and ln.x1 <= RIGHT + 0.5
                and TOP - 0.5 <= ln.top
                and ln.bottom <= BOTTOM + 0.5
            ), ln.text


def test_supervision_with_many_items_runs_to_two_pages_at_most(tmp_path: Path, fonts) -> None:
    item = supervision()["items"][0]
    items = [dict(item, 序号=i) for i in range(1, 7)]
    m = pdf_of(supervision(items=items), tmp_path, fonts)
    assert m.pages <= 2
    text = "".join(ln.text for ln in m.rows())
    assert "第1项、第2项、第3项、第4项、第5项、第6项" in text


def test_dates_are_printed_without_leading_zeros(tmp_path: Path, fonts) -> None:
    m = pdf_of(letter(date=dt.date(2025, 1, 5).isoformat()), tmp_path, fonts)
    assert any(ln.text.strip() == "2025年1月5日" for ln in m.lines())


def _seal_png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.ellipse((8, 8, 392, 392), outline=(255, 0, 0, 255), width=14)
    draw.regular_polygon((200, 200, 60), 5, fill=(255, 0, 0, 255))
    im.save(path)
    return path


def test_seal_image_presses_on_name_and_date(tmp_path: Path, fonts) -> None:
    seal = _seal_png(tmp_path / "seal.png")
    m = pdf_of(letter(signature={"mode": "sealed", "seal_image": str(seal)}), tmp_path, fonts)
    date = next(ln for ln in m.lines() if ln.text.strip() == "2025年7月7日")
    name = next(
        ln
        for ln in m.lines(date.page)
        if ln.text.strip() == "高平市人民政府办公室" and ln.color != RED
    )
    (img,) = m.images(date.page)
    centre_x = (img.x0 + img.x1) / 2
    centre_y = (img.top + img.bottom) / 2
    assert abs(centre_x - date.center) < 0.2, "seal centred over the date"
    assert img.top < name.top and date.bottom < img.bottom, "seal presses on name and date"
    assert centre_y < (name.top + date.bottom) / 2, "name and date sit below the seal's centre"
    last_text = max(ln.bottom for ln in m.lines(date.page) if ln.text.startswith("市政府同意"))
    assert 0 <= img.top - last_text <= PITCH, "seal top within one line below the text"


def test_unsealed_signature_positions(tmp_path: Path, fonts) -> None:
    m = pdf_of(letter(signature={"mode": "unsealed"}), tmp_path, fonts)
    date = next(ln for ln in m.lines() if ln.text.strip() == "2025年7月7日")
    name = next(
        ln
        for ln in m.lines(date.page)
        if ln.text.strip() == "高平市人民政府办公室" and ln.color != RED
    )
    text_end = max(ln.baseline for ln in m.lines(date.page) if ln.text.startswith("市政府同意"))
    assert abs(name.baseline - text_end - 2 * PITCH) < 0.05, "one empty line below the text"
    assert abs(name.x1 - (RIGHT - 2 * CHAR)) < 0.1, "name two characters in from the right"
    assert abs(date.x0 - (name.x0 + 2 * CHAR)) < 0.1, "date starts two characters right of the name"


def test_signer_stamp_mode(tmp_path: Path, fonts) -> None:
    sig = {"mode": "stamp", "signer": "赵志刚", "signer_title": "市长"}
    m = pdf_of(letter(signature=sig), tmp_path, fonts)
    row = next(ln for ln in m.rows() if "赵志刚" in ln.text)
    name = [g for g in row.glyphs if g.text in "赵志刚"]
    title = [g for g in row.glyphs if g.text in "市长"]
    date = next(ln for ln in m.lines() if ln.text.strip() == "2025年7月7日")
    text_end = max(ln.baseline for ln in m.lines(row.page) if ln.text.startswith("市政府同意"))
    assert abs(row.baseline - text_end - 3 * PITCH) < 0.05, "two empty lines below the text"
    assert abs(name[-1].x1 - (RIGHT - 4 * CHAR)) < 0.1, "stamp four characters in"
    assert abs(name[0].x0 - title[-1].x1 - 2 * CHAR) < 0.3, "title two characters to its left"
    assert all("Kai" in g.font for g in name), "signer's name in 楷体"
    stamp = row
    assert abs(date.baseline - stamp.baseline - 2 * PITCH) < 0.05, "date one empty line below"
    assert abs(date.x1 - (RIGHT - 4 * CHAR)) < 0.1


def test_house_latin_font_for_digits_and_letters(tmp_path: Path) -> None:
    import io
    import zipfile

    from docgen.decide.decisions import decide
    from docgen.render.docx import render_docx

    serif = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not serif.exists():
        pytest.skip("DejaVu Serif not installed: no second Latin font to test with")
    fonts = resolve_fonts(use_system=False, latin=serif)
    profile = Profile(latin_font=str(serif))
    m = pdf_of(letter(body=["2025年7月，ABC公司完成12项工作。"]), tmp_path, fonts, profile)
    row = next(ln for ln in m.rows() if "ABC" in ln.text)
    for g in row.ink:
        if g.text.isascii() and g.text.isalnum():
            assert "DejaVuSerif" in g.font, (g.text, g.font)
        else:
            assert "DejaVu" not in g.font, (g.text, g.font)
    assert abs(row.x0 - (LEFT + 2 * CHAR)) < 0.05
    doc = build(letter())
    data = render_docx(doc, decide(doc, profile), profile)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:ascii="DejaVu Serif"' in styles and 'w:eastAsia="仿宋_GB2312"' in styles


@pytest.mark.parametrize("lead", range(10, 26))
def test_minutes_heading_never_ends_a_page_before_the_attendance(
    tmp_path: Path, fonts, lead: int
) -> None:
    """A 纪要 whose text ends in a heading: the empty line under it and the 出席 list
    follow it, so the heading is never left at a page's foot."""
    body = ["会议内容。"] * lead + ["二、会议要求"]
    m = pdf_of(minutes(body=body, items=[]), tmp_path, fonts)
    at = next(ln for ln in m.lines() if ln.text.strip() == "二、会议要求")
    after = [ln for ln in m.rows(at.page) if ln.baseline > at.baseline + 0.5 and ln.top < BOTTOM]
    assert after, f"“二、会议要求”是第{at.page}页的最后一行（前有{lead}段）"
