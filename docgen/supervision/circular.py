"""督办情况通报: the ledger as a 通报 in the file format, with the same totals as `list`.

The text is written here from each notice's group (Notice.standing, which
supervision.totals.counts, `list` and the export also use, so the totals are
the same everywhere): the totals sentence, then one
paragraph per status group naming its units, then what the units are asked
to do; the chart stands before those asks and the table of the items not yet
done (every item with ``every``, `supervise report --all`) is the attachment. The document is an ordinary model (models.circular.Circular), so
it passes through the same checks, layout and writers as every 公文.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from docgen.collector import collector_paused
from docgen.ledger.store import GROUP_DONE, GROUP_OPEN, GROUP_OVERDUE, GROUPS, Ledger, Notice
from docgen.supervision.totals import counts
from docgen.text.dates import format_date

TABLE_TITLE = "督办事项办理情况一览表"
COLUMNS = ("序号", "议定事项", "完成时限", "办理情况")
DEFAULT_RECIPIENTS = ("联席会议各成员单位",)
ASKS = "五、有关要求"


def base_meeting(names: list[str]) -> str:
    """高平市文物保护工作联席会议第一次全体会议 → 高平市文物保护工作联席会议 (what they share)."""
    bases = {re.sub(r"第[一二三四五六七八九十百零〇\d]+次.*$", "", n) or n for n in set(names) if n}
    return bases.pop() if len(bases) == 1 else "联席会议"


# A notice with its group and days overdue on the report's day: worked out once a
# notice, since the text, the table and the chart all need them (10,000 notices).
Standing = tuple[Notice, str, int]


def standings(notices: list[Notice], as_of: dt.date) -> list[Standing]:
    return [(n, *n.standing(as_of)) for n in notices]


def _units(members: list[Standing], overdue: bool = False) -> str:
    by_unit = Counter(n.unit for n, _, _ in members)
    if overdue:
        worst: dict[str, int] = {}
        for n, _, late in members:
            worst[n.unit] = max(worst.get(n.unit, 0), late)
        return "、".join(f"{u}（{k}项，最长逾期{worst[u]}天）" for u, k in by_unit.most_common())
    return "、".join(f"{u}（{k}项）" if k > 1 else u for u, k in by_unit.most_common())


def body_text(
    standing: list[Standing], as_of: dt.date, meeting: str, reply_by: dt.date
) -> list[str]:
    """The text: totals (as supervision.totals.counts states them), each group's units, the asks."""
    groups: dict[str, list[Standing]] = {k: [] for k in GROUPS}
    for s in standing:
        groups[s[1]].append(s)
    g = {k: len(v) for k, v in groups.items()}
    items = {(n.meeting, n.item_seqs) for n, _, _ in standing}
    by_lead = (
        "（同一事项有多个牵头单位的，按牵头单位分别计）" if len(items) != len(standing) else ""
    )
    day = format_date(as_of)
    paras = [
        f"根据{meeting}工作规则和工作要求，联席会议办公室对会议议定事项的落实情况进行了跟踪督办。"
        f"现将截至{day}的办理情况通报如下。",
        "一、总体情况",
        f"截至{day}，共督办议定事项{len(standing)}项，已办结{g[GROUP_DONE]}项，"
        f"正在办理{g[GROUP_OPEN]}项，逾期未办结{g[GROUP_OVERDUE]}项{by_lead}。",
        "二、已办结事项",
        f"{_units(groups[GROUP_DONE])}牵头的{g[GROUP_DONE]}项事项已按要求办结。"
        if groups[GROUP_DONE]
        else "截至通报之日，尚无办结的事项。",
        "三、正在办理事项",
        f"{_units(groups[GROUP_OPEN])}牵头的{g[GROUP_OPEN]}项事项尚在完成时限内，正在办理。"
        if groups[GROUP_OPEN]
        else "截至通报之日，没有在完成时限内正在办理的事项。",
        "四、逾期未办结事项",
        f"{_units(groups[GROUP_OVERDUE], overdue=True)}牵头的{g[GROUP_OVERDUE]}项事项"
        "已超过完成时限尚未办结。"
        if groups[GROUP_OVERDUE]
        else "截至通报之日，没有逾期未办结的事项。",
        ASKS,
        "请各成员单位按照职责分工，对照议定事项和完成时限抓紧推进落实。"
        + (
            f"逾期未办结事项的牵头单位要于{format_date(reply_by)}前向联席会议办公室书面说明"
            "未按期办结的原因、整改措施和完成时间。"
            if groups[GROUP_OVERDUE]
            else "各牵头单位要按时向联席会议办公室报送办理情况。"
        ),
        "各项事项的办理情况见附件。",
    ]
    return paras


