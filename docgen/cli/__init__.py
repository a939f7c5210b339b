"""The docgen command. Exit codes: 0 done, 1 invalid input, 2 usage."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from docgen.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    FORMATS,
    UsageError,
    _common,
    context_message,
    problem_line,
    said,
)
from docgen.errors import ContextError
from docgen.importer.checked import add_fill_arguments, fill_from
from docgen.naming import UnsafeName
from docgen.outputs import ForeignExtension
from docgen.problems import InputError

if TYPE_CHECKING:
    from docgen.context import RenderContext
    from docgen.fonts import FontSet
    from docgen.spec import Profile


def console_safe() -> None:
    """Chinese output never crashes on a console or file that cannot encode a character.

    On Chinese Windows, output redirected to a file or piped to another
    program is encoded as GBK (cp936), which lacks rare and Extension B
    characters (𠇔) and symbols: print would raise UnicodeEncodeError and
    show a traceback. Such characters become "?" instead.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or replaced stream: leave it
                pass


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt as exc:  # wherever it came: parsing, a message being printed
        # One line, whatever was running; what was written is complete (atomic writes).
        print(
            said(exc) if str(exc) else "已中断（Ctrl+C）；没有留下写了一半的文件", file=sys.stderr
        )
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    console_safe()
    if argv is None:  # the real command, not a caller's process (tests, the workbench)
        _terminate_as_interrupt()
        _quiet_libraries()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = int(args.func(args) or 0)
    except InputError as exc:
        for p in exc.problems:
            print(problem_line(p), file=sys.stderr)
        return EXIT_INVALID
    except (UsageError, UnsafeName, ForeignExtension) as exc:
        print(f"用法错误：{said(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except ContextError as exc:  # the profile or fonts of a batch, a report: worded as flags
        print(f"用法错误：{context_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    if argv is None and getattr(args, "leave_at_once", False):
        _leave(code)
    return code


def _leave(code: int) -> NoReturn:
    """End the real command's process now, without the interpreter's teardown.

    A batch leaves a thousand documents' models, plans and results in memory:
    freeing them object by object took ~70 ms after the last file was written,
    a fiftieth of the whole run. By now every file is written, synced and
    closed, the worker pool has stopped and its temporary fonts are removed,
    and docgen registers no exit handlers: only the console is left to flush.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            pass
    os._exit(code)


def _quiet_libraries() -> None:
    """No library's warning text on the clerk's console (English, about its own internals).

    What matters to the clerk is said by docgen in Chinese; a library's
    deprecation or "extension not supported" notice is not theirs to act on.
    $PYTHONWARNINGS (or -W) still shows them to whoever asks.
    """
    import warnings

    if not sys.warnoptions:
        warnings.filterwarnings("ignore", module=r"(?!docgen(\.|$))")


def _terminate_as_interrupt() -> None:
    """SIGTERM (a closed terminal, a service stop) ends docgen like Ctrl+C: temp files removed.

    Both are noted as well as raised (lifeline.check_interrupt): a library's bare
    ``except:`` that swallows the KeyboardInterrupt cannot make a batch run on.
    """
    import signal
    import threading

    from docgen import lifeline

    if threading.current_thread() is not threading.main_thread():
        return

    def stop(_sig: int, _frame: object) -> None:
        lifeline.note_interrupt()
        raise KeyboardInterrupt

    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            try:
                signal.signal(getattr(signal, name), stop)
            except (ValueError, OSError):  # pragma: no cover - embedded interpreters
                pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="docgen", description="按 GB/T 9704-2012 生成公文（PDF 与 Word）"
    )
    sub = p.add_subparsers(title="命令")

    r = sub.add_parser("render", help="把 YAML/JSON 输入排成 PDF / Word")
    r.add_argument(
        "inputs", nargs="+", type=Path, help="输入文件（.yaml/.yml/.json，或草稿 .docx/.txt/.md）"
    )
    r.add_argument("-o", "--output", type=Path, help="输出文件（单个输入）或输出文件夹")
    r.add_argument(
        "--format",
        default=None,
        help="pdf、docx、ofd 或其组合（如 pdf,ofd）；默认按 -o 的扩展名，否则 pdf",
    )
    r.add_argument(
        "--force", action="store_true", help="输出文件已存在时覆盖（默认另存为 名称-2.pdf 等）"
    )
    r.add_argument("--strict", action="store_true", help="核稿发现任何问题都不排版")
    r.add_argument(
        "--units", type=Path, help="成员单位名录（默认为输入文件旁的 member-units.yaml）"
    )
    _common(r)
    add_fill_arguments(r)
    r.set_defaults(func=cmd_render)

    c = sub.add_parser(
        "check",
        help="只检查输入（含核稿：繁体字、标点、括号、单位名称等），不排版；"
        "或按 GB/T 33190 检查 OFD 文件",
    )
    c.add_argument("inputs", nargs="+", type=Path, help="输入文件，或 .ofd 文件")
    from docgen.cli.proof import add_options, cmd_check

    add_options(c)
    add_fill_arguments(c)
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("schema", help="打印某文种输入的 JSON Schema")
    s.add_argument("kind", help="letter / request / minutes / supervision")
    s.set_defaults(func=cmd_schema)

    f = sub.add_parser("fonts", help="显示各字体角色解析到的字体文件")
    _common(f)
    f.set_defaults(func=cmd_fonts)
    _extensions(sub)
    return p


def _extensions(sub: argparse._SubParsersAction) -> None:
    """The other commands (templates, batch, number, import, supervise, serve) register here.

    Imported here, not at the top, so `docgen render` does not load the workbench's
    web stack at start-up; an import that fails is an error, never a missing command.
    """
    from docgen.cli import batch, importing, serve, supervise, templates

    for mod in (templates, batch, importing, supervise, serve):
        mod.register(sub)


def render_context(args: argparse.Namespace) -> RenderContext:
    """The context of ``--profile``, ``--font`` and ``--template``: a usage error when it
    cannot be had."""
    from docgen.context import font_pairs, resolve_context

    try:
        return resolve_context(args.profile, font_pairs(args.font), getattr(args, "template", None))
    except ContextError as exc:
        raise UsageError(context_message(exc)) from exc


def load_context(args: argparse.Namespace) -> tuple[Profile, FontSet]:
    """The profile and fonts of ``--profile`` and ``--font`` (render_context's)."""
    ctx = render_context(args)
    return ctx.profile, ctx.fonts


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    if args.format:
        formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise UsageError(
                f"--format 只能是 pdf、docx、ofd 或其组合，如 pdf,ofd（现为 {args.format}）"
            )
        return formats
    if args.output and args.output.suffix.lower() in (".pdf", ".docx", ".ofd"):
        return (args.output.suffix.lower()[1:],)
    return ("pdf",)


def _targets(args: argparse.Namespace, formats: tuple[str, ...]) -> list[dict[str, Path]]:
    from docgen import outputs
    from docgen.naming import safe

    out = args.output
    as_dir = out is not None and (
        len(args.inputs) > 1 or outputs.means_folder(out) or out.suffix == ""
    )
    if out is not None and not as_dir and out.suffix.lower() not in (".pdf", ".docx", ".ofd"):
        raise UsageError(f"-o {out}：应写成 .pdf、.docx 或 .ofd 文件（或写一个文件夹名）")
    if as_dir and os.path.lexists(out) and not os.path.isdir(out):
        raise outputs.refusal(
            f"-o {out} 是一个已有的文件（不是文件夹）；请写出文件夹名，或带 .pdf/.docx/.ofd 的文件名"
        )
    targets = []
    for src in args.inputs:
        if out is None:
            base = src.parent / safe(src.stem)
        elif as_dir:
            base = out / safe(src.stem)
        else:
            base = out.with_suffix("")
        # Appended, not with_suffix: 函.v2.yaml gives 函.v2.pdf, not 函.pdf.
        targets.append({fmt: base.parent / f"{base.name}.{fmt}" for fmt in formats})
    return targets


def _claim(targets: list[dict[str, Path]], force: bool) -> list[dict[str, Path]]:
    """Each input its own files: an existing name (unless --force) or one an earlier input of
    this run takes (a/函.yaml and b/函.yaml, or one input given twice) gets 函-2.pdf."""
    taken: set[Path] = set()
    out = []
    for target in targets:
        clash = any(p.resolve() in taken for p in target.values())
        fresh = target if force and not clash else _fresh(target, taken)
        taken |= {p.resolve() for p in fresh.values()}
        out.append(fresh)
    return out


def _fresh(target: dict[str, Path], taken: set[Path] | None = None) -> dict[str, Path]:
    """Never overwrite a document silently: an existing name gets a number, 函-2.pdf, 函-3.pdf…"""
    taken = taken or set()

    def used(p: Path) -> bool:
        return p.exists() or p.resolve() in taken

    if not any(used(p) for p in target.values()):
        return target
    n = 2
    while True:
        candidate = {fmt: p.with_name(f"{p.stem}-{n}{p.suffix}") for fmt, p in target.items()}
        if not any(used(p) for p in candidate.values()):
            names = "、".join(str(p) for p in target.values() if used(p))
            print(
                f"说明：{names} 已存在，未覆盖，另存为 {'、'.join(str(p) for p in candidate.values())}（覆盖请加 --force）",
                file=sys.stderr,
            )
            return candidate
        n += 1


def cmd_render(args: argparse.Namespace) -> int:
    from docgen import outputs
    from docgen.fileio import atomic_write
    from docgen.pipeline import load_prepared, render_prepared

    formats = _formats(args)
    # One output policy (outputs.py): a place that cannot be written is one line, exit 1.
    wanted = _targets(args, formats)
    outputs.require_writable([p for t in wanted for p in t.values()])
    targets = _claim(wanted, args.force)
    outputs.require_writable([p for t in targets for p in t.values()])  # name-2 is longer
    ctx = render_context(args)
    # Check every input before writing anything: each is prepared once (decisions and
    # page plan), and the layout's problems are found here with the input's.
    docs = []
    failures: list = []
    for src in args.inputs:
        try:
            docs.append(load_prepared(src, _with_units(ctx, src, args.units), fill_from(args)))
        except InputError as exc:
            failures += exc.problems
    if failures:
        raise InputError(failures)
    from docgen.proof.gate import print_findings

    for src, prepared in zip(args.inputs, docs):  # 核稿 before writing; stops only with --strict
        print_findings(
            prepared.model,
            src,
            units_file=args.units,
            allow_chars=ctx.profile.allow_chars,
            strict=args.strict,
        )
    status = EXIT_OK
    for src, prepared, target in zip(args.inputs, docs, targets):
        for w in prepared.warnings:
            print(problem_line(w), file=sys.stderr)
        t0 = time.perf_counter()
        try:
            result = render_prepared(prepared, formats, template=ctx.template)
        except InputError as exc:  # a Word template's problems: name the input too
            raise InputError([p.located(str(src)) for p in exc.problems]) from None
        for fmt, data in result.files.items():
            try:
                atomic_write(target[fmt], data)
            except OSError as exc:
                raise outputs.refusal(f"无法写入 {target[fmt]}（{outputs.said(exc)}）") from exc
        for note in result.notes:
            print(f"说明：{src}：{note}", file=sys.stderr)
        pages = f"，{result.pages} 页" if result.pages else ""
        names = "、".join(str(target[f]) for f in result.files)
        print(f"已生成 {names}{pages}（{time.perf_counter() - t0:.2f} 秒）")
    return status


def _with_units(ctx: RenderContext, src: Path, named: Path | None) -> RenderContext:
    """The context with the member units the 核稿 step reads (--units, else member-units.yaml
    beside the input) among the title's terms: a unit's name in a title is never split."""
    import dataclasses

    from docgen.units import find_registry, with_member_names

    path = Path(named) if named else find_registry(Path(src).parent)
    profile = with_member_names(ctx.profile, path)
    return ctx if profile is ctx.profile else dataclasses.replace(ctx, profile=profile)


def cmd_schema(args: argparse.Namespace) -> int:
    from docgen.loader import _KIND_ALIASES
    from docgen.models import KINDS

    kind = _KIND_ALIASES.get(args.kind, args.kind)
    if kind not in KINDS:
        raise UsageError(f"未知文种 {args.kind}；可选：{'、'.join(KINDS)}")
    schema = KINDS[kind].model_json_schema(by_alias=False)
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_fonts(args: argparse.Namespace) -> int:
    from docgen.fonts import describe

    _, fonts = load_context(args)
    print(describe(fonts))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
