"""`docgen batch` and `docgen number`: registered by docgen.cli at start-up."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from docgen.cli.common import EXIT_OK, EXIT_USAGE, FORMATS, UsageError, _common, said


def _usage_errors() -> tuple[type[BaseException], ...]:
    """What this command refuses with one line and exit 2. (UsageError lives in cli/common.py,
    one class however docgen is started: `python -m docgen.cli` runs cli/__main__.py.)"""
    from docgen.batch import BatchRefused
    from docgen.registry import RegistryError

    return (UsageError, BatchRefused, RegistryError)


def _guard(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Refusals and usage errors print one Chinese line and exit 2, however docgen was started."""

    def run(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except _usage_errors() as exc:
            print(f"用法错误：{said(exc)}", file=sys.stderr)
            return EXIT_USAGE

    return run


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "batch",
        help="从议定事项表批量生成纪要和督办单（PDF 与 Word），附 manifest.csv 和督办台账",
        description="先检查全部行和单位名称，无误后才分配文号并生成；任何一行有错则不写任何文件。",
    )
    b.add_argument(
        "items",
        nargs="?",
        type=Path,
        help="议定事项表（.csv 或 .xlsx）；不填则用会议文件中的 items_file",
    )
    b.add_argument("--meeting", required=True, type=Path, help="会议文件（纪要 YAML）")
    b.add_argument("-o", "--output", required=True, type=Path, help="输出文件夹")
    b.add_argument(
        "--per",
        choices=("item", "unit"),
        default="item",
        help="item：每项每个牵头单位一份（默认）；unit：每个单位一份，列出其全部事项",
    )
    b.add_argument("--format", default="pdf,docx", help="pdf、docx、ofd 或其组合（默认 pdf,docx）")
    b.add_argument("--ascii-names", action="store_true", help="文件名用拼音（仅 ASCII 字符）")
    b.add_argument("--zip", action="store_true", help="另把全部文件打包成一个 zip")
    b.add_argument("--strict", action="store_true", help="核稿发现任何问题都不生成")
    b.add_argument(
        "--skip-invalid", action="store_true", help="跳过有错误的行（并列出），其余照常生成"
    )
    b.add_argument(
        "--resume", action="store_true", help="继续上次的批次：沿用已发文号，跳过已完成的文件"
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="本次会议已按另一种 --per 发过督办单时仍然改发（原督办单标为已撤销）",
    )
    b.add_argument(
        "--registry",
        type=Path,
        help="文号登记簿（SQLite 文件）；默认用户数据文件夹，或环境变量 DOCGEN_REGISTRY",
    )
    _new_registry(b)
    b.add_argument("--jobs", type=int, default=0, help="并行进程数（默认等于 CPU 核数）")
    b.add_argument(
        "--code", help="督办单编号的机关代字，如 高文联办督（默认取会议文件 supervision.code）"
    )
    b.add_argument("--contact", help="联系人")
    b.add_argument("--phone", help="联系电话")
    b.add_argument("--date", help="督办单成文日期（默认 supervision.date，再默认纪要日期）")
    b.add_argument("--no-minutes", action="store_true", help="只生成督办单，不生成纪要")
    b.add_argument("--quiet", action="store_true", help="不显示进度条")
    b.add_argument("--timing", action="store_true", help="在标准错误输出各阶段用时")
    b.add_argument(
        "--no-font-cut",
        action="store_true",
        help="不预先把字体裁切到本批用字（用于对比测速）",
    )
    _common(b)
    # The command ends its process at once when done (cli.main): see cli._leave.
    b.set_defaults(func=_guard(cmd_batch), leave_at_once=True)

    n = sub.add_parser("number", help="文号登记簿：查看下一个文号、分配文号、列出已发文号")
    nsub = n.add_subparsers(title="number 命令")
    nx = nsub.add_parser("next", help="显示（加 --take 则分配）某代字某年的下一个文号")
    nx.add_argument("code", help="机关代字，如 高文联办督")
    nx.add_argument("--year", type=int, default=dt.date.today().year)
    nx.add_argument("--take", action="store_true", help="分配并登记这个文号（不再发给别的文件）")
    nx.add_argument("--kind", default="manual", help="文种（登记用），默认 manual")
    nx.add_argument("--title", default="", help="标题（登记用）")
    nx.add_argument("--unit", default="", help="承办单位（登记用）")
    nx.add_argument("--note", default="", help="说明（登记用），如为别处制作的文件预留文号的原因")
    nx.add_argument("--registry", type=Path)
    _new_registry(nx)
    nx.set_defaults(func=_guard(cmd_number_next))
    ls = nsub.add_parser("list", help="列出已发文号")
    ls.add_argument("--code")
    ls.add_argument("--year", type=int)
    ls.add_argument("--registry", type=Path)
    ls.set_defaults(func=_guard(cmd_number_list))
    n.set_defaults(func=lambda _a: (n.print_help(), 2)[1])


def _new_registry(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--new-registry",
        action="store_true",
        help="--registry 指定的登记簿不存在时新建（新登记簿从 1 号编起；默认位置的登记簿会自动建立）",
    )


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats or any(f not in FORMATS for f in formats):
        raise UsageError(f"--format 只能是 pdf、docx、ofd 或其组合，如 pdf,ofd（现为 {text}）")
    return formats


