"""`docgen supervise …`: the 督办 ledger from the command line, a thin layer over
docgen.supervision.api. Registered by docgen.cli at start-up."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.cli.common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, problem_line, said

SOON_MARK = "临期"


def _refusals() -> tuple[type[BaseException], ...]:
    from docgen.ledger.store import LedgerError
    from docgen.registry import RegistryError

    return (UsageError, LedgerError, RegistryError)


def _guard(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A refusal (unknown number, busy or damaged ledger, bad option) is one line, exit 2;
    an input file's problems are listed by main() with exit 1."""

    def run(args: argparse.Namespace) -> int:
        from docgen.problems import InputError

        try:
            return fn(args)
        except _refusals() as exc:
            print(f"用法错误：{said(exc)}", file=sys.stderr)
            return EXIT_USAGE
        except InputError as exc:
            for p in exc.problems:
                print(problem_line(p), file=sys.stderr)
            return EXIT_INVALID

    return run


def _date(text: str | None, flag: str) -> dt.date | None:
    from docgen.models.parts import parse_cn_date

    if not text:
        return None
    try:
        value = parse_cn_date(text)
    except ValueError as exc:
        raise UsageError(f"{flag} {text}：{exc}") from None
    if not isinstance(value, dt.date):
        raise UsageError(f"{flag} {text}：请写成 2025-09-30 或 2025年9月30日")
    return value


