"""No title line leaves the 156 mm block: titles are broken by the title font's real advances.

Digits are about 0.59 em in the bundled 小标宋, not ½: counted as ½,
关于同意开展2025年度文物安全专项检查的函 stayed on one 158 mm line.
Measured in the PDF and in LibreOffice's render of the .docx.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lo import soffice_convert
from pdfmeasure import MeasuredPDF

from docgen.cli import main

LEFT, RIGHT = 28.0, 184.0
TITLES = [
    "关于同意开展2025年度文物安全专项检查的函",
    "关于下达2025年第2批文物保护专项资金1280万元的函",
    "关于做好2025年度第3季度118处文物保护单位巡查工作的函",
    "关于商请协助核查2024至2025年度38处不可移动文物的函",
]


def _letter(folder: Path, n: int, title: str) -> Path:
    src = folder / f"t{n}.yaml"
    src.write_text(
        f"kind: letter\nissuer: 高平市人民政府办公室\ntitle: {title}\n"
        "recipients: [市文物保护中心]\nbody: 请按要求办理。\ndate: 2025-07-07\n",
        encoding="utf-8",
    )
    return src


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("titles")
    out = []
    for n, title in enumerate(TITLES):
        target = folder / f"t{n}.pdf"
        args = ["render", str(_letter(folder, n, title)), "-o", str(target), "--format", "pdf,docx"]
        assert main(args) == 0
        out.append(target)
    return out


def title_lines(pdf: MeasuredPDF) -> list:
    return [ln for ln in pdf.lines(1) if abs(ln.size - 22) < 0.5]


def _assert_inside(pdf_path: Path, title: str) -> None:
    lines = title_lines(MeasuredPDF.open(pdf_path))
    assert "".join(ln.text.replace(" ", "") for ln in lines) == title
    for ln in lines:
        assert ln.x0 >= LEFT - 0.2 and ln.x1 <= RIGHT + 0.2, (
            ln.text,
            round(ln.x0, 2),
            round(ln.x1, 2),
        )


@pytest.mark.parametrize("n", range(len(TITLES)))
def test_title_lines_stay_in_the_block_pdf(rendered: list[Path], n: int) -> None:
    _assert_inside(rendered[n], TITLES[n])


def test_title_lines_stay_in_the_block_docx(
    rendered: list[Path], soffice: str, fonts_conf: Path, tmp_path: Path
) -> None:
    pdfs = soffice_convert(
        [p.with_suffix(".docx") for p in rendered], tmp_path, fonts_conf, soffice=soffice
    )
    for pdf, title in zip(pdfs, TITLES):
        _assert_inside(pdf, title)
