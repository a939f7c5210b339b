"""The rules of the document types (条例 2012) that can be checked on the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docgen.models.parts import MainPart
from docgen.problems import Problem, excerpt
from docgen.text.title import title_warnings

if TYPE_CHECKING:
    from docgen.models.documents import Document


def check(doc: Document, file: str = "") -> list[Problem]:
    """Errors and warnings beyond what the field types enforce (the model alone: what
    validation noted, such as a 发文字号 mended, the loader reports: build_noted)."""
    problems: list[Problem] = []
    for w in title_warnings(doc.title) if doc.title else []:
        problems.append(Problem(w, field="title（标题）", file=file, severity="warning"))
    if doc.kind == "request":
        problems += _request(doc, file)
    elif doc.kind == "letter":
        if not doc.title.endswith(("的函", "的复函")):
            problems.append(
                Problem(
                    "函的标题一般为“关于……的函”（答复时为“……的复函”）",
                    field="title（标题）",
                    file=file,
                    severity="warning",
                )
            )
    if isinstance(doc, MainPart):
        problems += _attachments(doc, file)
    problems += _fits(doc, file)
    if (
        doc.signature
        and doc.signature.mode == "stamp"
        and not (doc.signature.signer or doc.signature.seal_image)
    ):
        problems.append(
            Problem(
                "签发人签名章方式需要填写 签名 或 印章图片",
                field="signature.signer（署名方式.签名）",
                file=file,
            )
        )
    return problems


def _request(doc: Any, file: str) -> list[Problem]:
    out: list[Problem] = []
    if len(doc.recipients) != 1:
        out.append(
            Problem(
                f"请示只能主送一个上级机关（现有 {len(doc.recipients)} 个）；其他机关请写在 抄送 中",
                field="recipients（主送机关）",
                file=file,
            )
        )
    if not doc.signers:
        out.append(
            Problem(
                "上行文（请示）须标注签发人，请填写 签发人", field="signers（签发人）", file=file
            )
        )
    if "请示报告" in doc.title:
        out.append(
            Problem("标题不得写“请示报告”，请示与报告是两个文种", field="title（标题）", file=file)
        )
    elif not doc.title.endswith("的请示"):
        out.append(
            Problem(
                "请示的标题应以“的请示”结尾，如“关于……的请示”", field="title（标题）", file=file
            )
        )
    if not doc.note or not ("联系人" in doc.note and ("电话" in doc.note or "手机" in doc.note)):
        out.append(
            Problem(
                "请示一般在附注中注明联系人和电话，如：联系人：王××，电话：0356-5220000",
                field="note（附注）",
                file=file,
                severity="warning",
            )
        )
    return out


def _attachments(doc: Any, file: str) -> list[Problem]:
    """The 附件说明 and the attachments themselves must name the same things."""
    listed = doc.attachment_list
    titles = [a.title for a in doc.attachments]
    if listed is None:
        return []
    out: list[Problem] = []
    for i, name in enumerate(listed, 1):
        if name not in titles:
            out.append(
                Problem(
                    f"附件说明第{i}项“{excerpt(name)}”没有对应的附件；附件标题须与附件说明完全一致",
                    field=f"attachment_list[{i}]（附件说明[{i}]）",
                    file=file,
                )
            )
    for i, title in enumerate(titles, 1):
        if title not in listed:
            out.append(
                Problem(
                    f"附件“{excerpt(title)}”未列入附件说明",
                    field=f"attachments[{i}].title（附件[{i}].标题）",
                    file=file,
                )
            )
        elif listed.index(title) != i - 1:
            out.append(
                Problem(
                    f"附件“{excerpt(title)}”在附件说明中排第{listed.index(title) + 1}项，但为第{i}个附件；顺序须一致",
                    field=f"attachments[{i}].title（附件[{i}].标题）",
                    file=file,
                )
            )
    return out


# --- what must fit the 156 mm type block (28 body characters a line) -------------------

BLOCK_CHARS = 28
MARK_MIN_PT = 18.0  # below 小二 a 发文机关标志 no longer reads as one
# Longest signature lines, in body characters, that the layouts of [7.3.5] keep in the block
# (measured with the bundled fonts: unsealed names sit two characters in from the right,
# a stamp's title two characters left of the stamp four characters in).
SIGNATURE_LIMITS = {"unsealed": BLOCK_CHARS - 2, "sealed": BLOCK_CHARS, "stamp": BLOCK_CHARS - 8}


def _fits(doc: Document, file: str) -> list[Problem]:
    """Names too long for their place: refused here, never drawn off the page (layout/bounds.py)."""
    from docgen.decide.widths import em_width
    from docgen.spec import BLOCK_WIDTH, PT_PER_MM

    out: list[Problem] = []
    fmt = doc.format
    mark = doc.mark if doc.kind != "supervision" and doc.kind != "reminder" else None
    lines = [mark] if mark else list(doc.issuer)
    if fmt in ("file", "letter") and lines:
        widest = max(em_width(ln) for ln in lines)
        if fmt == "file" and not mark:
            widest += em_width("文件") + (0.5 if len(lines) > 1 else 0)
        size = BLOCK_WIDTH * PT_PER_MM / widest
        if size < MARK_MIN_PT:
            field = "mark（发文机关标志）" if mark else "issuer（发文机关）"
            out.append(
                Problem(
                    f"发文机关标志过长（约 {widest:.0f} 字），要排进版心只能用 {size:.0f} 磅的字，"
                    f"小于 {MARK_MIN_PT:.0f} 磅就看不清；请在 mark（发文机关标志）中填写规范化简称",
                    field=field,
                    file=file,
                )
            )
    sig = doc.signature
    if sig is not None:
        names = list(sig.issuers or doc.issuer)
        limit = SIGNATURE_LIMITS.get(sig.mode, BLOCK_CHARS)
        for name in names:
            if sig.mode != "stamp" and em_width(name) > limit:
                out.append(
                    Problem(
                        f"署名机关“{name[:12]}…”约 {em_width(name):.0f} 字，超过这种署名方式一行能排的 "
                        f"{limit} 字，会排到版心外；请用规范化简称",
                        field="signature.issuers（署名方式.署名）",
                        file=file,
                    )
                )
        if sig.mode == "stamp" and sig.signer_title and em_width(sig.signer_title) > limit:
            out.append(
                Problem(
                    f"签发人职务过长（约 {em_width(sig.signer_title):.0f} 字，最多 {limit} 字），"
                    "会排到版心外；请缩短",
                    field="signature.signer_title（署名方式.签发人职务）",
                    file=file,
                )
            )
    return out
