"""The block editor: one block's text, its status, and its guidance and guiding questions.

Quick drafting never needs the canvas: alt+down / alt+up go straight to the next or previous
block's editor, and the status keys are f-keys because the text area swallows printable keys.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Key, Paste, Resize
from textual.timer import Timer
from textual.widgets import Static, TextArea
from textual.widgets.text_area import EditHistory

from canvas_tui.files.atomic import atomic_write, read_file
from canvas_tui.lint import block_findings
from canvas_tui.model import normalise_newlines
from canvas_tui.model.conflicts import conflict_labels, conflict_sides, has_conflict_marker, settle_conflict
from canvas_tui.model.text import restore_controls, visible_controls
from canvas_tui.storage.reading import MAX_FILE_BYTES
from canvas_tui.tui.bindings import in_typed_order
from canvas_tui.tui.screens.closing import ClosesOnce
from canvas_tui.tui.widgets.block_editor import BlockEditor
from canvas_tui.tui.widgets.canvas_header import unsaved_mark
from canvas_tui.tui.widgets.guidance_panel import GuidancePanel, QuestionList
from canvas_tui.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from canvas_tui.tui.host import CanvasHost

REVIEW_DELAY = 0.4
"""Seconds after the last change before the block is linted again (the guidance panel's review)."""
GUIDANCE_MIN_WIDTH = 70
"""Narrower than this, the guidance panel starts hidden (f2 still shows it)."""
EDITING_ACTIONS = frozenset(
    {
        "delete_left",
        "delete_word_left",
        "delete_right",
        "delete_word_right",
        "cut",
        "paste",
        "delete_to_start_of_line",
        "delete_to_end_of_line_or_delete_line",
        "delete_line",
    }
)
"""The text area's actions that change the text: in a read-only canvas, their keys are refused
out loud, like typing, instead of doing nothing without a word."""


class EditorScreen(ClosesOnce[str]):
    """Edits one block at a time; dismisses with the id of the block last edited."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *in_typed_order(
            [
                Binding(
                    "escape",
                    "close",
                    "Back",
                    id="editor.close",
                    priority=True,
                    tooltip="Back to the canvas",
                ),
                Binding(
                    "alt+down,ctrl+pagedown",
                    "step(1)",
                    "Next",
                    id="editor.next",
                    tooltip="Go straight to the next block's editor",
                ),
                Binding(
                    "alt+up,ctrl+pageup",
                    "step(-1)",
                    "Prev",
                    id="editor.previous",
                    tooltip="Go straight to the previous block's editor",
                ),
                Binding(
                    "f2",
                    "toggle_guidance",
                    "Guidance",
                    id="editor.guidance",
                    tooltip="Show or hide the guidance and questions",
                ),
                Binding(
                    "f3",
                    "cycle_status",
                    "Status",
                    id="editor.cycle",
                    tooltip="Cycle the status: todo, draft, done",
                ),
                Binding("f4", "toggle_skip", "Skip", id="editor.skip", tooltip="Mark as not applicable"),
                Binding(
                    "f5",
                    "questions",
                    "Questions",
                    id="editor.questions",
                    tooltip="Mark guiding questions as answered: f5 into the list, space marks, f5 back",
                ),
                Binding(
                    "f9",
                    "resolve",
                    "Resolve",
                    id="editor.resolve",
                    tooltip="Settle this block's merge conflict: keep ours, theirs or both",
                ),
                Binding(
                    "ctrl+o",
                    "external_editor",
                    "$EDITOR",
                    id="editor.external",
                    tooltip="Edit this block's text in $VISUAL or $EDITOR",
                ),
            ]
        ),
        Binding("ctrl+z", "undo", "Undo", show=False, id="editor.undo", tooltip="Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="editor.redo", tooltip="Redo"),
    ]

    FOOTER_PRIORITY = (
        "editor.close",
        "editor.resolve",
        "editor.cycle",
        "editor.skip",
        "editor.questions",
        "editor.external",
        "editor.next",
        "editor.guidance",
        "editor.previous",
    )
    """The keys the footer keeps when not all fit (80 columns): the way out, the status keys, the
    questions and the outside editor, which only the footer tells of; then moving on, which the
    canvas also offers, and the guidance panel, which is on screen to be seen."""

    DEFAULT_CSS = """
    EditorScreen #editor-title {
        height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    EditorScreen #editor-body { height: 1fr; }
    EditorScreen.-no-guidance #guidance { display: none; }
    """

    def __init__(self, block_id: str, *, find: str = "") -> None:
        super().__init__()
        self.block_id = block_id
        self.find = find
        """Search text to put the cursor on (marked, not selected) when the editor opens."""
        self._guidance_chosen: bool | None = None
        self._title_shown: Text | None = None
        self._parked: dict[str, tuple[EditHistory, str, tuple[int, int]]] = {}
        self._review_timer: Timer | None = None

    @property
    def canvas_app(self) -> CanvasHost:
        return cast("CanvasHost", self.app)

    def compose(self) -> ComposeResult:
        canvas = self.canvas_app.canvas
        spec = canvas.template.block(self.block_id)
        yield Static(id="editor-title")
        with Horizontal(id="editor-body"):
            yield BlockEditor(visible_controls(canvas.blocks[self.block_id].text))
            yield GuidancePanel(spec, canvas.blocks[self.block_id])
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._show_title, init=False)
        self.watch(self.app, "external_revision", self._reload_text, init=False)
        self._show_title()
        self._fit(self.app.size.width)
        editor = self.query_one(BlockEditor)
        editor.read_only = self.canvas_app.session.read_only
        editor.move_cursor(editor.document.end)
        if self.find:
            self._mark_first(editor, self.find)
        editor.text_listener = self._push_text
        self._show_findings()
        editor.focus()

    @staticmethod
    def _mark_first(editor: BlockEditor, needle: str) -> None:
        """Put the cursor on the first case-insensitive occurrence of `needle`, marked and scrolled
        into view. Not selected: the first key typed inserts there instead of replacing the match."""
        for row, line in enumerate(editor.document.lines):
            column = line.casefold().find(needle.casefold())
            if column >= 0 and len(line.casefold()) == len(line):
                editor.mark_match((row, column), (row, column + len(needle)))
                editor.scroll_cursor_visible(center=True)
                return

    def on_screen_suspend(self) -> None:
        # A dialog or the palette on top: its own field has the cursor (drawn, as Textual does).
        self.query_one(BlockEditor).terminal_cursor(False)

    def on_screen_resume(self) -> None:
        editor = self.query_one(BlockEditor)
        editor.terminal_cursor(editor.has_focus)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if self._guidance_chosen is None:
            self.set_class(width < GUIDANCE_MIN_WIDTH, "-no-guidance")

    def _show_title(self, _revision: int = 0) -> None:
        # Read-only can begin or end while the editor is open (the lock, Save as).
        self.query_one(BlockEditor).read_only = self.canvas_app.session.read_only
        canvas = self.canvas_app.canvas
        spec = canvas.template.block(self.block_id)
        block = canvas.blocks[self.block_id]
        order = canvas.template.block_ids
        column = canvas.template.column(spec.column).title
        text = Text(no_wrap=True, overflow="ellipsis")
        # Most important first: a narrow terminal cuts the end of this line.
        text.append(spec.title, "bold")
        text.append(f"  {block.status.label}")
        if has_conflict_marker(block.text):
            text.append("  ⚠ merge conflict: f9 resolves", "bold red")
        if self.canvas_app.session.file_mark:
            text.append(f"  [{self.canvas_app.session.file_mark}]", "bold red")
        if self.canvas_app.dirty:
            text.append(f"  ● {unsaved_mark(self.canvas_app.session.file_mark)}", "bold yellow")
        text.append(f"   {column} · block {order.index(self.block_id) + 1}/{len(order)}", "dim")
        self._review_soon()  # the text or the status may have changed what lint says
        if text != self._title_shown:  # this runs on every keystroke: repaint only on change
            self._title_shown = text
            self.query_one("#editor-title", Static).update(text)

    def _reload_text(self, _revision: int = 0) -> None:
        """The block's text changed outside this editor (reload, merge, restore): show it."""
        editor = self.query_one(BlockEditor)
        block = self.canvas_app.canvas.blocks[self.block_id]
        questions = self.query_one(GuidancePanel).questions
        if questions.answered != block.answered:
            questions.show(questions.questions, block.answered)
        text = block.text
        if self._text_of(editor) != text:
            cursor = editor.cursor_location
            # An edit of its own, not load_text (which forgets the history): ctrl+z here brings back
            # the text the disk's version replaced. Checkpoints on both sides keep it one step,
            # apart from what was typed just before and just after.
            editor.history.checkpoint()
            editor.replace(visible_controls(text), (0, 0), editor.document.end)
            editor.history.checkpoint()
            editor.move_cursor(cursor)
            self.canvas_app.text_replaced(self.block_id)

    def on_key(self, event: Key) -> None:
        """Type-ahead that arrived with the key that opened the editor still goes into the text."""
        # Printable keys only reach the screen when they were sent before the editor had focus.
        editor = self.query_one(BlockEditor)
        if self.query_one(GuidancePanel).questions.has_focus:
            return  # space marks a question there
        if editor.read_only:
            # The text area ignores edit keys when read-only; the session says why, once.
            if event.is_printable or event.key == "enter" or self._edits_text(event.key):
                self.canvas_app.session.may_edit("text")
                event.stop()
                event.prevent_default()
            return
        if event.is_printable and event.character:
            editor.focus()
            editor.insert(event.character)
            event.stop()
            event.prevent_default()

    def _edits_text(self, key: str) -> bool:
        active = self.active_bindings.get(key)
        return active is not None and active.binding.action in EDITING_ACTIONS

    def on_paste(self, event: Paste) -> None:
        if self.query_one(BlockEditor).read_only:
            self.canvas_app.session.may_edit("text")
            event.stop()

    # -- editing -----------------------------------------------------------------------------

    def _push_text(self, shown: str) -> None:
        """The editor's text changed: it goes into the session at once (no queue to overtake)."""
        session = self.canvas_app.session
        taken = session.set_text(self.block_id, normalise_newlines(restore_controls(shown)))
        if not taken and session.read_only:
            # Refused: the editor goes back to the block's text rather than show what is not kept.
            self.call_later(self._reload_text)

    def _review_soon(self) -> None:
        """Lint a moment after the last change, not on every key: a long block takes milliseconds."""
        if self._review_timer is None:
            self._review_timer = self.set_timer(REVIEW_DELAY, self._show_findings)
        else:
            self._review_timer.reset()

    def _show_findings(self) -> None:
        self._review_timer = None
        app = self.canvas_app
        found = block_findings(app.canvas, self.block_id, app.lint_off)
        self.query_one(GuidancePanel).show_findings([finding.message for finding in found])

    @staticmethod
    def _text_of(editor: TextArea) -> str:
        """The block text the editor holds: pictured control characters back, newlines LF."""
        return normalise_newlines(restore_controls(editor.text))

    def action_close(self) -> None:
        panel = self.query_one(GuidancePanel)
        if panel.questions.has_focus:  # escape leaves the question list first
            self.query_one(BlockEditor).focus()
            return
        self.canvas_app.save_if_autosaving()
        self.dismiss(self.block_id)

    def action_questions(self) -> None:
        """f5: into the guiding questions (showing the panel if hidden), and back to the text."""
        panel = self.query_one(GuidancePanel)
        if panel.questions.has_focus:
            self.query_one(BlockEditor).focus()
            return
        if self.has_class("-no-guidance"):
            self._guidance_chosen = True
            self.set_class(False, "-no-guidance")
        panel.questions.focus()

    @on(QuestionList.Changed)
    def _answered_changed(self, event: QuestionList.Changed) -> None:
        self.canvas_app.session.set_answered(self.block_id, event.answered)
        block = self.canvas_app.canvas.blocks[self.block_id]
        questions = self.query_one(GuidancePanel).questions
        if questions.answered != block.answered:  # refused (read-only): the marks stay as they are
            questions.show(questions.questions, block.answered)
        spec = self.canvas_app.canvas.template.block(self.block_id)
        self.query_one(GuidancePanel).answered_changed(block, spec)

    def action_step(self, direction: int) -> None:
        """Show the next (or previous) block in fill order in this same editor."""
        self.canvas_app.save_if_autosaving()
        canvas = self.canvas_app.canvas
        order = canvas.template.block_ids
        editor = self.query_one(BlockEditor)
        # Each block keeps its own undo history while this editor is open: park the one of the
        # block we leave (load_text would clear it) and take back the one of the block we enter.
        self._parked[self.block_id] = (editor.history, editor.text, editor.cursor_location)
        self.block_id = order[(order.index(self.block_id) + direction) % len(order)]
        editor.history = EditHistory(
            max_checkpoints=editor.history.max_checkpoints,
            checkpoint_timer=editor.history.checkpoint_timer,
            checkpoint_max_characters=editor.history.checkpoint_max_characters,
        )
        shown = visible_controls(canvas.blocks[self.block_id].text)
        editor.load_text(shown)
        parked = self._parked.pop(self.block_id, None)
        if parked is not None and parked[1] == shown:  # not changed elsewhere meanwhile
            editor.history = parked[0]
            editor.move_cursor(parked[2])
        else:
            editor.move_cursor(editor.document.end)
        self.query_one(GuidancePanel).show(canvas.template.block(self.block_id), canvas.blocks[self.block_id])
        self._show_findings()
        self._show_title()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve":  # only a block with a merge conflict offers it
            return has_conflict_marker(self.canvas_app.canvas.blocks[self.block_id].text)
        return True

    def action_resolve(self) -> None:
        """f9: keep ours, theirs or both of a conflict the git merge driver left in this block."""
        from canvas_tui.tui.screens.resolve_screen import ResolveScreen

        if not self.canvas_app.session.may_edit("text"):
            return

        text = self.canvas_app.canvas.blocks[self.block_id].text
        sides = conflict_sides(text)
        if sides is None:
            return
        title = self.canvas_app.canvas.template.block(self.block_id).title

        def settle(keep: str | None) -> None:
            if keep:
                editor = self.query_one(BlockEditor)
                # replace(), so ctrl+z brings the conflict back
                editor.replace(visible_controls(settle_conflict(text, keep)), (0, 0), editor.document.end)

        self.app.push_screen(ResolveScreen(title, *sides, conflict_labels(text)), settle)

    def action_toggle_guidance(self) -> None:
        self._guidance_chosen = self.has_class("-no-guidance")
        self.set_class(not self._guidance_chosen, "-no-guidance")

    def action_cycle_status(self) -> None:
        self.canvas_app.session.cycle_status(self.block_id)

    def action_toggle_skip(self) -> None:
        self.canvas_app.session.toggle_skip(self.block_id)

    def action_undo(self) -> None:
        self.query_one(BlockEditor).undo()

    def action_redo(self) -> None:
        self.query_one(BlockEditor).redo()

    def action_external_editor(self) -> None:
        """Write the text to a temp file, run $VISUAL/$EDITOR on it, and take the result back.

        When the editor fails or leaves text that is not UTF-8, what it wrote is kept next to the
        canvas (and the block is left as it was), so an outside edit is never thrown away.
        """
        if not self.canvas_app.session.may_edit("text"):
            return  # before the outside editor opens: what was written there would be lost
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        editor = self.query_one(BlockEditor)
        before = self._text_of(editor)
        with tempfile.TemporaryDirectory(prefix="canvas-tui-") as folder:
            path = Path(folder) / f"{self.block_id}.md"
            path.write_text(before, encoding="utf-8")
            try:
                with self.app.suspend():
                    code = subprocess.call([*shlex.split(command), str(path)])
            except (OSError, ValueError) as error:
                self.notify(f"Could not run {command!r}: {error}", severity="error")
                return
            try:
                # The editor may leave anything under the name: read a regular file, bounded.
                raw = read_file(path, limit=MAX_FILE_BYTES)
            except OSError as error:
                self.notify(f"Not taken back: {error.strerror or error}", severity="error")
                return
            try:
                text = normalise_newlines(raw.decode("utf-8"))
            except UnicodeDecodeError:
                self._keep_outside_edit(raw, "it is not UTF-8 text")
                return
            if code != 0:
                if text != before:
                    self._keep_outside_edit(raw, f"{command} exited with code {code}")
                else:
                    self.notify(
                        f"{command} exited with code {code}; text left as it was.", severity="warning"
                    )
                return
        if text == before + "\n":
            # vi and others end every file they write with a newline: one added to an unchanged
            # text is theirs, not the user's. Any other text is kept exactly as the editor left
            # it; a line the user appended keeps its line break.
            text = before
        if text != before:
            # replace() rather than load_text() so ctrl+z can undo the whole outside edit.
            editor.replace(visible_controls(text), (0, 0), editor.document.end)

    def _keep_outside_edit(self, raw: bytes, reason: str) -> None:
        canvas_path = self.canvas_app.document.path
        kept = canvas_path.with_name(f"{canvas_path.stem}.{self.block_id}.from-editor.md")
        try:
            # A name the user did not type: never written through a link planted there.
            atomic_write(kept, raw, follow_links=False)
        except OSError as error:
            self.notify(f"Not taken back ({reason}), and could not keep it: {error}", severity="error")
            return
        self.notify(
            f"Not taken back ({reason}); what the editor wrote is in {kept}.", severity="warning", timeout=15
        )
