#!/usr/bin/env python3
"""Rebuild the bundled fonts in ``fonts/`` from Debian bookworm packages.

Sources (fetched with ``apt-get download`` and unpacked with ``dpkg -x``;
nothing is installed system-wide)::

    fonts-noto-cjk      1:20220127+repack1-1    NotoSerifCJK-Bold.ttc (face 2, SC),
                                                NotoSansCJK-Regular.ttc (face 2, SC)
    texlive-lang-chinese 2022.20230122-1        FandolFang-Regular.otf, FandolSong-Regular.otf
                                                (fandol v0.3), README, COPYING
    fonts-lxgw-wenkai   1.250+repack-1          LXGWWenKai-Regular.ttf (copied unmodified)
    unicode-data        15.0.0-1                Unihan_OtherMappings.txt.bz2 (kTGH: 通用规范汉字表)

What is done, and why:

* reportlab only reads TrueType (glyf) outlines, and every open 仿宋/宋体/
  小标宋 candidate in Debian is CFF, so the CFF outlines are converted to
  quadratic TrueType with cu2qu (after fontTools' ``Snippets/otf2ttf.py``:
  max_err 1.0 unit, reversed direction, lsb = xMin, maxp 1.0, post format 3).
* Noto CJK is one glyph set shared by JP/KR/SC/TC, 65,535 glyphs. The SC face
  is first subset to GBK + 通用规范汉字表 (8105) + Latin/punctuation blocks
  and made "lean": GSUB/GPOS/BASE/vhea/vmtx/VORG dropped. reportlab uses
  none of them, and keeping them pulls 18,000 locl/vertical glyphs in.
  The result is renamed with the suffix " DG" in name IDs 1/3/4/6/16 (so it
  never poses as upstream Noto and never contains the reserved name "Source").
* Fandol is converted whole (no subsetting; GPL-3 + font exception, so the
  files, this script and a pointer to the original OTFs ship together).
* LXGW WenKai is copied byte for byte: it reserves its names ("霞鹜",
  "LXGW"), so a modified copy would have to be renamed. It is already glyf.

Usage (about 3 minutes with ``-j 2`` on two cores)::

    mkdir -p /tmp/fontsrc && cd /tmp/fontsrc
    apt-get download fonts-noto-cjk texlive-lang-chinese fonts-lxgw-wenkai unicode-data
    for f in *.deb; do dpkg -x "$f" x; done
    python tools/build_fonts.py --root /tmp/fontsrc/x -j 2

Individual paths may be given instead of ``--root`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"

# Paths inside the unpacked Debian packages (relative to --root).
DEFAULT_SOURCES: dict[str, str] = {
    "noto_serif_bold": "usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "noto_sans_regular": "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "fandol_fang": "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf",
    "fandol_song": "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolSong-Regular.otf",
    "fandol_readme": "usr/share/doc/texlive-doc/fonts/fandol/README",
    "fandol_copying": "usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz",
    "lxgw_regular": "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
    "unihan_other": "usr/share/unicode/Unihan_OtherMappings.txt.bz2",
}

NOTO_SC_FACE = 2  # face order in the bookworm OTCs: JP, KR, SC, TC, HK
SUFFIX = "DG"

# Non-Han blocks kept in the Noto subsets: everything a 公文 can contain.
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x02C6, 0x02DD),  # spacing modifiers (ˇ ˉ ˊ ˋ ˙ in GBK)
    (0x0391, 0x03C9),  # Greek (GBK row 6)
    (0x0401, 0x0451),  # Cyrillic (GBK row 7)
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x214F),  # letterlike symbols (℃ №)
    (0x2150, 0x218F),  # number forms (Ⅰ–Ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # maths operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes
    (0x2600, 0x26FF),  # misc symbols (★ ☆)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〔〕〇)
    (0x3040, 0x30FF),  # kana (GBK rows 4–5)
    (0x3100, 0x312F),  # bopomofo (GBK)
    (0x3200, 0x32FF),  # enclosed CJK (㈠ ㊣)
    (0x3300, 0x33FF),  # CJK compatibility (㎡ ㎎)
    (0xFE30, 0xFE4F),  # CJK compatibility forms (GBK)
    (0xFF00, 0xFFEF),  # full-width forms
)


def gbk_chars() -> set[int]:
    """Every code point Python's ``gbk`` codec decodes (21,791 of them)."""
    out: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            out.update(ord(c) for c in s)
    return out


