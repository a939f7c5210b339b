"""The OFD writer (issue 22), measured on the packages it makes.

Every sample (and a sealed letter, a letter with Extension B characters and
secrecy marks) is rendered as PDF and OFD from one page plan. Each package:
every XML part validates against the GB/T 33190 schemas; each page holds the
PDF page's characters at the PDF's positions, in the PDF's colours; each font
is embedded as a subset of exactly the characters drawn with it; rules and
the seal sit where the PDF has them. A second reader (easyofd, which docgen
never uses to write) opens the package with the same pages and text.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from lxml import etree
from ofdread import NS, OFDPackage, expand_delta
from pdfmeasure import MeasuredPDF, sheet_page

from docgen.cli import main
from docgen.fonts import resolve_fonts
from docgen.pipeline import check_data, render_document
from docgen.render.ofd import schemas
from docgen.render.ofd.content import delta_x
from docgen.render.ofd.embed import FS_EDITABLE, FS_RESTRICTED, embedding_problem
from docgen.spec import Profile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.yaml") if p.name != "member-units.yaml")
PROFILE = Profile()
EXT_B = "𠇔𠮷𤆬"
POS_TOL = 0.05  # mm: positions are written to 0.001 mm, the PDF's to 0.01 pt


def _seal(path: Path) -> Path:
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (400, 360), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((5, 5, 395, 355), outline=(255, 0, 0, 255), width=12)
    im.save(path)
    return path


def _inputs(folder: Path) -> dict[str, tuple[dict, Path]]:
    """name → (input data, the folder it is read from)."""
    out = {}
    for name in SAMPLE_NAMES:
        out[name] = (yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8")), SAMPLES)
    sealed = dict(out["letter-gaoping-18.yaml"][0])
    sealed["signature"] = {"mode": "sealed", "seal_image": str(_seal(folder / "seal.png"))}
    out["sealed"] = (sealed, folder)
    marked = dict(out["request-gaoping-wenbao-25.yaml"][0])
    marked.update(secrecy="秘密", secrecy_term="1年", urgency="特急", copy_no="000001")
    marked["body"] = f"关于{EXT_B[0]}村和{EXT_B[1:]}镇文物点的安全巡查，请予支持。"
    marked.pop("attachments", None)
    marked.pop("attachment_list", None)
    out["marked"] = (marked, folder)
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("ofd")
    fonts = resolve_fonts(use_system=False)
    out = {}
    for name, (data, base) in _inputs(folder).items():
        doc, _ = check_data(dict(data), base / "input.yaml", fonts)
        result = render_document(doc, ("pdf", "ofd"), PROFILE, fonts, base_dir=base)
        pdf = folder / f"{name}.pdf"
        ofd = folder / f"{name}.ofd"
        pdf.write_bytes(result.files["pdf"])
        ofd.write_bytes(result.files["ofd"])
        out[name] = {"doc": doc, "pdf": MeasuredPDF.open(pdf), "ofd": OFDPackage(ofd), "path": ofd}
    return out


ALL = [*SAMPLE_NAMES, "sealed", "marked"]


@pytest.mark.parametrize("name", ALL)
def test_every_part_validates_against_the_standard_schemas(made, name):
    path = made[name]["path"]
    assert schemas.validate(path) == []
    # Every XML member of the zip is one a reader reaches, and each validates on its own.
    with zipfile.ZipFile(path) as z:
        reached = schemas.parts(z)
        xml_members = {n for n in z.namelist() if n.endswith(".xml")}
        assert xml_members == set(reached)
        for part, kind in reached.items():
            schema = schemas.schema(kind)
            tree = etree.fromstring(z.read(part))
            assert schema.validate(tree), (part, schema.error_log)
        assert sum(1 for k in reached.values() if k == "Page") == made[name]["pdf"].pages


@pytest.mark.parametrize("name", ALL)
def test_each_page_has_the_pdf_pages_characters_at_the_same_places(made, name):
    pdf: MeasuredPDF = made[name]["pdf"]
    ofd: OFDPackage = made[name]["ofd"]
    assert len(ofd.page_paths) == pdf.pages
    for i in range(pdf.pages):
        pg = [g for g in pdf.glyphs(i + 1) if g.text.strip()]
        og = [g for g in ofd.glyphs(i) if g.text.strip()]
        assert Counter(g.text for g in og) == Counter(g.text for g in pg), f"page {i + 1}"
        if any(g.turned for g in og):
            continue  # a turned page: its characters compared above, positions in the next test
        ours = sorted((round(g.y, 1), g.x, g.text) for g in og)
        theirs = sorted((round(g.baseline, 1), g.x0, g.text) for g in pg)
        for (oy, ox, ot), (py, px, pt) in zip(ours, theirs):
            assert ot == pt and abs(oy - py) <= 0.1 and abs(ox - px) <= POS_TOL, (i + 1, ot, ox, px)


def test_turned_pages_are_turned_as_in_the_pdf(made):
    """The wide table's pages: each glyph's origin on the sheet is the PDF's (its text matrix)."""
    import pdfplumber

    name = "request-gaoping-wenbao-funds.yaml"
    ofd: OFDPackage = made[name]["ofd"]
    turned = [i for i in range(len(ofd.page_paths)) if any(g.turned for g in ofd.glyphs(i))]
    assert turned, "the wide table is set across its pages"
    mm = 25.4 / 72
    with pdfplumber.open(made[name]["pdf"].path) as pdf:
        for i in turned:
            page = sheet_page(pdf.pages[i])  # the PDF's landscape page, on the upright sheet
            top = float(page.mediabox[3])
            origins = sorted(
                (round((top - c["matrix"][5]) * mm, 1), round(c["matrix"][4] * mm, 1), c["text"])
                for c in page.chars
                if c["text"].strip() and c["matrix"][0] == 0  # turned: no x scale left
            )
            ours = sorted(
                (round(g.y, 1), round(g.x, 1), g.text)
                for g in ofd.glyphs(i)
                if g.turned and g.text.strip()
            )
            assert len(ours) == len(origins) > 100
            for (oy, ox, ot), (py, px, pt) in zip(ours, origins):
                assert ot == pt and abs(oy - py) <= 0.15 and abs(ox - px) <= 0.15, (i + 1, ot)


