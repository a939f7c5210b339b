"""openpyxl, imported once without numpy.

openpyxl imports numpy if it is installed, only to count numpy's number types
as numbers; docgen never hands it numpy values, and on the batch's 2-core
budget numpy's import (0.1-0.2 s, a third of openpyxl's) is time at the end
of every batch with nothing else to do. It is hidden while openpyxl loads,
unless something in the process has imported numpy already, and is importable
again right after. The workbooks are the same bytes either way.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def load_openpyxl() -> ModuleType:
    """openpyxl, loaded on first use (from any thread), numpy left out of it."""
    with _LOCK:
        if "openpyxl" in sys.modules:
            return sys.modules["openpyxl"]
        hide = "numpy" not in sys.modules
        if hide:
            sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" fails
        try:
            import openpyxl
        finally:
            if hide and sys.modules.get("numpy", 0) is None:
                del sys.modules["numpy"]
        return openpyxl
