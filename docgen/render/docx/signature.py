"""署名, 成文日期 and seal in the three modes of [7.3.5]."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from markupsafe import Markup

from docgen.render.docx import ooxml as ox
from docgen.render.docx.blocks import empty_line
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import PITCH, chars_tw, mm_tw
from docgen.render.docx.ooxml import LINE_TWIPS
from docgen.spec import Profile


def _centered_over(center: int, style: str, text: str, extra: str = "") -> str:
    """A centred paragraph whose centre lies ``center`` twips from the block's left edge.

    A name too wide to centre there without crossing the block's right edge
    is set flush right instead (the PDF would let it run past the edge).
    """
    half = min(center, ox.BLOCK_WIDTH_TWIPS - center)
    if ox.text_twips(text) > 2 * half:
        return ox.paragraph(
            ox.run(text) + extra, style=style, jc="right", left=0, right=0, keep_next=True
        )
    return ox.paragraph(
        ox.run(text) + extra,
        style=style,
        jc="center",
        left=center - half,
        right=ox.BLOCK_WIDTH_TWIPS - center - half,
        keep_next=True,
    )


def _image_size(path: str, height_mm: float) -> tuple[float, float]:
    from PIL import Image

    with Image.open(path) as im:
        w, h = im.size
    return height_mm * w / h, height_mm


def signature(
    c: Ctx,
    issuers: list[str],
    date_text: str,
    mode: str,
    sig: Any,
    blanks: int = 2,
    blank_twips: int = LINE_TWIPS,
) -> Markup:
    """署名 and 成文日期 in the three modes of [7.3.5].

    ``blanks``: empty lines above a sealed signature (two leave the seal its
    room under the text; the 督办单 keeps one, as its PDF does).
    """
    W = ox.BLOCK_WIDTH_TWIPS
    paras: list[str] = []

    def blank_lines(n: int, height: int = LINE_TWIPS, keep: bool = True) -> list[str]:
        """n empty lines, sharing what the page gives up (c.squeeze_twips)."""
        if not c.squeeze_twips and not keep and height == LINE_TWIPS:
            return [empty_line()] * n
        each = max(20, height - c.squeeze_twips // n)
        return [ox.paragraph("", style="Normal", keep_next=keep, line=each)] * n

    if mode == "unsealed":
        name_w = max(ox.text_twips(n) for n in issuers)
        date_w = ox.text_twips(date_text)
        name_x = W - chars_tw(2) - name_w
        date_x = name_x + chars_tw(2)
        if date_x + date_w > W - chars_tw(2):
            date_x = W - chars_tw(2) - date_w
            name_x = date_x - chars_tw(2)
        paras += blank_lines(1, keep=False)
        paras += [
            ox.paragraph(ox.run(n), style="Signature", jc="left", left=name_x) for n in issuers
        ]
        paras.append(ox.paragraph(ox.run(date_text), style="Date", jc="left", left=date_x, right=0))
    elif mode == "stamp":
        right = chars_tw(4)
        paras += blank_lines(2, keep=False)
        if sig is not None and sig.seal_image:
            w_mm, h_mm = _image_size(sig.seal_image, 2 * PITCH)
            rid = c.media.add(sig.seal_image)
            x_mm = ox.twips_to_mm(W - right) - w_mm
            img = ox.anchor_image_behind_text(
                c.ids,
                rid,
                x_mm=x_mm,
                y_mm=(ox.twips_to_mm(LINE_TWIPS) - h_mm) / 2,
                width_mm=w_mm,
                height_mm=h_mm,
                name="签名章",
            )
            title = ox.run(sig.signer_title) if sig.signer_title else ""
            paras.append(
                ox.paragraph(
                    title + img,
                    style="Signature",
                    jc="right",
                    right=right + mm_tw(w_mm) + chars_tw(2),
                    left=0,
                )
            )
        else:
            runs = ""
            if sig is not None and sig.signer_title:
                runs += ox.run(sig.signer_title + "　　")
            runs += ox.run(getattr(sig, "signer", None) or "", style="SignerName")
            paras.append(ox.paragraph(runs, style="Signature", jc="right", right=right, left=0))
        paras += [empty_line(), ox.paragraph(ox.run(date_text), style="Date", right=right)]
    else:  # sealed
        right = chars_tw(4)
        date_w = ox.text_twips(date_text) - ox.BODY_SPACING_TWIPS
        center = W - right - date_w // 2
        # Kept with the date: Word cannot tighten the lines as the PDF does
        # [7.3.5.5], so the signature at least never stands apart from its date.
        paras += blank_lines(blanks, blank_twips)
        for i, name in enumerate(issuers):
            extra = ""
            if i == 0 and sig is not None and sig.seal_image:
                rid = c.media.add(sig.seal_image)
                dia = c.profile.seal_diameter
                extra = ox.anchor_image_behind_text(
                    c.ids,
                    rid,
                    x_mm=ox.twips_to_mm(center) - dia / 2,
                    y_mm=-1.5 * PITCH,
                    width_mm=dia,
                    height_mm=dia,
                )
            paras.append(_centered_over(center, "Signature", name, extra))
        paras.append(ox.paragraph(ox.run(date_text), style="Date", right=right))
    return Markup("".join(paras))


_CARRIED = re.compile(r"正文末 \d+ 行移至第(\d+)页，与署名同页")


def page_starts(
    plan: Any, profile: Profile, date_text: str = "", *, letter: bool = False
) -> list[tuple[str, int]]:
    """The first lines of the pages a word processor would not begin where the PDF does.

    The PDF ends a page early to keep rules a word processor keeps its own way
    or not at all: a paragraph's short last line never opens a page (it takes a
    line along), a heading goes with its text, the text's last lines go with
    the signature (noted by layout/paginate.py, Paginator.keep; otherwise the
    page holding the signature's date, ``date_text``). For each such page, the
    topmost line in the body size, and how many lines of the same text come
    before it: the .docx breaks the page before it
    (blocks.py), so LibreOffice's keeps, which move whole paragraphs, and
    Word's, which follow their own measure, do not move more than the PDF did.
    And a letter's page 2. Not where the PDF tightened a page to keep the signature with its text
    (then the .docx tightens the signature's lines instead: squeeze_twips).
    """
    if plan is None:
        return []
    from docgen.layout.plan import TextItem
    from docgen.spec import BASELINE_IN_LINE, LINE_PITCH, LINES_PER_PAGE, SIZE_BODY_PT

    def body_lines(page: Any) -> list[TextItem]:
        return [
            i
            for i in page.items
            if isinstance(i, TextItem) and abs(i.size_pt - SIZE_BODY_PT) < 0.3 and i.text.strip()
        ]

    per_page = [body_lines(p) for p in plan.pages]
    lowest = [max((i.baseline for i in lines), default=0.0) for lines in per_page]
    # The baseline of the block's last line: a page filled to the bottom.
    full = profile.top_margin + (LINES_PER_PAGE - 1 + BASELINE_IN_LINE) * LINE_PITCH
    wanted: set[int] = set()
    for note in plan.notes:
        m = _CARRIED.search(note)
        if m is not None and int(m.group(1)) <= len(plan.pages):
            wanted.add(int(m.group(1)) - 1)
    tightened = any(_SQUEEZED.search(note) for note in plan.notes)
    if tightened:
        return []
    if not wanted and date_text:
        dated = [
            k for k, p in enumerate(plan.pages)
            if any(isinstance(i, TextItem) and i.text == date_text for i in p.items)
        ]  # fmt: skip
        wanted.update(dated[-1:])
    if letter and len(lowest) > 1:
        # A letter's page 1 is counted from its bottom double line up (layout/head.py);
        # the .docx's holds at least as many lines (render/docx/head.py), maybe one more.
        wanted.add(1)
    for k in range(1, len(plan.pages)):
        if plan.pages[k - 1].turned or plan.pages[k].turned:
            continue  # a table set across opens and ends its own section
        if lowest[k - 1] and lowest[k - 1] < full - LINE_PITCH / 2:
            wanted.add(k)
    out: list[tuple[str, int]] = []
    seen: Counter[str] = Counter()  # body lines of the pages before, by text
    for k, lines in enumerate(per_page):
        if k in wanted and lines:
            text = min(lines, key=lambda i: i.baseline).text
            # Which of the lines with this text it is (a phrase may open two lines).
            out.append((text, seen[text]))
        seen.update(i.text for i in lines)
    return out


def form_break(plan: Any, labels: list[str]) -> str | None:
    """The label of the first form row the PDF sets on a later page than page 1 (a form
    whose texts are too long for one page), or None."""
    if plan is None or len(plan.pages) < 2:
        return None
    from docgen.layout.plan import TextItem

    later = {i.text for p in plan.pages[1:] for i in p.items if isinstance(i, TextItem)}
    return next((label for label in labels if label in later), None)


_SQUEEZED = re.compile(r"第\d+页行距由 [\d.]+ 磅收紧为 [\d.]+ 磅，使署名与正文同页")


def squeeze_twips(plan: Any) -> int:
    """One grid line, when the PDF tightened the signature's page to keep it with its text.

    The PDF sets that page's rows a little closer (layout/paginate.py, within
    the profile's max_squeeze_pt), which gains it one row; Word cannot tighten a
    page, so the signature's empty lines give up that row between them.
    """
    if plan is None or not any(_SQUEEZED.search(n) for n in plan.notes):
        return 0
    return LINE_TWIPS
