"""`docgen import DRAFT -o OUT.yaml`: a Word or text draft → a model file and a recognition report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from docgen.importer.checked import fill_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="把 Word（.docx）或文本（.txt/.md）草稿转为输入文件（YAML），并报告识别结果",
    )
    p.add_argument("draft", type=Path, help="草稿：.docx、.txt 或 .md")
    p.add_argument("-o", "--output", type=Path, help="输出的 YAML 文件（默认与草稿同名 .yaml）")
    p.add_argument(
        "--kind", choices=("letter", "request", "minutes"), help="文种（默认由标题判断）"
    )
    p.add_argument("--number", help="发文字号（草稿中没有时）")
    p.add_argument("--signer", action="append", help="签发人（草稿中没有时），可多次使用")
    p.add_argument("--issuer", action="append", help="发文机关（草稿中没有时），可多次使用")
    p.add_argument("--report", type=Path, help="另存识别报告（.json 为 JSON，其他为文字）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument(
        "--keep-revisions",
        action="store_true",
        help="草稿（.docx）中有未处理的修订时不导入（默认接受全部修订、删去批注，并在报告中说明）",
    )
    p.set_defaults(func=cmd_import)


YAML_EXTS = (".yaml", ".yml")
REPORT_EXTS = (".txt", ".json", ".md")  # .json: the report as JSON; the others as text


def cmd_import(args: argparse.Namespace) -> int:
    from docgen import outputs
    from docgen.fileio import atomic_write
    from docgen.importer import DraftError, import_draft, is_draft

    src: Path = args.draft
    if src.suffix.lower() in (".yaml", ".yml", ".json"):
        print(f"错误：{src}：已是输入文件，无需导入；直接 docgen render {src}", file=sys.stderr)
        return 2
    if not is_draft(src):
        print(f"错误：{src}：只能导入 .docx、.txt 或 .md 草稿", file=sys.stderr)
        return 2
    # Both places checked before the draft is read: nothing written if either cannot be.
    out, out_note = outputs.single_target(
        args.output or src.with_suffix(".yaml"),
        src.stem + ".yaml",
        YAML_EXTS,
        args.force,
        "输入文件",
    )
    report, report_note = (None, "")
    if args.report:
        report, report_note = outputs.single_target(
            args.report, f"{src.stem}-识别报告.txt", REPORT_EXTS, args.force, "识别报告"
        )
        if report == out:
            raise outputs.ForeignExtension(f"--report {args.report}：与 -o 是同一个文件")
    fill = fill_from(args)
    kind = fill.pop("kind", None)
    try:
        result = import_draft(src, kind=kind, fill=fill, keep_revisions=args.keep_revisions)
    except DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for note in (out_note, report_note):
        if note:
            print(f"{note}（覆盖请加 --force）", file=sys.stderr)
    try:
        atomic_write(out, result.yaml().encode("utf-8"))
        text = result.report.to_text()
        if report is not None:
            if report.suffix.lower() == ".json":
                body = json.dumps(
                    result.report.as_dict(), ensure_ascii=False, indent=2, default=str
                )
            else:
                body = text
            atomic_write(report, body.encode("utf-8"))
    except OSError as exc:  # the place changed since it was checked (a full disk…)
        raise outputs.refusal(f"无法写入（{outputs.said(exc)}）") from exc
    print(text)
    gaps = result.report.gaps
    tail = f"；缺 {'、'.join(g.name for g in gaps)}，请补上" if gaps else ""
    print(f"已生成 {out}{tail}")
    return 0
