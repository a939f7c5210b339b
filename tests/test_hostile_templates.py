"""An office's own Word template, written carelessly or with intent: a clear line, never a
hang, a memory blow-up or a silently empty place in the document."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT / "templates" / "official" / "letter.docx"
LETTER = ROOT / "samples" / "letter-gaoping-18.yaml"


def make_template(tmp_path: Path, after_recipients: str, name: str = "t.docx") -> Path:
    """The official letter template with ``after_recipients`` written after {{ recipients }}."""
    out = tmp_path / name
    with zipfile.ZipFile(OFFICIAL) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert "{{ recipients }}" in text
                text = text.replace("{{ recipients }}", "{{ recipients }}" + after_recipients, 1)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return out


def run(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCGEN_NO_SYSTEM_FONTS": "1"}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    return proc, time.perf_counter() - t0


def one_line(proc: subprocess.CompletedProcess, code: int = 1) -> str:
    assert proc.returncode == code, proc.stderr
    lines = [x for x in proc.stderr.strip().splitlines() if x.strip()]
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1, proc.stderr
    return lines[0]


def render_with(tmp_path: Path, template: Path) -> tuple[subprocess.CompletedProcess, float, Path]:
    out = tmp_path / "out"
    proc, seconds = run(
        "render", str(LETTER), "-o", str(out), "--format", "docx", "--template", str(template)
    )
    return proc, seconds, out


def test_a_misspelt_placeholder_is_found_by_check_and_refused_by_render(tmp_path: Path) -> None:
    t = make_template(tmp_path, "{{ titel }}")
    proc, _ = run("templates", "--check", str(t), "--format", "letter")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "titel" in proc.stderr and "title" in proc.stderr
    proc, _, out = render_with(tmp_path, t)
    line = one_line(proc)
    assert "titel" in line or "title" in line
    assert not out.exists()


@pytest.mark.parametrize("broken", ["{{ body", "{% if title %}没有结束", "{{ title }", "{{ a b }}"])
def test_syntax_errors_are_reported_by_check_and_render(tmp_path: Path, broken: str) -> None:
    t = make_template(tmp_path, broken)
    proc, _ = run("templates", "--check", str(t))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "语法" in proc.stderr and "齐全" not in proc.stdout
    proc, _, out = render_with(tmp_path, t)
    assert "语法" in one_line(proc)
    assert not out.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        '{{ "哈" * 1000000000 }}',
        '{{ ["a"] * 1000000000 }}',
        '{{ "%999999999s" % 1 }}',
        '{{ "x"|center(999999999) }}',
        '{{ "{:999999999}".format(1) }}',
        "{{ 2 ** 100000000 }}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
        '{% set s = "ab" %}{% for i in range(60) %}{% set s = s ~ s %}{% endfor %}{{ s }}',
        "{{ ().__class__.__mro__ }}",
    ],
)
def test_runaway_templates_end_quickly_with_one_line(tmp_path: Path, payload: str) -> None:
    t = make_template(tmp_path, payload)
    proc, seconds, out = render_with(tmp_path, t)
    assert seconds < 10, seconds
    line = one_line(proc)
    assert line.startswith("错误：") and "--template" in line
    assert not out.exists()


def test_a_good_custom_template_renders_with_its_own_text(tmp_path: Path) -> None:
    t = make_template(
        tmp_path, "{% if note %}（附注在下）{% endif %}{% if attendance %}不应出现{% endif %}"
    )
    proc, _, out = render_with(tmp_path, t)
    assert proc.returncode == 0, proc.stderr
    xml = zipfile.ZipFile(out / "letter-gaoping-18.docx").read("word/document.xml").decode()
    assert "（附注在下）" in xml and "不应出现" not in xml


def test_every_context_name_is_known_to_the_check() -> None:
    from docgen.decide.decisions import decide
    from docgen.loader import load
    from docgen.profile import load_profile
    from docgen.render.docx import ooxml as ox
    from docgen.render.docx.context import Media
    from docgen.render.docx.document import build_context
    from docgen.render.docx.template import CONTEXT_NAMES

    profile = load_profile(None)
    for sample in (ROOT / "samples").glob("*.yaml"):
        try:
            doc = load(sample)
        except Exception:  # noqa: BLE001 - member lists and other non-document samples
            continue
        ctx = build_context(doc, decide(doc, profile), profile, ox.DrawingIds(), Media())
        assert set(ctx) <= CONTEXT_NAMES, set(ctx) - CONTEXT_NAMES
