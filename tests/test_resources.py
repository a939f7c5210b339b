"""Where docgen finds its shipped files: inside the package (wheel) or the checkout's top."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import resources
from docgen.fonts import BUNDLED

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_uses_the_top_level_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_FONTS_DIR", raising=False)
    assert resources.fonts_dir() == ROOT / "fonts"
    assert resources.templates_dir() == ROOT / "templates" / "official"
    for rel in BUNDLED.values():
        assert (resources.fonts_dir() / rel).stat().st_size > 1_000_000
    for fmt in ("letter", "file", "minutes", "supervision"):
        assert (resources.templates_dir() / f"{fmt}.docx").is_file()


def _installed(tmp_path: Path, *, sibling_fonts: bool) -> Path:
    """site-packages/docgen laid out as the wheel installs it."""
    site = tmp_path / "site-packages"
    pkg = site / "docgen"
    (pkg / "fonts" / "files" / "fandol").mkdir(parents=True)
    (pkg / "templates" / "official").mkdir(parents=True)
    if sibling_fonts:
        (site / "fonts").mkdir()  # some other distribution's top-level folder
    return pkg


def test_installed_layout_uses_the_package_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCGEN_FONTS_DIR", raising=False)
    pkg = _installed(tmp_path, sibling_fonts=True)
    monkeypatch.setattr(resources, "PACKAGE_DIR", pkg)
    assert resources.fonts_dir() == pkg / "fonts" / "files"
    assert resources.templates_dir() == pkg / "templates" / "official"


def test_installed_without_the_file_names_the_package_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder beside the package in site-packages is not a checkout: never used.
    monkeypatch.delenv("DOCGEN_FONTS_DIR", raising=False)
    site = tmp_path / "site-packages"
    (site / "docgen").mkdir(parents=True)
    (site / "fonts").mkdir()
    monkeypatch.setattr(resources, "PACKAGE_DIR", site / "docgen")
    assert resources.fonts_dir() == site / "docgen" / "fonts" / "files"


def test_nothing_is_read_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCGEN_FONTS_DIR", raising=False)
    (tmp_path / "fonts").mkdir()
    (tmp_path / "templates" / "official").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert resources.fonts_dir() == ROOT / "fonts"
    assert resources.templates_dir() == ROOT / "templates" / "official"


def test_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_DATA_DIR", str(tmp_path / "d"))
    assert resources.user_data_dir() == tmp_path / "d"
    monkeypatch.delenv("DOCGEN_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    from platformdirs import user_data_path

    assert resources.user_data_dir() == user_data_path("docgen", appauthor=False, roaming=False)
    assert resources.user_data_dir().name == "docgen"