def _subcommand(
    ss: argparse._SubParsersAction,
    name: str,
    func: Callable[[argparse.Namespace], int],
    *,
    number: bool = False,
    output: str | None = None,
    as_of: str | None = None,
    as_of_required: bool = False,
    date: str | None = None,
    meeting: str | None = None,
    force: bool = False,
    **about: Any,
) -> argparse.ArgumentParser:
    """A subcommand with the options several of them take, each with the help this one
    gives it (None: it takes no such option), and --registry, which all take.

    ``about`` is add_parser's help and description; the caller adds its own options.
    """
    p = ss.add_parser(name, **about)
    if number:
        p.add_argument("number", help="督办单编号")
    if output:
        p.add_argument("-o", "--output", required=True, type=Path, help=output)
    if as_of:
        p.add_argument("--as-of", required=as_of_required, help=as_of)
    if date:
        p.add_argument("--date", help=date)
    if meeting:
        p.add_argument("--meeting", help=meeting)
    if force:
        p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument(
        "--registry",
        type=Path,
        help="台账所在的文号登记簿（SQLite 文件）；默认用户数据文件夹，或环境变量 DOCGEN_REGISTRY",
    )
    p.set_defaults(func=_guard(func))
    return p


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "supervise",
        help="督办台账：查看、记录反馈、催办、通报、导出",
        description="督办台账与文号登记簿在同一个 SQLite 文件中（--registry）。",
    )
    ss = s.add_subparsers(title="supervise 命令")

    ls = _subcommand(
        ss,
        "list",
        cmd_list,
        as_of="按哪一天计算逾期（默认今天），如 2025-10-08",
        meeting="只列此会议的事项（会议名称）",
        help="列出督办事项：逾期标红，7 日内到期标“临期”，附按状态、单位的统计",
    )
    ls.add_argument("--unit", help="只列此承办单位")
    ls.add_argument("--status", help="只列此状态：已发出、已签收、办理中、已办结、逾期、未办结")
    ls.add_argument("--json", action="store_true", help="输出 JSON（供其他程序使用）")

    fb = _subcommand(
        ss,
        "feedback",
        cmd_feedback,
        date="反馈日期（默认今天）",
        help="记录单位反馈：交回的督办单（.docx）、反馈表（.csv/.xlsx），或电话反馈（--number --text）",
        description="反馈表的列：编号、办理情况、是否办结（是/否）、反馈日期，其他列作为备注保留。"
        "每个文件要么全部记录，要么（有错时）一条也不记录；同一文件再次交来不会重复记录。",
    )
    fb.add_argument("files", nargs="*", type=Path, help="交回的督办单 .docx，或反馈表 .csv/.xlsx")
    fb.add_argument("--number", help="电话反馈：督办单编号，如 高文联办督〔2025〕3号")
    fb.add_argument("--text", help="电话反馈：办理情况")
    fb.add_argument("--done", action="store_true", help="电话反馈：已办结（由办公室确认）")
    fb.add_argument("--signer", default="", help="电话反馈：反馈人（签收人）")
    fb.add_argument(
        "--meeting",
        type=Path,
        help="会议文件：按其 supervision: 中的 future_feedback 处理晚于今天的反馈日期（默认拒绝）",
    )

    ro = _subcommand(
        ss,
        "reopen",
        cmd_reopen,
        number=True,
        date="日期（默认今天）",
        help="重新打开已办结的事项（如领导进一步批示）",
    )
    ro.add_argument("--reason", required=True, help="原因，如 领导批示要求补充整改")

    ex = _subcommand(
        ss,
        "extend",
        cmd_extend,
        number=True,
        date="批准日期（默认今天）",
        help="登记经批准的延期：新的完成时限起算逾期，原时限留在记录中",
    )
    ex.add_argument("--to", required=True, help="新的完成时限，如 2025-12-31")
    ex.add_argument("--reason", required=True, help="延期理由及批准情况")

    rm = _subcommand(
        ss,
        "remind",
        cmd_remind,
        output="输出文件夹",
        as_of="按哪一天计算逾期，如 2025-10-08（也是催办单日期）",
        as_of_required=True,
        help="为逾期未办结（及 --due-within 天内到期）的事项生成督办事项催办单（PDF 与 Word），附清单",
        description="催办单另行编号（--code、会议文件 supervision.remind_code，或由督办单代字而来）；"
        "分级：临近时限为“提醒”，逾期为“催办”，逾期超过 red_head_days（默认 30）天为“红头催办”。"
        "同一天再次运行不会重复发出。",
    )
    rm.add_argument("--due-within", type=int, help="同时为 N 天内到期的事项发“提醒”")
    rm.add_argument(
        "--code",
        help="催办单编号的机关代字；默认取会议文件 supervision.remind_code，"
        "再默认把督办单代字的“督”换成“催”（高文联办督 → 高文联办催）",
    )
    # A meeting *file* here (the reminder settings), unlike the other commands' --meeting.
    rm.add_argument("--meeting", type=Path, help="会议文件：读取 supervision: 中的催办设置")
    rm.add_argument("--meeting-name", help="只催办此会议的事项（会议名称）")
    rm.add_argument("--format", default="pdf,docx", help="pdf、docx、ofd 或其组合（默认 pdf,docx）")
    rm.add_argument("--jobs", type=int, default=0, help="并行进程数（默认等于 CPU 核数）")
    rm.add_argument("--ascii-names", action="store_true", help="文件名用拼音（仅 ASCII 字符）")

    rp = _subcommand(
        ss,
        "report",
        cmd_report,
        output="输出文件（.pdf 或 .docx）",
        as_of="截至哪一天，如 2025-10-08（也是成文日期）",
        as_of_required=True,
        meeting="只通报此会议的事项（会议名称）",
        force=True,
        help="生成督办情况通报（文件格式：版头、文号、标题、正文、条形图，附件为事项一览表）",
        description="通报另行编号（--code，默认把督办单代字的“督”换成“通”，如 高文联办通）；"
        "同一天再次生成沿用同一文号。",
    )
    rp.add_argument("--format", default=None, help="pdf、docx、ofd 或其组合；默认按 -o 的扩展名")
    rp.add_argument("--code", help="通报编号的机关代字，如 高文联办通")
    rp.add_argument("--issuer", help="发文机关（默认为督办单上的督办机关）")
    rp.add_argument("--to", action="append", help="主送机关（可多次使用；默认 联席会议各成员单位）")
    rp.add_argument(
        "--all",
        dest="every",
        action="store_true",
        help="附件一览表列出全部事项（默认只列未办结的事项）",
    )

    _subcommand(
        ss,
        "export",
        cmd_export,
        output="输出文件（.xlsx）",
        as_of="按哪一天标注逾期（默认今天）",
        meeting="只导出此会议的事项（会议名称）",
        force=True,
        help="导出督办台账 .xlsx：每次会议一张表（冻结表头、筛选、状态着色、逾期标红）和汇总表（含图表）",
    )

    s.set_defaults(func=lambda _a: (s.print_help(), EXIT_USAGE)[1])


# --- feedback and the office's decisions -------------------------------------------


