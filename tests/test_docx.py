""".docx output inspected as a file: page set-up, styles, fonts, footers, escaping, templates.

The LibreOffice renders of the same files are measured in test_docx_lo.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from docgen import loader
from docgen.decide.decisions import decide
from docgen.models import Supervision
from docgen.problems import InputError
from docgen.render.docx import (
    PLACEHOLDERS,
    check_template,
    default_template,
    render_docx,
    template_placeholders,
)
from docgen.render.docx import ooxml as ox
from docgen.spec import OFFICIAL_FONT_NAMES, FontRole, Profile

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROFILE = Profile()


def load_sample(name: str):
    path = SAMPLES / name
    return loader.build(loader.read_data(path), str(path))


def sample_minutes():
    from docgen.models import Minutes

    return Minutes.model_validate(
        {
            "meeting": "高平市文物保护工作联席会议第一次全体会议",
            "mark": "高平市文物保护工作联席会议纪要",
            "issue_no": 1,
            "compiler": "高平市文物保护工作联席会议办公室",
            "body": [
                "2025年7月10日，副市长主持召开高平市文物保护工作联席会议第一次全体会议，"
                "听取市文物保护中心关于全市文物保护工作情况的汇报，研究部署下一阶段工作。",
            ],
            "items": [
                {
                    "seq": 1,
                    "matter": "开展文物安全专项整治行动",
                    "lead": ["市公安局"],
                    "support": ["市文物局", "市文物保护中心"],
                    "deadline": "2025-09-30",
                },
                {"seq": 2, "matter": "编制文物保护专项规划", "lead": ["市自然资源局"]},
            ],
            "present": ["市政府 王副市长", "市文物保护中心 李志刚"],
            "absent": ["市教育局 张三"],
            "distribute": ["联席会议各成员单位"],
            "date": "2025-07-12",
        }
    )


def long_supervision() -> object:
    """The sample batch's first notice: a four-line matter and a two-line requirement."""
    from docgen.loader import build

    return build(
        {
            "kind": "supervision",
            "office": "高平市文物保护工作联席会议办公室",
            "number": "高文联办督〔2025〕1号",
            "unit": "市公安局",
            "meeting": "高平市文物保护工作联席会议第一次全体会议",
            "minutes_ref": "第1期",
            "items": [
                {
                    "序号": 1,
                    "议定事项": "组织开展打击文物犯罪专项行动，严厉打击盗掘古文化遗址古墓葬、盗窃古建筑构件和倒卖文物等违法犯罪活动，对涉案线索逐条核查、依法处置查获的文物",
                    "牵头单位": "市公安局",
                    "配合单位": "市文物局、市文物保护中心",
                    "完成时限": "2025-12-31",
                    "督办要求": "每月25日前报送专项行动进展；年底前报送专项行动总结",
                }
            ],
            "contact": "常丽萍",
            "phone": "0356-5221180",
            "date": "2025-07-22",
        }
    )


def all_docs() -> dict[str, object]:
    return {
        "letter": load_sample("letter-gaoping-18.yaml"),
        "request": load_sample("request-gaoping-wenbao-25.yaml"),
        "minutes": sample_minutes(),
        "supervision": sample_supervision(),
        "supervision_long": long_supervision(),
    }


def render(doc, profile: Profile = PROFILE, template: Path | None = None) -> bytes:
    """The .docx, its colophon's page taken from the PDF layout as docgen render does."""
    from docgen.context import resolve_context
    from docgen.layout import layout_document
    from docgen.render.docx import colophon_on_own_page

    d = decide(doc, profile)

    def alone() -> bool:
        return colophon_on_own_page(layout_document(doc, profile, resolve_context().fonts, d))

    return render_docx(doc, d, profile, template=template, colophon_alone=alone)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: render(doc) for name, doc in all_docs().items()}


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def texts(data: bytes) -> str:
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", part(data, "word/document.xml")))


# --- page set-up --------------------------------------------------------------


