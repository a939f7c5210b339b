#!/usr/bin/env python3
"""The workbench's preview, measured against a real `docgen serve` process over HTTP.

    python tools/bench_web.py              # or: python tools/bench.py --only web
    python tools/bench_web.py --n 300      # fewer previews in the memory run

Three figures, each for the sample 函 (samples/letter-gaoping-18.yaml):
  1. a warm preview of page 1 — POST /api/render?format=png&page=1, i.e. the
     checks, the layout, the PDF and its rasterisation — median and 95th
     percentile of 30 requests; target < 300 ms;
  2. 20 preview requests at once: all must succeed; wall time and slowest;
  3. the server's resident memory (VmRSS of its process) over N = 1,000
     previews; target < 500 MB.
Every request differs (a counter in the 附注), so the server's small render
cache never answers for it: each is a full render.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _model(i: int) -> dict[str, Any]:
    from docgen.loader import read_data

    model = read_data(ROOT / "samples" / "letter-gaoping-18.yaml")
    model["note"] = f"此件公开发布（预览 {i}）"
    return model


def _preview(url: str, model: dict[str, Any]) -> tuple[float, int, int]:
    """(seconds, HTTP status, bytes) of one page-1 preview."""
    body = json.dumps(model, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(
        f"{url}/api/render?format=png&page=1",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        data, status = exc.read(), exc.code
    return time.perf_counter() - t0, status, len(data)


def run(n: int = 1000) -> dict[str, Any]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory(prefix="docgen-bench-web-") as data:
        server = subprocess.Popen(
            [sys.executable, "-m", "docgen", "serve", "--data", data, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/kinds", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            "docgen serve did not start: "
                            + server.stderr.read().decode(errors="replace")  # type: ignore[union-attr]
                        ) from None
                    time.sleep(0.2)
            start_mb = _rss_mb(server.pid)
            for i in range(3):  # the first renders pay for imports and font loading
                _preview(url, _model(-1 - i))
            warm = [_preview(url, _model(i)) for i in range(30)]
            assert all(s == 200 for _, s, _ in warm), [s for _, s, _ in warm]
            times = sorted(t for t, _, _ in warm)

            models = [_model(100 + i) for i in range(20)]
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=20) as pool:
                burst = list(pool.map(lambda m: _preview(url, m), models))
            burst_wall = time.perf_counter() - t0

            peak = _rss_mb(server.pid)
            samples = []
            t0 = time.perf_counter()
            failures = 0
            for i in range(n):
                _, status, _ = _preview(url, _model(1000 + i))
                failures += status != 200
                if i % 25 == 0 or i == n - 1:
                    rss = _rss_mb(server.pid)
                    samples.append(rss)
                    peak = max(peak, rss)
            long_run = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(timeout=20)
    return {
        "warm_ms_median": statistics.median(times) * 1000,
        "warm_ms_p95": times[int(0.95 * (len(times) - 1))] * 1000,
        "warm_ms_min": times[0] * 1000,
        "burst_ok": sum(1 for _, s, _ in burst if s == 200),
        "burst_wall_s": burst_wall,
        "burst_slowest_s": max(t for t, _, _ in burst),
        "n": n,
        "failures": failures,
        "previews_per_s": n / long_run,
        "rss_start_mb": start_mb,
        "rss_peak_mb": peak,
        "rss_end_mb": samples[-1] if samples else peak,
        "rss_samples_mb": [round(x) for x in samples],
    }


def report(r: dict[str, Any]) -> None:
    print(
        f"(w) 网页预览（函第 1 页：检查 + 排版 + PDF + 栅格化，经 HTTP）：中位 {r['warm_ms_median']:.0f} ms，"
        f"95% {r['warm_ms_p95']:.0f} ms，最快 {r['warm_ms_min']:.0f} ms（目标 < 300 ms："
        f"{'达到' if r['warm_ms_median'] < 300 else '未达到'}）"
    )
    print(
        f"    20 个并发预览：成功 {r['burst_ok']}/20，共 {r['burst_wall_s']:.2f} 秒，"
        f"最慢一个 {r['burst_slowest_s']:.2f} 秒"
    )
    print(
        f"    {r['n']} 次预览（{r['previews_per_s']:.1f} 次/秒，失败 {r['failures']}）：服务器内存 "
        f"起始 {r['rss_start_mb']:.0f} MB，峰值 {r['rss_peak_mb']:.0f} MB，结束 {r['rss_end_mb']:.0f} MB"
        f"（目标 < 500 MB：{'达到' if r['rss_peak_mb'] < 500 else '未达到'}）"
    )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1000, help="内存测量的预览次数（默认 1000）")
    ap.add_argument("--json", type=Path, help="把结果另存为 JSON")
    args = ap.parse_args()
    result = run(args.n)
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    ok = result["warm_ms_median"] < 300 and result["burst_ok"] == 20 and result["rss_peak_mb"] < 500
    return 0 if ok and not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