def test_text_is_text_with_compact_advances_and_red_mark(made):
    ofd: OFDPackage = made["letter-gaoping-18.yaml"]["ofd"]
    page = ofd.page_xml(0)
    codes = page.findall(".//ofd:TextCode", NS)
    assert any(c.get("DeltaX", "").startswith("g ") for c in codes)
    # A body line of 28 characters: one g-run of 27 advances of one em (16 pt = 5.644 mm + spacing).
    lines = [c for c in codes if len(c.text or "") == 28]
    assert lines
    steps = expand_delta(lines[0].get("DeltaX"))
    assert len(steps) == 27
    mark = [g for g in ofd.glyphs(0) if g.color == (255, 0, 0)]
    assert "".join(g.text for g in mark) == "高平市人民政府办公室"
    black = {g.color for g in ofd.glyphs(0) if g.color != (255, 0, 0)}
    assert black == {(0, 0, 0)}


def test_delta_x_writes_repeats_as_g():
    assert delta_x(["5.644", "5.644", "5.644", "2.8", "5.644"]) == "g 3 5.644 2.8 5.644"
    assert delta_x(["1"]) == "1"
    assert expand_delta("g 3 5.644 2.8 g 2 1") == [5.644] * 3 + [2.8, 1.0, 1.0]


def test_characters_outside_the_bmp_are_text_in_a_code_of_their_own(made):
    ofd: OFDPackage = made["marked"]["ofd"]
    text = "".join(g.text for i in range(len(ofd.page_paths)) for g in ofd.glyphs(i))
    for ch in EXT_B:
        assert ch in text
    codes = [
        c.text
        for i in range(len(ofd.page_paths))
        for c in ofd.page_xml(i).iter(f"{{{NS['ofd']}}}TextCode")
    ]
    for ch in EXT_B:
        assert ch in codes, "a non-BMP character stands alone in its TextCode"


