"""Every sample's .docx laid out by LibreOffice against docgen's PDF of it, line by line (issue 19).

The issue's measure: the same page count, the same characters on every page,
and at least 95 % of the PDF's lines equal (tests/linecompare.py). Then the
markup every word processor must read alike: an east-Asian font on every
font setting, no theme fonts, no exact row heights, table grids that add up,
fixed layout, explicit cell margins.

The PDF chooses a paragraph's breaks together and squeezes punctuation;
word processors fill a line at a time, and LibreOffice adds a gap between
Chinese and digits: the .docx gives a line that would end elsewhere the
character spacing that ends it where the PDF does (render/docx/linefit.py),
breaks cells and attendance lists where the PDF does, and sets wide tables
on landscape pages as the PDF does.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from linecompare import Comparison, compare
from lo import soffice_convert
from test_docx import sample_supervision

from docgen.fonts import resolve_fonts
from docgen.models.meeting import Reminder
from docgen.pipeline import load_checked, render_document
from docgen.spec import Profile

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DOCUMENTS = (
    "letter-gaoping-18",
    "request-gaoping-wenbao-25",
    "request-gaoping-wenbao-funds",
    "meeting-2025-1",
)


def reminder() -> Reminder:
    return Reminder.model_validate(
        {
            "office": "高平市文物保护工作联席会议办公室",
            "number": "高文联办催〔2025〕4号",
            "grade": "红头催办",
            "unit": "市财政局",
            "original_number": "高文联办督〔2025〕4号",
            "original_date": dt.date(2025, 7, 22),
            "meeting": "高平市文物保护工作联席会议第一次全体会议",
            "minutes_ref": "第1期",
            "item_seqs": "4",
            "matter": "落实文物保护专项经费，将文物安全巡查、古建筑保护修缮所需经费列入年度财政预算并足额拨付",
            "deadline": dt.date(2025, 8, 31),
            "days_overdue": 38,
            "last_feedback": "已拟定经费安排方案，正在履行审批程序",
            "last_feedback_date": dt.date(2025, 8, 20),
            "reply_by": dt.date(2025, 10, 15),
            "contact": "常丽萍",
            "phone": "0356-5221180",
            "date": dt.date(2025, 10, 8),
        }
    )


def documents(fonts) -> dict[str, object]:
    docs = {name: load_checked(SAMPLES / f"{name}.yaml", fonts=fonts)[0] for name in DOCUMENTS}
    docs["supervision"] = sample_supervision()
    docs["reminder"] = reminder()
    # A 催办单 whose texts run the form over two pages: the .docx's table goes on on page 2
    # from the row the PDF's does.
    long = reminder().model_dump()
    long["unit"] = "市委党史研究室（市地方志研究室）"
    long["matter"] = (
        "组织开展打击文物犯罪专项行动，严厉打击盗掘古文化遗址古墓葬、盗窃古建筑构件和倒卖文物等"
        "违法犯罪活动，对涉案线索逐条核查、依法处置查获的文物"
    )
    long["last_feedback"] = (
        "已完成12处排查，发现隐患39条，已整改21条，其余正在推进，预计11月底前全部完成"
    )
    docs["reminder-long"] = type(docs["reminder"]).model_validate(long)
    # A 函 whose second page holds only the 抄送 line (the colophon's own page).
    cc = load_checked(SAMPLES / "letter-gaoping-18.yaml", fonts=fonts)[0]
    cc.attachments, cc.attachment_list, cc.cc = [], [], ["市文物保护中心", "市文物局"]
    cc.body = [*cc.body, "请各成员单位按照职责分工，认真组织开展工作，确保各项任务落到实处。"]
    docs["letter-cc-alone"] = cc
    # 函 whose signature does not fit under the text: the PDF carries the last two
    # lines over with it (13), or tightens the page's pitch (46) [7.3.5.5].
    for k in (13, 46):
        doc = load_checked(SAMPLES / "letter-gaoping-18.yaml", fonts=fonts)[0]
        doc.attachments, doc.attachment_list = [], []
        doc.body = [*doc.body, *[FILLER * (k // 4 + 1)] * (1 + k % 4)]
        docs[f"letter-signature-{k}"] = doc
    # Texts not in the samples: their clauses shuffled with dates, amounts, numbered
    # items, quotes, brackets and a Latin word, so lines end at every kind of character.
    clauses = [c for p in body_texts(docs) for c in re.split(r"(?<=[，。；：])", p) if len(c) > 3]
    for seed in RANDOM_SEEDS:
        doc = load_checked(SAMPLES / "letter-gaoping-18.yaml", fonts=fonts)[0]
        doc.attachments, doc.attachment_list = [], []
        doc.body = random_body(random.Random(seed), clauses)
        docs[f"letter-random-{seed}"] = doc
    return docs


RANDOM_SEEDS = (1, 2, 3, 4)
EXTRAS = ("2025年12月31日前", "1,250.00万元", "第3项", "“十五五”", "（市文物局）", "GB/T 9704")


def body_texts(docs: dict[str, object]) -> list[str]:
    out: list[str] = []
    for doc in docs.values():
        out += [b for b in getattr(doc, "body", []) if isinstance(b, str)]
        for a in getattr(doc, "attachments", []):
            out += [b for b in a.body if isinstance(b, str)]
    return out


def random_body(rng: random.Random, clauses: list[str]) -> list[str]:
    body = []
    for n in range(rng.randint(5, 9)):
        parts = rng.sample(clauses, rng.randint(3, 9))
        for _ in range(rng.randint(0, 3)):
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(EXTRAS) + "，")
        text = "".join(parts).rstrip("，；：。") + "。"
        body.append(f"{'一二三四五六七八九'[n]}、{text}" if rng.random() < 0.3 else text)
    return body


FILLER = "请各成员单位按照职责分工认真组织开展工作"


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(use_system=False)


@pytest.fixture(scope="module")
def rendered(fonts, soffice, fonts_conf, tmp_path_factory) -> dict[str, tuple[Path, Path, bytes]]:
    """name → (docgen's PDF, LibreOffice's PDF of the .docx, the .docx)."""
    folder = tmp_path_factory.mktemp("docx-vs-pdf")
    made = {}
    for name, doc in documents(fonts).items():
        out = render_document(doc, ("pdf", "docx"), Profile(), fonts, base_dir=SAMPLES)
        (folder / f"{name}.pdf").write_bytes(out.files["pdf"])
        (folder / f"{name}.docx").write_bytes(out.files["docx"])
        made[name] = out.files["docx"]
    docx = [folder / f"{name}.docx" for name in made]
    lo = soffice_convert(docx, folder / "lo", fonts_conf, soffice=soffice)
    return {name: (folder / f"{name}.pdf", pdf, made[name]) for name, pdf in zip(made, lo)}


NAMES = [
    *DOCUMENTS,
    "supervision",
    "reminder",
    "reminder-long",
    "letter-cc-alone",
    "letter-signature-13",
    "letter-signature-46",
    *(f"letter-random-{seed}" for seed in RANDOM_SEEDS),
]


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_lays_the_docx_out_like_the_pdf(rendered, name):
    """The same pages, the same characters on each, at least 95 % of the lines equal."""
    pdf, lo, _ = rendered[name]
    result: Comparison = compare(pdf, lo)
    assert result.ok(), f"{name}: {result.summary()}; first differences: {result.differing()[:3]}"


def test_nothing_is_dropped_at_a_line_end(rendered):
    """Every character of the PDF is in LibreOffice's page: no hung mark left off (17 were)."""
    for name, (pdf, lo, _) in rendered.items():
        ours = compare(pdf, lo)
        theirs = "".join(ours.other_lines)
        missing = set("".join(ours.pdf_lines)) - set(theirs)
        assert not missing, (name, missing)
        for mark in "，。、；：？！":
            assert "".join(ours.pdf_lines).count(mark) == theirs.count(mark), (name, mark)


