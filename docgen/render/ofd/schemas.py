"""Check an OFD package against the GB/T 33190-2016 schemas (xsd/, see xsd/SOURCE.md).

Each XML part is validated against the schema of its kind, found the way a
reader finds it: OFD.xml names the Document.xml, that names the resource
files and the pages. Used by ``docgen check FILE.ofd`` and by the tests.
"""

from __future__ import annotations

import posixpath
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

XSD_DIR = Path(__file__).with_name("xsd")
NS = "http://www.ofdspec.org/2016"
_Q = {"ofd": NS}


@lru_cache(maxsize=8)
def schema(name: str) -> etree.XMLSchema:
    """The compiled schema ``name`` (OFD, Document, Res, Page…), once per process."""
    return etree.XMLSchema(etree.parse(str(XSD_DIR / f"{name}.xsd")))


def _join(base: str, loc: str) -> str:
    """An ST_Loc resolved against the folder of the part that names it (absolute from the root)."""
    loc = loc.strip()
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), loc))


def parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Every XML part a reader reaches from OFD.xml → its schema's name."""
    found = {"OFD.xml": "OFD"}
    root = etree.fromstring(z.read("OFD.xml"))
    for loc in root.iterfind("ofd:DocBody/ofd:DocRoot", _Q):
        doc = _join("OFD.xml", loc.text or "")
        found[doc] = "Document"
        droot = etree.fromstring(z.read(doc))
        for tag in ("PublicRes", "DocumentRes"):
            for res in droot.iterfind(f"ofd:CommonData/ofd:{tag}", _Q):
                found[_join(doc, res.text or "")] = "Res"
        for page in droot.iterfind("ofd:Pages/ofd:Page", _Q):
            found[_join(doc, page.get("BaseLoc", ""))] = "Page"
    return found


def validate(path: str | Path) -> list[str]:
    """The problems of a package, in Chinese, each naming its part; empty when every part is valid."""
    problems: list[str] = []
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{path}：不是 OFD 文件（无法作为 zip 打开：{exc}）"]
    with z:
        names = set(z.namelist())
        if "OFD.xml" not in names:
            return [f"{path}：缺少入口文件 OFD.xml"]
        try:
            found = parts(z)
        except (KeyError, etree.XMLSyntaxError) as exc:
            return [f"{path}：文件结构不完整（{exc}）"]
        for part, kind in found.items():
            if part not in names:
                problems.append(f"{path}：{part} 缺失（由上级文件引用）")
                continue
            problems += _check_part(z, part, kind, path)
        problems += _check_files(z, found, names, path)
    return problems


def _check_part(z: zipfile.ZipFile, part: str, kind: str, path: Any) -> list[str]:
    try:
        tree = etree.fromstring(z.read(part))
    except etree.XMLSyntaxError as exc:
        return [f"{path}：{part} 不是合格的 XML（{exc}）"]
    sch = schema(kind)
    if sch.validate(tree):
        return []
    return [
        f"{path}：{part} 第 {e.line} 行不符合 GB/T 33190 {kind}.xsd：{e.message}"
        for e in list(sch.error_log)[:5]
    ]


def _check_files(
    z: zipfile.ZipFile, found: dict[str, str], names: set[str], path: Any
) -> list[str]:
    """Font and image files the resource parts name are in the package (no external reference)."""
    out = []
    for part, kind in found.items():
        if kind != "Res" or part not in names:
            continue
        root = etree.fromstring(z.read(part))
        loc = root.get("BaseLoc", "")
        base = _join(part, f"{loc}/x" if loc else "x")
        for el in root.iterfind(".//ofd:FontFile", _Q):
            if _join(base, el.text or "") not in names:
                out.append(f"{path}：{part} 引用的字体文件 {el.text} 不在包内")
        for el in root.iterfind(".//ofd:MediaFile", _Q):
            if _join(base, el.text or "") not in names:
                out.append(f"{path}：{part} 引用的图像文件 {el.text} 不在包内")
        for font in root.iterfind(".//ofd:Font", _Q):
            if font.find("ofd:FontFile", _Q) is None:
                out.append(f"{path}：{part} 中的字体 {font.get('FontName')} 未嵌入")
    return out