@pytest.mark.parametrize("name", ["letter", "request", "minutes", "supervision"])
def test_page_setup(rendered, name):
    d = docx.Document(io.BytesIO(rendered[name]))
    s = d.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1)
    assert abs(s.page_height - Mm(297)) < Mm(0.1)
    assert abs(s.top_margin - Mm(37)) < Mm(0.1)
    assert abs(s.left_margin - Mm(28)) < Mm(0.1)
    assert abs(s.right_margin - Mm(26)) < Mm(0.1)
    assert abs(s.bottom_margin - Mm(35)) < Mm(0.1)
    grid = s._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}linePitch") == "579"
    # No character grid: LibreOffice puts each CJK character in two cells under one.
    assert grid.get(f"{W}type") in (None, "default")
    settings = d.settings.element
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    title_pg = s._sectPr.find(f"{W}titlePg") is not None
    assert title_pg == (name == "letter")
    assert s.different_first_page_header_footer == (name == "letter")


def test_grid_numbers():
    # 22 lines of 579 twips fit the 225 mm block; 580 would not.
    assert ox.LINE_TWIPS == 579
    assert 22 * ox.LINE_TWIPS / 20 * 25.4 / 72 <= 225
    assert 22 * 580 / 20 * 25.4 / 72 > 225
    # 28 characters of 16 pt with -7 twips after each fit 156 mm with room to
    # spare for one of LibreOffice's 1/5-em CJK/Latin gaps; 29 never fit.
    assert ox.BODY_SPACING_TWIPS == -7
    gap = 320 // 5
    assert 28 * (320 + ox.BODY_SPACING_TWIPS) + gap <= ox.BLOCK_WIDTH_TWIPS
    assert 29 * (320 + ox.BODY_SPACING_TWIPS) > ox.BLOCK_WIDTH_TWIPS
    # The first line: two grid characters of indent, then 26 characters (and one gap).
    assert 2 * ox.GRID_CHAR_TWIPS + 26 * ox.CHAR_TWIPS + gap <= ox.BLOCK_WIDTH_TWIPS
    assert 2 * ox.GRID_CHAR_TWIPS + 27 * ox.CHAR_TWIPS > ox.BLOCK_WIDTH_TWIPS


def test_styles_fonts_and_sizes(rendered):
    d = docx.Document(io.BytesIO(rendered["request"]))
    styles = d.styles.element
    names = {s.get(f"{W}styleId"): s for s in styles.findall(f"{W}style")}
    for sid in (
        "Title",
        "Recipients",
        "Body",
        "Heading1",
        "Heading2",
        "Heading3",
        "Heading4",
        "AttachmentNote",
        "Signature",
        "Date",
        "Note",
        "AttachmentLabel",
        "AttachmentTitle",
        "Colophon",
        "Mark",
    ):
        assert sid in names, sid

    def font(sid: str) -> str | None:
        el = names[sid].find(f"{W}rPr/{W}rFonts")
        return None if el is None else el.get(f"{W}eastAsia")

    def size(sid: str) -> int | None:
        el = names[sid].find(f"{W}rPr/{W}sz")
        return None if el is None else int(el.get(f"{W}val"))

    first = {role: OFFICIAL_FONT_NAMES[role][0] for role in FontRole}
    assert font("Title") == first[FontRole.XIAOBIAOSONG] == "方正小标宋简体"
    assert size("Title") == 44
    assert font("Heading1") == first[FontRole.HEITI] == "黑体"
    assert font("Heading2") == first[FontRole.KAITI] == "楷体_GB2312"
    assert font("Colophon") == first[FontRole.FANGSONG] == "仿宋_GB2312"
    assert size("Colophon") == 28
    assert font("Footer") == first[FontRole.SONGTI] == "宋体"
    assert size("Footer") == 28
    mark = names["Mark"].find(f"{W}rPr/{W}color")
    assert mark.get(f"{W}val") == "FF0000"
    defaults = styles.find(f"{W}docDefaults")
    rfonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    assert rfonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}sz").get(f"{W}val") == "32"
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}spacing").get(f"{W}val") == str(
        ox.BODY_SPACING_TWIPS
    )
    spacing = defaults.find(f"{W}pPrDefault/{W}pPr/{W}spacing")
    assert spacing.get(f"{W}line") == "579" and spacing.get(f"{W}lineRule") == "exact"
    assert defaults.find(f"{W}pPrDefault/{W}pPr/{W}widowControl").get(f"{W}val") == "0"
    fonts = part(rendered["request"], "word/fontTable.xml")
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"):
        assert f'w:name="{name}"' in fonts
    assert 'w:altName w:val="仿宋"' in fonts


