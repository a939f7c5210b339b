"""GB/T 9704 §7.5: 一字线上距版心下边缘7mm — the dashes' ink top at 269 mm, PDF and .docx.

The ink is measured, not the font box: each page is rasterised at 1,200 dpi
(pypdfium2, the renderer pdfplumber uses) in the band below the block, and the
first dark row inside each dash's box is its top.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from lo import soffice_convert

from docgen.cli import main
from docgen.spec import BLOCK_HEIGHT, PAGE_HEIGHT, PAGE_NUMBER_DASH_DROP, Profile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MM_PER_PT = 25.4 / 72
DPI = 1200
EXPECTED = Profile().top_margin + BLOCK_HEIGHT + PAGE_NUMBER_DASH_DROP  # 269 mm
TOLERANCE = 0.5


def dash_ink_tops(pdf_path: Path) -> list[float]:
    """The ink top (mm from the paper's top) of every 一字线 below the block."""
    tops: list[float] = []
    scale = DPI / 72
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        with pdfplumber.open(pdf_path) as pdf:
            for n, page in enumerate(pdf.pages):
                dashes = [c for c in page.chars if c["text"] == "—" and c["top"] * MM_PER_PT > 262]
                if not dashes:
                    continue
                band_top = min(d["top"] for d in dashes) - 6  # pt from the page top
                crop_bottom = page.height - max(d["bottom"] for d in dashes) - 6
                img = (
                    doc[n]
                    .render(scale=scale, grayscale=True, crop=(0, crop_bottom, 0, band_top))
                    .to_pil()
                )
                px = img.load()
                for d in dashes:
                    x0, x1 = int(d["x0"] * scale) + 4, int(d["x1"] * scale) - 4
                    y0 = int((d["top"] - band_top) * scale)
                    y1 = min(img.height, int((d["bottom"] - band_top) * scale) + 1)
                    rows = [
                        y
                        for y in range(max(0, y0), y1)
                        if any(px[x, y] < 128 for x in range(x0, x1, 3))
                    ]
                    assert rows, f"no ink in the dash on page {n + 1}"
                    tops.append((band_top + rows[0] / scale) * MM_PER_PT)
    finally:
        doc.close()
    return tops


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pn")
    files = {}
    for name in ("letter-gaoping-18", "request-gaoping-wenbao-25"):
        target = out / f"{name}.pdf"
        assert (
            main(
                ["render", str(SAMPLES / f"{name}.yaml"), "-o", str(target), "--format", "pdf,docx"]
            )
            == 0
        )
        files[name] = target
    return files


@pytest.mark.parametrize("name", ["letter-gaoping-18", "request-gaoping-wenbao-25"])
def test_pdf_dash_ink_top_at_269(rendered: dict[str, Path], name: str) -> None:
    tops = dash_ink_tops(rendered[name])
    assert len(tops) >= 4  # two dashes a numbered page
    assert all(abs(t - EXPECTED) <= TOLERANCE for t in tops), [round(t, 2) for t in tops]
    assert EXPECTED == 269.0 and PAGE_HEIGHT - EXPECTED == 28.0


def test_docx_dash_ink_top_at_269_in_libreoffice(
    rendered: dict[str, Path], soffice: str, fonts_conf: Path, tmp_path: Path
) -> None:
    docx = [p.with_suffix(".docx") for p in rendered.values()]
    pdfs = soffice_convert(docx, tmp_path, fonts_conf, soffice=soffice)
    for pdf in pdfs:
        tops = dash_ink_tops(pdf)
        assert len(tops) >= 4, pdf.name
        assert all(abs(t - EXPECTED) <= TOLERANCE for t in tops), (
            pdf.name,
            [round(t, 2) for t in tops],
        )