@pytest.mark.parametrize("name", ALL)
def test_fonts_are_embedded_subsets_of_exactly_the_characters_drawn(made, name):
    ofd: OFDPackage = made[name]["ofd"]
    drawn: dict[str, set[str]] = {}
    for i in range(len(ofd.page_paths)):
        for g in ofd.glyphs(i):
            drawn.setdefault(g.font, set()).add(g.text)
    assert set(drawn) == set(ofd.fonts), "every font used is a resource, every resource used"
    for fid, (font_name, data) in ofd.fonts.items():
        tt = TTFont(io.BytesIO(data))
        cmap = {chr(c) for c in tt.getBestCmap()}
        assert cmap == drawn[fid], font_name
        assert tt["maxp"].numGlyphs <= len(drawn[fid]) + 1  # .notdef and the glyphs drawn
        assert not tt["OS/2"].fsType & FS_RESTRICTED or tt["OS/2"].fsType & FS_EDITABLE
        assert len(data) < 600_000  # a cut, not the 5-15 MB font
    # No font by name alone: every Font has its file in the package.
    with zipfile.ZipFile(made[name]["path"]) as z:
        res = etree.fromstring(z.read("Doc_0/PublicRes.xml"))
        for f in res.iterfind(".//ofd:Font", NS):
            assert f.findtext("ofd:FontFile", namespaces=NS)


def test_a_restricted_licence_refuses_embedding():
    assert embedding_problem(FS_RESTRICTED, "某字体")
    assert "禁止嵌入" in embedding_problem(FS_RESTRICTED, "某字体")
    assert embedding_problem(FS_RESTRICTED | FS_EDITABLE, "某字体") is None
    assert embedding_problem(0, "某字体") is None


@pytest.mark.parametrize("name", ALL)
def test_rules_are_paths_where_the_pdf_draws_them(made, name):
    pdf: MeasuredPDF = made[name]["pdf"]
    ofd: OFDPackage = made[name]["ofd"]
    for i in range(pdf.pages):
        horizontal = [
            p
            for p in ofd.paths(i)
            if p.fill is None and len(p.points) == 2 and abs(p.points[0][1] - p.points[1][1]) < 0.01
        ]
        for r in pdf.rules(i + 1):
            match = [
                p
                for p in horizontal
                if abs(p.points[0][1] - r.y) < 0.05
                and abs(min(p.points[0][0], p.points[1][0]) - r.x0) < 0.05
                and abs(max(p.points[0][0], p.points[1][0]) - r.x1) < 0.05
            ]
            assert match, (name, i + 1, r)
            assert abs(match[0].width - r.width_mm) < 0.02
            assert match[0].stroke == r.color


def test_red_rules_are_red(made):
    ofd: OFDPackage = made["letter-gaoping-18.yaml"]["ofd"]
    red = [p for p in ofd.paths(0) if p.stroke == (255, 0, 0)]
    assert red and all(p.width > 0.2 for p in red)


def test_the_seal_is_an_image_placed_as_in_the_pdf(made):
    pdf: MeasuredPDF = made["sealed"]["pdf"]
    ofd: OFDPackage = made["sealed"]["ofd"]
    (page,) = [i for i in range(pdf.pages) if pdf.images(i + 1)]  # the signature's page
    (p,) = pdf.images(page + 1)
    (o,) = ofd.images(page)
    assert abs(o.x - p.x0) < 0.05 and abs(o.top - p.top) < 0.05
    assert abs(o.width - (p.x1 - p.x0)) < 0.05 and abs(o.height - (p.bottom - p.top)) < 0.05
    with zipfile.ZipFile(made["sealed"]["path"]) as z:
        res = etree.fromstring(z.read("Doc_0/DocumentRes.xml"))
        (media,) = res.iterfind(".//ofd:MultiMedia", NS)
        assert media.get("ID") == o.resource and media.get("Format") == "PNG"
        assert (
            z.read(f"Doc_0/Res/{media.findtext('ofd:MediaFile', namespaces=NS)}")[:4] == b"\x89PNG"
        )