def _say_recorded(r: dict[str, Any]) -> None:
    name = r["file"]
    if r["already"]:
        print(f"{name}：这份文件已于 {r['already'][:10]} 记录过，未重复记录")
        return
    dup = f"，{r['duplicates']} 条此前已记录" if r["duplicates"] else ""
    closed = f"；已办结：{'、'.join(r['closed'])}" if r["closed"] else ""
    print(f"{name}：记录反馈 {r['recorded']} 条{dup}{closed}")
    for note in r["notes"]:
        print(f"说明：{note}", file=sys.stderr)


def cmd_feedback(args: argparse.Namespace) -> int:
    from docgen.supervision import api

    date = _date(args.date, "--date")
    future = _future_policy(args.meeting)
    phone = args.number or args.text
    if phone and args.files:
        raise UsageError("文件与 --number/--text 不能同时使用：电话反馈请单独记录")
    if phone:
        if not (args.number and args.text):
            raise UsageError("电话反馈需要同时给出 --number 和 --text")
        _say_recorded(
            api.record_phone_feedback(
                args.number,
                args.text,
                done=args.done,
                date=date,
                signed_by=args.signer,
                registry=args.registry,
                future=future,
            )
        )
        return EXIT_OK
    if not args.files:
        raise UsageError("请给出反馈文件（.docx/.csv/.xlsx），或用 --number 和 --text 记录电话反馈")
    if args.done:
        raise UsageError("--done 只用于电话反馈；反馈表请在“是否办结”列填 是")
    status = EXIT_OK
    for r in api.record_feedback(list(args.files), args.registry, today=date, future=future):
        if r["problems"]:
            status = EXIT_INVALID
            for line in r["problems"]:
                print(line, file=sys.stderr)
            print(f"{r['file']}：有错误，本文件未记录任何内容", file=sys.stderr)
            continue
        _say_recorded(r)
    return status


def _future_policy(meeting: Path | None) -> str:
    """The office's choice for feedback dated after today: "refuse" unless its meeting file says."""
    if meeting is None:
        return "refuse"
    from docgen import loader
    from docgen.items import pop_settings

    if not meeting.is_file():
        raise UsageError(f"找不到会议文件 {meeting}")
    return pop_settings(loader.read_data(meeting), str(meeting)).future_feedback


def cmd_reopen(args: argparse.Namespace) -> int:
    from docgen.supervision import api

    n = api.reopen(
        args.number, args.reason, date=_date(args.date, "--date"), registry=args.registry
    )
    print(f"{n['number']}（{n['unit']}）已重新打开，状态：{n['status']}")
    return EXIT_OK


def cmd_extend(args: argparse.Namespace) -> int:
    from docgen.supervision import api

    to = _date(args.to, "--to")
    assert to is not None
    n = api.extend(
        args.number, to, args.reason, date=_date(args.date, "--date"), registry=args.registry
    )
    print(
        f"{n['number']}（{n['unit']}）完成时限延至 {n['deadline']}"
        f"（原时限 {n['original_deadline'] or '未定'}，保留在记录中）"
    )
    return EXIT_OK


# --- remind --------------------------------------------------------------------------


def cmd_remind(args: argparse.Namespace) -> int:
    from docgen.cli.batch import _formats
    from docgen.supervision import api

    as_of = _date(args.as_of, "--as-of")
    assert as_of is not None
    if args.due_within is not None and args.due_within < 0:
        raise UsageError("--due-within 应为 0 或正整数（天数）")
    if args.meeting is not None and not args.meeting.is_file():
        raise UsageError(f"找不到会议文件 {args.meeting}")
    r = api.remind(
        as_of,
        args.output,
        args.registry,
        due_within=args.due_within,
        code=args.code,
        meeting_file=args.meeting,
        meeting=args.meeting_name,
        formats=_formats(args.format),
        jobs=args.jobs,
        ascii_names=args.ascii_names,
        derive_code=True,
    )
    already = r["already"]
    for note in r["notes"]:
        print(note, file=sys.stderr)
    if r["resumed"]:
        numbers = [row["number"] for row in r["resumed"]]
        span = f"{numbers[0]} 至 {numbers[-1]}" if len(numbers) > 1 else numbers[0]
        print(f"上次中断，补发 {len(numbers)} 份（{span}，日期、编号不变）")
    if not r["issued"]:
        said = f"（已发 {len(already)} 份：{already[0]} 等）" if already else ""
        none = "" if r["resumed"] else "；未生成任何文件"
        print(f"{as_of.isoformat()} 没有需要新发的催办单{said}{none}")
        return EXIT_OK
    grades: dict[str, int] = {}
    for row in r["issued"]:
        grades[row["grade"]] = grades.get(row["grade"], 0) + 1
    numbers = [row["number"] for row in r["issued"]]
    span = f"{numbers[0]} 至 {numbers[-1]}" if len(numbers) > 1 else numbers[0]
    split = "，".join(f"{g} {k} 份" for g, k in grades.items())
    print(f"已生成催办单 {len(numbers)} 份（{span}；{split}），用时 {r['seconds']:.1f} 秒")
    if already:
        print(f"此前已为 {as_of.isoformat()} 发过 {len(already)} 份，未重复发出")
    print(f"输出文件夹：{args.output}　清单：{Path(r['manifest']).name}")
    return EXIT_OK


