"""A page plan as an OFD package (GB/T 33190-2016): the zip and its parts.

    OFD.xml                       entry: DocInfo (title, issuing office, the document's facts)
    Doc_0/Document.xml            CommonData (MaxUnitID, A4 PageArea, resources), Pages
    Doc_0/PublicRes.xml           Fonts, each with its embedded subset
    Doc_0/DocumentRes.xml         MultiMedias: the seal image, when there is one
    Doc_0/Res/…                   font subsets (.ttf) and images as they were given
    Doc_0/Pages/Page_N/Content.xml  one per page

Every part validates against the standard's schemas (schemas.py).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from docgen.fonts import FontSet
from docgen.layout.plan import Plan
from docgen.render.ofd.content import NS, PageWriter, escape_attr, escape_text, num
from docgen.render.ofd.embed import UsedFont, subset_bytes
from docgen.render.ofd.info import OfdInfo
from docgen.render.ofd.zipwrite import zip_bytes
from docgen.spec import PAGE_HEIGHT, PAGE_WIDTH

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
CREATOR = "docgen"


def render_ofd(plan: Plan, fonts: FontSet, info: OfdInfo) -> bytes:
    """The OFD bytes of a plan: the same pages, lines and glyph positions as its PDF."""
    ids = itertools.count(1)

    def next_id() -> int:
        return next(ids)

    page_ids = [next_id() for _ in plan.pages]
    writer = PageWriter(fonts, next_id)
    pages = [writer.page(p) for p in plan.pages]
    fonts_used = sorted(writer.used.values(), key=lambda u: u.id)
    images = writer.images.ids
    max_id = next_id() - 1

    members: list[tuple[str, bytes, str]] = [
        ("OFD.xml", ofd_xml(info).encode(), "deflate"),
        ("Doc_0/Document.xml", document_xml(page_ids, max_id, bool(images)).encode(), "deflate"),
        ("Doc_0/PublicRes.xml", public_res_xml(fonts_used).encode(), "deflate"),
    ]
    for used in fonts_used:
        data = subset_bytes(used.font, "".join(sorted(used.chars)))
        members.append((f"Doc_0/Res/font_{used.id}.ttf", data, "keep"))
    if images:
        # PNG and JPEG go in as they are (checked by images.check_image): no re-encoding.
        media = {res: Path(path).read_bytes() for path, res in images.items()}
        members.append(("Doc_0/DocumentRes.xml", document_res_xml(media).encode(), "deflate"))
        for res, data in media.items():
            members.append((f"Doc_0/Res/image_{res}.{_format(data).lower()}", data, "store"))
    for i, content in enumerate(pages):
        members.append((f"Doc_0/Pages/Page_{i}/Content.xml", content.encode(), "deflate"))
    return zip_bytes(members)


def write_ofd(plan: Plan, fonts: FontSet, info: OfdInfo, path: str | Path) -> None:
    """Write the OFD of a plan to ``path`` atomically (a reader never sees half a package)."""
    from docgen.fileio import atomic_write

    atomic_write(Path(path), render_ofd(plan, fonts, info))


def _format(data: bytes) -> str:
    """PNG or JPEG, by the file's signature (its name may say otherwise)."""
    return "PNG" if data.startswith(b"\x89PNG") else "JPEG"


def ofd_xml(info: OfdInfo) -> str:
    parts = [
        HEAD,
        f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>',
        f"<ofd:DocID>{escape_text(info.doc_id)}</ofd:DocID>",
    ]
    if info.title:
        parts.append(f"<ofd:Title>{escape_text(info.title)}</ofd:Title>")
    if info.author:
        parts.append(f"<ofd:Author>{escape_text(info.author)}</ofd:Author>")
    parts.append(f"<ofd:CreationDate>{info.creation_date.isoformat()}</ofd:CreationDate>")
    parts.append(f"<ofd:Creator>{CREATOR}</ofd:Creator>")
    if info.custom:
        parts.append("<ofd:CustomDatas>")
        parts += [
            f'<ofd:CustomData Name="{escape_attr(k)}">{escape_text(v)}</ofd:CustomData>'
            for k, v in info.custom
        ]
        parts.append("</ofd:CustomDatas>")
    parts.append("</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>")
    parts.append("</ofd:DocBody></ofd:OFD>")
    return "".join(parts)


def document_xml(page_ids: list[int], max_id: int, has_images: bool) -> str:
    doc_res = "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>" if has_images else ""
    pages = "".join(
        f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
        for i, pid in enumerate(page_ids)
    )
    return (
        f'{HEAD}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{max_id}</ofd:MaxUnitID>"
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 {num(PAGE_WIDTH)} {num(PAGE_HEIGHT)}</ofd:PhysicalBox></ofd:PageArea>"
        f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{doc_res}"
        f"</ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
    )


def public_res_xml(fonts_used: list[UsedFont]) -> str:
    fonts = "".join(
        f'<ofd:Font ID="{u.id}" FontName="{escape_attr(u.font.family)}"'
        f' FamilyName="{escape_attr(u.font.family)}">'
        f"<ofd:FontFile>font_{u.id}.ttf</ofd:FontFile></ofd:Font>"
        for u in fonts_used
    )
    body = f"<ofd:Fonts>{fonts}</ofd:Fonts>" if fonts else ""
    return f'{HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">{body}</ofd:Res>'


def document_res_xml(media: dict[int, bytes]) -> str:
    items = "".join(
        f'<ofd:MultiMedia ID="{res}" Type="Image" Format="{_format(data)}">'
        f"<ofd:MediaFile>image_{res}.{_format(data).lower()}</ofd:MediaFile></ofd:MultiMedia>"
        for res, data in media.items()
    )
    return f'{HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias>{items}</ofd:MultiMedias></ofd:Res>'
