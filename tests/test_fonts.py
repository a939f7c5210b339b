"""Font resolution, coverage of GBK and the 通用规范汉字表, fallback runs in a real
PDF, subsetting, and the private fonts.conf for LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from docgen.fonts import (
    FontError,
    FontSet,
    describe,
    fonts_dir,
    read_faces,
    register_reportlab,
    resolve_fonts,
    subset_fontset,
)
from docgen.fonts import resolve as fontmod
from docgen.fonts.fontconfig import write_fonts_conf
from docgen.spec import OFFICIAL_FONT_NAMES, FontRole

RARE = "镕喆堃玥珺昇彧犇祎邨淏旻赟垚燚"


@pytest.fixture(autouse=True)
def _no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_NO_SYSTEM_FONTS", "1")
    monkeypatch.delenv("DOCGEN_FONTS_DIR", raising=False)


@pytest.fixture(scope="module")
def fs() -> FontSet:
    return resolve_fonts(use_system=False)


def gbk_hanzi() -> str:
    out = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
                out.append(ch)
    return "".join(out)


def gbk_all() -> str:
    out = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                out.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


def tgh8105() -> str:
    return (fonts_dir() / "tgh8105.txt").read_text(encoding="utf-8").strip()


def test_every_role_resolves_to_a_bundled_file(fs: FontSet) -> None:
    root = fonts_dir().resolve()
    for role in FontRole:
        p = fs.primary(role)
        assert p.source == "bundled", (role, p)
        assert p.path.is_file() and root in p.path.parents, p.path
        assert p.rl_name.startswith("dg-")
        for f in fs.chain(role)[1:]:
            assert f.source == "fallback"
        keys = [f.key for f in fs.chain(role)]
        assert len(keys) == len(set(keys)), "chain not deduplicated"
    # The layout relies on these exact choices (notes section 8).
    assert fs.primary(FontRole.FANGSONG).family == "FandolFang"
    assert fs.primary(FontRole.SONGTI).family == "FandolSong"
    assert fs.primary(FontRole.KAITI).family == "LXGW WenKai"
    assert fs.primary(FontRole.XIAOBIAOSONG).family == "Noto Serif CJK SC DG"
    assert fs.primary(FontRole.HEITI).family == "Noto Sans CJK SC DG"
    # LXGW WenKai is the first fallback everywhere it is not the primary.
    for role in FontRole:
        if role is not FontRole.KAITI:
            assert fs.chain(role)[1].family == "LXGW WenKai"


def test_environment_switches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # DOCGEN_NO_SYSTEM_FONTS overrides use_system=True.
    fs = resolve_fonts(use_system=True)
    assert all(fs.primary(r).source == "bundled" for r in FontRole)
    # DOCGEN_FONTS_DIR moves the bundled folder.
    alt = tmp_path / "fonts"
    shutil.copytree(fonts_dir(), alt)
    monkeypatch.setenv("DOCGEN_FONTS_DIR", str(alt))
    moved = resolve_fonts()
    assert (
        moved.primary(FontRole.FANGSONG).path.resolve()
        == (alt / "fandol/FandolFang-Regular.ttf").resolve()
    )


@pytest.mark.parametrize("role", list(FontRole), ids=lambda r: r.value)
def test_chain_covers_gbk_and_8105(fs: FontSet, role: FontRole) -> None:
    chain = fs.chain(role)
    table = tgh8105()
    assert len(table) == 8105
    wanted = set(gbk_hanzi()) | set(table) | set(RARE)
    assert len(wanted) > 20900
    missing = sorted(ch for ch in wanted if not any(fs.covers(f, ch) for f in chain))
    assert not missing, f"{role.value}: {len(missing)} missing, e.g. {''.join(missing[:40])}"


def test_gbk_symbols_covered(fs: FontSet) -> None:
    """Every character the gbk codec decodes, symbols included, in every chain."""
    chars = set(gbk_all())
    for role in FontRole:
        chain = fs.chain(role)
        missing = sorted(ch for ch in chars if not any(fs.covers(f, ch) for f in chain))
        assert not missing, f"{role.value}: {' '.join(f'U+{ord(c):04X}' for c in missing[:20])}"


def test_runs_split_by_cmap_and_report(fs: FontSet) -> None:
    fs.reset_report()
    runs = fs.runs(FontRole.FANGSONG, "朱镕基同志，喆")
    assert "".join(t for _, t in runs) == "朱镕基同志，喆"
    assert [t for _, t in runs] == ["朱", "镕", "基同志，", "喆"]
    assert runs[0][0] == fs.primary(FontRole.FANGSONG)
    assert runs[1][0].family == "LXGW WenKai" and runs[1][0].source == "fallback"
    assert fs.fallbacks_used == {FontRole.FANGSONG: {"镕", "喆"}}
    assert fs.missing == set()
    # A character no font has stays with the primary and is reported.
    runs = fs.runs(FontRole.HEITI, "甲\U00017000乙")
    assert len(runs) == 1 and runs[0][0] == fs.primary(FontRole.HEITI)
    assert fs.missing == {"\U00017000"}
    fs.reset_report()
    assert fs.fallbacks_used == {} and fs.missing == set()
    assert fs.runs(FontRole.SONGTI, "") == []


def test_runs_met_before_report_again(fs: FontSet) -> None:
    """A text met before (runs remembers it) records its fallbacks and missing characters
    again after a reset: the next document's notes have them too."""
    for _ in range(2):
        fs.reset_report()
        runs = fs.runs(FontRole.FANGSONG, "朱镕基同志，喆\U00017000")
        runs.append(runs[0])  # the caller's list: the memo is not shared with it
        assert [t for _, t in runs] == ["朱", "镕", "基同志，", "喆\U00017000", "朱"]
        assert fs.fallbacks_used == {FontRole.FANGSONG: {"镕", "喆"}}
        assert fs.missing == {"\U00017000"}