def test_a_colophon_alone_on_its_page_shows_the_page_number(rendered):
    """A 函's second page holding only the 抄送 line is numbered (its section used the
    letter's empty first-page footer)."""
    _, lo, _ = rendered["letter-cc-alone"]
    with pdfplumber.open(lo) as pdf:
        assert len(pdf.pages) == 2
        text = (pdf.pages[1].extract_text() or "").replace(" ", "")
    assert "—2—" in text and "抄送" in text


# --- markup ------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


@pytest.mark.parametrize("name", NAMES)
def test_markup_every_word_processor_reads_alike(rendered, name):
    parts = _parts(rendered[name][2])
    for part, xml in parts.items():
        assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", xml), (part, "theme font")
        for fonts in re.findall(r"<w:rFonts [^>]*>", xml):
            assert "w:eastAsia=" in fonts, (part, fonts)
        assert 'w:hRule="exact"' not in xml, (part, "a row or frame of exact height")
        for table in re.findall(r"<w:tbl>.*?</w:tblGrid>", xml, flags=re.S):
            width = re.search(r'<w:tblW w:w="(\d+)" w:type="dxa"/>', table)
            cols = [int(c) for c in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
            assert width and sum(cols) == int(width.group(1)), (part, "grid", cols)
            assert '<w:tblLayout w:type="fixed"/>' in table, part
            assert "<w:tblCellMar>" in table and all(
                f"<w:{side} w:w=" in table for side in ("top", "left", "bottom", "right")
            ), part
    settings = parts["word/settings.xml"]
    assert '<w:characterSpacingControl w:val="doNotCompress"/>' in settings
    assert "<w:doNotExpandShiftReturn/>" in settings
    styles = parts["word/styles.xml"]
    # LibreOffice reads overflowPunct inverted: "1" is "no hanging punctuation" there.
    assert '<w:overflowPunct w:val="1"/>' in styles
    assert '<w:autoSpaceDE w:val="0"/>' in styles and '<w:autoSpaceDN w:val="0"/>' in styles


def test_the_body_font_switch_and_its_warning(fonts):
    doc = load_checked(SAMPLES / "letter-gaoping-18.yaml", fonts=fonts)[0]
    doc.body = [*doc.body, "请朱镕基同志和王喆同志参加。"]
    usual = render_document(doc, ("docx",), Profile(), fonts)
    (note,) = [n for n in usual.notes if "仿宋_GB2312" in n]
    assert "镕" in note and "喆" in note and "docx_fangsong" in note
    assert 'w:eastAsia="仿宋_GB2312"' in _parts(usual.files["docx"])["word/styles.xml"]
    gbk = render_document(doc, ("docx",), Profile(docx_fangsong="仿宋"), fonts)
    assert not [n for n in gbk.notes if "仿宋_GB2312" in n]
    styles = _parts(gbk.files["docx"])["word/styles.xml"]
    assert "仿宋_GB2312" not in styles and 'w:eastAsia="仿宋"' in styles