@pytest.mark.parametrize("name", ["letter", "request"])
def test_footers_page_fields(rendered, name):
    d = docx.Document(io.BytesIO(rendered[name]))
    s = d.sections[0]
    odd = s.footer._element
    even = s.even_page_footer._element
    for f, jc in ((odd, "right"), (even, "left")):
        xml = f.xml
        assert "PAGE" in "".join(t.text or "" for t in f.iter(f"{W}instrText"))
        assert f'w:jc w:val="{jc}"' in xml
        assert "— " in xml and " —" in xml
        # one 4号 character (14 pt = 280 twips) in from the block's edge
        side = "right" if jc == "right" else "left"
        assert f'w:{side}="280"' in xml
    if name == "letter":
        first = s.first_page_footer._element
        assert not list(first.iter(f"{W}instrText"))


def test_title_lines_match_decisions(rendered):
    for name, doc in all_docs().items():
        if name.startswith("supervision"):
            continue
        d = decide(doc, PROFILE)
        xml = part(rendered[name], "word/document.xml")
        m = re.search(r'<w:pStyle w:val="Title"/>.*?</w:p>', xml, re.S)
        if not d.title_lines:  # minutes without a title: no empty title line either
            assert m is None, name
            continue
        assert m, name
        lines = [
            "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", chunk))
            for chunk in m.group(0).split("<w:br/>")
        ]
        assert lines == d.title_lines, name


def test_content_present(rendered):
    t = texts(rendered["request"])
    for piece in (
        "高平市文物保护中心文件",
        "高文保发〔2025〕25号",
        "签发人：",
        "李志刚",
        "妥否，请批示。",
    ):
        assert piece in t
    assert "附件：高平市文物保护工作联席会议制度（送审稿）" in t
    assert "抄送：高平市人民政府办公室。" in t
    assert "2025年6月20日印发" in t
    m = texts(rendered["minutes"])
    assert (
        "一、开展文物安全专项整治行动（牵头单位：市公安局；配合单位：市文物局、市文物保护中心；"
        in m
    )
    assert "出席：" in m and "第1期" in m and "分送：联席会议各成员单位。" in m
    s = texts(rendered["supervision"])
    for label in ("督办事项来源", "承办单位", "督办事项", "办理情况", "签收人及日期"):
        assert label in s


def test_headings_use_styles(rendered):
    xml = part(rendered["request"], "word/document.xml")
    assert re.search(r'<w:pStyle w:val="Heading1"/>.*?一、建立联席会议制度的必要性', xml)
    # a run-in level-2 heading ending with a full stop: 楷体 run, then 仿宋
    assert re.search(r'<w:rStyle w:val="Heading2Char"/>.*?（一）召集人。', xml)


def test_attachment_starts_new_page(rendered):
    xml = part(rendered["letter"], "word/document.xml")
    m = re.search(r"<w:p><w:pPr><w:pStyle w:val=\"AttachmentLabel\"/><w:pageBreakBefore/>", xml)
    assert m


# --- safety ---------------------------------------------------------------------


NASTY = "A&B <市局> \"引号\" 'x' {{ 7*7 }} {% if true %}"


def test_special_characters_round_trip():
    doc = load_sample("letter-gaoping-18.yaml")
    doc.issuer = [NASTY]
    doc.title = "关于" + NASTY + "的函"
    doc.recipients = [NASTY]
    doc.body = [NASTY, "第二段 & < > \" '"]
    doc.cc = [NASTY]
    doc.note = "（" + NASTY + "）"
    data = render(doc)
    d = docx.Document(io.BytesIO(data))  # parses: the XML is intact
    text = "\n".join(p.text for p in d.paragraphs)
    assert NASTY in text
    assert "第二段 & < > \" '" in text
    assert "{{ 7*7 }}" in text and "49" not in text  # user text is never a template


