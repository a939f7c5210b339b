"""Build the Word templates in templates/official/ (one per format).

    python tools/build_templates.py            # writes templates/official/*.docx

Each template is a lean package written part by part: python-docx's default
template carries ~790 KB of styles (styles.xml + stylesWithEffects.xml) that
make every docxtpl render about four times slower, so only the styles an
official document uses are written, and python-docx then opens each result as
a check that it is a valid package.

What lives in a template: page set-up (A4, the profile's margins, the 22-line
grid), odd/even footers with a PAGE field, named styles (fonts, sizes,
indents) and the order of the document's parts as docxtpl placeholders. What
the renderer fills in: the text and the computed positions (head, signature,
colophon), all referring to these styles by ID. An office may restyle a copy
in Word and pass it with ``--template``; ``docgen templates --check`` tells
whether it still has every placeholder.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

try:  # run from a checkout without installing: use the checkout's package
    import docgen  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docgen.render.docx import FOOTER_LINE_TWIPS, PLACEHOLDERS, page_setup  # noqa: E402
from docgen.render.docx import ooxml as ox  # noqa: E402
from docgen.spec import (  # noqa: E402
    OFFICIAL_FONT_NAMES,
    SIZE_BODY_PT,
    SIZE_COLOPHON_PT,
    SIZE_PAGE_NUMBER_PT,
    SIZE_TITLE_PT,
    FontRole,
    Profile,
)

OUT = Path(__file__).resolve().parents[1] / "templates" / "official"
FORMATS = ("file", "letter", "minutes", "supervision")

FS = OFFICIAL_FONT_NAMES[FontRole.FANGSONG][0]
XBS = OFFICIAL_FONT_NAMES[FontRole.XIAOBIAOSONG][0]
HEI = OFFICIAL_FONT_NAMES[FontRole.HEITI][0]
KAI = OFFICIAL_FONT_NAMES[FontRole.KAITI][0]
SONG = OFFICIAL_FONT_NAMES[FontRole.SONGTI][0]

# Fallbacks Word may use when an office lacks a font (w:altName), and the
# Windows font-matching hints: charset 86 = GB2312, panose of the common faces.
FONT_TABLE = [
    (XBS, "宋体", "02010600030101010101", "roman"),
    (FS, "仿宋", "02010609030101010101", "modern"),
    (HEI, "SimHei", "02010609060101010101", "modern"),
    (KAI, "楷体", "02010609030101010101", "modern"),
    (SONG, "SimSun", "02010600030101010101", "auto"),
]

TWO_CHARS = 2 * ox.GRID_CHAR_TWIPS  # the PDF's indent: two grid characters


def rfonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def rpr(
    font: str | None = None,
    size_pt: float | None = None,
    spacing: int | None = None,
    color: str | None = None,
) -> str:
    parts = []
    if font:
        parts.append(rfonts(font))
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing is not None:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if size_pt:
        hp = ox.half_points(size_pt)
        parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>" if parts else ""


def ppr(
    jc: str | None = None,
    first_line: int | None = None,
    left: int | None = None,
    right: int | None = None,
    outline: int | None = None,
    keep_next: bool = False,
    line: int | None = None,
) -> str:
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    if line is not None:
        parts.append(f'<w:spacing w:line="{line}" w:lineRule="exact"/>')
    parts.append(ox.indent_xml(left=left, right=right, first_line=first_line))
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>" if parts else ""


def pstyle(
    sid: str,
    name: str,
    based: str | None = "Normal",
    p: str = "",
    r: str = "",
    default: bool = False,
) -> str:
    attrs = ' w:default="1"' if default else ""
    base = f'<w:basedOn w:val="{based}"/>' if based else ""
    return (
        f'<w:style w:type="paragraph"{attrs} w:styleId="{sid}"><w:name w:val="{name}"/>{base}'
        f"<w:qFormat/>{p}{r}</w:style>"
    )


def cstyle(sid: str, name: str, r: str) -> str:
    return (
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f"<w:qFormat/>{r}</w:style>"
    )


def styles_xml(profile: Profile) -> str:
    """Every style the renderer refers to, and nothing else (see the module doc)."""
    red = profile.red_hex
    body_first = TWO_CHARS
    date_right = 4 * ox.GRID_CHAR_TWIPS
    one_small = ox.pt_to_twips(SIZE_COLOPHON_PT)
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f"{rfonts(FS)}"
        f'<w:spacing w:val="{ox.BODY_SPACING_TWIPS}"/>'
        f'<w:sz w:val="{ox.half_points(SIZE_BODY_PT)}"/><w:szCs w:val="{ox.half_points(SIZE_BODY_PT)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        # Widow control off: every full page keeps its 22 lines (the PDF's
        # pagination decides what moves). No automatic CJK/Latin spacing: the
        # PDF has none. overflowPunct="1": LibreOffice reads it inverted (its
        # importer maps 1 to "no hanging punctuation"), and hanging there
        # drops the mark from the page; Word and WPS may hang a closing mark
        # in the margin instead of pushing a character down. docs/docx-settings.md
        '<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>'
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        # Off the line grid: LibreOffice would otherwise give every line the
        # grid's pitch whatever its exact height (the head's spacers).
        '<w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{ox.LINE_TWIPS}" w:lineRule="exact"/>'
        '<w:jc w:val="both"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles = [
        # Repeated on Normal: LibreOffice reads these from a style, not from docDefaults.
        pstyle(
            "Normal",
            "Normal",
            None,
            p='<w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>'
            '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/></w:pPr>',
            default=True,
        ),
        pstyle("Body", "正文段落", p=ppr(first_line=body_first)),
        pstyle("Title", "公文标题", p=ppr(jc="center"), r=rpr(XBS, SIZE_TITLE_PT, 0)),
        pstyle("Recipients", "主送机关"),
        pstyle("Heading1", "一级标题", "Body", ppr(outline=0, keep_next=True), rpr(HEI)),
        pstyle("Heading2", "二级标题", "Body", ppr(outline=1, keep_next=True), rpr(KAI)),
        pstyle("Heading3", "三级标题", "Body", ppr(outline=2, keep_next=True), rpr(FS)),
        pstyle("Heading4", "四级标题", "Body", ppr(outline=3, keep_next=True), rpr(FS)),
        cstyle("Heading1Char", "一级标题字符", rpr(HEI)),
        cstyle("Heading2Char", "二级标题字符", rpr(KAI)),
        cstyle("Heading3Char", "三级标题字符", rpr(FS)),
        cstyle("Heading4Char", "四级标题字符", rpr(FS)),
        cstyle("Hei", "黑体字符", rpr(HEI)),
        cstyle("SignerName", "签发人姓名", rpr(KAI)),
        pstyle("AttachmentNote", "附件说明"),
        pstyle("Signature", "署名", p=ppr(jc="center")),
        pstyle("Date", "成文日期", p=ppr(jc="right", right=date_right)),
        pstyle("Note", "附注", p=ppr(first_line=body_first)),
        pstyle("AttachmentLabel", "附件标识", p=ppr(jc="left"), r=rpr(HEI)),
        pstyle(
            "AttachmentTitle",
            "附件标题",
            p=ppr(jc="center"),
            r=rpr(XBS, profile.attachment_title_size_pt, 0),
        ),
        pstyle(
            "Colophon",
            "版记",
            p=ppr(left=one_small, right=one_small),
            r=rpr(FS, SIZE_COLOPHON_PT, 0),
        ),
        pstyle("Mark", "发文机关标志", p=ppr(jc="center"), r=rpr(XBS, None, 0, red)),
        pstyle("DocNumber", "发文字号", p=ppr(jc="center")),
        pstyle("HeadLine", "版头"),
        pstyle("Spacer", "间距", r=rpr(size_pt=1, spacing=0)),
        pstyle("IssueNo", "期数", p=ppr(jc="center")),
        pstyle("Attendance", "出席"),
        pstyle("FormTitle", "督办单标题", p=ppr(jc="center"), r=rpr(XBS, SIZE_TITLE_PT, 0)),
        # Table text a rule's width short of the grid: a row of n lines and its
        # rule then take n grid lines, as in the PDF (see ooxml.TABLE_LINE_TWIPS).
        pstyle("FormText", "表格文字", p=ppr(jc="both", line=ox.TABLE_LINE_TWIPS)),
        pstyle("FormLabel", "表格栏目", p=ppr(jc="center", line=ox.TABLE_LINE_TWIPS)),
        pstyle("Footer", "页脚", r=rpr(SONG, SIZE_PAGE_NUMBER_PT, 0)),
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{ox.W_NS}">{defaults}{"".join(styles)}</w:styles>'
    )


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, panose, family in FONT_TABLE
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{ox.W_NS}">{fonts}</w:fonts>'
    )


def settings_xml() -> str:
    # evenAndOddHeaders: odd pages number on the right, even pages on the left.
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{ox.W_NS}">'
        # Schema order matters to Word: defaultTabStop before evenAndOddHeaders.
        '<w:zoom w:percent="100"/>'
        f'<w:defaultTabStop w:val="{TWO_CHARS}"/><w:evenAndOddHeaders/>'
        # No punctuation compression: Word would squeeze 。，、 to fit one more character.
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat>"
        # A line ended by a manual line break is not spread to the margin (the
        # PDF sets such a line flush left); LibreOffice reads it as well.
        "<w:doNotExpandShiftReturn/>"
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        "</w:settings>"
    )


def footer_xml(kind: str) -> str:
    """Page numbers "— N —" in 4号宋体, one 4号 character in from the block's edge."""
    one = ox.pt_to_twips(SIZE_PAGE_NUMBER_PT)
    if kind == "odd":
        p = ox.paragraph(
            ox.page_number_field_runs(),
            style="Footer",
            jc="right",
            right=one,
            left=0,
            line=FOOTER_LINE_TWIPS,
        )
    elif kind == "even":
        p = ox.paragraph(
            ox.page_number_field_runs(),
            style="Footer",
            jc="left",
            left=one,
            right=0,
            line=FOOTER_LINE_TWIPS,
        )
    else:  # the letter format's first page carries no number
        p = ox.paragraph("", style="Footer", line=FOOTER_LINE_TWIPS)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{ox.W_NS}" xmlns:r="{ox.NS["r"]}">{p}</w:ftr>'
    )


