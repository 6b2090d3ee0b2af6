"""The canvas screen (the home): the header, the six columns and the 15 block cards.

The screen owns which block is current; cards only show it. Large terminals get the full grid with
previews, 80x24 gets compact cards, and anything smaller a scrolling list grouped by column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input

from canvas_tui.lint import Finding, block_findings, by_block, findings
from canvas_tui.model.layout import Move, neighbour
from canvas_tui.session import Step
from canvas_tui.tui.bindings import in_typed_order
from canvas_tui.tui.widgets.block_card import BlockCard
from canvas_tui.tui.widgets.canvas_header import CanvasHeader
from canvas_tui.tui.widgets.column_title import ColumnTitle
from canvas_tui.tui.widgets.key_footer import KeyFooter
from canvas_tui.tui.widgets.search_bar import SearchBar, next_hit

if TYPE_CHECKING:
    from canvas_tui.tui.host import CanvasHost

FULL_SIZE = (120, 36)
"""From this size up: the full grid with previews."""
GRID_SIZE = (80, 24)
"""From this size up: the grid with compact cards; below it, the list."""


class CanvasScreen(Screen[None]):
    AUTO_FOCUS = None  # keys go to the screen; the search field takes focus only while searching

    BINDINGS: ClassVar[list[BindingType]] = in_typed_order(
        [
            Binding(
                "up,k",
                "move('up')",
                "Up",
                show=False,
                id="canvas.up",
                tooltip="Move to the block up on the canvas",
            ),
            Binding(
                "down,j",
                "move('down')",
                "Down",
                show=False,
                id="canvas.down",
                tooltip="Move to the block down on the canvas",
            ),
            Binding(
                "left,h",
                "move('left')",
                "Left",
                show=False,
                id="canvas.left",
                tooltip="Move to the block left on the canvas",
            ),
            Binding(
                "right,l",
                "move('right')",
                "Right",
                show=False,
                id="canvas.right",
                tooltip="Move to the block right on the canvas",
            ),
            Binding("enter,e", "open_editor", "Edit", id="canvas.edit", tooltip="Open the block editor"),
            Binding(
                "space",
                "cycle_status",
                "Status",
                id="canvas.cycle",
                tooltip="Cycle the status: todo, draft, done",
            ),
            Binding("x", "toggle_skip", "Skip", id="canvas.skip", tooltip="Mark as not applicable"),
            Binding(
                "n",
                "next_unresolved",
                "Next open",
                id="canvas.next_unresolved",
                tooltip="Next block that is not done or skipped",
            ),
            Binding(
                "N",
                "next_unresolved(-1)",
                "Previous open",
                show=False,
                id="canvas.previous_unresolved",
                tooltip="Previous block that is not done or skipped",
            ),
            Binding(
                "home",
                "first",
                "First block",
                show=False,
                id="canvas.first",
                tooltip="The first block in fill order",
            ),
            Binding(
                "end",
                "last",
                "Last block",
                show=False,
                id="canvas.last",
                tooltip="The last block in fill order",
            ),
            Binding(
                "tab",
                "step(1)",
                "Next block",
                show=False,
                id="canvas.next",
                tooltip="Next block in fill order",
            ),
            Binding(
                "shift+tab",
                "step(-1)",
                "Previous block",
                show=False,
                id="canvas.previous",
                tooltip="Previous block in fill order",
            ),
            Binding("i", "edit_info", "Info", id="canvas.info", tooltip="Edit the header fields"),
            Binding(
                "ctrl+z",
                "undo",
                "Undo",
                show=False,
                id="canvas.undo",
                tooltip="Undo the last status or canvas info change",
            ),
            Binding(
                "ctrl+y",
                "redo",
                "Redo",
                show=False,
                id="canvas.redo",
                tooltip="Redo the last status or canvas info change undone",
            ),
            Binding(
                "slash", "search", "Search", id="canvas.search", tooltip="Search the text of every block"
            ),
            Binding("question_mark", "help", "Help", show=False, id="canvas.help", tooltip="Every key"),
            Binding("q", "quit", "Quit", show=False, id="canvas.quit", tooltip="Quit"),
        ]
    )

    DEFAULT_CSS = """
    CanvasScreen #columns { height: 1fr; }
    CanvasScreen .column { width: 1fr; height: 1fr; }
    CanvasScreen #search { dock: bottom; display: none; }
    CanvasScreen.-searching #search { display: block; }

    /* 80x24 up to 120x36: compact cards */
    CanvasScreen.-compact BlockCard { padding: 0; }

    /* Below 80x24: a scrolling list grouped by column */
    CanvasScreen.-list #columns { layout: vertical; overflow-y: auto; }
    CanvasScreen.-list .column { width: 1fr; height: auto; }
    CanvasScreen.-list .column-title { content-align: left middle; padding: 0 1; }
    CanvasScreen.-list BlockCard { height: 1; border: none; padding: 0; }
    CanvasScreen.-list BlockCard.-current { background: $accent 40%; }
    /* One row per block: a hit is marked by its colour, never by a border (which has no room). */
    CanvasScreen.-list BlockCard.-hit, CanvasScreen.-list BlockCard.-current.-hit {
        border: none; text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.current = ""
        self.preferred_row: int | None = None
        self.hits: list[str] = []
        self._stale = False  # changes happened while another screen was on top
        self._sized = False  # the cards' heights have been set for the grid or the list

    @property
    def canvas_app(self) -> CanvasHost:
        return cast("CanvasHost", self.app)

    def compose(self) -> ComposeResult:
        canvas = self.canvas_app.canvas
        template = canvas.template
        yield CanvasHeader(canvas)
        with Horizontal(id="columns"):
            for column in template.columns:
                with Vertical(classes="column", id=f"column-{column.id}"):
                    yield ColumnTitle(
                        column.title,
                        canvas.column_progress(column.id),
                        id=f"column-title-{column.id}",
                        rationale=column.rationale,
                    )
                    for spec in template.blocks_in(column.id):
                        yield BlockCard(spec, canvas.blocks[spec.id], template)
        yield SearchBar(id="search")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._show_changes, init=False)
        self.watch(self.app, "also_open", self._show_header, init=False)
        self.select(self.canvas_app.start_block())
        self._show_changes()
        self._fit(self.app.size.width, self.app.size.height)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        as_list = width < GRID_SIZE[0] or height < GRID_SIZE[1]
        if as_list != self.has_class("-list") or not self._sized:
            self._size_cards(as_list)
        self.set_class(as_list, "-list")
        self.set_class(not as_list and (width < FULL_SIZE[0] or height < FULL_SIZE[1]), "-compact")
        if as_list and self.current:
            self.call_after_refresh(self.card(self.current).scroll_visible, animate=False)

    def _size_cards(self, as_list: bool) -> None:
        """On the grid a card is as tall as the rows it spans (a template may mix spans in a
        column); in the list every card is one line, as the list's CSS says."""
        self._sized = True
        for card in self.query(BlockCard):
            card.styles.height = None if as_list else f"{card.spec.row_span}fr"

    # -- showing -----------------------------------------------------------------------------

    def card(self, block_id: str) -> BlockCard:
        return self.query_one(f"#card-{block_id}", BlockCard)

    def _show_changes(self, _revision: int = 0) -> None:
        app = self.canvas_app
        if self.app.screen is not self:
            # Under the editor: a repaint here would repaint the editor's whole screen too.
            # on_screen_resume shows everything that changed meanwhile.
            self._stale = True
            return
        self._show_header()
        changed = None if self._stale else app.changed_block
        self._stale = False
        cards = [self.card(changed)] if changed else list(self.query(BlockCard))
        head = app.head
        for card in cards:
            card.committed = head.blocks.get(card.block_id) if head is not None else None
            if changed:
                card.findings = block_findings(app.canvas, card.block_id, app.lint_off)
            card.refresh()
        self._show_column_progress()
        if not changed:
            self._review_all()

    def _show_header(self, _names: object = None) -> None:
        """The header alone: who else has the canvas open changes no card."""
        if self.app.screen is not self:
            return  # on_screen_resume shows it
        app = self.canvas_app
        self.query_one(CanvasHeader).show(
            unsaved=app.dirty,
            file_mark=app.session.file_mark,
            file_name=app.session.path.name,
            also_open=app.also_open,
        )

    def _review_all(self) -> None:
        """Lint every block in a thread (long blocks take milliseconds each); cards show the result."""
        app = self.canvas_app

        def review() -> None:
            found = by_block(findings(app.canvas, app.lint_off))
            app.call_from_thread(self._show_findings, found)

        self.run_worker(review, thread=True, exclusive=True, group="lint", exit_on_error=False)

    def _show_findings(self, found: dict[str, list[Finding]]) -> None:
        for card in self.query(BlockCard):
            new = found.get(card.block_id, [])
            if new != card.findings:
                card.findings = new
                card.refresh()

    def _show_column_progress(self) -> None:
        """Each column's resolved/total at its title; the titles repaint only when a count changed."""
        canvas = self.canvas_app.canvas
        titles = {
            column.id: self.query_one(f"#column-title-{column.id}", ColumnTitle)
            for column in canvas.template.columns
        }
        changed = [title.show(canvas.column_progress(column_id)) for column_id, title in titles.items()]
        if any(changed):
            for title in titles.values():
                title.refresh()

    def select(self, block_id: str, *, preferred_row: int | None = None) -> None:
        """Make `block_id` the current block."""
        if self.current:
            previous = self.card(self.current)
            previous.remove_class("-current")
            previous.refresh()
        self.current = block_id
        self.preferred_row = preferred_row
        card = self.card(block_id)
        card.add_class("-current")
        card.refresh()
        card.scroll_visible(animate=False)
        self.call_after_refresh(self._keep_toasts_clear)

    def _keep_toasts_clear(self) -> None:
        """Notifications appear on the side of the screen away from the current block.

        The classes go on the toast rack, not the screen: a class on the screen restyles every
        widget on it, which on the first frame is most of the start-up's work.
        """
        if not self.current or not self.is_attached:
            return
        racks = self.query("ToastRack")  # Textual's own container of notifications, by its CSS type
        if not racks:
            return  # notifications are off (tests)
        region, size = self.card(self.current).region, self.size
        rack = racks.first()
        rack.set_class(region.y + region.height / 2 > size.height / 2, "-toasts-top")
        rack.set_class(region.x + region.width / 2 > size.width / 2, "-toasts-left")

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the search field is open, letters are typed into it, not run as canvas keys.
        return not self.has_class("-searching")

    def action_edit_info(self) -> None:
        self.canvas_app.action_edit_info()

    def action_help(self) -> None:
        self.canvas_app.action_help()

    def action_quit(self) -> None:
        self.canvas_app.action_request_quit()

    def action_move(self, move: str) -> None:
        if self.has_class("-list") and move in ("up", "down"):
            # The small-terminal list is one column: up and down walk it line by line.
            self.action_step(-1 if move == "up" else 1)
            return
        template = self.canvas_app.canvas.template
        target, row = neighbour(template, self.current, cast(Move, move), self.preferred_row)
        self.select(target, preferred_row=row)

    def action_step(self, direction: int) -> None:
        order = self.canvas_app.canvas.template.block_ids
        index = (order.index(self.current) + direction) % len(order)
        self.select(order[index])

    def action_first(self) -> None:
        self.select(self.canvas_app.canvas.template.block_ids[0])

    def action_last(self) -> None:
        self.select(self.canvas_app.canvas.template.block_ids[-1])

    def action_next_unresolved(self, direction: int = 1) -> None:
        target = self.canvas_app.canvas.next_unresolved(self.current, 1 if direction > 0 else -1)
        if target is None:
            self.notify("Every block is done or skipped.", title="All resolved")
        else:
            self.select(target)

    def action_open_editor(self) -> None:
        self.canvas_app.open_editor(self.current)

    def action_cycle_status(self) -> None:
        self.canvas_app.session.cycle_status(self.current)

    def action_toggle_skip(self) -> None:
        self.canvas_app.session.toggle_skip(self.current)

    def action_undo(self) -> None:
        step = self.canvas_app.session.undo()
        self._tell_step("Undone", step, "Nothing to undo (block text has its own undo in the editor).")

    def action_redo(self) -> None:
        self._tell_step("Redone", self.canvas_app.session.redo(), "Nothing to redo.")

    def _tell_step(self, done: str, step: Step | None, nothing: str) -> None:
        if step is None:
            self.notify(nothing, timeout=3)
            return
        if step.block_id is not None:
            self.select(step.block_id)
        self.notify(f"{done}: {step.what}", timeout=2)

    # -- search -------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.add_class("-searching")
        search = self.query_one(SearchBar)
        search.disabled = False
        # Focused now, not after a refresh: keys typed right behind `/` (a paste, a slow link) go
        # to the field, in the order they were typed.
        self.set_focus(search)
        self._mark_hits(search.value)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._mark_hits(event.value)
        if self.hits and self.current not in self.hits:
            self.jump_to_hit(1)  # bring the first match into view as you type

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        """enter: open the editor at the match in the current hit (the first hit if not on one)."""
        if not self.hits:
            self.jump_to_hit(1)
            return
        if self.current not in self.hits:
            self.jump_to_hit(1)
        query = self.query_one(SearchBar).value.strip()
        block_id = self.current
        self.close_search()
        self.canvas_app.open_editor(block_id, find=query)

    @on(SearchBar.Step)
    def _search_step(self, event: SearchBar.Step) -> None:
        self.jump_to_hit(event.direction)

    @on(SearchBar.ScopeChanged)
    def _search_scope_changed(self) -> None:
        self._mark_hits(self.query_one(SearchBar).value)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.close_search()

    def _mark_hits(self, query: str) -> None:
        search = self.query_one(SearchBar)
        needle = query.strip()
        self.hits = self.canvas_app.canvas.search(needle, titles=search.titles)
        for card in self.query(BlockCard):
            card.set_class(bool(needle) and card.block_id in self.hits, "-hit")
            card.set_class(bool(needle) and card.block_id not in self.hits, "-miss")
            match = needle if card.block_id in self.hits else ""
            if card.match != match:
                card.match = match
                card.refresh()
        search.show_count(needle, len(self.hits))

    def jump_to_hit(self, direction: int) -> None:
        if not self.hits:
            self.notify("No block contains that text.", severity="warning", timeout=2)
            return
        self.call_after_refresh(self._say_which_hit)
        order = self.canvas_app.canvas.template.block_ids
        self.select(next_hit(order, self.current, self.hits, direction))

    def _say_which_hit(self) -> None:
        if self.current in self.hits:
            title = self.canvas_app.canvas.template.block(self.current).title
            self.query_one(SearchBar).show_position(self.hits.index(self.current) + 1, len(self.hits), title)

    def close_search(self) -> None:
        self.remove_class("-searching")
        self.query_one(SearchBar).disabled = True
        for card in self.query(BlockCard):
            card.remove_class("-hit", "-miss")
            if card.match:
                card.match = ""
                card.refresh()
        self.set_focus(None)

    @on(BlockCard.Selected)
    def _card_clicked(self, event: BlockCard.Selected) -> None:
        self.select(event.card.block_id)
        if event.open_editor:
            self.action_open_editor()

    def on_screen_resume(self) -> None:
        """Back from an editor or a dialog: show what changed there and keep focus off inputs."""
        self._show_changes()