def cmd_batch(args: argparse.Namespace) -> int:
    from docgen.batch import BatchOptions, run_batch
    from docgen.models.meeting import parse_cn_date

    date = None
    if args.date:
        parsed = parse_cn_date(args.date)
        if not isinstance(parsed, dt.date):
            raise UsageError(f"--date {args.date}：请写成 2025-07-22 或 2025年7月22日")
        date = parsed
    if args.jobs < 0:
        raise UsageError("--jobs 应为正整数")
    if not args.meeting.is_file():
        raise UsageError(f"找不到会议文件 {args.meeting}")
    if args.items is not None and not args.items.is_file():
        raise UsageError(f"找不到议定事项表 {args.items}")
    opts = BatchOptions(
        meeting=args.meeting,
        outdir=args.output,
        items=args.items,
        per=args.per,
        formats=_formats(args.format),
        ascii_names=args.ascii_names,
        zip=args.zip,
        skip_invalid=args.skip_invalid,
        strict=args.strict,
        resume=args.resume,
        force=args.force,
        registry=args.registry,
        new_registry=args.new_registry,
        jobs=args.jobs,
        code=args.code,
        contact=args.contact,
        phone=args.phone,
        date=date,
        minutes=not args.no_minutes,
        profile=args.profile,
        fonts=list(args.font),
        template=args.template,
        progress=False if args.quiet else None,
        cut_fonts=not args.no_font_cut,
    )
    from docgen.collector import collector_paused

    # The command's own process holds a thousand notices' models, plans and results, and
    # makes few cycles: the collector's rescans of them were ~0.05 s of its CPU a run.
    with collector_paused():
        result = run_batch(opts, log=lambda m: print(m, file=sys.stderr))
    if args.timing:
        stages = "，".join(f"{k} {v:.2f}" for k, v in result.phases.items())
        print(f"各阶段用时（秒）：{stages}", file=sys.stderr)
        cpu = "，".join(f"{k} {v:.2f}" for k, v in result.main_cpu.items())
        print(f"  主进程 CPU（秒）：{cpu}", file=sys.stderr)
        for line in result.workers:
            print(f"  {line}", file=sys.stderr)
    notices = result.notices
    numbers = [j.issued.number for j in notices if j.issued]
    span = f"{numbers[0]} 至 {numbers[-1]}" if len(numbers) > 1 else "".join(numbers)
    rate = result.rendered / result.seconds if result.seconds else 0.0
    print(
        f"已生成 {result.rendered} 份文档（跳过已完成的 {result.skipped} 份），其中督办单 {len(notices)} 份"
        + (f"（{span}）" if span else "")
        + f"，用时 {result.seconds:.1f} 秒（{rate:.0f} 份/秒）"
    )
    print(f"输出文件夹：{result.outdir}")
    print(
        f"清单：{result.manifest.name}　台账：{result.ledger.name}"
        + (f"　压缩包：{result.archive.name}" if result.archive else "")
    )
    return EXIT_OK


def _registry(args: argparse.Namespace):  # noqa: ANN202 - Registry
    from docgen.registry import Registry, RegistryError

    try:
        return Registry(args.registry, create=getattr(args, "new_registry", False))
    except RegistryError as exc:
        raise UsageError(said(exc)) from exc


def _checked_code(code: str) -> str:
    """A 机关代字 fit for a number: not empty, no brackets or control characters."""
    code = code.strip()
    if not code:
        raise UsageError("机关代字不能为空，如 高文联办督")
    if len(code) > 20 or any(
        not c.isprintable() or c.isspace() or c in "〔〕[]()（）/\\" for c in code
    ):
        raise UsageError(
            f"机关代字“{code[:20]}”应为 1–20 个字，不含空格、括号、斜杠和控制字符，如 高文联办督"
        )
    return code


def cmd_number_next(args: argparse.Namespace) -> int:
    from docgen.registry import RegistryError, Request, format_number

    args.code = _checked_code(args.code)

    with _registry(args) as reg:
        if args.take:
            try:
                request = Request(
                    args.kind, title=args.title, unit=args.unit, date=dt.date.today().isoformat()
                )
                issued = (
                    reg.reserve(args.code, args.year, request, args.note)
                    if args.note
                    else reg.take(args.code, args.year, request)
                )
            except RegistryError as exc:
                raise UsageError(said(exc)) from exc
            print(f"已分配并登记：{issued.number}")
        else:
            print(format_number(args.code, args.year, reg.next_seq(args.code, args.year)))
            if sys.stdout.isatty():
                print("（仅显示，未分配；分配请加 --take）", file=sys.stderr)
    return EXIT_OK


def cmd_number_list(args: argparse.Namespace) -> int:
    with _registry(args) as reg:
        rows = reg.list(args.code, args.year)
        print(f"登记簿：{reg.path}", file=sys.stderr)
    if not rows:
        print("（没有已发文号）")
        return EXIT_OK
    out = sys.stdout
    out.write("文号\t文种\t承办单位\t日期\t登记时间\t文件哈希\n")
    for r in rows:
        out.write(f"{r.number}\t{r.kind}\t{r.unit}\t{r.date}\t{r.issued_at}\t{r.file_hash[:16]}\n")
    out.flush()
    return EXIT_OK


__all__ = ["register"]
