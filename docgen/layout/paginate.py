"""Pagination: rows into the bands of pages, keeping the signature with its text
and a table's rows whole, its header repeated on every page it spans."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from docgen.layout.head import Slots
from docgen.layout.plan import RuleItem
from docgen.layout.rows import Row
from docgen.spec import LANDSCAPE_BLOCK_HEIGHT, LINE_PITCH, PT_PER_MM, Profile


@dataclass
class PageBreak:
    """Start a new page (attachments each start on one)."""


@dataclass
class Keep:
    """Rows that must share a page with at least ``with_previous`` body rows (the signature)."""

    rows: list[Row]
    with_previous: int = 2
    squeeze: bool = True  # may tighten the page's pitch to fit (a signature); not a table row
    # A figure (the 通报's chart) kept whole: it floats, the text after it filling
    # the page it does not fit (Paginator.run). Its name in Plan.floats.
    figure: str = ""


@dataclass
class TableFlow:
    """A table's lines for pagination (built by layout/table.py).

    ``lead`` (title, unit) goes with the header and the first group; the
    header is repeated at the top of every page the table continues on; a
    group (a table row, or rows tied by a merged cell) is never split unless
    it is taller than a page. ``rule`` is the table's outer horizontal rule
    (x0, x1, width), added where a page cuts the table.
    """

    lead: list[Row]
    header: list[Row]
    groups: list[list[Row]]
    landscape: bool
    rule: tuple[float, float, float]
    figure: str = ""  # its name in Plan.floats (table N: the table's place)


FlowItem = Row | PageBreak | Keep | TableFlow

# A figure moved to the next page leaves at most this many empty lines above it:
# with more, the text after it fills them (it floats).
FLOAT_GAP_LINES = 3


def _keeps(item: FlowItem) -> bool:
    return isinstance(item, Row) and item.keep_next


def _blank(item: FlowItem) -> bool:
    return isinstance(item, Row) and item.blank


def turned_slots(profile: Profile) -> Slots:
    """Band tops of a turned page: its block is the upright block turned, 156 mm high,
    starting at the binding-side margin (see plan.turned_to_upright)."""

    def slots(pitch: float) -> list[float]:
        n = int(LANDSCAPE_BLOCK_HEIGHT / pitch + 1e-9)
        return [profile.left_margin + k * pitch for k in range(n)]

    return slots


def _take_last(rows: list[Row], start: int, body: int) -> list[Row]:
    """The last lines of text from ``rows`` (none before ``start``) that go over with a
    signature: ``body`` lines of text, one more rather than a paragraph's short last
    line alone (a widow), and the heading over them."""
    taken: list[Row] = []
    n = 0
    while len(rows) > start and n < body and not rows[-1].fixed:
        row = rows.pop()
        taken.insert(0, row)
        n += row.body
    if taken and taken[0].short_tail and len(rows) > start:
        if rows[-1].body and not rows[-1].fixed:
            taken.insert(0, rows.pop())
    while len(rows) > start and rows[-1].keep_next:  # a heading goes with its text
        taken.insert(0, rows.pop())
    return taken


def with_rule(row: Row, y: float, rule: tuple[float, float, float]) -> Row:
    """A copy of ``row`` with a full-width table rule at ``y`` in its band."""
    x0, x1, width = rule
    return replace(row, rules=[*row.rules, RuleItem(x0, x1, y, width)])


@dataclass
class PageRows:
    slots: Slots
    rows: list[Row] = field(default_factory=list)
    pitch: float = LINE_PITCH
    landscape: bool = False  # a turned page (a wide table), its rows in plan.Page.turned

    # (pitch, band count): pagination asks for the free bands after every line.
    _capacity: tuple[float, int] | None = field(default=None, repr=False, compare=False)

    @property
    def capacity(self) -> int:
        if self._capacity is None or self._capacity[0] != self.pitch:
            self._capacity = (self.pitch, len(self.slots(self.pitch)))
        return self._capacity[1]

    @property
    def free(self) -> int:
        return self.capacity - len(self.rows)


class Paginator:
    def __init__(self, first: Slots, later: Slots, profile: Profile):
        self.later = later
        self.profile = profile
        self.pages: list[PageRows] = [PageRows(first)]
        self.notes: list[str] = []
        # What a signature may take along while nothing has followed the table: (table,
        # page, index the lines to move start at, their count, whether they are the
        # whole table or its last row, which needs the header again).
        self._last_row: tuple[TableFlow, PageRows, int, int, bool] | None = None
        # A figure waiting for the next page while the text after it fills this one,
        # and where on this page that text starts.
        self._pending: tuple[Keep | TableFlow, int] | None = None
        # Each figure that floated → the text that went above it (the .docx follows),
        # told once the pages are made (a widow may yet follow the figure).
        self.floats: dict[str, str] = {}
        self._floated: list[tuple[Keep | TableFlow, PageRows, int, int]] = []
        self.alone: set[str] = set()  # floated figures the text after which starts a page

    @property
    def current(self) -> PageRows:
        return self.pages[-1]

    def new_page(self, landscape: bool = False) -> PageRows:
        if landscape:
            self.pages.append(PageRows(turned_slots(self.profile), landscape=True))
        else:
            self.pages.append(PageRows(self.later))
            self._place_pending()
        return self.current

    def upright(self) -> PageRows:
        """The current page, or a new upright one after a turned page (text never goes there)."""
        return self.new_page() if self.current.landscape else self.current

    def run(self, flow: list[FlowItem]) -> list[PageRows]:
        for k, item in enumerate(flow):
            if not isinstance(item, Row) and self._pending is not None:
                self._flush(item)  # a figure waiting goes before anything but text
            if isinstance(item, PageBreak):
                self.new_page()
            elif isinstance(item, Keep):
                if not (item.figure and self._floats(item, flow, k)):
                    self.keep(item)
            elif isinstance(item, TableFlow):
                if not (item.figure and self._floats(item, flow, k)):
                    self.table(item)
            else:
                if item.keep_next and not (k and _keeps(flow[k - 1])):
                    self.keep_heading(flow, k)
                self.add(item)
        if self._pending is not None:
            self.new_page()
        for figure, page, start, number in self._floated:
            above = page.rows[start:]
            self.floats[figure.figure] = "".join(t.text for row in above for t in row.texts)
            # (Words whose characters the layout's sources hold already: a batch's fonts
            # are cut to those characters, batch/pool.py, and stay as they were.)
            what = "办理情况条形" if isinstance(figure, Keep) else "表格"
            self.notes.append(
                f"{what}移至第{number}页，后面的正文 {sum(r.body for r in above)} 行"
                f"提前至第{number - 1}页"
            )
        return self.pages

    # --- figures that float ----------------------------------------------------

    def _floats(self, item: Keep | TableFlow, flow: list[FlowItem], k: int) -> bool:
        """Hold a figure that would move to the next page leaving more than
        FLOAT_GAP_LINES empty here, so that the text after it fills them (issue 18).

        Only when text follows it, the figure fits a page of its own, and it
        does not fit here (a table: not even its opening with a line of its first row).
        """
        page = self.current
        if page.landscape or not page.rows or page.free <= FLOAT_GAP_LINES:
            return False
        if page.rows[-1].keep_next:  # a heading over the figure: the text after is not its
            return False
        if not any(isinstance(f, Row) and not f.blank for f in flow[k + 1 : k + 3]):
            return False
        fresh = PageRows(self.later).capacity
        if isinstance(item, Keep):
            need = len(item.rows)
            if need <= page.free or need > fresh:
                return False
        else:
            if item.landscape:
                return False
            first = len(item.lead) + len(item.header) + (len(item.groups[0]) if item.groups else 0)
            opening = len(item.lead) + len(item.header) + 1
            if not (page.free < first <= fresh or page.free < opening):
                return False
        if isinstance(item, Keep) and page.rows[-1].blank:  # the chart's space above it
            page.rows.pop()
        self._pending = (item, len(page.rows))
        return True

    def _place_pending(self) -> None:
        """The figure waiting, at the top of the page just begun."""
        if self._pending is None:
            return
        item, start = self._pending
        self._pending = None
        self._floated.append((item, self.pages[-2], start, len(self.pages)))
        if isinstance(item, Keep):
            self.current.rows.extend(item.rows)
        else:
            self.table(item)

    def _flush(self, item: FlowItem) -> None:
        """The figure waiting goes to the next page before ``item``.

        A signature takes the last lines of the text that went above the figure
        along (a signature is never without text on its page [7.3.5.5]): under
        the figure, or on the page after it when they would not fit there.
        """
        assert self._pending is not None
        page = self.current
        start = self._pending[1]
        if not isinstance(item, Keep) or item.figure:
            self.new_page()
            return
        figure = self._pending[0].figure
        carried = _take_last(page.rows, start, item.with_previous)
        self.new_page()
        if carried:
            room = self.current.capacity
            if item.squeeze:  # as keep() may tighten the page for it
                squeezed = LINE_PITCH - self.profile.max_squeeze_pt / PT_PER_MM
                room = len(self.current.slots(squeezed))
            if room - len(self.current.rows) < len(carried) + len(item.rows):
                self.new_page()
                self.alone.add(figure)
        self.current.rows.extend(carried)

    def keep_heading(self, flow: list[FlowItem], k: int) -> None:
        """A heading's lines, with what follows them, start a new page if they would end this one.

        What follows is the first line of the next paragraph, or a table's
        opening (title, header and a line of its first row).
        """
        n = 0
        while k + n < len(flow) and _keeps(flow[k + n]):
            n += 1
        gap = 0  # empty lines between the heading and what follows go with it
        while k + n + gap < len(flow) and _blank(flow[k + n + gap]):
            gap += 1
        after = flow[k + n + gap] if k + n + gap < len(flow) else None
        n += gap
        if isinstance(after, Row):
            need = n + 1
        elif isinstance(after, TableFlow) and not after.landscape:
            need = n + len(after.lead) + len(after.header) + 1
        elif isinstance(after, Keep) and n > 1:  # headings that end the text: at least together
            need = n
        else:
            return
        page = self.upright()
        fresh = PageRows(self.later).capacity
        if page.rows and page.free < need <= fresh:
            self.new_page()

    def add(self, row: Row) -> None:
        page = self.upright()
        if page.free <= 0:
            full = page
            prev = page.rows[-1] if page.rows else None
            page = self.new_page()
            if row.short_tail and prev is not None and prev.body and not prev.fixed:
                # A widow (配合。 alone at the top of a page, or under a figure that
                # floated there): the line before it goes over too, leaving this
                # page a line short rather than the next one bare.
                before = full.rows
                before.pop()
                moved = [prev]
                while before and before[-1].keep_next:  # its heading with it
                    moved.insert(0, before.pop())
                page.rows.extend(moved)
        if row.blank and not page.rows and len(self.pages) > 1:
            return  # a page never starts with an empty line carried over
        page.rows.append(row)

    def keep(self, group: Keep) -> None:
        """Place the signature block so it never stands alone on a page [7.3.5.5]."""
        need = len(group.rows)
        page = self.upright()
        if page.free >= need:
            page.rows.extend(group.rows)
            return
        # First try: tighten this page's line pitch, within the profile's bound.
        squeezed = LINE_PITCH - self.profile.max_squeeze_pt / PT_PER_MM
        if group.squeeze and len(page.slots(squeezed)) - len(page.rows) >= need:
            pitch = LINE_PITCH
            while len(page.slots(pitch)) - len(page.rows) < need:
                pitch -= 0.05 / PT_PER_MM
            page.pitch = pitch
            page.rows.extend(group.rows)
            self.notes.append(
                f"第{len(self.pages)}页行距由 28.99 磅收紧为 {pitch * PT_PER_MM:.2f} 磅，使署名与正文同页"
            )
            return
        if self._carry_table_row(page, group):
            return
        # Otherwise carry the last body lines over with it, as offices do,
        # with whatever lies between them and the signature (附件说明, empty lines).
        carried = _take_last(page.rows, 0, group.with_previous)
        body_rows = sum(r.body for r in carried)
        while page.rows and page.rows[-1].blank:
            page.rows.pop()
        nxt = self.new_page()
        nxt.rows.extend(carried)
        for row in group.rows:
            self.add(row)
        if body_rows:
            self.notes.append(f"正文末 {body_rows} 行移至第{len(self.pages)}页，与署名同页")

    def _carry_table_row(self, page: PageRows, group: Keep) -> bool:
        """Text that ends in a table: its last row goes over with the signature, under
        the repeated header (a table of one row on this page: the whole table), so the
        signature's page is never without text [7.3.5.5]."""
        last = self._last_row
        if last is None or not page.rows or not page.rows[-1].fixed:
            return False
        t, on, start, n, whole_table = last
        if on is not page or page.landscape or len(page.rows) != start + n:
            return False
        lines = page.rows[start:]
        if not whole_table:
            opening = t.header or [with_rule(lines[0], 0.0, t.rule)]
            lines = [*opening, *(lines if t.header else lines[1:])]
        cut = start
        while cut > 0 and page.rows[cut - 1].keep_next:  # a heading over the table goes too
            cut -= 1
        lines = [*page.rows[cut:start], *lines]
        if cut == 0 or len(lines) + len(group.rows) > PageRows(self.later).capacity:
            return False
        del page.rows[cut:]
        self.new_page().rows.extend(lines)
        self.current.rows.extend(group.rows)
        what = "表格" if whole_table else "表格最后一行"
        self.notes.append(f"{what}移至第{len(self.pages)}页，与署名同页")
        return True

    # --- tables --------------------------------------------------------------

    def table(self, t: TableFlow) -> None:
        """Lay a table's lines onto pages: rows whole, header repeated, turned pages when wide."""
        if t.landscape or self.current.landscape:
            self.new_page(landscape=t.landscape)
        first = t.lead + t.header + (t.groups[0] if t.groups else [])
        slots = turned_slots(self.profile) if t.landscape else self.later
        fresh = PageRows(slots).capacity
        page = self.current
        # To a new page when the table's start fits one; a first row taller
        # than a page starts here and is cut anyway.
        opening = len(t.lead) + len(t.header) + 1  # with at least a line of the first row
        short = page.free < len(first) and len(first) <= fresh
        if page.rows and (short or page.free < opening):
            page = self.new_page(landscape=t.landscape)
        table_page, table_start = page, len(page.rows)
        page.rows.extend(t.lead)
        page.rows.extend(t.header)
        top_needed = False  # a continuation page without a header starts with the table's top rule
        first_on_page = len(self.current.rows)  # where this page's first table row starts
        self._last_row = None
        for group in t.groups:
            if self.current.free < len(group) and len(t.header) + len(group) <= fresh:
                self._continue_table(t, split=False)
                top_needed = not t.header
                first_on_page = len(self.current.rows)
            on, start = self.current, len(self.current.rows)
            for line in group:
                if self.current.free <= 0:
                    self._continue_table(t, split=True)
                    top_needed = not t.header
                    first_on_page = len(self.current.rows)
                if top_needed:
                    line = with_rule(line, 0.0, t.rule)
                    top_needed = False
                self.current.rows.append(line)
            # A row whole on one page may go with a signature: after another row there,
            # alone; as the page's only row, with the whole table if it began there
            # after something else (never emptying the page).
            self._last_row = None
            if self.current is on and not t.landscape:
                if start > first_on_page:
                    self._last_row = (t, on, start, len(group), False)
                elif on is table_page and table_start > 0:
                    n = len(on.rows) - table_start
                    self._last_row = (t, on, table_start, n, True)

    def _continue_table(self, t: TableFlow, *, split: bool) -> None:
        page = self.current
        if split and page.rows:
            # The page cuts a row taller than a page: close it with the table's rule.
            page.rows[-1] = with_rule(page.rows[-1], LINE_PITCH, t.rule)
        self.new_page(landscape=t.landscape).rows.extend(t.header)
