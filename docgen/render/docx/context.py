"""What every element writer gets: the document, its decisions, the profile, drawing ids, images."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.decide.decisions import Decisions
from docgen.render.docx import ooxml as ox
from docgen.spec import Profile


@dataclass
class Media:
    """Images added to the package for one document."""

    files: list[tuple[str, str, bytes]] = field(default_factory=list)  # (rid, target, bytes)

    def add(self, path: str) -> str:
        data = Path(path).read_bytes()
        ext = "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
        n = len(self.files) + 1
        rid = f"rIdDocgenImage{n}"
        self.files.append((rid, f"media/docgen_image{n}.{ext}", data))
        return rid


@dataclass
class Ctx:
    doc: Any
    d: Decisions
    profile: Profile
    ids: ox.DrawingIds
    media: Media
    # The first lines of the pages the PDF begins where a word processor would not
    # (signature.page_starts), in order: the .docx breaks the page before each; the
    # body's writers take them as they come (blocks.take_breaks).
    starts: list[tuple[str, int]] = field(default_factory=list)
    # What the signature's empty lines give up when the PDF tightened the
    # signature's page to keep it with the text (twips; 0: it did not).
    squeeze_twips: int = 0
    # The top (mm) of page 1's first line after the head in the PDF (plan.first_line_top).
    first_line_top: float | None = None
    seen: dict[str, int] = field(default_factory=dict)  # body lines met so far, by text
    # Figures the PDF floated to the next page → the text that went above them
    # (layout Plan.floats): the .docx writes that order (floats.py).
    floats: dict[str, str] = field(default_factory=dict)
    alone: set[str] = field(default_factory=set)  # … and the page after them starts anew
    # A form the PDF runs over two pages: the label of the row that opens page 2.
    form_break: str | None = None

    @property
    def red(self) -> str:
        return self.profile.red_hex
