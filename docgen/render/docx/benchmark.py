"""In-process speed of the .docx writer (tools/bench.py)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from docgen.render.docx.document import render_docx
from docgen.spec import Profile


def benchmark(count: int = 1000, doc: Any = None, profile: Profile | None = None) -> float:
    """Render ``count`` one-page 督办单 (or ``doc``) in this process; return documents a second."""
    from docgen.decisions import decide

    profile = profile or Profile()
    doc = doc or sample_supervision()
    d = decide(doc, profile)
    render_docx(doc, d, profile)  # compile the template outside the timing
    t0 = time.perf_counter()
    for _ in range(count):
        render_docx(doc, decide(doc, profile), profile)
    return count / (time.perf_counter() - t0)


def sample_supervision() -> Any:
    from docgen.models import Supervision

    return Supervision.model_validate(
        {
            "office": "高平市文物保护工作联席会议办公室",
            "number": "高文联办督〔2025〕1号",
            "unit": "市公安局",
            "meeting": "高平市文物保护工作联席会议第一次全体会议",
            "minutes_ref": "第1期",
            "items": [
                {
                    "seq": 3,
                    "matter": "开展文物安全专项整治行动，严厉打击盗掘、盗窃、倒卖文物等违法犯罪活动",
                    "lead": ["市公安局"],
                    "support": ["市文物局", "市文物保护中心"],
                    "deadline": dt.date(2025, 9, 30),
                }
            ],
            "contact": "王晓燕",
            "phone": "0356-5220000",
            "date": dt.date(2025, 7, 15),
        }
    )