def test_advances(fs: FontSet) -> None:
    song = fs.primary(FontRole.SONGTI)
    # 一字线 and 半角数字 of "— 1 —" (notes section 8).
    assert fs.advance(song, "—", 14) == pytest.approx(14.0)
    assert fs.advance(song, "1", 14) == pytest.approx(7.0)
    for role in FontRole:
        p = fs.primary(role)
        assert fs.advance(p, "中", 16) == pytest.approx(16.0)
        assert fs.covers(p, "中") and not fs.covers(p, "\U00017000")


def _ps_names(fs: FontSet) -> dict[str, str]:
    """rl_name → the PostScript name reportlab writes as the PDF BaseFont."""
    out = {}
    for f in fs.all_fonts():
        out[f.rl_name] = read_faces(f.path)[f.subfont_index].postscript
    return out


def test_pdf_with_rare_characters_in_every_role(fs: FontSet) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    from reportlab.pdfgen.canvas import Canvas

    fs.reset_report()
    register_reportlab(fs)
    register_reportlab(fs)  # idempotent
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(595, 842))
    lines: dict[FontRole, str] = {}
    y = 780.0
    for role in FontRole:
        text = f"关于{RARE}同志的通知，— 1 —"
        lines[role] = text
        obj = c.beginText(40, y)
        for font, part in fs.runs(role, text):
            obj.setFont(font.rl_name, 16)
            obj.textOut(part)
        c.drawText(obj)
        y -= 40
    c.save()

    ps = _ps_names(fs)
    by_family_ps = {ps[f.rl_name]: f for f in fs.all_fonts()}
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        assert "\x00" not in text
        rows: dict[int, list[dict]] = {}
        for ch in page.chars:
            # Lines are 40 pt apart; fonts differ in ascent, so bin, not equality.
            rows.setdefault(round(ch["top"] / 40), []).append(ch)
    assert len(rows) == len(FontRole)
    for (role, expected), top in zip(lines.items(), sorted(rows), strict=True):
        chars = sorted(rows[top], key=lambda ch: ch["x0"])
        assert "".join(ch["text"] for ch in chars) == expected, role
        primary_ps = ps[fs.primary(role).rl_name]
        for ch in chars:
            font_ps = ch["fontname"].split("+", 1)[-1]
            used = by_family_ps[font_ps]
            if ch["text"] in RARE and role in (FontRole.FANGSONG, FontRole.SONGTI):
                # Fandol (仿宋, 宋体) lacks them all: each must come from a
                # fallback. Noto and LXGW (the other primaries) have them.
                assert font_ps != primary_ps, (role, ch["text"])
                assert used.family == "LXGW WenKai", (role, ch["text"], font_ps)
            # Whatever drew it has the character: no silent gaps.
            assert any(
                fs.covers(f, ch["text"]) for f in fs.all_fonts() if f.rl_name == used.rl_name
            )
    for role in (FontRole.FANGSONG, FontRole.SONGTI):
        assert fs.fallbacks_used[role] >= set(RARE), role
    # Noto and LXGW have them all: no fallback for those roles.
    assert FontRole.KAITI not in fs.fallbacks_used
    assert FontRole.XIAOBIAOSONG not in fs.fallbacks_used
    assert FontRole.HEITI not in fs.fallbacks_used
    assert fs.missing == set()


