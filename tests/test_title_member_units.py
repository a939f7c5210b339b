"""Member units in the title lexicon (issue 18): `docgen render` reads the member-units.yaml the
核稿 step finds (--units, else beside the input), and a unit's name in a title stays on one line.
Measured on the PDF's title rows and the .docx's title paragraphs."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from pdfmeasure import MeasuredPDF

from docgen.cli import main
from docgen.spec import Profile
from docgen.units import with_member_names

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
UNIT = "市住房和城乡建设局"
# Without the member list the title breaks 市住房和|城乡建设局 (its 20/20 halves).
TITLE = f"高平市人民政府办公室关于商请{UNIT}协助做好文物安全检查工作的函"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def letter_in(folder: Path, with_units: bool) -> Path:
    folder.mkdir()
    data = yaml.safe_load((SAMPLES / "letter-gaoping-18.yaml").read_text("utf-8"))
    data["title"] = TITLE
    src = folder / "函.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if with_units:
        shutil.copy(SAMPLES / "member-units.yaml", folder / "member-units.yaml")
    return src


def title_rows(pdf: Path) -> list[str]:
    """Page 1's rows in the title's size (22 pt), black: the red mark and the signature left out."""
    rows = MeasuredPDF(pdf).rows(1)
    title = [
        r
        for r in rows
        if all(
            abs(g.size_pt - 22) < 0.5 and g.color != (255, 0, 0) for g in r.glyphs if g.text.strip()
        )
    ]
    return [flat(r.text) for r in title]


def docx_title_lines(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    lines = re.split(r"</w:p>|<w:br/>", xml)
    texts = [flat("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", ln))) for ln in lines]
    for i in range(len(texts)):  # the run of lines that spells the title, whichever it is
        out: list[str] = []
        while TITLE.startswith("".join(out)) and len("".join(out)) < len(TITLE):
            if i + len(out) == len(texts) or not texts[i + len(out)]:
                break
            out.append(texts[i + len(out)])
        if "".join(out) == TITLE:
            return out
    return []


@pytest.mark.parametrize("with_units", [False, True], ids=["no-list", "member-units"])
def test_a_member_units_name_in_a_title_is_never_split(tmp_path: Path, with_units: bool) -> None:
    src = letter_in(tmp_path / "in", with_units)
    out = tmp_path / "out"
    assert main(["render", str(src), "-o", f"{out}/", "--format", "pdf,docx"]) == 0
    rows = title_rows(out / "函.pdf")
    assert "".join(rows) == TITLE  # the whole title, row by row
    whole = any(UNIT in r for r in rows)
    # The control: without the list the old break splits the name, so the list is what keeps it.
    assert whole == with_units, rows
    if with_units:
        assert len(rows) >= 2 and rows == docx_title_lines(out / "函.docx")


def test_the_units_file_named_with_units_is_read(tmp_path: Path) -> None:
    src = letter_in(tmp_path / "in", with_units=False)
    units = tmp_path / "名录.yaml"
    shutil.copy(SAMPLES / "member-units.yaml", units)
    out = tmp_path / "out"
    assert main(["render", str(src), "-o", f"{out}/", "--units", str(units)]) == 0
    assert any(UNIT in r for r in title_rows(out / "函.pdf"))


def test_with_member_names_adds_names_aliases_and_keeps_the_profiles_terms() -> None:
    profile = Profile(title_terms=["文物安全百日行动"])
    got = with_member_names(profile, SAMPLES / "member-units.yaml")
    assert got.title_terms[0] == "文物安全百日行动" and UNIT in got.title_terms
    assert with_member_names(profile, None) is profile
    assert profile.title_terms == ["文物安全百日行动"]
