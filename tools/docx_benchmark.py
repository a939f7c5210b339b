#!/usr/bin/env python3
"""In-process speed of the .docx writer: ``python tools/docx_benchmark.py [COUNT]``.

Moved out of the package (it shipped in every wheel) and out of the tests (a timed
unit test measures the machine, not the change): run it by hand when the .docx
writer's speed is the question.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from docgen.render.docx.document import render_docx  # noqa: E402
from docgen.spec import Profile  # noqa: E402


def benchmark(count: int = 1000, doc: Any = None, profile: Profile | None = None) -> float:
    """Render ``count`` one-page 督办单 (or ``doc``) in this process; return documents a second."""
    from docgen.decide import decide

    profile = profile or Profile()
    doc = doc or sample_supervision()
    d = decide(doc, profile)
    render_docx(doc, d, profile)  # compile the template outside the timing
    t0 = time.perf_counter()
    for _ in range(count):
        render_docx(doc, decide(doc, profile), profile)
    return count / (time.perf_counter() - t0)


def sample_supervision() -> Any:
    """The one-page 督办单 the .docx tests use (tests/test_docx.py), not a second copy."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_docx import sample_supervision as sample

    return sample()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f".docx rendering: {benchmark(n):.0f} docs/s")