def tgh8105(unihan_other: Path) -> list[str]:
    """The 通用规范汉字表 (2013) from Unihan's kTGH field, in table order."""
    rows: list[tuple[int, str]] = []
    with bz2.open(unihan_other, "rt", encoding="utf-8") as fh:
        for line in fh:
            if "\tkTGH\t" not in line or line.startswith("#"):
                continue
            cp, _, value = line.rstrip("\n").split("\t")
            number = int(value.split()[0].split(":")[1])
            rows.append((number, chr(int(cp[2:], 16))))
    rows.sort()
    return [ch for _, ch in rows]


def subset_unicodes(tgh: Iterable[str]) -> set[int]:
    wanted = gbk_chars() | {ord(c) for c in tgh}
    for lo, hi in EXTRA_RANGES:
        wanted.update(range(lo, hi + 1))
    return wanted


# --- conversion --------------------------------------------------------------


def _cff_to_glyf(font: object) -> None:
    """Replace CFF outlines with quadratic glyf in place (fontTools otf2ttf)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    tt = font  # fontTools.ttLib.TTFont
    order = tt.getGlyphOrder()
    glyphset = tt.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        # max_err 1.0 unit of 1000: bbox moves ≤ 1.13/1000 em (measured), invisible.
        glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    tt["loca"] = newTable("loca")
    glyf = tt["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del tt["CFF "]
    if "VORG" in tt:
        del tt["VORG"]
    glyf.compile(tt)
    hmtx = tt["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)  # TrueType wants lsb == xMin
    maxp = tt["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    maxp.maxComponentElements = max(
        (len(getattr(g, "components", [])) for g in glyf.glyphs.values()), default=0
    )
    maxp.compile(tt)
    post = tt["post"]
    # CID fonts' glyph names ("cid12345") carry nothing; format 3 stores none.
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    tt["head"].glyphDataFormat = 0
    tt.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: object, family: str, ps_family: str) -> None:
    """Append the suffix to the family in name IDs 1/3/4/6/16 (all languages)."""
    name = font["name"]
    for rec in name.names:
        if rec.nameID not in (1, 3, 4, 6, 16, 18):
            continue
        text = rec.toUnicode()
        if rec.nameID in (3, 6):
            new = text.replace(ps_family, ps_family + SUFFIX)
        elif family in text:
            new = text.replace(family, f"{family} {SUFFIX}")
        else:  # localised names (none in bookworm's Noto, but be safe)
            new = f"{text} {SUFFIX}"
        rec.string = new


def build_noto(src: str, face: int, unicodes: set[int], out: str, family: str, ps: str) -> str:
    """Subset (lean) → CFF→glyf → rename. Returns a timing line."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    t0 = time.perf_counter()
    tt = TTFont(src, fontNumber=face, lazy=False)
    opts = subset.Options()
    opts.drop_tables += ["GSUB", "GPOS", "BASE", "vhea", "vmtx", "VORG", "DSIG"]
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.recalc_bounds = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(tt)
    t1 = time.perf_counter()
    _cff_to_glyf(tt)
    _rename(tt, family, ps)
    tt.save(out)
    t2 = time.perf_counter()
    n = len(tt.getGlyphOrder())
    mb = Path(out).stat().st_size / 1e6
    return f"{Path(out).name}: {n} glyphs, subset {t1 - t0:.1f} s, convert {t2 - t1:.1f} s, {mb:.2f} MB"