def test_docinfo_holds_the_documents_facts(made):
    ofd: OFDPackage = made["marked"]["ofd"]
    info = ofd.info
    assert info.findtext("ofd:Title", namespaces=NS) == made["marked"]["doc"].title
    assert info.findtext("ofd:Author", namespaces=NS) == "高平市文物保护中心"
    assert len(info.findtext("ofd:DocID", namespaces=NS)) == 32
    assert info.findtext("ofd:CreationDate", namespaces=NS)
    assert ofd.custom() == {
        "发文字号": "高文保发〔2025〕25号",
        "发文机关": "高平市文物保护中心",
        "成文日期": made["marked"]["doc"].date.isoformat(),
        "文种": "请示",
        "密级": "秘密",
        "保密期限": "1年",
        "紧急程度": "特急",
        "签发人": "李志刚",
    }
    plain = made["letter-gaoping-18.yaml"]["ofd"].custom()
    assert plain["发文字号"] == "高政办函〔2025〕18号" and "密级" not in plain


@pytest.fixture(scope="module")
def easyofd_reader():
    pytest.importorskip("easyofd")
    from loguru import logger

    logger.remove()  # easyofd logs every font it cannot find on the system
    from easyofd.ofd import OFD

    return OFD


@pytest.mark.parametrize("name", ALL)
def test_a_second_reader_sees_the_same_pages_and_text(made, name, easyofd_reader):
    reader = easyofd_reader()
    reader.read(str(made[name]["path"]), fmt="path")
    (doc,) = reader.data
    pages = doc["page_info"]
    pdf: MeasuredPDF = made[name]["pdf"]
    assert len(pages) == pdf.pages
    for i in range(pdf.pages):
        theirs = "".join(t["text"] for t in pages[i]["text_list"])
        want = "".join(g.text for g in pdf.glyphs(i + 1))
        # easyofd reads element text through xmltodict, which trims white space (the
        # 纪要's U+3000 gaps at a code's start): the visible characters are compared.
        visible = Counter(c for c in theirs if not c.isspace())
        assert visible == Counter(c for c in want if not c.isspace()), f"page {i + 1}"


def test_docgen_check_validates_a_package(made, tmp_path, capsys):
    good = made["letter-gaoping-18.yaml"]["path"]
    assert main(["check", str(good)]) == 0
    assert "符合 GB/T 33190" in capsys.readouterr().out
    # A page with an element the schema does not know, and a font file gone.
    bad = tmp_path / "坏.ofd"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "Doc_0/Pages/Page_0/Content.xml":
                data = data.replace(b"<ofd:Content>", b"<ofd:Content><ofd:Bogus/>", 1)
            if item.filename.endswith(".ttf") and "font_" in item.filename:
                if not any(n.filename.endswith(".ttf") for n in dst.infolist()):
                    continue  # the first font left out
            dst.writestr(item, data)
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Doc_0/Pages/Page_0/Content.xml" in err and "Page.xsd" in err
    assert "不在包内" in err


def test_render_format_ofd_alone_and_with_pdf(tmp_path, capsys):
    src = SAMPLES / "letter-gaoping-18.yaml"
    assert main(["render", str(src), "--format", "ofd", "-o", str(tmp_path / "a")]) == 0
    assert (tmp_path / "a" / "letter-gaoping-18.ofd").is_file()
    assert not (tmp_path / "a" / "letter-gaoping-18.pdf").exists()
    assert main(["render", str(src), "-o", str(tmp_path / "函.ofd")]) == 0
    assert schemas.validate(tmp_path / "函.ofd") == []
    assert main(["render", str(src), "--format", "pdf,ofd", "-o", str(tmp_path / "b")]) == 0
    pdf = MeasuredPDF.open(tmp_path / "b" / "letter-gaoping-18.pdf")
    assert len(OFDPackage(tmp_path / "b" / "letter-gaoping-18.ofd").page_paths) == pdf.pages


# --- the 督办 stages: the 通报 with its chart, and the batch ------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from svhelp import copy_of

    base = tmp_path_factory.mktemp("ofd-report")
    _, _, reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", base)
    out = base / "通报.pdf"
    args = ["supervise", "report", "--as-of", "2025-10-08", "-o", str(out)]
    assert main([*args, "--format", "pdf,ofd", "--registry", str(reg)]) == 0
    return {"pdf": MeasuredPDF.open(out), "path": out.with_suffix(".ofd")}


