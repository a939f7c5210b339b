"""Work that reads uploads or lays out documents runs here: in worker processes with limits.

A .docx whose part expands to a gigabyte, or a sheet of 90 MB, once held the
server's only event loop (and its memory) for minutes. Now every import,
check, render, feedback and batch check is sent to one of a few worker
processes (``WorkerPool``), each started with a ceiling on its memory (the
address space, on POSIX) and given a time limit per task. A task over its
limit ends with a Chinese message (``WorkerLimit``), its worker is killed and
a fresh one takes its place, so the memory goes back to the system, and the
server's own threads — pages, health, polling — keep answering.

The tasks a worker may run are the functions in ``docgen.web.tasks`` (by
name, nothing else); arguments and results are plain data.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from docgen.problems import InputError

log = logging.getLogger("docgen.web")

DEFAULT_WORKERS = 2
DEFAULT_MEMORY_MB = 1024  # address space per worker; laying out a long 纪要 needs about half
DEFAULT_SECONDS = 60.0  # per task; a real import or render takes well under 5 s
MAX_WAITING = 16  # tasks queued for a worker beyond this are refused at once ("busy")
RECYCLE_RSS_MB = 600  # a worker that grew past this after a task is replaced (memory returns)
_WATCH_S = 0.25


class WorkerLimit(Exception):
    """A task went over its time or memory limit, or its worker died; said in Chinese."""


class WorkerBusy(Exception):
    """Every worker is busy and the queue is full; said in Chinese."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB
    seconds: float = DEFAULT_SECONDS


# --- the worker process ---------------------------------------------------------------


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent watches the worker's size instead (psutil)
        return
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        log.warning("无法为工作进程设置内存上限")


