"""A minimal OFD reader for the tests: glyphs, paths and images of each page, in mm.

Written from GB/T 33190 for the tests alone (docgen's writer never uses it):
a TextCode's glyphs start at its X, Y in the object's space, each next one
DeltaX further (``g N v``: N times v); an object's space starts at its
Boundary's top-left corner and, with a CTM, is transformed first.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

NS = {"ofd": "http://www.ofdspec.org/2016"}


@dataclass
class OGlyph:
    text: str
    x: float  # origin, mm from the page's left
    y: float  # baseline, mm from the page's top
    font: str  # the Font resource ID
    size: float  # mm
    color: tuple[int, int, int]
    turned: bool


@dataclass
class OPath:
    points: list[tuple[float, float]]  # on the page, mm
    width: float
    stroke: tuple[int, int, int]
    fill: tuple[int, int, int] | None


@dataclass
class OImage:
    x: float
    top: float
    width: float
    height: float
    resource: str


def expand_delta(value: str | None) -> list[float]:
    """DeltaX's values with every ``g N v`` written out."""
    if not value:
        return []
    tokens = value.split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g":
            out += [float(tokens[i + 2])] * int(tokens[i + 1])
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _color(el: etree._Element | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if el is None:
        return default
    r, g, b = (int(v) for v in el.get("Value", "0 0 0").split())
    return (r, g, b)


def _box(el: etree._Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in el.get("Boundary", "0 0 0 0").split())
    return x, y, w, h


def _place(
    el: etree._Element, x: float, y: float
) -> tuple[float, float]:  # object space → page (CTM, then the Boundary's corner)
    bx, by, _, _ = _box(el)
    ctm = el.get("CTM")
    if ctm:
        a, b, c, d, e, f = (float(v) for v in ctm.split())
        x, y = a * x + c * y + e, b * x + d * y + f
    return bx + x, by + y


class OFDPackage:
    def __init__(self, path: str | Path) -> None:
        self.zip = zipfile.ZipFile(path)
        root = etree.fromstring(self.zip.read("OFD.xml"))
        self.info = root.find("ofd:DocBody/ofd:DocInfo", NS)
        self.doc_path = root.findtext("ofd:DocBody/ofd:DocRoot", namespaces=NS)
        self.document = etree.fromstring(self.zip.read(self.doc_path))
        base = posixpath.dirname(self.doc_path)
        self.page_paths = [
            posixpath.join(base, p.get("BaseLoc"))
            for p in self.document.iterfind("ofd:Pages/ofd:Page", NS)
        ]
        self.fonts: dict[str, tuple[str, bytes]] = {}  # ID → (FontName, file bytes)
        for loc in self.document.iterfind("ofd:CommonData/ofd:PublicRes", NS):
            res_path = posixpath.join(base, loc.text)
            res = etree.fromstring(self.zip.read(res_path))
            res_base = posixpath.join(posixpath.dirname(res_path), res.get("BaseLoc", ""))
            for f in res.iterfind("ofd:Fonts/ofd:Font", NS):
                file = posixpath.join(res_base, f.findtext("ofd:FontFile", namespaces=NS))
                self.fonts[f.get("ID")] = (f.get("FontName"), self.zip.read(file))

    def custom(self) -> dict[str, str]:
        return {
            c.get("Name"): c.text or ""
            for c in self.info.iterfind("ofd:CustomDatas/ofd:CustomData", NS)
        }

    def page_xml(self, index: int) -> etree._Element:
        return etree.fromstring(self.zip.read(self.page_paths[index]))

    def glyphs(self, index: int) -> list[OGlyph]:
        out = []
        for t in self.page_xml(index).iter(f"{{{NS['ofd']}}}TextObject"):
            color = _color(t.find("ofd:FillColor", NS), (0, 0, 0))
            for code in t.iterfind("ofd:TextCode", NS):
                x, y = float(code.get("X")), float(code.get("Y"))
                steps = expand_delta(code.get("DeltaX"))
                for i, ch in enumerate(code.text or ""):
                    px, py = _place(t, x, y)
                    out.append(
                        OGlyph(
                            ch,
                            px,
                            py,
                            t.get("Font"),
                            float(t.get("Size")),
                            color,
                            bool(t.get("CTM")),
                        )
                    )
                    if i < len(steps):
                        x += steps[i]
        return out

    def paths(self, index: int) -> list[OPath]:
        out = []
        for p in self.page_xml(index).iter(f"{{{NS['ofd']}}}PathObject"):
            tokens = p.findtext("ofd:AbbreviatedData", namespaces=NS).split()
            points = []
            i = 0
            while i < len(tokens):
                if tokens[i] in ("M", "L"):
                    points.append(_place(p, float(tokens[i + 1]), float(tokens[i + 2])))
                    i += 3
                else:
                    i += 1
            fill = (
                _color(p.find("ofd:FillColor", NS), (0, 0, 0)) if p.get("Fill") == "true" else None
            )
            out.append(
                OPath(
                    points,
                    float(p.get("LineWidth", "0.353")),
                    _color(p.find("ofd:StrokeColor", NS), (0, 0, 0)),
                    fill,
                )
            )
        return out

    def images(self, index: int) -> list[OImage]:
        out = []
        for im in self.page_xml(index).iter(f"{{{NS['ofd']}}}ImageObject"):
            x0, y0 = _place(im, 0, 0)
            x1, y1 = _place(im, 1, 1)
            out.append(
                OImage(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0), im.get("ResourceID"))
            )
        return out
