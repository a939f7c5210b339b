"""Fonts cut to a batch's characters, once, so each PDF embeds a small font fast."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.fonts.resolve import FontSet, _rl_name
from docgen.fonts.sfnt import _metrics
from docgen.fonts.ttfcut import DROP_TABLES, cut_truetype

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont  # loaded only when a font is cut

# --- cutting fonts to a batch's characters -----------------------------------

SUBSET_ALWAYS = " 0123456789—"


def _cut_one(src: Path, index: int, chars: str, out: Path, stem: str = "") -> None:
    """Cut face ``index`` of ``src`` to ``chars`` into ``out``; named for ``stem`` (out's own stem
    by default), so a cut written under a temporary name is the same font.

    A TrueType font within what fonts/ttfcut.py knows is cut there, ~10x faster than
    fontTools and to the same bytes (tests/test_ttfcut.py); fontTools cuts the rest.
    """
    ps = _cut_name(stem or out.stem)
    data = cut_truetype(src, index, chars, ps)
    if data is None:
        _cut_fonttools(src, index, chars, out, ps)
    else:
        out.write_bytes(data)


def _cut_fonttools(src: Path, index: int, chars: str, out: Path, ps: str) -> None:
    """fontTools' cut of face ``index`` of ``src`` to ``chars``, named ``ps``: the reference
    fonts/ttfcut.py reproduces, and the cut of every font it does not know."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    # reportlab needs glyf/loca/hmtx/cmap/head/hhea/maxp/post/name/OS/2 only;
    # layout tables would drag in variant glyphs. Hinting is kept: dropping
    # it forces every glyph to be decoded and re-encoded (4x slower), and
    # the converted fonts have none anyway.
    opts.drop_tables += list(DROP_TABLES)
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    # recalcBBoxes=False: the glyphs are copied unchanged, so their stored
    # boxes are right; recalculating decodes every outline (3x slower).
    # recalcTimestamp=False: the same characters cut twice give the same bytes, so a
    # batch run again reproduces its PDFs exactly.
    font = TTFont(str(src), fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    # Glyphs named by number: fontTools would otherwise name every glyph of a CJK font
    # from its cmap (uniXXXX), a quarter of the cut's time. The cut keeps no names
    # (glyph_names=False: post format 3), so its bytes are the same (test_fonts).
    font.setGlyphOrder([".notdef", *(f"g{i}" for i in range(1, font["maxp"].numGlyphs))])
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    _rename_cut(font, ps)
    font.save(str(out))
    font.close()


def _cut_name(stem: str) -> str:
    """The PostScript name of a cut font written as ``stem``.

    reportlab keys fonts by PostScript name: a cut sharing the full font's
    name would be handed out for the full font later in the same process,
    drawing missing glyphs. The name also drops reserved font names (LXGW's
    OFL reserves "LXGW"), as a modified copy must.
    """
    clean = stem.replace("LXGW", "").replace("Source", "").strip("-")
    return ("DGcut-" + "".join(ch for ch in clean if ch.isascii() and (ch.isalnum() or ch == "-")))[
        :63
    ]


def _rename_cut(font: TTFont, ps: str) -> None:
    """Give a cut font the PostScript name ``ps``, and its family and full names from it."""
    for rec in font["name"].names:
        if rec.nameID == 6:
            rec.string = ps
        elif rec.nameID in (1, 3, 4, 16):
            rec.string = ps.replace("-", " ")


@dataclass(frozen=True)
class Cut:
    """One font to cut: its file and face, the batch's characters, and where the cut goes."""

    src: Path
    index: int
    text: str  # the batch's characters (+ SUBSET_ALWAYS); the cut keeps those the font has
    out: Path

    @property
    def key(self) -> tuple[str, int]:
        """The font cut, as ResolvedFont.key names it."""
        return (str(self.src), self.index)

    def run(self) -> None:
        """Cut the font, unless an earlier run of the same cut left it (its name holds the digest).

        Written beside its place and renamed in: two processes making the same cut
        (same characters, same bytes) never leave a half-written font for a third.
        """
        if self.out.exists():
            return
        # Only characters this font has: fontTools warns about the rest.
        m = _metrics(self.src, self.index)
        mine = "".join(ch for ch in self.text if ord(ch) in m.cmap)
        tmp = self.out.with_name(f"{self.out.stem}.{os.getpid()}.part")
        try:
            _cut_one(self.src, self.index, mine, tmp, stem=self.out.stem)
            os.replace(tmp, self.out)
        finally:
            tmp.unlink(missing_ok=True)


def plan_cuts(fs: FontSet, chars: str, outdir: Path) -> tuple[list[Cut], FontSet]:
    """The cuts ``subset_fontset`` makes, and the FontSet of their results, without cutting.

    A batch hands the cuts to its worker processes (largest font first) and
    renders with the FontSet once they are done; the names and the cut fonts'
    bytes are those of subset_fontset, whoever cuts them.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    text = "".join(sorted(set(chars) | set(SUBSET_ALWAYS)))
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    cut: dict[tuple[str, int], Path] = {}
    cuts: list[Cut] = []
    for f in fs.all_fonts():
        if f.key in cut:
            continue
        out = outdir / f"{f.path.stem}-{f.subfont_index}-{digest}.ttf"
        cut[f.key] = out
        cuts.append(Cut(f.path, f.subfont_index, text, out))
    chains = {
        role: [
            replace(
                f,
                path=cut[f.key],
                subfont_index=0,
                rl_name=_rl_name(f"{f.rl_name}-cut-{digest}", (str(cut[f.key]), 0)),
            )
            for f in fs.chain(role)
        ]
        for role in fs.roles
    }
    cuts.sort(key=lambda c: -c.src.stat().st_size)  # the longest first: two workers end together
    return cuts, FontSet(chains, fs.notes, fs._latin)


def subset_fontset(fs: FontSet, chars: str, outdir: Path) -> FontSet:
    """A FontSet of the same fonts cut to ``chars`` (+ space, digits, "—").

    Cut once per batch so reportlab copies small glyph tables per document.
    Every font keeps exactly the characters of ``chars`` it had, so runs()
    splits text the same way as with the full fonts.
    """
    cuts, cut = plan_cuts(fs, chars, outdir)
    for c in cuts:
        c.run()
    return cut