def test_template_cannot_run_code(tmp_path):
    bad = tmp_path / "evil.docx"
    with zipfile.ZipFile(default_template("letter")) as src, zipfile.ZipFile(bad, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = data.replace(
                    b"{{ recipients }}", b"{{ recipients.__class__.__mro__[1].__subclasses__() }}"
                )
            out.writestr(name, data)
    doc = load_sample("letter-gaoping-18.yaml")
    with pytest.raises(InputError) as exc:
        render(doc, template=bad)
    assert "不允许" in str(exc.value) or "无法填充" in str(exc.value)


def _without(src: Path, dst: Path, tag: bytes) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "word/document.xml":
                assert tag in data
                data = data.replace(tag, b"")
            out.writestr(name, data)
    return dst


def test_custom_template_missing_placeholder(tmp_path):
    house = _without(default_template("file"), tmp_path / "house.docx", b"{{p body }}")
    problems = check_template(house, "file")
    assert [str(p) for p in problems] and "缺少占位符 {{ body }}（正文）" in str(problems[0])
    doc = load_sample("request-gaoping-wenbao-25.yaml")
    with pytest.raises(InputError) as exc:
        render(doc, template=house)
    assert "{{ body }}" in str(exc.value) and "正文" in str(exc.value)


def test_custom_template_is_used(tmp_path):
    house = tmp_path / "house.docx"
    shutil.copy(default_template("file"), house)
    doc = load_sample("request-gaoping-wenbao-25.yaml")
    assert texts(render(doc, template=house)) == texts(render(doc))


def test_missing_template_file(tmp_path):
    doc = load_sample("letter-gaoping-18.yaml")
    with pytest.raises(InputError) as exc:
        render(doc, template=tmp_path / "nope.docx")
    assert "不存在" in str(exc.value)


def test_official_templates_have_their_placeholders():
    for fmt, names in PLACEHOLDERS.items():
        assert set(names) <= template_placeholders(default_template(fmt)), fmt
        assert check_template(default_template(fmt), fmt) == []


def test_cli_templates(tmp_path, capsys):
    from docgen.cli import main

    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    assert "{{ colophon }}" in out and "信函格式" in out
    house = _without(default_template("letter"), tmp_path / "h.docx", b"{{p signature }}")
    assert main(["templates", "--check", str(house), "--format", "letter"]) == 1
    err = capsys.readouterr().err
    assert "缺少占位符 {{ signature }}（署名和成文日期（含印章））" in err
    assert main(["templates", "--check", str(default_template("minutes"))]) == 0


# --- seal and signature modes ---------------------------------------------------------


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGBA", (200, 200), (255, 0, 0, 128)).save(path)
    return path


def test_seal_image_anchored_behind_text(tmp_path):
    doc = load_sample("letter-gaoping-18.yaml")
    doc.signature.seal_image = str(_png(tmp_path / "seal.png"))
    data = render(doc)
    xml = part(data, "word/document.xml")
    assert 'behindDoc="1"' in xml and "r:embed=" in xml
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    docx.Document(io.BytesIO(data))


@pytest.mark.parametrize("mode", ["sealed", "unsealed", "stamp"])
def test_signature_modes(mode):
    doc = load_sample("letter-gaoping-18.yaml")
    doc.signature.mode = mode
    doc.signature.signer = "王某某"
    doc.signature.signer_title = "主任"
    xml = part(render(doc), "word/document.xml")
    assert "2025年7月7日" in xml
    if mode == "stamp":
        assert "王某某" in xml and "主任" in xml
    else:
        assert "高平市人民政府办公室</w:t>" in xml


def test_profile_margins_applied():
    profile = Profile(top_margin=36.5, left_margin=27.5)
    doc = load_sample("letter-gaoping-18.yaml")
    d = docx.Document(io.BytesIO(render(doc, profile)))
    assert abs(d.sections[0].top_margin - Mm(36.5)) < Mm(0.1)
    assert abs(d.sections[0].left_margin - Mm(27.5)) < Mm(0.1)


def test_dates_and_numbers_plain_values():
    doc = sample_supervision()
    doc.date = dt.date(2025, 7, 16)
    assert "2025年7月16日" in texts(render(doc))


def test_joint_issue_mark():
    """Joint issue: names stacked in a borderless table, spread to one width, 文件 beside them."""
    doc = load_sample("request-gaoping-wenbao-25.yaml")
    doc.issuer = ["高平市文物保护中心", "高平市文物局"]
    xml = part(render(doc), "word/document.xml")
    table = re.search(r"<w:tbl>.*?</w:tbl>", xml, re.S).group(0)
    assert table.count('w:jc w:val="distribute"') == 2
    assert "高平市文物保护中心</w:t>" in table and "高平市文物局</w:t>" in table
    assert "文件</w:t>" in table and '<w:vAlign w:val="center"/>' in table


def test_recipients_moved_to_colophon():
    doc = load_sample("request-gaoping-wenbao-25.yaml")
    doc.recipients = [f"第{i}个收文单位的很长很长的名称" for i in range(1, 40)]
    d = decide(doc, PROFILE)
    assert d.recipients_in_colophon
    xml = part(render_docx(doc, d, PROFILE), "word/document.xml")
    assert 'w:pStyle w:val="Recipients"' not in xml
    assert re.search(r'<w:pStyle w:val="Colophon"/>.*?主送：第1个收文单位', xml, re.S)


def test_profile_attachment_title_size():
    doc = load_sample("letter-gaoping-18.yaml")
    xml = part(render(doc, Profile(attachment_title_size_pt=18)), "word/document.xml")
    m = re.search(r'<w:pStyle w:val="AttachmentTitle"/>.*?</w:p>', xml, re.S)
    assert '<w:sz w:val="36"/>' in m.group(0)


def test_lxml_helpers_on_a_python_docx_document():
    d = docx.Document()
    p = d.add_paragraph()
    r = p.add_run("正文")
    ox.set_east_asian_font(r._element.get_or_add_rPr(), "仿宋_GB2312")
    ox.add_page_number_field(p._element)
    xml = p._element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and "PAGE" in xml
    assert ox.parse_fragment(ox.paragraph(ox.run("a&b"))).tag.endswith("}p")


def test_colophon_on_an_even_page_like_the_pdf():
    """The minutes' text ends on page 1; double-sided, the colophon goes to page 2 (even).

    The page is the prepared document's plan's (docgen/prepare.py), laid out
    with the fonts given, not a second layout with default fonts."""
    from docgen.context import resolve_context
    from docgen.pipeline import render_document

    fonts = resolve_context().fonts

    def xml_of(profile: Profile) -> str:
        data = render_document(sample_minutes(), ("docx",), profile, fonts).files["docx"]
        return part(data, "word/document.xml")

    xml = xml_of(PROFILE)
    assert xml.count("<w:sectPr") == 2 and '<w:type w:val="evenPage"/>' in xml
    single = xml_of(Profile(double_sided=False))
    assert "evenPage" not in single  # single-sided: the colophon fits under the text
    # Without a plan (render_docx alone) the colophon stays under the text: nothing is
    # laid out behind the caller's back.
    d = decide(sample_minutes(), PROFILE)
    alone = part(render_docx(sample_minutes(), d, PROFILE), "word/document.xml")
    assert "evenPage" not in alone


def sample_supervision() -> Supervision:
    return Supervision.model_validate(
        {
            "office": "高平市文物保护工作联席会议办公室",
            "number": "高文联办督〔2025〕1号",
            "unit": "市公安局",
            "meeting": "高平市文物保护工作联席会议第一次全体会议",
            "minutes_ref": "第1期",
            "items": [
                {
                    "seq": 3,
                    "matter": "开展文物安全专项整治行动，严厉打击盗掘、盗窃、倒卖文物等违法犯罪活动",
                    "lead": ["市公安局"],
                    "support": ["市文物局", "市文物保护中心"],
                    "deadline": dt.date(2025, 9, 30),
                }
            ],
            "contact": "王晓燕",
            "phone": "0356-5220000",
            "date": dt.date(2025, 7, 15),
        }
    )