def table_rows(standing: list[Standing]) -> list[list[Any]]:
    """The listed notices grouped by lead unit: a row naming the unit (its cell across
    the table), then one row a notice, numbered through the table.

    Four columns (issue 18): the unit heads its group instead of taking a column, a
    deadline passed says so after the date (（逾期N天）, a note that stands whole on
    the line under it), and the status leads the feedback, so
    the 议定事项 column is wide enough that an ordinary row takes at most four lines
    on the upright page. Units in order of how many items they have listed (then as
    they first appear); notices in ledger order within a unit. Dates, feedback and
    statuses repeat across rows: each text is written once.
    """
    by_unit: dict[str, list[Standing]] = {}
    for s in standing:
        by_unit.setdefault(s[0].unit, []).append(s)
    order = sorted(by_unit, key=lambda u: -len(by_unit[u]))  # sorted() is stable
    dates: dict[tuple[dt.date | None, int], str] = {}
    said: dict[tuple[str, str], str] = {}
    rows: list[list[Any]] = []
    k = 0
    for unit in order:
        members = by_unit[unit]
        rows.append(
            [{"text": f"{unit}（{len(members)}项）", "colspan": len(COLUMNS), "align": "left"}]
        )
        for n, _, late in members:
            k += 1
            date = dates.get((n.deadline, late))
            if date is None:
                day = format_date(n.deadline) if n.deadline else "未定"
                date = dates[n.deadline, late] = f"{day}（逾期{late}天）" if late else day
            state = said.get((n.status, n.last_feedback))
            if state is None:
                feedback = " ".join(n.last_feedback.split()) or "未反馈"
                state = said[n.status, n.last_feedback] = (
                    f"{n.status}，{feedback}" if feedback == "未反馈" else f"{n.status}：{feedback}"
                )
            rows.append([str(k), " ".join(n.matter.split()), date, state])
    return rows


def chart_data(standing: list[Standing]) -> dict[str, Any]:
    per_unit: dict[str, list[int]] = {}
    for n, group, _ in standing:
        per_unit.setdefault(n.unit, [0, 0, 0])[GROUPS.index(group)] += 1
    order = sorted(per_unit, key=lambda u: (-sum(per_unit[u]), list(per_unit).index(u)))
    return {
        "title": "各牵头单位督办事项办理情况",
        "series": list(GROUPS),
        "categories": order,
        "values": [per_unit[u] for u in order],
    }


def circular_data(
    notices: list[Notice],
    as_of: dt.date,
    *,
    number: str | None,
    issuer: str | None = None,
    recipients: list[str] | None = None,
    reply_days: int = 7,
    every: bool = False,
    sealed: bool = True,
) -> dict[str, Any]:
    """The 通报 as input data (plain lists and strings), before the model checks it.

    The attached table lists the items not yet done (``every``: all of them;
    all of them too when none is left to do): the totals are in the text, the
    table is for the units still at work (issue 18).
    """
    office = issuer or next((n.office for n in notices if n.office), "联席会议办公室")
    meeting = base_meeting([n.meeting for n in notices])
    standing = standings(notices, as_of)
    body = body_text(standing, as_of, meeting, as_of + dt.timedelta(days=reply_days))
    listed = standing if every else [s for s in standing if s[1] != GROUP_DONE] or standing
    if len(listed) < len(standing):
        body[body.index("各项事项的办理情况见附件。")] = "未办结事项的办理情况见附件。"
    data: dict[str, Any] = {
        "issuer": [office],
        "title": f"关于{meeting}议定事项落实情况的通报",
        "recipients": list(recipients or DEFAULT_RECIPIENTS),
        "body": body,
        # The table of the items listed: the tables model, its header repeated on every page.
        "attachments": [
            {
                "title": TABLE_TITLE,
                "body": [
                    {
                        "table": {
                            "header_rows": 1,
                            # Widths from the content (decide/tables.py); an upright
                            # page: a turned one is read apart from the text.
                            "landscape": False,
                            "align": ["center", "left", "center", "left"],
                            "rows": [list(COLUMNS), *table_rows(listed)],
                        }
                    }
                ],
            }
        ],
        "date": as_of,
        # A body without a seal (a joint meeting, Profile.sealed false) signs per 7.3.5.2.
        "signature": {"mode": "sealed" if sealed else "unsealed"},
        # The chart after the groups it counts, before 五、有关要求: the closing
        # paragraphs then go with the signature (a chart never does).
        "chart": {**chart_data(standing), "after": body.index(ASKS)},
    }
    if number:
        data["number"] = number
    return data


