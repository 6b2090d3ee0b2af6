"""The block's guidance text and its guiding questions, beside the editor (f2 hides it).

The questions are a checklist: f5 moves into it, up/down choose, space (or enter) marks the question
as answered by the block's text, and f5 or escape goes back to the text. The marks are the
block's `answered` list in the file, and the card shows them as `Q 3/5`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from canvas_tui.model import Block, BlockSpec


class QuestionList(Widget, can_focus=True):
    """The guiding questions with a mark each: `[x]` answered by the block's text, `[ ]` not yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous question", show=False, id="questions.previous"),
        Binding("down,j", "move(1)", "Next question", show=False, id="questions.next"),
        Binding(
            "space,enter,x",
            "mark",
            "Mark answered",
            show=False,
            id="questions.mark",
            tooltip="Mark or unmark the question as answered by the text",
        ),
    ]

    DEFAULT_CSS = """
    QuestionList { height: auto; }
    QuestionList > .question-list--cursor { text-style: reverse; }
    QuestionList > .question-list--answered { color: $success; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"question-list--cursor", "question-list--answered"}

    class Changed(Message):
        """The user marked or unmarked a question."""

        def __init__(self, answered: tuple[int, ...]) -> None:
            super().__init__()
            self.answered = answered

    cursor: reactive[int] = reactive(0)

    def __init__(self, questions: tuple[str, ...], answered: tuple[int, ...]) -> None:
        super().__init__(id="questions")
        self.questions = questions
        self.answered = answered

    def show(self, questions: tuple[str, ...], answered: tuple[int, ...]) -> None:
        self.questions, self.answered = questions, answered
        self.cursor = min(self.cursor, max(len(questions) - 1, 0))
        self.refresh(layout=True)

    def render(self) -> Text:
        out = Text()
        cursor_style = self.get_component_rich_style("question-list--cursor")
        answered_style = self.get_component_rich_style("question-list--answered")
        for index, question in enumerate(self.questions):
            number = index + 1
            mark = "[x]" if number in self.answered else "[ ]"
            line = Text(f"{mark} {number}. {question}")
            if number in self.answered:
                line.stylize(answered_style, 0, 3)
            if self.has_focus and index == self.cursor:
                line.stylize(cursor_style)
            out.append_text(line)
            if number < len(self.questions):
                out.append("\n")
        return out

    def action_move(self, step: int) -> None:
        if self.questions:
            self.cursor = (self.cursor + step) % len(self.questions)

    def action_mark(self) -> None:
        number = self.cursor + 1
        marked = set(self.answered) ^ {number}
        self.answered = tuple(sorted(marked))
        self.refresh()
        self.post_message(self.Changed(self.answered))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class GuidancePanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    GuidancePanel {
        width: 1fr;
        max-width: 50;
        border-left: vkey $canvas-border;
        padding: 0 1;
    }
    GuidancePanel > Static { width: 1fr; }
    """

    def __init__(self, spec: BlockSpec, block: Block) -> None:
        super().__init__(id="guidance")
        self._body = Static(self._render_spec(spec))
        self._heading = Static(self._heading_text(block, spec))
        self._questions = QuestionList(spec.questions, block.answered)
        self._review = Static(id="review")
        self._shown_findings: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        yield self._body
        yield self._review
        yield self._heading
        yield self._questions

    def show_findings(self, messages: list[str]) -> None:
        """What `canvas-tui lint` says of the block, above its questions; repainted only on change."""
        key = tuple(messages)
        if key == self._shown_findings:
            return
        self._shown_findings = key
        self._review.display = bool(messages)
        text = Text()
        text.append("Review (canvas-tui lint)\n", "bold")
        for message in messages:
            text.append(f"⚑ {message}\n")
        self._review.update(text)

    def show(self, spec: BlockSpec, block: Block) -> None:
        self._body.update(self._render_spec(spec))
        self._questions.show(spec.questions, block.answered)
        self._heading.update(self._heading_text(block, spec))
        self.scroll_home(animate=False)

    def answered_changed(self, block: Block, spec: BlockSpec) -> None:
        self._heading.update(self._heading_text(block, spec))

    @property
    def questions(self) -> QuestionList:
        return self._questions

    @staticmethod
    def _heading_text(block: Block, spec: BlockSpec) -> Text:
        text = Text()
        text.append("Guiding questions", "bold")
        text.append(f"  {len(block.answered)}/{len(spec.questions)} answered", "dim")
        return text

    @staticmethod
    def _render_spec(spec: BlockSpec) -> Text:
        text = Text()
        text.append("Guidance\n", "bold")
        text.append(spec.guidance + "\n", "italic")
        return text
