"""A document is prepared once: one layout per render, read by the PDF and the .docx alike."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

import docgen.layout
from docgen.cli import main
from docgen.context import resolve_context
from docgen.pipeline import load_prepared, render_prepared
from docgen.problems import InputError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "request-gaoping-wenbao-25.yaml"  # a 请示 with a colophon (抄送)


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every layout_document call (prepare.py reaches it through the docgen.layout module)."""
    real = docgen.layout.layout_document
    calls: list[Any] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(docgen.layout, "layout_document", counted)
    return calls


def test_render_pdf_and_docx_lays_the_document_out_once(tmp_path: Path, layouts: list[Any]) -> None:
    out = tmp_path / "out"
    assert main(["render", str(SAMPLE), "-o", str(out), "--format", "pdf,docx"]) == 0
    assert len(layouts) == 1
    pdf = next(out.glob("*.pdf"))
    docx = next(out.glob("*.docx"))
    with pdfplumber.open(pdf) as doc:
        last = doc.pages[-1].extract_text() or ""
    assert "抄送" in last  # the colophon on the last page, as the plan put it
    xml = zipfile.ZipFile(io.BytesIO(docx.read_bytes())).read("word/document.xml").decode()
    assert "抄送：" in xml


def test_docx_alone_lays_out_once_with_the_users_profile(
    tmp_path: Path, layouts: list[Any]
) -> None:
    assert main(["render", str(SAMPLE), "-o", str(tmp_path / "a.docx")]) == 0
    assert len(layouts) == 1


def test_one_prepared_document_is_read_by_every_writer(layouts: list[Any]) -> None:
    ctx = resolve_context()
    prepared = load_prepared(SAMPLE, ctx)
    assert len(layouts) == 1  # checking laid it out: text past the block is found here
    first = render_prepared(prepared, ("pdf", "docx"))
    again = render_prepared(prepared, ("pdf",))
    assert len(layouts) == 1
    assert first.pages == again.pages == len(prepared.plan.pages)
    assert first.files["pdf"][:4] == b"%PDF" and first.files["docx"][:2] == b"PK"


def test_text_past_the_block_is_an_input_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.problems import Problem

    def too_wide(*args: Any, **kwargs: Any) -> Any:
        raise InputError([Problem("署名超出版心", field="signature")])

    monkeypatch.setattr(docgen.layout, "layout_document", too_wide)
    with pytest.raises(InputError) as refused:
        load_prepared(SAMPLE, resolve_context())
    (problem,) = refused.value.problems
    assert problem.file == str(SAMPLE) and problem.field == "signature"


def test_a_mended_number_is_read_once_and_its_warning_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 发文字号 is parsed once, in validation; its warning is the validation's own
    (rules.check takes the model alone, no raw input)."""
    import yaml

    from docgen.pipeline import check_data
    from docgen.text.docnumber import DocNumber

    raw = yaml.safe_load((ROOT / "samples" / "letter-gaoping-18.yaml").read_text("utf-8"))
    raw.pop("发文字号", None)
    raw["number"] = "高政办函[2025]18号"
    real = DocNumber.parse.__func__  # type: ignore[attr-defined]
    calls: list[str] = []

    def counted(cls: type[DocNumber], text: str) -> Any:
        calls.append(text)
        return real(cls, text)

    monkeypatch.setattr(DocNumber, "parse", classmethod(counted))
    doc, problems = check_data(raw, ROOT / "samples" / "x.yaml")
    assert calls == ["高政办函[2025]18号"]
    assert str(doc.number) == "高政办函〔2025〕18号"
    (note,) = [p for p in problems if "六角括号" in p.message]
    assert note.severity == "warning" and note.field.startswith("number")


def test_a_third_writer_reads_the_same_prepared_document(
    monkeypatch: pytest.MonkeyPatch, layouts: list[Any]
) -> None:
    """The hook the OFD writer joins by (pipeline.WRITERS): it gets the one Prepared."""
    import sys
    import types

    from docgen import pipeline

    seen: list[Any] = []

    def write(prepared: Any) -> bytes:
        seen.append(prepared.plan)
        return f"{len(prepared.plan.pages)} pages".encode()

    module = types.ModuleType("struct_test_writer")
    module.write = write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "struct_test_writer", module)
    monkeypatch.setitem(pipeline.WRITERS, "ofd", "struct_test_writer:write")
    prepared = load_prepared(SAMPLE, resolve_context())
    out = render_prepared(prepared, ("pdf", "ofd"))
    assert seen == [prepared.plan] and len(layouts) == 1
    assert out.files["ofd"] == f"{out.pages} pages".encode()


def test_the_web_preview_checks_and_renders_from_one_layout(
    tmp_path: Path, layouts: list[Any]
) -> None:
    import yaml

    from docgen.web import tasks  # what the server's worker runs for a preview

    model = yaml.load(
        (ROOT / "samples" / "letter-gaoping-18.yaml").read_text("utf-8"), Loader=yaml.BaseLoader
    )
    rendered = tasks.render(model, "pdf", str(tmp_path))
    assert len(layouts) == 1  # was two: the check's layout, then the render's
    with pdfplumber.open(io.BytesIO(rendered.files["pdf"])) as pdf:
        assert len(pdf.pages) == rendered.pages
        first = pdf.pages[0].extract_text() or ""
    assert model["title"][:6] in first.replace("\n", "")
