"""Shared fixtures: LibreOffice for .docx render tests, a private fonts.conf.

Tests import the helpers beside this file directly: ``from pdfmeasure import
MeasuredPDF`` and ``from lo import soffice_convert``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Reproducible tests: docgen uses only the fonts shipped in the repo.
os.environ["DOCGEN_NO_SYSTEM_FONTS"] = "1"

from browser import CHROMIUM_ARGS, find_chromium  # noqa: E402
from lo import find_soffice  # noqa: E402

# CI runs the property tests with a fixed seed: a red build is then a real
# regression, reproducible on any machine, not an unlucky draw.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of the soffice binary.

    Missing LibreOffice fails the run when ``CI`` is set (any non-empty value)
    and skips the test otherwise, visibly in the ``-ra`` summary.
    """
    found = find_soffice()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice is required in CI (.docx render tests): "
                "apt-get install -y --no-install-recommends libreoffice-writer-nogui",
                pytrace=False,
            )
        pytest.skip(
            "LibreOffice (soffice) not installed: .docx render tests skipped; "
            "install libreoffice-writer-nogui"
        )
    return found


@pytest.fixture(scope="session")
def fonts_conf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private fonts.conf mapping the Windows font names to the shipped fonts.

    Pass it to :func:`lo.soffice_convert` so LibreOffice renders with the same
    font files as the PDF renderer, whatever is installed on the machine.
    """
    from docgen.fonts import resolve_fonts
    from docgen.fonts.fontconfig import write_fonts_conf

    workdir = tmp_path_factory.mktemp("fontconfig")
    return Path(write_fonts_conf(resolve_fonts(use_system=False), workdir))


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium driven by Playwright (the workbench's browser tests).

    Missing Chromium or Playwright fails the run in CI and skips the test
    otherwise, visibly in the ``-ra`` summary, as LibreOffice does.
    """
    path = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is required in CI (workbench browser tests): "
                "apt-get install -y chromium; pip install playwright",
                pytrace=False,
            )
        pytest.skip(
            "Chromium (with Playwright) not installed: workbench browser tests skipped; "
            "install chromium and the playwright package"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