def report_code(notices: list[Notice], code: str | None) -> str:
    """The 通报's own number series: --code, else the notices' code with 督 → 通 (高文联办通)."""
    if code:
        return code
    first = next((n.number for n in notices), "")
    m = re.match(r"^(.+?)〔\d{4}〕", first)
    base = m.group(1) if m else "联办"
    return (base[:-1] if base.endswith("督") else base) + "通"


def make_circular(
    as_of: dt.date,
    *,
    registry: Path | None = None,
    meeting: str | None = None,
    code: str | None = None,
    issuer: str | None = None,
    recipients: list[str] | None = None,
    formats: tuple[str, ...] = ("pdf",),
    every: bool = False,
) -> tuple[Any, dict[str, bytes], list[str], dict[str, Any]]:
    """(model, {format: bytes}, notes, counts): the 通报 rendered, and the totals it states.

    The number comes from the register under the report's code, tied to the
    day (and meeting) it reports on: the same report made again keeps its number.
    """
    from docgen.context import resolve_context
    from docgen.models.circular import Circular
    from docgen.pipeline import render_document
    from docgen.render.docx.worker import Remake
    from docgen.units import find_registry, with_member_names

    with collector_paused():
        notices, number = numbered_notices(as_of, registry, meeting, code)
        ctx = resolve_context()
        fonts = ctx.fonts
        # The member units beside the register (the meeting's folder): never split in the title.
        units = find_registry(registry.parent) if registry else None
        profile = with_member_names(ctx.profile, units)
        data = circular_data(
            notices,
            as_of,
            number=number,
            issuer=issuer,
            recipients=recipients,
            every=every,
            sealed=profile.sealed,
        )
        doc = Circular.model_validate(data)
        # A large 通报's .docx is written by a worker from the same data while the PDF
        # is made here (render/docx/worker.py).
        remake = Remake(Circular, data)
        rendered = render_document(doc, formats, profile, fonts, remake=remake)
    return doc, rendered.files, list(rendered.notes), counts(notices, as_of)


def numbered_notices(
    as_of: dt.date, registry: Path | None, meeting: str | None, code: str | None
) -> tuple[list[Notice], str]:
    """The notices the report covers, and its number from the register (kept when made again)."""
    from docgen.ledger.store import LedgerError
    from docgen.registry import Request
    from docgen.supervision.span import check_as_of

    with Ledger.existing(registry) as ledger:
        notices = ledger.notices(meeting=meeting)
        if not notices:
            raise LedgerError(
                "台账中没有督办事项" + (f"（会议：{meeting}）" if meeting else "") + "，无法通报"
            )
        check_as_of(notices, as_of, issuing=True)  # before the number is taken
        series = report_code(notices, code)
        key = f"通报|{meeting or '全部'}|{as_of.isoformat()}"

        def mark(db: Any, issued: list[Any]) -> None:
            # Taken, not yet written: the next report writes it if this one is stopped.
            db.executemany(
                "UPDATE issued SET files = ? WHERE id = ?",
                [(PENDING, i.id) for i in issued if not i.reused],
            )

        issued = ledger.registry.allocate(
            series,
            as_of.year,
            [Request("circular", title="督办情况通报", date=as_of.isoformat(), item_key=key)],
            reuse=True,
            then=mark,
        )[0]
    return notices, issued.number


PENDING = '{"待写出": ""}'  # a 通报 number taken whose files are not yet written


def record_written(registry: Path | None, number: str, files: dict[str, str]) -> None:
    """{file name: sha256} of a 通报 once on disk: its number is no longer pending."""
    import json

    main = next(iter(files.values()), "")
    with Ledger.existing(registry) as ledger, ledger.write() as db:
        db.execute(
            "UPDATE issued SET files = ?, file_hash = ? WHERE number = ? AND kind = 'circular'",
            (json.dumps(files, ensure_ascii=False), main, number),
        )


def pending_reports(registry: Path | None) -> list[tuple[str, str, dt.date, str | None]]:
    """(number, code, as-of, meeting) of every 通报 numbered by a run stopped before writing it."""
    with Ledger.existing(registry) as ledger:
        rows = ledger.registry.db.execute(
            "SELECT number, code, date, item_key FROM issued"
            " WHERE kind = 'circular' AND files = ? ORDER BY id",
            (PENDING,),
        ).fetchall()
    out = []
    for number, code, date, key in rows:
        parts = str(key or "").split("|")
        meeting = parts[1] if len(parts) == 3 and parts[1] != "全部" else None
        out.append((str(number), str(code), dt.date.fromisoformat(str(date)), meeting))
    return out
