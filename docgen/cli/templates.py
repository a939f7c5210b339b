"""`docgen templates`: list the Word templates' placeholders, check an office's own template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docgen.cli.common import problem_line

EXIT_OK, EXIT_MISSING = 0, 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "templates",
        help="列出 Word 模板及其占位符；--check 检查自定义模板",
        description="列出各版式的 Word 模板及其占位符；--check 检查自定义模板是否缺少占位符。",
    )
    p.add_argument("--check", type=Path, metavar="FILE", help="要检查的自定义 Word 模板（.docx）")
    p.add_argument(
        "--format",
        dest="template_format",
        choices=("file", "letter", "minutes", "supervision"),
        default=None,
        help="模板对应的版式：file 文件格式 / letter 信函格式 / minutes 纪要 / supervision 督办单；"
        "不填时按占位符最接近的版式检查",
    )
    p.set_defaults(func=cmd_templates)


def cmd_templates(args: argparse.Namespace) -> int:
    from docgen.problems import InputError
    from docgen.render.docx import (
        FORMAT_NAMES,
        PLACEHOLDERS,
        check_template,
        default_template,
        template_placeholders,
    )

    if args.check is None:
        for fmt, names in PLACEHOLDERS.items():
            print(f"{FORMAT_NAMES[fmt]}（{fmt}）：{default_template(fmt)}")
            for name, what in names.items():
                print(f"  {{{{ {name} }}}}　{what}")
        print("自定义模板须保留所用版式的全部占位符；用 docgen templates --check 模板.docx 检查。")
        return EXIT_OK

    try:
        found = template_placeholders(args.check)
    except InputError as exc:
        for p in exc.problems:
            print(problem_line(p), file=sys.stderr)
        return EXIT_MISSING
    fmt = args.template_format or max(
        PLACEHOLDERS, key=lambda f: (len(found & set(PLACEHOLDERS[f])), -len(PLACEHOLDERS[f]))
    )
    problems = check_template(args.check, fmt)
    for p in problems:
        print(problem_line(p), file=sys.stderr)
    if problems:
        print(
            f"{args.check}：按{FORMAT_NAMES[fmt]}检查，缺少 {len(problems)} 个占位符",
            file=sys.stderr,
        )
        return EXIT_MISSING
    print(f"{args.check}：{FORMAT_NAMES[fmt]}模板的占位符齐全")
    return EXIT_OK