def test_the_report_and_its_chart_in_ofd(report):
    path = report["path"]
    assert schemas.validate(path) == []
    ofd, pdf = OFDPackage(path), report["pdf"]
    assert len(ofd.page_paths) == pdf.pages
    for i in range(pdf.pages):
        ours = Counter(g.text for g in ofd.glyphs(i) if g.text.strip())
        assert ours == Counter(g.text for g in pdf.glyphs(i + 1) if g.text.strip())
    # The chart: filled, outlined bars and legend keys as paths, in greys, none an image.
    boxes = [p for i in range(pdf.pages) for p in ofd.paths(i) if p.fill is not None]
    assert len(boxes) >= 4
    assert len({p.fill for p in boxes}) >= 2
    assert not any(ofd.images(i) for i in range(pdf.pages))
    assert OFDPackage(path).custom()["文种"] == "通报"


def test_a_batch_writes_ofd_beside_pdf_and_docx(tmp_path):
    import shutil

    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    out = tmp_path / "out"
    args = ["batch", "--meeting", str(src / "meeting-2025-1.yaml"), "-o", str(out)]
    args += ["--registry", str(tmp_path / "r.sqlite3"), "--new-registry", "--quiet"]
    assert main([*args, "--format", "pdf,docx,ofd"]) == 0
    ofds = sorted(out.rglob("*.ofd"))
    pdfs = sorted(out.rglob("*.pdf"))
    assert ofds and len(ofds) == len(pdfs) == len(list(out.rglob("*.docx")))
    for ofd_path in ofds:
        assert schemas.validate(ofd_path) == []
        pdf = MeasuredPDF.open(ofd_path.with_suffix(".pdf"))
        ofd = OFDPackage(ofd_path)
        assert len(ofd.page_paths) == pdf.pages
        for i in range(pdf.pages):
            assert Counter(g.text for g in ofd.glyphs(i) if g.text.strip()) == Counter(
                g.text for g in pdf.glyphs(i + 1) if g.text.strip()
            )
        facts = ofd.custom()
        assert facts["发文机关"] and ofd.info.findtext("ofd:Title", namespaces=NS)
        if facts["文种"] == "督办单":
            assert facts["发文字号"].startswith("高文联办督〔2025〕") and facts["承办单位"]
        else:
            assert facts["文种"] == "纪要" and facts["期数"] == "第1期"


def test_reminders_in_ofd(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path):
    from svhelp import copy_of

    reg = copy_of(tmp_path_factory.getbasetemp() / "sv-batch", tmp_path)[2]
    out = tmp_path / "催办"
    args = ["supervise", "remind", "--as-of", "2025-10-08", "-o", str(out), "--registry", str(reg)]
    assert main([*args, "--code", "高文联办催", "--format", "pdf,ofd"]) == 0
    ofds = sorted(out.rglob("*.ofd"))
    assert ofds and len(ofds) == len(list(out.rglob("*.pdf")))
    red = 0
    for path in ofds:
        assert schemas.validate(path) == []
        ofd, pdf = OFDPackage(path), MeasuredPDF.open(path.with_suffix(".pdf"))
        assert len(ofd.page_paths) == pdf.pages
        assert Counter(g.text for g in ofd.glyphs(0) if g.text.strip()) == Counter(
            g.text for g in pdf.glyphs(1) if g.text.strip()
        )
        assert ofd.custom()["文种"] == "催办单"
        red += any(g.color == (255, 0, 0) for g in ofd.glyphs(0))
    assert red, "a red-head 催办单 keeps its red head in the OFD"