def placeholder_paragraph(tag: str, style: str = "Normal") -> str:
    """A paragraph holding one docxtpl tag ({{p x}} / {%p … %} replace the whole paragraph)."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{tag}</w:t></w:r></w:p>'


def styled_runs_paragraph(var: str, style: str) -> str:
    """A paragraph of ``style`` whose runs come from ``{{r var }}`` (a title's broken lines)."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{{{{r {var} }}}}</w:t></w:r></w:p>'


def body_xml(fmt: str) -> str:
    """The order of a format's parts; see templates/official/README.md."""
    P = placeholder_paragraph
    parts: list[str] = [P("{{p head }}")]
    if fmt in ("file", "letter", "minutes"):
        parts += [
            P("{%p if title %}"),
            styled_runs_paragraph("title", "Title"),
            P(""),  # one empty line below the title
            P("{%p endif %}"),
        ]
    if fmt in ("file", "letter"):
        parts += [
            P("{%p if recipients %}"),
            '<w:p><w:pPr><w:pStyle w:val="Recipients"/></w:pPr><w:r><w:t>{{ recipients }}</w:t></w:r></w:p>',
            P("{%p endif %}"),
        ]
    parts.append(P("{{p body }}"))
    if fmt in ("file", "letter"):
        parts += [
            P("{{p attachment_note }}"),
            P("{{p signature }}"),
            P("{{p note }}"),
            P("{{p attachments }}"),
        ]
    elif fmt == "minutes":
        parts += [P("{{p items }}"), P("{{p attendance }}")]
    elif fmt == "supervision":
        parts += [P("{{p form }}"), P("{{p signature }}")]
    if fmt != "supervision":
        parts.append(P("{{p colophon }}"))
    return "".join(parts)


def sect_pr(fmt: str, profile: Profile) -> str:
    size, margins = page_setup(profile)
    refs = '<w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
    refs += '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
    title_pg = ""
    if fmt == "letter":
        refs += '<w:footerReference w:type="first" r:id="rIdFooterFirst"/>'
        title_pg = "<w:titlePg/>"
    return f'<w:sectPr>{refs}{size}{margins}<w:cols w:space="425"/>{title_pg}{ox.doc_grid_xml()}</w:sectPr>'


def document_xml(fmt: str, profile: Profile) -> str:
    decl = " ".join(f'xmlns:{p}="{u}"' for p, u in ox.NS.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document {decl} mc:Ignorable="w14"><w:body>{body_xml(fmt)}{sect_pr(fmt, profile)}'
        "</w:body></w:document>"
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_R}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_R}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{_R}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooterOdd" Type="{_R}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterEven" Type="{_R}/footer" Target="footer2.xml"/>'
    f'<Relationship Id="rIdFooterFirst" Type="{_R}/footer" Target="footer3.xml"/>'
    "</Relationships>"
)

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{{ doc_title }}</dc:title><dc:creator>{{ doc_author }}</dc:creator>"
    "</cp:coreProperties>"
)

APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>docgen</Application></Properties>"
)


def build(fmt: str, path: Path, profile: Profile | None = None) -> Path:
    profile = profile or Profile()
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(fmt, profile),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(profile),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml("odd"),
        "word/footer2.xml": footer_xml("even"),
        "word/footer3.xml": footer_xml("first"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            # A fixed timestamp: rebuilding an unchanged template gives identical bytes.
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    _check(path, fmt)
    return path


def _check(path: Path, fmt: str) -> None:
    """python-docx must open it, and every documented placeholder must be there."""
    import docx

    docx.Document(str(path))
    from docgen.render.docx import template_placeholders

    missing = set(PLACEHOLDERS[fmt]) - template_placeholders(path)
    if missing:
        raise SystemExit(f"{path}: placeholders missing: {sorted(missing)}")


def main() -> int:
    for fmt in FORMATS:
        out = build(fmt, OUT / f"{fmt}.docx")
        print(f"wrote {out.relative_to(OUT.parents[1])} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