def test_overrides_and_config(fs: FontSet, tmp_path: Path) -> None:
    wenkai = fs.primary(FontRole.KAITI).path
    over = resolve_fonts({FontRole.FANGSONG: wenkai})
    p = over.primary(FontRole.FANGSONG)
    assert p.source == "config" and p.path == wenkai.resolve()
    # The role's own bundled font moves behind it; no duplicates.
    assert [f.family for f in over.chain(FontRole.FANGSONG)][:2] == ["LXGW WenKai", "FandolFang"]
    cfg = tmp_path / "docgen.yaml"
    rel = Path("fonts") / "k.ttf"
    (tmp_path / "fonts").mkdir()
    shutil.copyfile(wenkai, tmp_path / rel)
    cfg.write_text(f"fonts:\n  heiti: {rel}\n", encoding="utf-8")
    conf = resolve_fonts(config_file=cfg)
    assert conf.primary(FontRole.HEITI).path == (tmp_path / rel).resolve()
    assert conf.primary(FontRole.HEITI).source == "config"
    # Two FontSets never share a reportlab name for different files.
    assert conf.primary(FontRole.HEITI).rl_name != fs.primary(FontRole.KAITI).rl_name
    with pytest.raises(FontError, match="找不到"):
        resolve_fonts({FontRole.HEITI: tmp_path / "nope.ttf"})
    bad = tmp_path / "bad.yaml"
    bad.write_text("fonts:\n  mingti: x.ttf\n", encoding="utf-8")
    with pytest.raises(FontError, match="未知字体角色"):
        resolve_fonts(config_file=bad)


