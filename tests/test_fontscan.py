"""Official fonts found where Windows keeps them, by the family names inside the files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from docgen.fonts import describe, resolve_fonts
from docgen.fonts import resolve as fontmod
from docgen.fonts import scan as fontscan
from docgen.resources import fonts_dir
from docgen.spec import FontRole

CHARS = "关于公文仿宋黑体楷体宋体0123456789"
ZH_CN, EN_US = 0x804, 0x409


def _small_font(tmp: Path) -> Path:
    """FandolFang cut to a few characters: a real TrueType font of a few KB."""
    out = tmp / "base.ttf"
    font = TTFont(str(fonts_dir() / "fandol" / "FandolFang-Regular.ttf"), lazy=True)
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(text=CHARS)
    sub.subset(font)
    font.save(str(out))
    return out


def _named(base: Path, english: str, chinese: str | None) -> TTFont:
    """A copy of ``base`` named as Windows names its fonts: English, plus Chinese (zh-CN)."""
    font = TTFont(str(base))
    name = font["name"]
    name.names = [r for r in name.names if r.nameID not in (1, 4, 6, 16, 17)]
    ps = "".join(c for c in english if c.isascii() and c.isalnum()) or "DGTest"
    for nid, value in ((1, english), (4, english), (6, ps)):
        name.setName(value, nid, 3, 1, EN_US)
    if chinese:
        name.setName(chinese, 1, 3, 1, ZH_CN)
        name.setName(chinese, 4, 3, 1, ZH_CN)
    return font


@pytest.fixture(scope="module")
def windows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """C:\\Windows\\Fonts and a user's AppData\\Local\\Microsoft\\Windows\\Fonts, in small."""
    root = tmp_path_factory.mktemp("win")
    system = root / "Windows" / "Fonts"
    user = root / "Users" / "科员" / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    user.mkdir(parents=True)
    base = _small_font(root)
    # As Windows ships them: file names that say nothing of the family.
    _named(base, "FangSong", "仿宋").save(str(system / "simfang.ttf"))
    _named(base, "SimHei", "黑体").save(str(system / "SIMHEI.TTF"))
    _named(base, "KaiTi", "楷体").save(str(system / "simkai.ttf"))
    ttc = TTCollection()
    ttc.fonts = [_named(base, "SimSun", "宋体"), _named(base, "NSimSun", "新宋体")]
    ttc.save(str(system / "simsun.ttc"))
    (system / "desktop.ini").write_text("[.ShellClassInfo]\n", encoding="utf-8")
    (system / "broken.ttf").write_bytes(b"not a font at all")
    # Installed "for me only" by a clerk without admin rights.
    _named(base, "FZXiaoBiaoSong-B05S", "方正小标宋简体").save(str(user / "FZXBSJW.TTF"))
    _named(base, "FangSong_GB2312", "仿宋_GB2312").save(str(user / "仿宋_GB2312.ttf"))
    return {"system": system, "user": user}


@pytest.fixture
def on_windows(
    windows: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Path]:
    monkeypatch.delenv("DOCGEN_NO_SYSTEM_FONTS", raising=False)
    monkeypatch.setenv("DOCGEN_FONT_DIRS", os.pathsep.join(map(str, windows.values())))
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fontmod, "_fc_list", lambda: [])  # Windows has no fontconfig
    monkeypatch.setattr(fontscan, "_FACES", {})
    return windows


def test_windows_font_folders_by_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_FONT_DIRS", raising=False)
    monkeypatch.setattr(fontscan.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"D:\WINDOWS")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\kym\AppData\Local")
    dirs = [str(d).replace("\\", "/") for d in fontscan.font_dirs()]
    assert dirs == ["D:/WINDOWS/Fonts", "C:/Users/kym/AppData/Local/Microsoft/Windows/Fonts"]
    monkeypatch.setattr(fontscan.sys, "platform", "darwin")
    assert Path("/Library/Fonts") in fontscan.font_dirs()
    assert Path.home() / "Library" / "Fonts" in fontscan.font_dirs()


def test_official_fonts_found_in_a_windows_font_folder(on_windows: dict[str, Path]) -> None:
    fs = resolve_fonts()
    system, user = on_windows["system"], on_windows["user"]
    expect = {
        FontRole.XIAOBIAOSONG: (user / "FZXBSJW.TTF", 0),
        # 仿宋_GB2312 (the user's) ranks above 仿宋 (simfang.ttf) for the body text.
        FontRole.FANGSONG: (user / "仿宋_GB2312.ttf", 0),
        FontRole.HEITI: (system / "SIMHEI.TTF", 0),
        FontRole.KAITI: (system / "simkai.ttf", 0),
        FontRole.SONGTI: (system / "simsun.ttc", 0),
    }
    for role, (path, index) in expect.items():
        p = fs.primary(role)
        assert (p.path, p.subfont_index, p.source) == (path, index, "system"), role
        # Characters the small system font lacks still come from the bundled chain.
        assert fs.chain(role)[1].source == "fallback"
    assert "系统已安装" in describe(fs)


def test_the_scan_is_cached_and_changed_files_are_read_again(
    on_windows: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fontscan.installed_faces()
    cache = json.loads((tmp_path / "cache" / fontscan.CACHE_NAME).read_text(encoding="utf-8"))
    assert len(cache["files"]) == 7  # six fonts and broken.ttf (remembered as no faces)
    assert {f.family for f in first} >= {"FangSong", "SimSun", "NSimSun", "FZXiaoBiaoSong-B05S"}

    reads: list[Path] = []
    real = fontscan._read
    monkeypatch.setattr(fontscan, "_read", lambda p: reads.append(p) or real(p))
    monkeypatch.setattr(fontscan, "_FACES", {})
    again = fontscan.installed_faces()
    assert reads == [] and again == first  # nothing opened: all from the cache

    kai = on_windows["system"] / "simkai.ttf"
    st = kai.stat()
    os.utime(kai, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    monkeypatch.setattr(fontscan, "_FACES", {})
    fontscan.installed_faces()
    assert reads == [kai]
    os.utime(kai, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_damaged_cache_is_rebuilt(on_windows: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache" / fontscan.CACHE_NAME
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json", encoding="utf-8")
    assert resolve_fonts().primary(FontRole.HEITI).source == "system"
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == fontscan.CACHE_VERSION


def test_no_official_font_installed_falls_back_to_bundled(
    on_windows: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "Fonts"
    empty.mkdir()
    shutil.copy(on_windows["system"] / "desktop.ini", empty)
    monkeypatch.setenv("DOCGEN_FONT_DIRS", str(empty))
    fs = resolve_fonts()
    assert {fs.primary(r).source for r in FontRole} == {"bundled"}