def build_fandol(src: str, out: str) -> str:
    """Whole-font CFF→glyf; names unchanged (GPL-3, no reserved names)."""
    from fontTools.ttLib import TTFont

    t0 = time.perf_counter()
    tt = TTFont(src, lazy=False)
    tt.getGlyphOrder()
    if "DSIG" in tt:
        del tt["DSIG"]  # signature of the OTF; meaningless after conversion
    _cff_to_glyf(tt)
    tt.save(out)
    t1 = time.perf_counter()
    n = len(tt.getGlyphOrder())
    mb = Path(out).stat().st_size / 1e6
    return f"{Path(out).name}: {n} glyphs, convert {t1 - t0:.1f} s, {mb:.2f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--root", type=Path, help="directory the .debs were unpacked into (dpkg -x)")
    for key in DEFAULT_SOURCES:
        ap.add_argument(
            f"--{key.replace('_', '-')}", type=Path, help=f"default: ROOT/{DEFAULT_SOURCES[key]}"
        )
    ap.add_argument("--out", type=Path, default=FONTS, help="output folder (default: fonts/)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="conversions at once (default 2)")
    ap.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="subset of: noto-serif noto-sans fandol-fang fandol-song lxgw",
    )
    args = ap.parse_args(argv)

    src: dict[str, Path] = {}
    for key, rel in DEFAULT_SOURCES.items():
        given = getattr(args, key)
        if given is None:
            if args.root is None:
                ap.error(f"--{key.replace('_', '-')} or --root is required")
            given = args.root / rel
        if not given.exists():
            ap.error(f"missing source: {given}")
        src[key] = given

    out: Path = args.out
    noto_dir, fandol_dir, lxgw_dir = out / "noto", out / "fandol", out / "lxgw-wenkai"
    for d in (noto_dir, fandol_dir, lxgw_dir):
        d.mkdir(parents=True, exist_ok=True)

    tgh = tgh8105(src["unihan_other"])
    (out / "tgh8105.txt").write_text("".join(tgh) + "\n", encoding="utf-8")
    unicodes = subset_unicodes(tgh)

    jobs: dict[str, tuple[Callable[..., str], tuple[object, ...]]] = {
        "noto-serif": (
            build_noto,
            (
                str(src["noto_serif_bold"]),
                NOTO_SC_FACE,
                unicodes,
                str(noto_dir / "NotoSerifCJKsc-Bold-DG.ttf"),
                "Noto Serif CJK SC",
                "NotoSerifCJKsc",
            ),
        ),
        "noto-sans": (
            build_noto,
            (
                str(src["noto_sans_regular"]),
                NOTO_SC_FACE,
                unicodes,
                str(noto_dir / "NotoSansCJKsc-Regular-DG.ttf"),
                "Noto Sans CJK SC",
                "NotoSansCJKsc",
            ),
        ),
        "fandol-fang": (
            build_fandol,
            (str(src["fandol_fang"]), str(fandol_dir / "FandolFang-Regular.ttf")),
        ),
        "fandol-song": (
            build_fandol,
            (str(src["fandol_song"]), str(fandol_dir / "FandolSong-Regular.ttf")),
        ),
    }
    only = set(args.only) if args.only is not None else set(jobs) | {"lxgw"}

    if "lxgw" in only:
        shutil.copyfile(src["lxgw_regular"], lxgw_dir / "LXGWWenKai-Regular.ttf")
    shutil.copyfile(src["fandol_readme"], fandol_dir / "README")
    with gzip.open(src["fandol_copying"], "rb") as fh:
        (fandol_dir / "COPYING").write_bytes(fh.read())

    # Processes, not threads: conversion is pure-Python CPU work. At most
    # --jobs at once; a Noto job peaks at ~360 MB RSS.
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {k: pool.submit(fn, *a) for k, (fn, a) in jobs.items() if k in only}
        for key, fut in futures.items():
            print(f"{key}: {fut.result()}", flush=True)
    print(f"total {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
