"""署名, 成文日期 and seal in the three modes of [7.3.5]."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from docgen.render.docx import ooxml as ox
from docgen.render.docx.blocks import empty_line
from docgen.render.docx.context import Ctx
from docgen.render.docx.measures import PITCH, chars_tw, mm_tw
from docgen.render.docx.ooxml import LINE_TWIPS


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
    if mode == "unsealed":
        name_w = max(ox.text_twips(n) for n in issuers)
        date_w = ox.text_twips(date_text)
        name_x = W - chars_tw(2) - name_w
        date_x = name_x + chars_tw(2)
        if date_x + date_w > W - chars_tw(2):
            date_x = W - chars_tw(2) - date_w
            name_x = date_x - chars_tw(2)
        paras.append(empty_line())
        paras += [
            ox.paragraph(ox.run(n), style="Signature", jc="left", left=name_x) for n in issuers
        ]
        paras.append(ox.paragraph(ox.run(date_text), style="Date", jc="left", left=date_x, right=0))
    elif mode == "stamp":
        right = chars_tw(4)
        paras += [empty_line(), empty_line()]
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
        paras += [ox.paragraph("", style="Normal", keep_next=True, line=blank_twips)] * blanks
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
