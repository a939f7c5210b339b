"""A page's objects as reportlab writes them, with what recurs across documents remembered.

A batch's notices are one page each of the same size, fonts and kinds of
content: their page dictionaries, page trees and catalogs differ by nothing
but, at most, object numbers. reportlab builds each afresh (a resources
dictionary, a MediaBox array, a stream object, dictionaries of dictionaries)
and formats it through its generic format(). Here a page that canvas wrote
plainly (no images' forms, annotations, boxes, transitions, colour spaces)
has its content stream written directly, as reportlab's PDFStream writes
it, and its dictionary formatted by reportlab once per set of what its bytes
depend on, then remembered; so are the page tree and the catalog. Anything
else goes to reportlab. Called by render/pdfsave.py under render/pdf.py's
save lock; same bytes: tools/golden.py, tests/test_pdf_writer.py.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from docgen.render.pdffonts import Written

# Bytes by everything they depend on. Bounded: the web server is long-running.
_BODIES: dict[tuple[object, ...], bytes] = {}
_BODIES_MAX = 256

# A page's entries canvas leaves unset on a plain page (its Parent, MediaBox,
# Resources and Contents are reportlab's to fill at save time; its Annots an empty list).
_UNSET = [
    name for name in pdfdoc.PDFPage.__NoDefault__ if name not in ("Rotate", "Trans", "Annots")
]
_CATALOG_UNSET = [
    name for name in pdfdoc.PDFCatalog.__NoDefault__ if name not in ("PageMode", "Pages")
]


def plain_page(page: pdfdoc.PDFPage) -> bool:
    """Whether a page holds only what page_body writes: a compressed stream, the fonts and
    standard procedure sets as resources, no transition, box, annotation or form."""
    trans = page.Trans
    return (
        not page.Override_default_compilation
        and bool(page.stream)
        and bool(page.compression)
        and not rl_config.pdfMultiLine
        and not page.XObjects
        and not getattr(page, "ExtGState", None)
        and not page._shadingUsed
        and not page._colorsUsed
        and not page.Annots
        and type(trans) is pdfdoc.PDFDictionary
        and not trans.dict
        and all(getattr(page, name) is None for name in _UNSET)
    )


def page_body(page: pdfdoc.PDFPage, doc: pdfdoc.PDFDocument) -> bytes:
    """A plain page's dictionary; its content stream made an object of the document.

    The page tree is referenced before the stream, as reportlab's
    check_format and format do, so both get reportlab's numbers.
    """
    parent = page.Parent = doc.Reference(doc.Pages)
    contents = page.Contents = Written()
    contents.parts = _stream(page.stream)
    doc.Reference(contents)
    numbers = doc.idToObjectNumberAndVersion
    key = (
        "Page",
        numbers[parent.name],
        numbers[contents.__InternalName__],
        numbers.get(pdfdoc.BasicFonts),
        _typed(page.pagewidth),
        _typed(page.pageheight),
        _typed(page.Rotate),
        bool(page.hasImages),
    )
    return _remembered(key, page, doc)


def tree_body(obj: pdfdoc.PDFCatalog, doc: pdfdoc.PDFDocument) -> bytes:
    """The page tree's (PDFPages) or the catalog's dictionary: it depends on the pages' numbers
    or the tree's, and on the page mode."""
    numbers = doc.idToObjectNumberAndVersion
    key: tuple[object, ...] | None = None
    if type(obj) is pdfdoc.PDFPages:
        names = [getattr(page, "__InternalName__", None) for page in obj.pages]
        if getattr(obj, "Parent", None) is None and all(name in numbers for name in names):
            key = ("Pages", *map(numbers.__getitem__, names))
    else:
        pages = getattr(obj, "Pages", None)
        name = getattr(pages, "__InternalName__", None)
        if (
            name in numbers
            and getattr(obj, "Lang", None) is None
            and all(getattr(obj, entry, None) is None for entry in _CATALOG_UNSET)
        ):
            key = (
                "Catalog",
                numbers[name],
                getattr(obj, "Type", None),
                getattr(obj, "PageMode", None),
            )
    if key is None:
        result: bytes = pdfdoc.format(obj, doc, toplevel=1)
        return result
    return _remembered(key, obj, doc)


def fonts_body(fonts: pdfdoc.PDFDictionary, doc: pdfdoc.PDFDocument) -> bytes:
    """The document's font dictionary (its resources' /Font): each subset's name and the
    number of its font object (render/pdffonts.py's, already registered)."""
    numbers = doc.idToObjectNumberAndVersion
    entries = fonts.dict
    names = [getattr(value, "__InternalName__", None) for value in entries.values()]
    if not all(type(value) is Written for value in entries.values()) or not all(
        name in numbers for name in names
    ):
        result: bytes = pdfdoc.format(fonts, doc, toplevel=1)
        return result
    key = ("Fonts", type(entries), *zip(entries, map(numbers.__getitem__, names)))
    return _remembered(key, fonts, doc)


def _remembered(key: tuple[object, ...], obj: pdfdoc.PDFObject, doc: pdfdoc.PDFDocument) -> bytes:
    """reportlab's bytes of an object whose bytes ``key`` determines, formatted once."""
    data = _BODIES.get(key)
    if data is None:
        if len(_BODIES) >= _BODIES_MAX:
            _BODIES.clear()
        data = _BODIES[key] = pdfdoc.format(obj, doc, toplevel=1)
    return data


def _typed(value: object) -> tuple[type, object]:
    """A number with its type: 0 and 0.0 and False are one key, but need not print alike."""
    return type(value), value


def _stream(text: str) -> tuple[bytes, ...]:
    """A page's content stream as reportlab's PDFStream writes it (its filters applied as
    PDFPage.check_format sets them), in pieces: head, data, end."""
    if rl_config.useA85:
        filters = [pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress]
    else:
        filters = [pdfdoc.PDFZCompress]
    content: str | bytes = text
    for f in reversed(filters):
        content = f.encode(content)
    # ASCII85's text is written as reportlab's format writes a text (its length the text's)
    data = content if isinstance(content, bytes) else pdfdoc.format(content, None)
    names = b" ".join(pdfdoc.pdfdocEnc(pdfdoc.PDFName(f.pdfname)) for f in filters)
    head = b"<<\n/Filter [ %s ] /Length %d\n>>\nstream\n" % (names, len(content))
    return head, data, b"endstream\n"