def test_cff_font_is_refused(tmp_path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "uni4E2D"])
    fb.setupCharacterMap({0x4E2D: "uni4E2D"})
    pen = T2CharStringPen(1000, None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    cs = pen.getCharString()
    fb.setupCFF("TestCFF", {"FullName": "TestCFF"}, {".notdef": cs, "uni4E2D": cs}, {})
    fb.setupHorizontalMetrics({".notdef": (1000, 0), "uni4E2D": (1000, 0)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "TestCFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = tmp_path / "t.otf"
    fb.save(str(path))
    assert read_faces(path)[0].glyf is False
    with pytest.raises(FontError, match="CFF"):
        resolve_fonts({FontRole.FANGSONG: path})


def test_system_search_skips_cff_and_matches_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A font installed under an official name wins over the bundled one."""
    monkeypatch.delenv("DOCGEN_NO_SYSTEM_FONTS")
    wenkai = fonts_dir() / "lxgw-wenkai" / "LXGWWenKai-Regular.ttf"
    monkeypatch.setattr(fontmod, "_fc_list", lambda: [(wenkai, 0, ["楷体_GB2312", "KaiTi_GB2312"])])
    fs = resolve_fonts()
    p = fs.primary(FontRole.KAITI)
    assert p.source == "system" and p.path == wenkai
    assert fs.primary(FontRole.FANGSONG).source == "bundled"


def test_describe(fs: FontSet) -> None:
    text = describe(fs)
    for role in FontRole:
        assert OFFICIAL_FONT_NAMES[role][0] in text
    assert "FandolFang" in text and "随附" in text and "缺字后备" in text


def test_subset_fontset(fs: FontSet, tmp_path: Path) -> None:
    chars = "关于镕喆同志的通知一二三"
    cut = subset_fontset(fs, chars, tmp_path)
    for role in FontRole:
        assert [f.family for f in cut.chain(role)] == [f.family for f in fs.chain(role)]
        for f in cut.chain(role):
            assert f.path.parent == tmp_path and f.path.stat().st_size < 200_000
            assert f.rl_name not in {g.rl_name for g in fs.all_fonts()}
        # Same run split as the full fonts.
        text = chars + " 0123456789—"
        assert [(f.family, t) for f, t in cut.runs(role, text)] == [
            (f.family, t) for f, t in fs.runs(role, text)
        ]
        assert cut.advance(cut.primary(role), "中", 16) == fs.advance(fs.primary(role), "中", 16)
    register_reportlab(cut)
    assert cut.missing == set()


def test_fonts_conf_maps_official_names(fs: FontSet, tmp_path: Path) -> None:
    if shutil.which("fc-match") is None:
        pytest.skip("fc-match not installed (fontconfig): cannot check the private fonts.conf")
    conf = write_fonts_conf(fs, tmp_path)
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def match(name: str) -> tuple[str, str]:
        out = subprocess.run(
            ["fc-match", "--format", "%{family}\t%{file}", name],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        ).stdout
        fam, _, file = out.partition("\t")
        return fam, file

    for role in FontRole:
        want = fs.primary(role)
        for name in OFFICIAL_FONT_NAMES[role]:
            # fc-match's command-line syntax reads "-" as a size separator.
            fam, file = match(name.replace("-", "\\-"))
            assert Path(file) == want.path.resolve(), (name, fam, file)
    fam, file = match("仿宋_GB2312")
    assert "FandolFang" in fam
    # Bold 宋体 still gets our single FandolSong file (notes section 6 snag).
    assert Path(match("宋体:bold")[1]) == fs.primary(FontRole.SONGTI).path.resolve()
    # A character FandolFang lacks falls back along the chain.
    assert (
        Path(match("仿宋_GB2312:charset=9555")[1]) == fs.chain(FontRole.FANGSONG)[1].path.resolve()
    )


def test_ink_span_read_alone_equals_fonttools_whole_font() -> None:
    """ink_span_em reads one glyph; its ink must be what fontTools' glyph set draws."""
    from docgen.fonts.metrics import _SQUEEZABLE, _ink_span_slow, ink_span_em

    chars = sorted(_SQUEEZABLE) + list("？！—…A永")
    checked = 0
    for path in sorted(fonts_dir().rglob("*.ttf")):
        for face in read_faces(path):
            for ch in chars:
                fast = ink_span_em.__wrapped__(path, face.index, ch)
                assert fast == _ink_span_slow(path, face.index, ch), (path.name, ch)
                checked += fast is not None
    assert checked > 100  # the marks were found and measured, not all skipped


def test_cut_with_numbered_glyphs_is_fonttools_own_cut(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """_cut_fonttools names glyphs by number (not from the cmap): the cut font's bytes are those
    of fontTools naming them itself, for every bundled face."""
    import fontTools.ttLib

    from docgen.fonts.subset import _cut_fonttools, _cut_name

    chars = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400)) + "，。、：；（）〔〕—0123456789"

    def cut_all(folder: Path) -> dict[str, bytes]:
        folder.mkdir()
        out = {}
        for path in sorted(fonts_dir().rglob("*.ttf")):
            for face in read_faces(path):
                mine = "".join(
                    ch for ch in chars if ord(ch) in fontmod._metrics(path, face.index).cmap
                )
                target = folder / f"{path.stem}-{face.index}.ttf"
                _cut_fonttools(path, face.index, mine, target, _cut_name(target.stem))
                out[target.name] = target.read_bytes()
        return out

    numbered = cut_all(tmp_path / "numbered")

    class OwnNames(fontTools.ttLib.TTFont):  # type: ignore[misc]
        def setGlyphOrder(self, order: list[str]) -> None:  # noqa: N802 - fontTools' name
            if order[1:2] != ["g1"]:  # the cut's numbering left out: fontTools names them
                super().setGlyphOrder(order)

    monkeypatch.setattr(fontTools.ttLib, "TTFont", OwnNames)
    assert cut_all(tmp_path / "named") == numbered
    assert len(numbered) >= 5


def test_one_measurer_for_copies_of_a_font_set(fs: FontSet) -> None:
    """A worker gets a pickled copy of the batch's fonts with each chunk of notices: the
    copies measure with one Measurer (and so with the layout's memos, layout/memo.py), a
    set of other fonts with its own."""
    import pickle

    from docgen.fonts.metrics import measurer_for

    copy = pickle.loads(pickle.dumps(fs))
    assert copy is not fs and copy.choice() == fs.choice()
    assert measurer_for(copy) is measurer_for(fs)
    other = fontmod.FontSet(
        {role: list(reversed(fs.chain(role))) for role in fs.roles}, fs.notes, fs._latin
    )
    assert other.choice() != fs.choice()
    assert measurer_for(other) is not measurer_for(fs)
    assert measurer_for(copy).em(FontRole.FANGSONG, "高") == measurer_for(fs).em(
        FontRole.FANGSONG, "高"
    )
