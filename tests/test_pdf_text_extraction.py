"""Names outside the Basic Multilingual Plane survive text extraction (copy, search, screen readers).

reportlab wrote ToUnicode entries as <%04X>: U+201D4 (𠇔) came out as five hex
digits that readers take for U+201D (”). The entries are now UTF-16 surrogate
pairs; pdftotext and pdfplumber must return every character of the input.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from docgen.cli import main

# CJK Extension B and later (surrogate pairs in UTF-16) and Extension A (BMP), as in personal names.
EXT_B = "𠇔𠮷𤆬𣎴𥁕𦰡𨙸𩽾𩾃𪨶𫖯𫗧𬌗𬘬"
EXT_A = "㑇㛃㑊㐱㒸㓁䶮䲟㙍"
SURNAMES = "王李张陈刘赵孙周吴郑冯褚卫蒋沈韩杨朱秦尤许何吕"
NAMES = [s + c for s, c in zip(SURNAMES, EXT_B + EXT_A)]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nonbmp")
    src = folder / "names.yaml"
    body = "\n".join(
        f"  - 参加检查人员：{'、'.join(NAMES[i : i + 6])}。" for i in range(0, len(NAMES), 6)
    )
    src.write_text(
        "kind: letter\nissuer: 高平市人民政府办公室\ntitle: 关于文物安全检查人员名单的函\n"
        f"recipients: [市文物保护中心]\nbody:\n{body}\ndate: 2025-07-07\n",
        encoding="utf-8",
    )
    out = folder / "names.pdf"
    assert main(["render", str(src), "-o", str(out)]) == 0
    return out


def test_pdfplumber_returns_every_name(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        text = "".join(c["text"] for page in doc.pages for c in page.chars)
    missing = [n for n in NAMES if n not in text]
    assert missing == []
    assert "”" not in text  # the wrong character extraction used to give


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"
)
def test_pdftotext_returns_every_name(pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = "".join(text.split())
    assert [n for n in NAMES if n not in flat] == []
    assert all(ch in flat for ch in EXT_A + EXT_B)
