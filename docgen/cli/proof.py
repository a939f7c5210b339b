"""The text checks on the command line: ``docgen check``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.cli.common import EXIT_INVALID, EXIT_OK, UsageError, problem_line
from docgen.importer.checked import fill_from
from docgen.problems import InputError, Problem

if TYPE_CHECKING:
    from docgen.proof.finding import Finding

# docgen.proof (its checks, word lists and jieba) loads when a command proofreads, not
# whenever the parser is built: `docgen batch` leaves its 核稿 to a worker process.


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="提醒也算错误（退出码 1）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出全部问题，供其他程序读取")
    p.add_argument(
        "--units", type=Path, help="成员单位名录（默认为输入文件旁的 member-units.yaml）"
    )
    p.add_argument("--profile", type=Path, help="本单位版式配置（allow_chars：允许的字）")
    p.add_argument(
        "--fix",
        action="store_true",
        help="写出改正后的副本：繁体→简体、半角标点→全角、单位别称→规范名称",
    )
    p.add_argument("-o", "--output", type=Path, help="--fix 的输出文件")
    p.add_argument("--in-place", action="store_true", help="--fix 时直接改写输入文件")
    p.add_argument("--force", action="store_true", help="--fix 的输出文件已存在时覆盖")


def allowed_chars(profile_path: Path | None) -> str:
    from docgen.profile import load_profile
    from docgen.spec import ProfileError

    try:
        return load_profile(profile_path).allow_chars
    except ProfileError as exc:
        raise InputError([Problem(str(exc))]) from exc


def _problem_json(p: Problem) -> dict[str, Any]:
    return {
        "check": "input",
        "severity": p.severity,
        "level": "错误" if p.severity == "error" else "提醒",
        "file": p.file,
        "field": p.field,
        "row": p.row,
        "paragraph": None,
        "offset": None,
        "quote": "",
        "message": p.message,
        "suggestion": "",
        "fixable": False,
    }


def _check_ofd(src: Path, as_json: bool, records: list[dict[str, Any]]) -> bool:
    """Print what is wrong with an OFD package (GB/T 33190 schemas, embedded files); True if anything."""
    from docgen.render.ofd.schemas import validate

    found = validate(src)
    if as_json:
        records += [{"file": str(src), "level": "error", "message": m} for m in found]
    else:
        for m in found:
            print(f"错误：{m}", file=sys.stderr)
        if not found:
            print(f"{src}：OFD 各部件均符合 GB/T 33190 的 XML 模式，字体与图像均在包内")
    return bool(found)


def cmd_check(args: argparse.Namespace) -> int:
    from docgen.pipeline import load_checked
    from docgen.proof import load_units, proofread

    if args.fix and not (args.output or args.in_place):
        raise _usage("--fix 需要 -o 输出文件，或 --in-place 改写输入文件")
    if (args.output or args.in_place) and not args.fix:
        raise _usage("-o 和 --in-place 只与 --fix 一起使用")
    if args.output and args.in_place:
        raise _usage("--in-place 改写输入文件，-o 另写一个文件：两者只能选一个")
    if args.fix and len(args.inputs) != 1:
        raise _usage("--fix 一次只能改一个输入文件")
    if args.fix and args.inputs[0].suffix.lower() not in (".yaml", ".yml", ".json"):
        raise _usage("--fix 只改 YAML/JSON 输入；草稿请先用 docgen import 转为 YAML")
    if args.fix and args.output and args.output.resolve() == args.inputs[0].resolve():
        raise _usage("-o 与输入文件相同：要改写输入文件请用 --in-place")
    if args.fix and args.output:  # where the copy goes, checked before anything is read
        args.output, note = _fix_target(args.inputs[0], args.output, args.force)
        if note:
            print(f"{note}（覆盖请加 --force）", file=sys.stderr)
    allow = allowed_chars(args.profile)
    status = EXIT_OK
    records: list[dict[str, Any]] = []
    for src in args.inputs:
        if (
            src.suffix.lower() == ".ofd"
        ):  # a package made by any writer: checked against the schemas
            if _check_ofd(src, args.json, records):
                status = EXIT_INVALID
            continue
        try:
            units = load_units(src, args.units)
            if args.fix:
                src = _fix(src, args, units, allow)
            doc, problems = load_checked(src, fill_from(args))
        except InputError as exc:
            status = EXIT_INVALID
            # The input does not make a document, but its text can still be proof-read.
            findings = _raw_findings(src, args, allow)
            if args.json:
                records += [_problem_json(p) for p in exc.problems]
                records += [f.to_json() for f in findings]
            else:
                for p in exc.problems:
                    print(problem_line(p), file=sys.stderr)
                for f in findings:
                    print(f)
            continue
        findings = proofread(doc, file=str(src), units=units, allow_chars=allow)
        bad = _counts(problems, findings, args.strict)
        if bad:
            status = EXIT_INVALID
        if args.json:
            records += [_problem_json(p) for p in problems]
            records += [f.to_json() for f in findings]
            continue
        # The input's own problems where they always were (stderr); the 核稿 report on stdout.
        for p in problems:
            print(problem_line(p), file=sys.stderr)
        for f in findings:
            print(f)
        said: list[Problem | Finding] = [*problems, *findings]
        n_err = sum(1 for x in said if x.severity == "error")
        n_warn = len(problems) + len(findings) - n_err
        if not n_err and not n_warn:
            print(f"{src}：检查通过")
        elif not bad:
            print(f"{src}：检查通过（{n_warn} 条提醒）")
        else:
            print(f"{src}：{n_err} 处错误，{n_warn} 条提醒")
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    return status


def _raw_findings(src: Path, args: argparse.Namespace, allow: str) -> list[Finding]:
    from docgen.loader import read_data
    from docgen.proof import load_units, proofread_spots, raw_spots

    try:
        raw = read_data(src)
        units = load_units(src, args.units)
    except InputError:
        return []
    return proofread_spots(raw_spots(raw), file=str(src), units=units, allow_chars=allow)


def _counts(problems: list[Problem], findings: list[Finding], strict: bool) -> bool:
    items: list[Problem | Finding] = [*problems, *findings]
    return any(x.severity == "error" or strict for x in items)


def _usage(msg: str) -> Exception:
    return UsageError(msg)


def _fix(src: Path, args: argparse.Namespace, units: Any, allow: str) -> Path:
    """Write the fixed copy, print each change, and return the file to check next."""
    from docgen.fileio import atomic_write
    from docgen.loader import read_data
    from docgen.proof import fix_text, raw_spots
    from docgen.proof.fix import fix_file
    from docgen.proof.units import issuer_names

    own = issuer_names(raw_spots(read_data(src)))  # the 发文机关 is written in full by rule
    target, mode = _in_place_target(src) if args.in_place else (args.output, None)
    data, changes = fix_file(src, lambda s: fix_text(s, units=units, allow_chars=allow, own=own))
    try:
        atomic_write(target, data, mode=mode)
    except OSError as exc:  # e.g. --in-place in a folder that cannot be written
        from docgen import outputs

        raise InputError([Problem(f"无法写入（{outputs.said(exc)}）", file=str(target))]) from exc
    out = sys.stderr if args.json else sys.stdout
    for field, before, after in changes:
        print(f"已改正：{src}，{field}：“{before}”→“{after}”", file=out)
    print(f"已写出 {target}（{len(changes)} 处改正）", file=out)
    return target


def _fix_target(src: Path, output: Path, force: bool) -> tuple[Path, str]:
    """-o of --fix under the one output policy: a folder means inside it (same name)."""
    from docgen import outputs

    exts = (".json",) if src.suffix.lower() == ".json" else (".yaml", ".yml")
    return outputs.single_target(output, src.name, exts, force, "改正后的文件")


def _in_place_target(src: Path) -> tuple[Path, int]:
    """The file --in-place rewrites and the mode it keeps.

    A link is followed to its target (replacing the link with a file would
    leave the target unfixed); a read-only file is refused, since it was
    made read-only on purpose and rewriting it would drop that.
    """
    import os
    import stat

    target = Path(os.path.realpath(src))
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise InputError([Problem("文件是只读的，未作改动（要改正请先取消只读）", file=str(src))])
    return target, mode
