"""A PDF file as reportlab's PDFDocument.format writes it, with less done per object.

reportlab wraps every object in a PDFIndirectObject, passes each piece of
the file through its encoder and builds the cross-reference table and the
trailer out of more PDF objects: on a one-page 督办单 of 18 objects that is a
fifth of the save outside zlib. Here the file is put together directly, each
object formatted by its own format() as reportlab does (render/pdffonts.py's
font objects come already written, their pieces joined only here), and the
document information, the same in every notice of a batch, formatted once.
Same bytes: tools/golden.py and tests/test_pdf_fonts.py.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from docgen.render.pdffonts import Written
from docgen.render.pdfpage import fonts_body, page_body, plain_page, tree_body

_REPORTLAB_FORMAT = pdfdoc.PDFDocument.format

# Document information by everything its bytes depend on. Bounded: the web server
# is long-running. Filled and read under render/pdf.py's save lock.
_INFOS: dict[tuple[object, ...], bytes] = {}
_INFOS_MAX = 256


def format_document(doc: pdfdoc.PDFDocument) -> bytes:
    """The file's bytes: header, objects in number order, cross-reference table, trailer.

    A document reportlab would write otherwise (comments, encryption, digital
    signatures) is left to reportlab.
    """
    if not _plain(doc):
        return _REPORTLAB_FORMAT(doc)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    number_to_id, objects = doc.numberToId, doc.idToObject
    out = [pdfdoc.PDFFile(doc._pdfVersion).strings[0]]  # reportlab's header
    offset = len(out[0])
    offsets = []
    number = 1
    while number in number_to_id:
        obj = objects[number_to_id[number]]
        parts = obj.parts if type(obj) is Written else (_body(obj, doc),)
        head = b"%d 0 obj\n" % number
        tail = b"endobj\n" if parts[-1].endswith(b"\n") else b"\nendobj\n"
        out.append(head)
        out += parts
        out.append(tail)
        offsets.append(offset)
        offset += len(head) + sum(map(len, parts)) + len(tail)
        number += 1
    count = number - 1
    for oid, at in zip(map(number_to_id.__getitem__, range(1, number)), offsets):
        doc.idToOffset[oid] = at  # as reportlab leaves them
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1))
    out += [b"%010d 00000 n \n" % at for at in offsets]
    root = doc.idToObjectNumberAndVersion[doc.Catalog.__InternalName__][0]
    info = doc.idToObjectNumberAndVersion[doc.info.__InternalName__][0]
    out.append(
        b"trailer\n<<\n/ID %s\n/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
        % (doc.ID(), info, root, count + 1, offset)
    )
    return b"".join(out)


def _plain(doc: pdfdoc.PDFDocument) -> bool:
    """Whether reportlab would write the file as format_document does."""
    comments = rl_config.pdfComments and not rl_config.invariant
    return (
        not comments
        and type(doc.encrypt) is pdfdoc.NoEncryption
        and not getattr(doc, "_digiSigs", None)
    )


def _body(obj: object, doc: pdfdoc.PDFDocument) -> bytes:
    """An object's bytes as reportlab's PDFIndirectObject formats them; the information, a
    plain page, the page tree, the catalog and the font dictionary remembered (pdfpage.py)."""
    kind = type(obj)
    if kind is pdfdoc.PDFInfo:
        return _info(obj, doc)
    if kind is pdfdoc.PDFPage and plain_page(obj):
        return page_body(obj, doc)
    if kind is pdfdoc.PDFPages or kind is pdfdoc.PDFCatalog:
        return tree_body(obj, doc)
    if obj is doc.idToObject.get(pdfdoc.BasicFonts) and kind is pdfdoc.PDFDictionary:
        return fonts_body(obj, doc)
    result: bytes = pdfdoc.format(obj, doc, toplevel=1)
    return result


def _info(info: pdfdoc.PDFInfo, doc: pdfdoc.PDFDocument) -> bytes:
    """The document information dictionary; its dates are the document's timestamp's."""
    stamp = doc._timeStamp
    key = (
        info.title,
        info.author,
        info.subject,
        info.keywords,
        info.creator,
        info.producer,
        info.trapped,
        info._dateFormatter,
        tuple(stamp.YMDhms),
        stamp.dhh,
        stamp.dmm,
    )
    data = _INFOS.get(key)
    if data is None:
        if len(_INFOS) >= _INFOS_MAX:
            _INFOS.clear()
        data = _INFOS[key] = info.format(doc)
    return data