def test_a_composite_glyph_keeps_its_components_renumbered(tmp_path):
    """A subset of a composite glyph (Á = A + acute) carries A too, and points at it."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    from docgen.fonts import ResolvedFont
    from docgen.render.ofd.embed import subset_bytes
    from docgen.spec import FontRole

    def box(x0: int, y0: int, x1: int, y1: int) -> Glyph:
        pen = TTGlyphPen(None)
        pen.moveTo((x0, y0))
        pen.lineTo((x1, y0))
        pen.lineTo((x1, y1))
        pen.lineTo((x0, y1))
        pen.closePath()
        return pen.glyph()

    names = [".notdef", "B", "A", "acute", "Aacute"]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord("A"): "A", ord("B"): "B", 0xC1: "Aacute"})
    composite = Glyph()
    composite.numberOfContours = -1
    parts = []
    for name, dy in (("A", 0), ("acute", 700)):
        c = GlyphComponent()
        c.glyphName, c.x, c.y, c.flags = name, 0, dy, 0x0004
        parts.append(c)
    composite.components = parts
    glyphs = {
        ".notdef": box(0, 0, 500, 700),
        "B": box(0, 0, 400, 700),
        "A": box(0, 0, 600, 700),
        "acute": box(100, 0, 300, 100),
        "Aacute": composite,
    }
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (600, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    fb.setupOS2(fsType=0)
    fb.setupPost()
    path = tmp_path / "t.ttf"
    fb.save(str(path))
    font = ResolvedFont(FontRole.FANGSONG, path, 0, "Test", "config", "dg-test")
    cut = TTFont(io.BytesIO(subset_bytes(font, "Á")))
    order = cut.getGlyphOrder()
    assert len(order) == 4  # .notdef, Á, and its two components; B left out
    glyf = cut["glyf"]
    aacute = glyf[cut.getBestCmap()[0xC1]]
    assert aacute.isComposite()
    used = [c.glyphName for c in aacute.components]
    assert all(glyf[n].numberOfContours == 1 for n in used)
    assert sorted(glyf[n].xMax for n in used) == [300, 600]  # the acute and the A


def test_the_web_api_gives_the_ofd(tmp_path):
    """POST /api/render?format=ofd: the package, valid, with the PDF's pages (the workbench's
    download link points here)."""
    from test_web_api import letter, make_client

    data = tmp_path / "data"
    data.mkdir()
    (data / "member-units.yaml").write_bytes((SAMPLES / "member-units.yaml").read_bytes())
    with make_client(data, batch_jobs=1) as client:
        got = client.post("/api/render?format=ofd", json=letter())
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/ofd"
    assert ".ofd" in got.headers["content-disposition"]
    path = tmp_path / "函.ofd"
    path.write_bytes(got.content)
    assert schemas.validate(path) == []
    assert len(OFDPackage(path).page_paths) == int(got.headers["x-page-count"]) == 6


@pytest.mark.parametrize("name", ALL)
def test_ids_are_unique_and_max_unit_id_is_the_largest(made, name):
    with zipfile.ZipFile(made[name]["path"]) as z:
        ids: list[int] = []
        for part in z.namelist():
            if part.endswith(".xml") and part != "OFD.xml":
                root = etree.fromstring(z.read(part))
                ids += [int(el.get("ID")) for el in root.iter() if el.get("ID") is not None]
        doc = etree.fromstring(z.read("Doc_0/Document.xml"))
        max_id = int(doc.findtext("ofd:CommonData/ofd:MaxUnitID", namespaces=NS))
    assert len(ids) == len(set(ids))
    assert max(ids) == max_id


def test_ofd_alone_draws_the_same_pages_as_with_the_pdf(made):
    """The OFD does not depend on the PDF being made beside it."""
    fonts = resolve_fonts(use_system=False)
    doc = made["request-gaoping-wenbao-funds.yaml"]["doc"]
    alone = render_document(doc, ("ofd",), PROFILE, fonts, base_dir=SAMPLES).files["ofd"]
    both = made["request-gaoping-wenbao-funds.yaml"]["path"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(alone)) as a, zipfile.ZipFile(io.BytesIO(both)) as b:
        pages = [n for n in b.namelist() if n.endswith("Content.xml")]
        assert pages and sorted(pages) == sorted(
            n for n in a.namelist() if n.endswith("Content.xml")
        )
        for n in pages:
            assert a.read(n) == b.read(n)