# --- report and export ---------------------------------------------------------------


def _free(path: Path, force: bool) -> Path:
    """An existing file is never overwritten silently: 通报-2.pdf unless --force."""
    from docgen.outputs import free_path

    fresh = free_path(path, force)
    if fresh == path:
        return path
    print(f"说明：{path} 已存在，未覆盖，另存为 {fresh}（覆盖请加 --force）", file=sys.stderr)
    return fresh


def cmd_report(args: argparse.Namespace) -> int:
    from docgen import outputs
    from docgen.cli.common import FORMATS
    from docgen.supervision import api

    as_of = _date(args.as_of, "--as-of")
    assert as_of is not None
    out: Path = args.output
    into = outputs.means_folder(out)  # -o 通报/ : inside it, under the report's own name
    if not into and out.suffix and out.suffix.lower() not in (".pdf", ".docx", ".ofd"):
        raise UsageError(f"-o {out}：通报只能写成 .pdf、.docx 或 .ofd 文件（或写一个文件夹名）")
    if args.format:
        formats = tuple(
            dict.fromkeys(f.strip().lower() for f in args.format.split(",") if f.strip())
        )
        if not formats or any(f not in FORMATS for f in formats):
            raise UsageError(
                f"--format 只能是 pdf、docx、ofd 或其组合，如 pdf,ofd（现为 {args.format}）"
            )
    elif not into and out.suffix.lower() in (".pdf", ".docx", ".ofd"):
        formats = (out.suffix.lower()[1:],)
    else:
        formats = ("pdf",)
    if into:
        base = out / f"督办情况通报-{as_of.isoformat()}"
    else:
        base = out.with_suffix("") if out.suffix.lower() in (".pdf", ".docx", ".ofd") else out
    targets: dict[str, str | Path] = {
        f: _free(base.with_suffix(f".{f}"), args.force) for f in formats
    }
    r = api.report(
        as_of,
        targets,
        args.registry,
        meeting=args.meeting,
        code=args.code,
        issuer=args.issuer,
        recipients=args.to,
        every=args.every,
    )
    for note in r["notes"]:
        print(f"说明：{note}", file=sys.stderr)
    if r["resumed"]:
        print(f"上次中断，补发 {len(r['resumed'])} 份：{'、'.join(r['resumed'])}")
    g = r["counts"]["by_group"]
    print(
        f"已生成 {r['number']}《{r['title']}》：{'、'.join(r['files'].values())}"
        f"（议定事项{r['counts']['total']}项，已办结{g['已办结']}项，正在办理{g['正在办理']}项，"
        f"逾期未办结{g['逾期未办结']}项）"
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from docgen import outputs
    from docgen.supervision import api

    output: Path = args.output
    if outputs.means_folder(output):  # -o 文件夹/ : inside it
        day = _date(args.as_of, "--as-of") or dt.date.today()
        output = output / f"督办台账-{day.isoformat()}.xlsx"
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"-o {args.output}：台账应导出为 .xlsx 文件（或写一个文件夹名）")
    target = _free(output, args.force)
    r = api.export(target, args.registry, as_of=_date(args.as_of, "--as-of"), meeting=args.meeting)
    c = r["counts"]
    print(
        f"已导出 {r['file']}：{len(r['meetings'])} 次会议、{c['total']} 份督办单"
        f"（逾期未办结 {c['overdue']} 项）"
    )
    return EXIT_OK


