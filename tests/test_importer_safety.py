"""Every .docx read is safe, and every file that is not one is named for what it is.

Drafts (docgen import / check / render), returned 督办单 (supervise feedback) and
templates (--template) all open Word files through docgen.wordfile: zip limits
checked before any part is unpacked, a foreign file said plainly. Text drafts:
control characters removed or refused by line and column, size capped.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document

from docgen.importer import DraftError, import_draft
from docgen.problems import InputError

ROOT = Path(__file__).resolve().parent.parent
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def letter_docx(path: Path) -> Path:
    doc = Document()
    for line in (
        "高平市文物保护中心关于开展文物安全检查的函",
        "市文物局：",
        "现将有关事项函告如下：请于10月31日前报送自查情况。",
        "高平市文物保护中心",
        "2025年9月22日",
    ):
        doc.add_paragraph(line)
    doc.save(path)
    return path


def bomb(path: Path, unpacked_mb: int = 220) -> Path:
    """A .docx whose document part unpacks to ``unpacked_mb`` MB from a few hundred KB."""
    real = letter_docx(path.with_name("real.docx"))
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, src.read(info))
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 30_000
            for _ in range(unpacked_mb):
                fh.write(chunk)
    return path


def lying_bomb(path: Path) -> Path:
    """A small .docx whose central directory says its document part is 4 GB (a crafted bomb)."""
    data = bytearray(letter_docx(path).read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, 0xFFFF_FFF0)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def peak_mb(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter: (seconds, peak memory in MB, its stdout)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    # VmHWM is this process's own peak: ru_maxrss of a child keeps its parent's peak at fork.
    script = (
        "import re, time\nt0 = time.perf_counter()\n"
        + code
        + "\nhwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)"
        + "\nprint(time.perf_counter() - t0, int(hwm) / 1024)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    *said, last = proc.stdout.strip().splitlines()
    seconds, mb = (float(x) for x in last.split())
    return seconds, mb, "\n".join(said)


# --- zip bombs, wherever a .docx is read --------------------------------------------------------


@pytest.mark.parametrize("make", [bomb, lying_bomb], ids=["220MB", "4GB-declared"])
def test_a_docx_bomb_is_refused_before_unpacking_everywhere(tmp_path: Path, make) -> None:
    from docgen.render.docx.template import compile_template
    from docgen.supervision.feedback import read_form_entries

    path = make(tmp_path / "草稿.docx")
    assert path.stat().st_size < 2_000_000
    t0 = time.perf_counter()
    with pytest.raises(DraftError, match="解压后"):
        import_draft(path)
    with pytest.raises(InputError, match="解压后"):
        read_form_entries(path, dt.date(2025, 10, 1))
    with pytest.raises(InputError, match="解压后"):
        compile_template(path)
    assert time.perf_counter() - t0 < 1.0


def test_a_bomb_costs_under_a_second_and_200_mb(tmp_path: Path) -> None:
    path = bomb(tmp_path / "草稿.docx", unpacked_mb=250)
    seconds, mb, said = peak_mb(
        "from docgen.importer import DraftError, import_draft\n"
        f"try:\n    import_draft({str(path)!r})\nexcept DraftError as e:\n    print(e)"
    )
    assert "解压后过大" in said
    assert seconds < 1.0 and mb < 200, (seconds, mb)


def test_a_docx_bomb_through_the_commands(tmp_path: Path) -> None:
    path = bomb(tmp_path / "草稿.docx")
    for args in (["import", str(path), "-o", str(tmp_path / "x.yaml")], ["check", str(path)]):
        proc = subprocess.run(
            [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=ROOT
        )
        assert proc.returncode == 1 and "解压后过大" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_ratio_and_part_limits() -> None:
    from docgen.ziplimit import DOCX, zip_problem

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a/>" * 7_500_000)  # 30 MB of XML, packs 1000 times
    data = buf.getvalue()
    said = zip_problem(data, DOCX)
    assert said and "倍" in said
    assert zip_problem(data) and "倍" in zip_problem(data)  # the .xlsx limits share the ratio


# --- files that are not .docx under a .docx name ------------------------------------------------


def _ole(*streams: str) -> bytes:
    body = b"".join(s.encode("utf-16-le") + b"\0" * 8 for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + body + b"\0" * 1024


def _with_main_type(src: Path, dst: Path, content_type: str) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(DOCX_MAIN.encode(), content_type.encode())
            b.writestr(info, data)
    return dst


FOREIGN = {
    "wps": (_ole("Root Entry", "WordDocument", "1Table"), "旧格式文档（.doc/.wps）"),
    "encrypted": (_ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), "已加密"),
    "xls": (_ole("Root Entry", "Workbook"), "Excel 97-2003"),
    "rtf": (b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 \\'b8\\'df}", "RTF"),
    "html": (
        b'<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="urn:schemas-microsoft-com:'
        b'office:word"><head><meta charset="gb2312"></head><body>\xb8\xdf</body></html>',
        "网页文件（HTML）",
    ),
    "doctype-html": (b"\xef\xbb\xbf<!DOCTYPE html>\n<html><body>x</body></html>", "网页文件"),
    "mht": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", ".mht"),
    "word-xml": (
        b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>',
        "Word 2003 XML",
    ),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "zip": (None, "zip 压缩包"),
}


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_foreign_file_under_a_docx_name_is_named(tmp_path: Path, kind: str) -> None:
    from docgen.supervision.feedback import read_form_entries

    data, said = FOREIGN[kind]
    path = tmp_path / "草稿.docx"
    if data is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("照片.jpg", b"\xff\xd8\xff" + b"\0" * 100)
    else:
        path.write_bytes(data)
    with pytest.raises(DraftError) as err:
        import_draft(path)
    message = str(err.value)
    assert said in message and message.startswith(f"{path}：") and "\n" not in message
    with pytest.raises(InputError, match=said.replace("(", r"\(").replace(")", r"\)")):
        read_form_entries(path, dt.date(2025, 10, 1))


def test_an_excel_workbook_under_a_docx_name(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "草稿.docx"
    Workbook().save(path)
    with pytest.raises(DraftError, match="Excel 工作簿"):
        import_draft(path)


@pytest.mark.parametrize(
    "content_type,said",
    [
        ("application/vnd.ms-word.document.macroEnabled.main+xml", ".docm"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
            ".dotx",
        ),
        ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml", ".dotm"),
    ],
)
@pytest.mark.parametrize("suffix", [".docx", ".docm", ".dotx"])
def test_docm_and_dotx_are_read_as_the_document_they_hold(
    tmp_path: Path, content_type: str, said: str, suffix: str
) -> None:
    src = letter_docx(tmp_path / "src.docx")
    path = _with_main_type(src, tmp_path / f"函{suffix}", content_type)
    result = import_draft(path)
    assert result.data["title"] == "高平市文物保护中心关于开展文物安全检查的函"
    assert any(said in n for n in result.report.notes)


def test_a_dotx_template_makes_a_docx_word_opens(tmp_path: Path) -> None:
    from docgen.render.docx.template import compile_template

    src = letter_docx(tmp_path / "src.docx")
    dotx = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    compiled = compile_template(_with_main_type(src, tmp_path / "模板.dotx", dotx))
    types = compiled.parts["[Content_Types].xml"].decode()
    assert DOCX_MAIN in types and dotx not in types


def test_a_real_doc_renamed_docx(tmp_path: Path, soffice: str) -> None:
    """LibreOffice writes a real Word 97-2003 file; named .docx it is said to be one, not
    "encrypted"."""
    src = letter_docx(tmp_path / "函.docx")
    out = tmp_path / "doc"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "doc", "--outdir", str(out), str(src)],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    renamed = tmp_path / "函（旧）.docx"
    shutil.copy(out / "函.doc", renamed)
    with pytest.raises(DraftError, match=r"Word 97-2003 或 WPS 文字的旧格式文档") as err:
        import_draft(renamed)
    assert "加密" not in str(err.value)
    with pytest.raises(DraftError, match=r"Word 97-2003 文档（\.doc），docgen 读不了"):
        import_draft(out / "函.doc")


# --- text drafts --------------------------------------------------------------------------------

LETTER_TEXT = [
    "高平市文物保护中心关于开展文物安全检查的函",
    "市文物局：",
    "现将有关事项函告如下：请于10月31日前报送自查情况。",
    "高平市文物保护中心",
    "2025年9月22日",
]


def test_control_characters_are_removed_and_said_by_line_and_column(tmp_path: Path) -> None:
    lines = list(LETTER_TEXT)
    lines[2] = "现将有关事项\x07函告如下：请于10月31日前\x08报送自查情况。\x00"
    path = tmp_path / "函.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = import_draft(path)
    assert result.data["body"] == ["现将有关事项函告如下：请于10月31日前报送自查情况。"]
    note = next(n for n in result.report.notes if "控制字符" in n)
    assert "第3行第7列 BEL（U+0007）" in note and "第3行第22列 BS（U+0008）" in note
    assert "NUL" in note
    loaded = yaml.safe_load(result.yaml())  # the model file loads
    assert loaded["body"].splitlines() == result.data["body"]
    # Rendered straight from the draft, the clerk hears it too.
    from docgen.pipeline import load_checked

    _, said = load_checked(path, {"number": "高文保函〔2025〕9号"})
    assert any("第3行第7列 BEL" in w.message for w in said)


def test_a_file_full_of_control_characters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "函.txt"
    path.write_bytes("\n".join(LETTER_TEXT).encode() + b"\n\x1b[0m\x01\x02\x03\x04" * 40)
    with pytest.raises(DraftError, match=r"第6行第1列起有 \d+ 个控制字符（如 ESC（U\+001B））"):
        import_draft(path)


def test_a_huge_single_line_text_is_refused_cheaply(tmp_path: Path) -> None:
    path = tmp_path / "函.txt"
    path.write_bytes(("高" * 5_000_000).encode("utf-8"))  # 15 MB, one line
    seconds, mb, said = peak_mb(
        "from docgen.importer import DraftError, import_draft\n"
        f"try:\n    import_draft({str(path)!r})\nexcept DraftError as e:\n    print(e)"
    )
    assert "文本草稿过大" in said
    assert seconds < 1.0 and mb < 200, (seconds, mb)
    long_line = tmp_path / "长行.txt"
    long_line.write_text("\n".join([*LETTER_TEXT[:2], "高" * 60_000]), encoding="utf-8")
    with pytest.raises(DraftError, match="第3行有 60000 个字符"):
        import_draft(long_line)
    with pytest.raises(DraftError, match="文本草稿过大"):
        import_draft(b"x" * 3_000_000, name="粘贴.txt")


def test_the_web_import_says_the_same(tmp_path: Path) -> None:
    from docgen.importer import draft_to_model

    with pytest.raises(DraftError, match="RTF"):
        draft_to_model(FOREIGN["rtf"][0], name="草稿.docx")
    model, report = draft_to_model("\n".join(LETTER_TEXT).encode(), name="粘贴的文字.txt")
    assert json.dumps(report, ensure_ascii=False, default=str)
    assert model["title"] == LETTER_TEXT[0]
