"""Pagination: rows into the bands of pages, keeping the signature with its text."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.layout.head import Slots
from docgen.layout.rows import Row
from docgen.spec import LINE_PITCH, PT_PER_MM, Profile


@dataclass
class PageBreak:
    """Start a new page (attachments each start on one)."""


@dataclass
class Keep:
    """Rows that must share a page with at least ``with_previous`` body rows (the signature)."""

    rows: list[Row]
    with_previous: int = 2


FlowItem = Row | PageBreak | Keep


@dataclass
class PageRows:
    slots: Slots
    rows: list[Row] = field(default_factory=list)
    pitch: float = LINE_PITCH

    @property
    def capacity(self) -> int:
        return len(self.slots(self.pitch))

    @property
    def free(self) -> int:
        return self.capacity - len(self.rows)


class Paginator:
    def __init__(self, first: Slots, later: Slots, profile: Profile):
        self.later = later
        self.profile = profile
        self.pages: list[PageRows] = [PageRows(first)]
        self.notes: list[str] = []

    @property
    def current(self) -> PageRows:
        return self.pages[-1]

    def new_page(self) -> PageRows:
        self.pages.append(PageRows(self.later))
        return self.current

    def run(self, flow: list[FlowItem]) -> list[PageRows]:
        for item in flow:
            if isinstance(item, PageBreak):
                self.new_page()
            elif isinstance(item, Keep):
                self.keep(item)
            else:
                self.add(item)
        return self.pages

    def add(self, row: Row) -> None:
        page = self.current
        if page.free <= 0:
            page = self.new_page()
        if row.blank and not page.rows and len(self.pages) > 1:
            return  # a page never starts with an empty line carried over
        page.rows.append(row)

    def keep(self, group: Keep) -> None:
        """Place the signature block so it never stands alone on a page [7.3.5.5]."""
        need = len(group.rows)
        page = self.current
        if page.free >= need:
            page.rows.extend(group.rows)
            return
        # First try: tighten this page's line pitch, within the profile's bound.
        squeezed = LINE_PITCH - self.profile.max_squeeze_pt / PT_PER_MM
        if len(page.slots(squeezed)) - len(page.rows) >= need:
            pitch = LINE_PITCH
            while len(page.slots(pitch)) - len(page.rows) < need:
                pitch -= 0.05 / PT_PER_MM
            page.pitch = pitch
            page.rows.extend(group.rows)
            self.notes.append(
                f"第{len(self.pages)}页行距由 28.99 磅收紧为 {pitch * PT_PER_MM:.2f} 磅，使署名与正文同页"
            )
            return
        # Otherwise carry the last body lines over with it, as offices do,
        # with whatever lies between them and the signature (附件说明, empty lines).
        carried: list[Row] = []
        body_rows = 0
        while page.rows and body_rows < group.with_previous:
            row = page.rows.pop()
            carried.insert(0, row)
            body_rows += row.body
        while page.rows and page.rows[-1].blank:
            page.rows.pop()
        nxt = self.new_page()
        nxt.rows.extend(carried)
        for row in group.rows:
            self.add(row)
        if body_rows:
            self.notes.append(f"正文末 {body_rows} 行移至第{len(self.pages)}页，与署名同页")