# --- list ----------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from docgen.supervision.api import list_notices

    as_of = _date(args.as_of, "--as-of") or dt.date.today()
    data = list_notices(
        args.registry, as_of=as_of, unit=args.unit, status=args.status, meeting=args.meeting
    )
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    print_list(data, as_of)
    return EXIT_OK


def _fit(text: str, width: int) -> str:
    """Cut to ``width`` terminal cells (a Chinese character takes two), with … when cut; pad."""
    from rich.cells import cell_len

    text = " ".join(text.split())
    if cell_len(text) > width:
        out, used = [], 0
        for ch in text:
            w = cell_len(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - cell_len(text))


def _table(
    title: str, headers: list[str], rows: list[tuple[list[str], str | None]], widths: list[int]
) -> Any:
    """A boxed table as one styled text: rich's Table measures every cell again and takes
    about half a millisecond a row, too slow for a ledger of ten thousand notices."""
    from rich.text import Text

    def line(cells: list[str]) -> str:
        return "│ " + " │ ".join(_fit(c, w) for c, w in zip(cells, widths)) + " │\n"

    rule = "─" * (sum(widths) + 3 * len(widths) + 1)
    out = Text()
    out.append(f"{title}\n", style="bold")
    out.append("┌" + rule[1:-1] + "┐\n")
    out.append(line(headers), style="bold")
    out.append("├" + rule[1:-1] + "┤\n")
    for cells, style in rows:
        out.append(line(cells), style=style)
    out.append("└" + rule[1:-1] + "┘\n")
    return out


def print_list(data: dict[str, Any], as_of: dt.date) -> None:
    """The notices as a terminal table (overdue red, due within 7 days yellow and marked
    临期), then the counts per status and per unit."""
    from rich.cells import cell_len
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160  # a file or a pipe: no window to fit
    rows = data["notices"]
    c = data["counts"]
    if not rows:
        console.print(f"（没有符合条件的督办事项；截至 {as_of.isoformat()}）")
        return
    headers = ["编号", "承办单位", "完成时限", "状态", "逾期/临期", "督办事项", "最新办理情况"]
    widths = [
        max(cell_len(n["number"]) for n in rows),
        min(20, max(cell_len(n["unit"]) for n in rows)),
        10,
        6,
        10,
    ]
    room = console.width - sum(widths) - 3 * 7 - 1
    if room >= 60:  # wide enough for the latest feedback too
        widths += [room * 3 // 5, room - room * 3 // 5]
    else:  # a narrow window (Windows' console is 120 wide): the feedback column goes
        headers.pop()
        widths.append(max(12, room + 3))
    body = []
    for n in rows:
        if n["overdue"]:
            flag, style = f"逾期{n['days_overdue']}天", "bold red"
        elif n["due_soon"]:
            days = (dt.date.fromisoformat(n["deadline"]) - as_of).days
            flag, style = f"{SOON_MARK}{days}天", "yellow"
        else:
            flag, style = "", None
        cells = [n["number"], n["unit"], n["deadline"] or "", n["status"], flag, n["matter"]]
        if len(headers) == 7:
            cells.append(n["last_feedback"])
        body.append((cells, style))
    console.print(
        _table(f"督办事项（截至 {as_of.isoformat()}，共 {len(rows)} 项）", headers, body, widths),
        soft_wrap=True,
        end="",
    )
    statuses = "，".join(f"{k} {v}" for k, v in c["by_status"].items())
    console.print(
        f"共 {c['total']} 项：{statuses}；其中逾期未办结 {c['overdue']} 项，"
        f"7 日内到期 {c['due_soon']} 项",
        soft_wrap=True,
    )
    names = list(next(iter(c["by_unit"].values())))
    unit_w = max(8, max(cell_len(u) for u in c["by_unit"]))
    unit_rows = [
        ([u, *(str(v) for v in counts.values())], "red" if counts["逾期未办结"] else None)
        for u, counts in c["by_unit"].items()
    ]
    console.print(
        _table(
            "按承办单位",
            ["承办单位", *names],
            unit_rows,
            [unit_w, *(max(4, cell_len(k)) for k in names)],
        ),
        soft_wrap=True,
        end="",
    )


__all__ = ["register"]
