"""Hostile and careless input files: one Chinese line per problem, bounded work, no surprise.

Each case runs the real command in a subprocess where a traceback or a
runaway would show (exit code, stderr, time, memory).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from docgen.items import load_items
from docgen.problems import InputError, errors, warnings
from docgen.units import UnitRegistry

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROOT = Path(__file__).resolve().parent.parent
BASE = "issuer: 高平市人民政府办公室\ntitle: 关于测试事项的函\nbody: 正文一段。\ndate: 2025-07-07\n"


def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCGEN_NO_SYSTEM_FONTS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


def one_chinese_line(proc: subprocess.CompletedProcess, code: int = 1) -> str:
    assert proc.returncode == code, proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in err and err, err
    assert len(err.splitlines()) == 1, err
    assert any("\u4e00" <= c <= "\u9fff" for c in err)
    return err


def check_text(tmp_path: Path, text: str, name: str = "in.yaml") -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("check", str(path))


# --- YAML ---------------------------------------------------------------------------


def test_nested_aliases_are_capped_quickly_and_never_echoed(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈"]']
    for i in range(1, 12):  # 3^12 strings once expanded
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 3) + "]")
    text = "\n".join(levels) + "\nkind: letter\ntitle: *a11\nbody: *a11\n"
    t0 = time.perf_counter()
    proc = check_text(tmp_path, text)
    assert time.perf_counter() - t0 < 10
    err = one_chinese_line(proc)
    assert "展开" in err and len(err) < 300


def test_a_moderate_alias_value_is_echoed_as_an_excerpt(tmp_path: Path) -> None:
    text = 'a: &a ["长长长长长长长长长长长长长长长长长长长长"]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n'
    proc = check_text(
        tmp_path, text + "kind: letter\n" + BASE.replace("title: 关于测试事项的函\n", "title: *b\n")
    )
    assert proc.returncode == 1
    line = next(x for x in proc.stderr.splitlines() if "title" in x)
    assert "…" in line and len(line) < 200


def test_deep_nesting_is_an_input_error(tmp_path: Path) -> None:
    proc = check_text(tmp_path, "kind: letter\ntitle: " + "[" * 5000 + "]" * 5000 + "\n")
    one_chinese_line(proc)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("kind: letter\n" + BASE + "title: 第二个标题\n", "写了两次"),
        ("kind: letter\n" + BASE + "标题: 另一个标题\n", "同一项"),
        ("kind: letter\n" + BASE + "signature:\n  mode: sealed\n  方式: unsealed\n", "同一项"),
        ("kind: letter\n类型: letter\n" + BASE, "同一项"),
    ],
)
def test_a_field_given_twice_is_an_error(tmp_path: Path, text: str, said: str) -> None:
    err = one_chinese_line(check_text(tmp_path, text))
    assert said in err and "无法识别" not in err


def test_duplicate_keys_in_json_too(tmp_path: Path) -> None:
    text = '{"kind": "letter", "title": "关于甲的函", "title": "关于乙的函"}'
    err = one_chinese_line(check_text(tmp_path, text, "in.json"))
    assert "两次" in err


@pytest.mark.parametrize(("written", "read"), [("000001", "1"), ("000120", "80"), ("0001_2", "10")])
def test_unquoted_copy_number_says_how_to_quote(tmp_path: Path, written: str, read: str) -> None:
    err = one_chinese_line(check_text(tmp_path, f"kind: letter\n份号: {written}\n" + BASE))
    assert f"数字 {read}" in err and f'份号: "{written}"' in err


def test_a_time_like_value_is_not_silently_a_number(tmp_path: Path) -> None:
    err = one_chinese_line(check_text(tmp_path, "kind: letter\nnote: 10:30\n" + BASE))
    assert "10:30" in err and "引号" in err


def test_a_number_where_text_is_expected_is_the_text(tmp_path: Path) -> None:
    from docgen.loader import build, read_data

    path = tmp_path / "in.yaml"
    path.write_text(
        "kind: letter\n" + BASE + "note: 12345\ncc: [2025]\nsignature: {signer: 100}\n",
        encoding="utf-8",
    )
    doc = build(read_data(path))
    assert doc.note == "（12345）" and doc.cc == ["2025"] and doc.signature.signer == "100"


def test_supervision_block_takes_a_numeric_phone(tmp_path: Path) -> None:
    from docgen.items import pop_settings

    settings = pop_settings({"kind": "minutes", "supervision": {"phone": 5221180}})
    assert settings.phone == "5221180"


@pytest.mark.parametrize(
    "text",
    [
        "kind: [letter]\n" + BASE,
        "kind: {a: 1}\n" + BASE,
        "kind: 3\n" + BASE,
        "- kind: letter\n",
        "kind: letter\ntitle: [a, [b]]\nissuer: x\nbody: y\ndate: 2025-07-07\n",
        "kind: letter\n\ttitle: x\n",
        'kind: letter\ntitle: "unterminated\n',
        "kind: letter\ntitle: a: b: c\n",
        "kind: letter\n" + BASE + "date: 2025-02-30\n".replace("date", "print_date"),
        "kind: letter\n" + BASE + "attachments: 附件一\n",
        "kind: letter\n" + BASE + "signature: 盖章\n",
        "kind: letter\n" + BASE + "secrecy: true\n",
        "kind: letter\n" + BASE + "? [a, b]\n: c\n",
        "\x00\x01binary",
        "",
    ],
)
def test_malformed_inputs_get_chinese_lines_only(tmp_path: Path, text: str) -> None:
    proc = check_text(tmp_path, text)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for line in proc.stderr.strip().splitlines():
        assert line.startswith(("错误：", "提醒：")), line
        # no pydantic or PyYAML English: ASCII words only as field names or values
        for word in ("Input should", "mapping values", "expected", "found", "validation"):
            assert word not in line, line


def test_an_oversized_input_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(50_000_000)
    err = one_chinese_line(run("check", str(path)))
    assert "过大" in err


def test_a_folder_as_input(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").mkdir()
    one_chinese_line(run("check", str(tmp_path / "d.yaml")))


# --- tables ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def units() -> UnitRegistry:
    return UnitRegistry.load(SAMPLES / "member-units.yaml")


HEAD = ["序号", "议定事项", "牵头单位", "配合单位", "完成时限", "督办要求"]


def test_excel_serial_dates_are_the_dates(tmp_path: Path, units: UnitRegistry) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([1, "甲事项", "市公安局", "", 46022, ""])  # a number formatted 常规
    ws.append([2, "乙事项", "市财政局", "", "45900", ""])  # typed as text
    ws.append([3, "丙事项", "市财政局", "", 45900.0, ""])
    wb.save(tmp_path / "t.xlsx")
    result = load_items(tmp_path / "t.xlsx", units)
    assert not errors(result.problems)
    assert [i.deadline for i in result.items] == [
        dt.date(2025, 12, 31),
        dt.date(2025, 8, 31),
        dt.date(2025, 8, 31),
    ]
    csv = tmp_path / "t.csv"
    csv.write_text(",".join(HEAD) + "\n1,甲事项,市公安局,,46022,\n", encoding="utf-8")
    assert load_items(csv, units).items[0].deadline == dt.date(2025, 12, 31)


def test_merged_lead_cells_are_filled_and_said(tmp_path: Path, units: UnitRegistry) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([1, "甲事项", "市公安局", "", "2025-12-31", ""])
    ws.append([2, "乙事项", None, "", "2025-12-31", ""])
    ws.append([3, "丙事项", None, "", "2025-12-31", ""])
    ws.append([4, "丁事项", "市财政局", "", "2025-12-31", ""])
    ws.merge_cells("C2:C4")
    wb.save(tmp_path / "t.xlsx")
    result = load_items(tmp_path / "t.xlsx", units)
    assert not errors(result.problems)
    assert [i.lead for i in result.items] == [["市公安局"]] * 3 + [["市财政局"]]
    said = " ".join(str(p) for p in warnings(result.problems))
    assert "合并单元格" in said and "第2–4行" in said


def test_merged_matter_cells_are_an_error_that_explains(
    tmp_path: Path, units: UnitRegistry
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([1, "甲事项", "市公安局", "", "", ""])
    ws.append([2, None, "市财政局", "", "", ""])
    ws.merge_cells("B2:B3")
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(InputError) as info:
        result = load_items(tmp_path / "t.xlsx", units)
        raise InputError(errors(result.problems))
    assert any("合并单元格" in str(p) and "取消合并" in str(p) for p in info.value.problems)


def test_hidden_rows_get_no_notice_and_are_said(tmp_path: Path, units: UnitRegistry) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([1, "甲事项", "市公安局", "", "", ""])
    ws.append([2, "乙事项（已撤销）", "市财政局", "", "", ""])
    ws.append([3, "丙事项", "市财政局", "", "", ""])
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "t.xlsx")
    result = load_items(tmp_path / "t.xlsx", units)
    assert [i.seq for i in result.items] == [1, 3]
    hidden = [p for p in warnings(result.problems) if p.row == 3]
    assert hidden and "隐藏" in hidden[0].message


def _peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_a_formatted_cell_at_the_last_row_and_column_costs_nothing(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "member-units.yaml"):
        (src / name).write_bytes((SAMPLES / name).read_bytes())
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([1, "甲事项", "市公安局", "", "2025-12-31", ""])
    from openpyxl.styles import Font

    ws["XFD1048576"].font = Font(bold=True)  # formatted, empty
    wb.save(src / "t.xlsx")
    meeting = src / "meeting-2025-1.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("agreed-items-2025-1.csv", "t.xlsx"),
        encoding="utf-8",
    )
    t0 = time.perf_counter()
    proc = run("check", str(meeting))
    assert time.perf_counter() - t0 < 10
    assert proc.returncode == 0, proc.stderr
    assert _peak_child_mb() < 1024


def test_far_away_content_is_refused_with_the_limit(tmp_path: Path, units: UnitRegistry) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([1, "甲事项", "市公安局", "", "", ""])
    ws["B900000"] = "表格下方很远处的备注"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(InputError) as info:
        load_items(tmp_path / "t.xlsx", units)
    assert "第900000行" in str(info.value) and "5000" in str(info.value)


def test_too_many_rows_is_refused(tmp_path: Path, units: UnitRegistry) -> None:
    lines = [",".join(HEAD)] + [f"{i},事项{i},市公安局,,," for i in range(1, 5_100)]
    (tmp_path / "t.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="过大"):
        load_items(tmp_path / "t.csv", units)


def test_a_damaged_xlsx_is_one_line(tmp_path: Path, units: UnitRegistry) -> None:
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as info:
        load_items(tmp_path / "t.xlsx", units)
    assert len(info.value.problems) == 1 and "Excel" in str(info.value)


# --- images the input names -------------------------------------------------------------


def _png(path: Path, size: tuple[int, int] = (200, 200)) -> Path:
    from PIL import Image

    Image.new("RGBA", size, (230, 0, 18, 200)).save(path)
    return path


def _bad_images(tmp_path: Path) -> dict[str, str]:
    """name → what the seal_image field says, for files that must never be embedded."""
    from PIL import Image

    (tmp_path / "notes.txt").write_text("不是图片", encoding="utf-8")
    (tmp_path / "seal-folder").mkdir()
    good = _png(tmp_path / "good.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(good[: len(good) // 2])
    (tmp_path / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    Image.new("RGB", (50, 50)).save(tmp_path / "seal.bmp")
    Image.new("RGB", (50, 50)).save(tmp_path / "seal.gif")
    # A valid header claiming 100,000 × 100,000 pixels: a decompression bomb.
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    (tmp_path / "bomb.png").write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    (tmp_path / "empty.png").write_bytes(b"")
    return {
        "notes.txt": "notes.txt",
        "seal-folder": "seal-folder",
        "cut.png": "cut.png",
        "fake.png": "fake.png",
        "seal.bmp": "seal.bmp",
        "seal.gif": "seal.gif",
        "bomb.png": "bomb.png",
        "empty.png": "empty.png",
        "missing.png": "missing.png",
        "/etc/passwd": "/etc/passwd",
    }


def test_seal_images_that_are_not_images_fail_check_and_render(tmp_path: Path) -> None:
    for name, field in _bad_images(tmp_path).items():
        src = tmp_path / "in.yaml"
        src.write_text(
            "kind: letter\n" + BASE + f"signature:\n  mode: sealed\n  seal_image: '{field}'\n",
            encoding="utf-8",
        )
        err = one_chinese_line(run("check", str(src)))
        assert "印章图片" in err and name in err, err
        # (a folder name without a dot: "out-notes.txt" would name a .txt file, refused)
        out = tmp_path / f"out-{name.strip('/').replace('/', '_').replace('.', '_')}"
        err = one_chinese_line(run("render", str(src), "-o", str(out), "--format", "pdf,docx"))
        assert "印章图片" in err
        assert not out.exists()  # nothing written


def test_a_real_seal_is_embedded_as_the_image_it_is(tmp_path: Path) -> None:
    import zipfile

    from PIL import Image

    _png(tmp_path / "seal.png")
    Image.new("RGB", (300, 300), (200, 0, 0)).save(tmp_path / "seal.jpg", quality=80)
    for name, ext in (("seal.png", "png"), ("seal.jpg", "jpeg")):
        src = tmp_path / "in.yaml"
        src.write_text(
            "kind: letter\n" + BASE + f"signature:\n  mode: sealed\n  seal_image: {name}\n",
            encoding="utf-8",
        )
        out = tmp_path / f"o-{ext}"
        proc = run("render", str(src), "-o", str(out), "--format", "pdf,docx")
        assert proc.returncode == 0, proc.stderr
        with zipfile.ZipFile(out / "in.docx") as zf:
            media = [n for n in zf.namelist() if n.startswith("word/media/")]
            assert media and media[0].endswith(ext)
            assert zf.read(media[0]) == (tmp_path / name).read_bytes()
        assert (out / "in.pdf").read_bytes().startswith(b"%PDF")


# --- characters that must never reach a page ------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "关于\b测试事项的函", "U+0008"),
        ("title", "关于测试\u202e事项的函", "U+202E"),
        ("note", "联系人：王\x07某", "U+0007"),
        ("cc", "[市公安局\x1b]", "U+001B"),
        ("title", "关于\ue000测试的函", "U+E000"),
        ("title", "关于测试\u2066事项的函", "U+2066"),
    ],
)
def test_control_and_bidi_characters_are_refused_naming_the_field(
    tmp_path: Path, field: str, value: str, code: str
) -> None:
    import json

    data = {"kind": "letter", "issuer": "高平市人民政府办公室", "title": "关于测试事项的函"}
    data |= {"body": "正文。", "date": "2025-07-07"}
    data[field] = [value.strip("[]")] if value.startswith("[") else value
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    proc = run("check", str(src))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    line = next(x for x in proc.stderr.splitlines() if code in x)
    assert line.startswith("错误：") and f"{field}（" in line
    out = tmp_path / "out"
    proc = run("render", str(src), "-o", str(out), "--format", "pdf,docx")
    assert proc.returncode == 1 and not out.exists()


def test_invisible_characters_are_dropped_and_the_docx_opens(tmp_path: Path) -> None:
    import docx

    src = tmp_path / "in.yaml"
    src.write_text(
        "kind: letter\nissuer: 高平市人民政府办公室\n"
        'title: "关于\\u200b测试事项的函"\nbody: "正文\\t一段\\u00ad。\\uFEFF"\ndate: 2025-07-07\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run("render", str(src), "-o", str(out), "--format", "pdf,docx")
    assert proc.returncode == 0, proc.stderr
    d = docx.Document(str(out / "in.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "关于测试事项的函" in text and "正文 一段。" in text
    assert not any(c in text for c in "\u200b\u00ad\ufeff\t")


def test_a_bell_in_a_table_row_stops_the_batch_before_any_number(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "member-units.yaml", "agreed-items-2025-1.csv"):
        (src / name).write_bytes((SAMPLES / name).read_bytes())
    table = src / "agreed-items-2025-1.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("纳入国土空间规划", "纳入国土\x07空间规划")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reg, out = tmp_path / "r.sqlite3", tmp_path / "out"
    proc = run(
        "batch",
        "--meeting",
        str(src / "meeting-2025-1.yaml"),
        "-o",
        str(out),
        "--registry",
        str(reg),
        "--new-registry",
        "--quiet",
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    line = next(x for x in proc.stderr.splitlines() if "U+0007" in x)
    assert "第3行" in line and "议定事项" in line
    assert not reg.exists() and not out.exists()


def test_characters_no_font_has_are_refused_at_check_time(tmp_path: Path) -> None:
    src = tmp_path / "in.yaml"
    src.write_text(
        "kind: letter\nissuer: 高平市人民政府办公室\ntitle: 关于测试事项的函\n"
        "body: [正文一段。, 请各单位点赞👍并转发ทดสอบ]\ndate: 2025-07-07\n",
        encoding="utf-8",
    )
    proc = run("check", str(src))
    assert proc.returncode == 1
    line = next(x for x in proc.stderr.splitlines() if "U+1F44D" in x)
    assert "body[2]" in line and "空白" in line
    out = tmp_path / "out"
    proc = run("render", str(src), "-o", str(out))
    assert proc.returncode == 1 and "U+1F44D" in proc.stderr and not out.exists()


def test_combining_marks_are_composed_or_kept_with_their_letter() -> None:
    from docgen.text.chars import clean, joins_previous
    from docgen.text.linebreak import break_paragraph

    assert clean("Cafe\u0301") == "Café"
    assert clean("\uf900") == "\uf900"  # a compatibility ideograph in a name stays as written
    text = "a\u0301\u0302b\u0303c\u0304d\u20dd" * 20  # marks with no precomposed form
    for width in (1.0, 2.0, 3.0, 5.0, 7.0):
        lines = break_paragraph(text, width, lambda ch: 0.0 if joins_previous(ch) else 1.0)
        assert "".join(line.text for line in lines) == text
        for line in lines:
            assert not joins_previous(line.text[0]), (width, line.text)


# --- elements that do not fit ---------------------------------------------------------


def _letter(tmp_path: Path, issuer: str, signature: str = "", extra: str = "") -> Path:
    src = tmp_path / "in.yaml"
    src.write_text(
        f"kind: letter\nissuer: {issuer}\ntitle: 关于测试事项的函\nbody: 正文一段。\n"
        f"date: 2025-07-07\n{signature}{extra}",
        encoding="utf-8",
    )
    return src


@pytest.mark.parametrize(
    ("issuer", "signature", "said"),
    [
        ("高" * 27, "mark: 高平市政府\nsignature: {mode: unsealed}\n", "署名"),
        ("高" * 34, "mark: 高平市政府\nsignature: {mode: unsealed}\n", "署名"),
        ("高" * 31, "mark: 高平市政府\n", "署名"),
        (
            "高平市人民政府办公室",
            "signature: {mode: stamp, signer: 王某, signer_title: " + "长" * 24 + "}\n",
            "职务",
        ),
        ("高" * 40, "", "发文机关标志"),
        ("高平市人民政府办公室", "mark: " + "很长的标志" * 8 + "\n", "发文机关标志"),
    ],
)
def test_what_cannot_fit_is_refused_at_check_and_render(
    tmp_path: Path, issuer: str, signature: str, said: str
) -> None:
    src = _letter(tmp_path, issuer, signature)
    proc = run("check", str(src))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert said in proc.stderr
    out = tmp_path / "out"
    proc = run("render", str(src), "-o", str(out), "--format", "pdf,docx")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and not out.exists()


@pytest.mark.parametrize("mode", ["sealed", "unsealed", "stamp"])
def test_the_longest_names_allowed_stay_inside_the_block(tmp_path: Path, mode: str) -> None:
    """At the limits the check allows, every character is drawn inside the 156 mm block."""
    import pdfplumber

    from docgen.rules import SIGNATURE_LIMITS

    n = SIGNATURE_LIMITS[mode]
    sig = f"signature: {{mode: {mode}, signer: 王某, signer_title: {'长' * n}}}\n"
    name = "高" * (n if mode != "stamp" else 10)
    src = _letter(tmp_path, name, "mark: 高平市政府\n" + sig)
    out = tmp_path / "out"
    proc = run("render", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(out / "in.pdf") as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                x0_mm, x1_mm = ch["x0"] * 25.4 / 72, ch["x1"] * 25.4 / 72
                assert x0_mm > 27.0 and x1_mm < 185.0, (ch["text"], x0_mm, x1_mm)
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "2025年7月7日" in text  # the date is there, whole


def test_absurd_titles_are_refused_quickly(tmp_path: Path) -> None:
    src = _letter(tmp_path, "高平市人民政府办公室").read_text(encoding="utf-8")
    (tmp_path / "t.yaml").write_text(
        src.replace("title: 关于测试事项的函", "title: 关于" + "测试事项" * 500 + "的函"), "utf-8"
    )
    t0 = time.perf_counter()
    proc = run("check", str(tmp_path / "t.yaml"))
    assert time.perf_counter() - t0 < 10
    err = one_chinese_line(proc)
    assert "过长" in err and "title" in err


# --- every failure one Chinese line ------------------------------------------------------


def test_odd_command_lines_fail_in_one_chinese_line(tmp_path: Path) -> None:
    letter = tmp_path / "l.yaml"
    letter.write_text("kind: letter\n" + BASE, encoding="utf-8")
    (tmp_path / "bin.yaml").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "d").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    cases = [
        (["render", str(tmp_path / "loop")], 1),
        (["render", str(tmp_path / "bin.yaml")], 1),
        (["render", str(letter), "--profile", str(tmp_path / "bin.yaml")], 2),
        (["render", str(letter), "--font", f"fangsong={tmp_path / 'bin.yaml'}"], 2),
        (
            [
                "number",
                "next",
                "",
                "--take",
                "--registry",
                str(tmp_path / "r.db"),
                "--new-registry",
            ],
            2,
        ),
        (
            [
                "number",
                "next",
                "高\x07办",
                "--take",
                "--registry",
                str(tmp_path / "r.db"),
                "--new-registry",
            ],
            2,
        ),
        (["number", "list", "--registry", str(tmp_path / "d")], 2),
        (["templates", "--check", str(tmp_path / "d")], 1),
        (["templates", "--check", str(tmp_path / "bin.yaml")], 1),
        (["batch", "--meeting", str(letter), "-o", str(tmp_path / "o")], 1),
    ]
    for args, code in cases:
        proc = run(*args)
        assert proc.returncode == code, (args, proc.stderr)
        one_chinese_line(proc, code)
    assert (
        not (tmp_path / "r.db").exists()
        or "1号" not in run("number", "list", "--registry", str(tmp_path / "r.db")).stdout
    )


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_unopened(
    tmp_path: Path, units: UnitRegistry
) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            chunk = b"<si><t>a</t></si>" * 65536
            for _ in range(200):  # ~220 MB unpacked, ~0.3 MB packed
                fh.write(chunk)
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="解压后过大"):
        load_items(path, units)
    assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize(
    "extra",
    [
        "number: " + "高" * 40 + "〔2025〕1号\n",
        "copy_no: '000001'\nsecrecy: 机密\nsecrecy_term: " + "长期" * 20 + "\n",
    ],
)
def test_head_and_colophon_overflow_is_found_at_check_time(tmp_path: Path, extra: str) -> None:
    src = _letter(tmp_path, "高平市人民政府办公室", "", extra)
    err = one_chinese_line(run("check", str(src)))
    assert "排不进版心" in err
    out = tmp_path / "out"
    proc = run("render", str(src), "-o", str(out), "--format", "docx")  # no PDF layout needed
    assert proc.returncode == 1 and not out.exists()


def test_a_colophon_printer_too_long_is_found_at_check_time(tmp_path: Path) -> None:
    src = tmp_path / "in.yaml"
    src.write_text(
        "kind: request\nissuer: 高平市人民政府办公室\ntitle: 关于测试的请示\nrecipients: [市政府]\n"
        "body: 正文。\nnote: 联系人：王某，电话：1\nsigners: [王某]\ndate: 2025-07-07\n"
        "printer: " + "高" * 40 + "\n",
        encoding="utf-8",
    )
    assert "排不进版心" in one_chinese_line(run("check", str(src)))


def test_any_problem_prints_as_one_bounded_line() -> None:
    from docgen.problems import Problem

    line = str(Problem("市公安局\n市财政局" * 500, field="lead", file="t.csv", row=3))
    assert "\n" not in line and len(line) < 500 and line.endswith("…")


def test_a_device_as_seal_image_is_refused(tmp_path: Path) -> None:
    err = one_chinese_line(
        check_text(tmp_path, "kind: letter\n" + BASE + "signature: {seal_image: /dev/zero}\n")
    )
    assert "不是普通文件" in err


def test_huge_bodies_and_attachment_titles_are_refused_quickly(tmp_path: Path) -> None:
    body = "正文很长，" * 50_000
    for extra in (f"body: {body}\n", "attachments:\n  - title: " + "附件标题" * 500 + "\n"):
        text = ("kind: letter\n" + BASE).replace("body: 正文一段。\n", "") + (
            extra if extra.startswith("body") else "body: 正文。\n" + extra
        )
        t0 = time.perf_counter()
        proc = check_text(tmp_path, text)
        assert time.perf_counter() - t0 < 10
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert "过长" in proc.stderr or "超过" in proc.stderr