def _peak_rss_mb() -> float:
    """This worker's own peak resident size, in MB.

    Linux keeps ru_maxrss across exec, so a spawned worker would report its parent's
    peak (a large server or test process: every task then "over its memory"); the
    kernel's VmHWM belongs to this process's own address space, made anew at exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if os.name != "darwin" else peak / (1024 * 1024)


def _serve(conn: Connection, memory_mb: int, tasks: Mapping[str, Callable[..., Any]]) -> None:
    """A worker's life: take a task, answer, until told to stop or asked to recycle itself.

    ``tasks`` is the table of what a worker may be asked to do, given by the pool's owner
    (docgen.web.tasks.TASKS): the pool is a mechanism below the tasks and imports none of
    them (its functions travel by name to a spawned worker, which imports their module)."""
    _limit_memory(memory_mb)
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            function = tasks[name]
            reply: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            reply = ("memory", None)
        except InputError as exc:
            reply = ("input", exc.problems)
        except Exception as exc:
            reply = ("raise", exc)
            # A parser that ran out of memory often says "damaged file" (lxml's syntax error
            # at a failed allocation): near the ceiling, the truth is the memory.
            if _peak_rss_mb() > 0.6 * memory_mb:
                reply = ("memory", None)
        # A worker that ran out of memory, or grew large, answers and goes: its memory
        # returns to the system, and the pool starts a fresh one for the next task.
        leaving = reply[0] == "memory" or _peak_rss_mb() > RECYCLE_RSS_MB
        try:
            payload = pickle.dumps((*reply, leaving))
        except MemoryError:
            payload, leaving = pickle.dumps(("memory", None, True)), True
        except Exception:  # an exception that does not pickle: its words, at least
            words = f"{type(reply[1]).__name__}：{str(reply[1])[:300]}"
            payload = pickle.dumps(("failed", words, leaving))
        conn.send_bytes(payload)
        if leaving:
            return


# --- the pool, in the server ------------------------------------------------------------


class _Worker:
    def __init__(self, memory_mb: int, tasks: Mapping[str, Callable[..., Any]]):
        ctx = multiprocessing.get_context("spawn")  # the same on Windows; no forked threads
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(child, memory_mb, dict(tasks)), name="docgen-worker", daemon=True
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(timeout=5)
        except (OSError, ValueError):
            pass
        self.conn.close()

    def rss_mb(self) -> float:
        try:
            import psutil  # optional: Windows has no rlimit
        except ImportError:
            return 0.0
        try:
            return float(psutil.Process(self.process.pid).memory_info().rss) / (1024 * 1024)
        except Exception:
            return 0.0


class WorkerPool:
    """A fixed number of worker processes; ``run`` blocks the calling thread, never the loop."""

    def __init__(
        self,
        tasks: Mapping[str, Callable[..., Any]],
        size: int = DEFAULT_WORKERS,
        memory_mb: int = DEFAULT_MEMORY_MB,
        seconds: float = DEFAULT_SECONDS,
    ):
        self.tasks = tasks
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self.seconds = seconds
        self._idle: list[_Worker] = []
        self._started = 0
        self._cond = threading.Condition()
        self._waiting = 0
        self._closed = False

    def _take(self) -> _Worker:
        with self._cond:
            if self._waiting >= MAX_WAITING:
                raise WorkerBusy("服务器正忙（排队的任务太多），请稍后再试")
            self._waiting += 1
            try:
                while True:
                    while self._idle:
                        worker = self._idle.pop()
                        if worker.process.is_alive():
                            return worker
                        # Died while idle (the system ended it): not this request's fault.
                        worker.kill()
                        self._started -= 1
                    if self._started < self.size:
                        break
                    self._cond.wait()
                self._started += 1
            finally:
                self._waiting -= 1
        try:
            return _Worker(self.memory_mb, self.tasks)
        except Exception:
            with self._cond:
                self._started -= 1
                self._cond.notify()
            raise

    def _give_back(self, worker: _Worker | None) -> None:
        with self._cond:
            if worker is None or self._closed:
                self._started -= 1
            else:
                self._idle.append(worker)
            self._cond.notify()
        if worker is not None and self._closed:
            worker.kill()

    def run(self, task: str, *args: Any, limits: Limits | None = None) -> Any:
        """The result of ``tasks.TASKS[task](*args)`` in a worker; its exception re-raised here."""
        limits = limits or Limits(self.memory_mb, self.seconds)
        worker = self._take()
        try:
            reply = self._exchange(worker, task, args, limits)
        except BaseException:
            worker.kill()
            self._give_back(None)  # a fresh worker is started by the next task that needs one
            raise
        if reply[2] or not worker.process.is_alive():
            worker.kill()
            self._give_back(None)
        else:
            self._give_back(worker)
        return self._unwrap(reply)

    def _exchange(self, worker: _Worker, task: str, args: tuple[Any, ...], limits: Limits) -> Any:
        try:
            worker.conn.send((task, args))
        except (OSError, ValueError) as exc:
            raise WorkerLimit("处理进程意外退出，请重试") from exc
        deadline = time.monotonic() + limits.seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerLimit(
                    f"处理时间超过 {limits.seconds:g} 秒，已停止；"
                    "文件是否过大或损坏？请检查后重试（可另存为新文件）"
                )
            if worker.conn.poll(min(_WATCH_S, left)):
                break
            if worker.rss_mb() > limits.memory_mb:  # where no address-space limit exists
                raise WorkerLimit(self._memory_message(limits))
            if not worker.process.is_alive():
                break
        try:
            payload = worker.conn.recv_bytes()
        except (EOFError, OSError) as exc:
            raise WorkerLimit(
                f"处理时用尽了内存（上限 {limits.memory_mb} MB）或处理进程意外退出；"
                "文件是否过大或损坏？"
            ) from exc
        reply = pickle.loads(payload)
        if reply[0] == "memory":
            raise WorkerLimit(self._memory_message(limits))
        return reply

    @staticmethod
    def _memory_message(limits: Limits) -> str:
        return (
            f"处理所需内存超过上限（{limits.memory_mb} MB），已停止；"
            "文件是否过大（如解压后极大的表格或文档）？请检查后重试"
        )

    @staticmethod
    def _unwrap(reply: tuple[str, Any, bool]) -> Any:
        kind, value, _leaving = reply
        if kind == "ok":
            return value
        if kind == "input":
            raise InputError(value)
        if kind == "raise":
            raise value
        raise WorkerLimit(f"处理时出错（{value}）；请把此消息告诉管理员")

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()
