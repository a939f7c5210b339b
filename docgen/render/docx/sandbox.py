"""Jinja for an office's own Word templates: no code, no surprise, bounded time and memory.

A custom template is a file someone made, perhaps carelessly, perhaps not.
Jinja's sandbox already keeps it away from Python; this adds:

- strict placeholders: ``{{ titel }}`` (misspelt) is an error naming it, not
  an empty place in a document that goes out; ``{% if x %}`` on a missing
  value is simply false, as template writers expect;
- bounded work: string and list products, ``%`` formatting, and any call or
  filter given a size above :data:`MAX_SIZE` are refused before they
  allocate; output is capped at :data:`MAX_OUTPUT`; a render running longer
  than :data:`MAX_SECONDS` (nested loops) is stopped; self-calling macros
  end in Python's recursion limit — all said in Chinese.
"""

from __future__ import annotations

import ctypes
import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_SIZE = 1_000_000  # characters or items one operation may produce
MAX_OUTPUT = 20_000_000  # characters of one rendered part
MAX_SECONDS = 5.0  # one document's template; the official ones take milliseconds

_WIDTH = re.compile(r"%[-#0 +]*(\d+)|\.(\d+)|\{[^}]*?:[^}]*?(\d{4,})")


class TemplateLimit(Exception):
    """A template went beyond what a document needs (time, size, recursion); said in Chinese."""


class _Undefined(StrictUndefined):
    """Printing or iterating a name the context lacks fails; testing it is simply false."""

    # jinja2's stubs type StrictUndefined.__bool__ as the failing method it is there.
    def __bool__(self) -> bool:  # type: ignore[override]
        return False


def _too_big(value: Any) -> bool:
    try:
        return len(value) > MAX_SIZE
    except TypeError:
        return False


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for a in (*args, *kwargs.values()):
        if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_SIZE:
            raise SecurityError(f"数值 {a} 过大")
        if isinstance(a, str) and _huge_width(a):
            raise SecurityError("格式宽度过大")


def _huge_width(fmt: str) -> bool:
    for m in _WIDTH.finditer(fmt):
        for g in m.groups():
            if g and int(g) > MAX_SIZE:
                return True
    return False


def _bounded(func: Any) -> Any:
    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context and the like)
    def run(*args: Any, **kwargs: Any) -> Any:
        _check_args(args[1:] if args else args, kwargs)
        if args and isinstance(args[0], str) and _huge_width(args[0]):
            raise SecurityError("格式宽度过大")
        out = func(*args, **kwargs)
        if _too_big(out):
            raise SecurityError("结果过大")
        return out

    return run


class GuardedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(undefined=_Undefined, **kwargs)
        self.filters = {name: _bounded(f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise SecurityError("乘方过大")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and hasattr(seq, "__len__") and len(seq) * n > MAX_SIZE:
                    raise SecurityError("重复次数过多")
        if operator == "%" and isinstance(left, str) and _huge_width(left):
            raise SecurityError("格式宽度过大")
        out = super().call_binop(context, operator, left, right)
        if _too_big(out):
            raise SecurityError("结果过大")
        return out

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_args(args, kwargs)
        if getattr(__obj, "__name__", "") in ("format", "format_map") and isinstance(
            getattr(__obj, "__self__", None), str
        ):
            if _huge_width(__obj.__self__):
                raise SecurityError("格式宽度过大")
        out = super().call(__context, __obj, *args, **kwargs)
        if _too_big(out):
            raise SecurityError("结果过大")
        return out


# --- the time limit ---------------------------------------------------------------------


class _Timeout(BaseException):
    """Raised inside the rendering thread when its time is up (BaseException: not caught by
    the template's own error handling on the way out)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the current thread's work after ``seconds`` (a pending stop is withdrawn on exit).

    Portable: the stop is delivered as an asynchronous exception to this thread
    (CPython's PyThreadState_SetAsyncExc), which works in any thread and on
    Windows, unlike SIGALRM. Jinja's compiled templates are Python code, so it
    lands within a few bytecodes.
    """
    tid = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}
    set_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                set_exc(tid, _Timeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _Timeout:
        raise TemplateLimit(f"填充模板超过 {seconds:g} 秒（模板中可能有层层嵌套的循环）") from None
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            if state["fired"]:
                # Not delivered yet (the work ended first): withdraw it.
                clear = ctypes.pythonapi.PyThreadState_SetAsyncExc
                clear.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
                clear(tid, None)


def render(template: Any, ctx: dict[str, Any], *, limited: bool = True) -> str:
    """``template`` filled from ``ctx`` within the limits; TemplateLimit or TemplateError if not.

    ``limited=False``: docgen's own templates (built by tools/build_templates.py), which need
    no clock: a timer thread per document would cost the batch time for nothing.
    """
    if not limited:
        return template.render(ctx)
    out: list[str] = []
    size = 0
    try:
        with time_limit(MAX_SECONDS):
            for piece in template.generate(ctx):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(
                        "模板填充出的内容过大（超过 2000 万字），多为循环或重复过多"
                    )
                out.append(piece)
    except RecursionError:
        raise TemplateLimit("模板中的宏层层调用自己，无法结束") from None
    except MemoryError:
        raise TemplateLimit("填充模板所需内存过多") from None
    return "".join(out)


def undefined_name(exc: UndefinedError) -> str | None:
    """The placeholder name in Jinja's "'titel' is undefined"."""
    m = re.search(r"'([^']+)' is undefined", str(exc.message or ""))
    return m[1] if m else None


__all__ = [
    "GuardedEnvironment",
    "SecurityError",
    "TemplateError",
    "TemplateLimit",
    "UndefinedError",
    "render",
    "time_limit",
    "undefined_name",
]
