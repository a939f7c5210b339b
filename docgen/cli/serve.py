"""`docgen serve`: the workbench in the browser. Registered by docgen.cli at start-up."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path

from docgen.cli.common import EXIT_OK, UsageError, said


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "serve",
        help="启动网页工作台（拟文、纪要与督办、文号），在浏览器中使用",
        description="在本机启动 docgen 工作台并打印其地址。默认只允许本机访问；"
        "--host 0.0.0.0 供局域网使用时需要访问码。",
    )
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机）")
    s.add_argument("--port", type=int, default=8765, help="端口（默认 8765）")
    s.add_argument(
        "--data",
        type=Path,
        help="数据文件夹：草稿、批量生成的文件、文号登记簿（默认为用户数据文件夹，与文号登记簿同处）",
    )
    s.add_argument("--open", action="store_true", help="启动后在浏览器中打开")
    s.add_argument("--access-code", help="访问码（非本机地址时必需；不给则启动时随机生成并显示）")
    s.add_argument(
        "--max-upload-mb", type=float, default=20, help="上传文件大小上限，单位 MB（默认 20）"
    )
    s.add_argument(
        "--keep-hours",
        type=float,
        default=24,
        help="上传的文件和批量生成的结果保留多久，单位小时（默认 24）：自最后一次使用起超过此时长的"
        "在启动时和运行中定期删除；正在生成的任务不删除",
    )
    s.set_defaults(func=cmd_serve)


def _access_code(args: argparse.Namespace) -> str | None:
    from docgen.web.config import is_loopback

    if args.access_code:
        if len(args.access_code) < 6:
            raise UsageError("--access-code 至少 6 个字符")
        return str(args.access_code)
    if is_loopback(args.host):
        return None
    # Eight digits in two groups: easy to read aloud across an office, 10^8 to guess.
    digits = f"{secrets.randbelow(10**8):08d}"
    return f"{digits[:4]}-{digits[4:]}"


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from docgen.web.app import create_app
    except ImportError as exc:  # pragma: no cover - the dependencies are in pyproject
        raise UsageError(f"缺少网页工作台所需的软件包（{exc.name}）：pip install docgen") from exc
    from docgen.web.config import WebConfig, default_data_dir

    if not 1 <= args.port <= 65535:
        raise UsageError("--port 应在 1–65535 之间")
    if args.max_upload_mb <= 0:
        raise UsageError("--max-upload-mb 应为正数")
    if not args.keep_hours > 0:  # also refuses nan
        raise UsageError("--keep-hours 应为正数")
    code = _access_code(args)
    data = args.data or default_data_dir()
    registry = None if args.data else _default_registry()
    config = WebConfig(
        data_dir=data,
        host=args.host,
        port=args.port,
        access_code=code,
        max_upload=int(args.max_upload_mb * 1024 * 1024),
        registry=registry,
        keep_hours=args.keep_hours,
    )
    from docgen.registry import RegistryError

    try:
        app = create_app(config)
    except RegistryError as exc:
        raise UsageError(said(exc)) from exc
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
    url = f"http://{shown_host}:{args.port}/"
    print(f"docgen 工作台：{url}")
    print(f"数据文件夹：{config.data_dir}")
    print(f"文号登记簿：{config.registry_path}")
    if code:
        print(f"访问码：{code}（局域网中其他电脑打开本机地址后输入；或使用 {url}?code={code}）")
    print("按 Ctrl+C 停止。", flush=True)
    if args.open:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    except KeyboardInterrupt:  # pragma: no cover - uvicorn handles Ctrl+C itself
        pass
    return EXIT_OK


def _default_registry() -> Path:
    """The register `docgen batch` and `docgen number` use by default (DOCGEN_REGISTRY too)."""
    from docgen.registry import default_path

    return default_path()


__all__ = ["register"]
