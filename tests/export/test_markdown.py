"""Markdown export: README-ready, and block text can never fake or swallow a heading."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from tests.export.conftest import check_golden

from canvas_tui.export.markdown import NOT_APPLICABLE, NOT_FILLED, render_markdown, safe_block_markdown
from canvas_tui.importing.own_exports import META
from canvas_tui.model import Canvas, Status, Template
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

# What GitHub renders: CommonMark with the GFM table and strikethrough extensions.
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def headings(markdown: str) -> list[tuple[str, str]]:
    """(tag, text) of every heading a CommonMark parser finds, containers included."""
    tokens = PARSER.parse(markdown)
    return [
        (token.tag, tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def expected_headings(canvas: Canvas) -> list[tuple[str, str]]:
    template = canvas.template
    product = str(canvas.fields.get("product", ""))
    shown = " ".join(product.split()).replace("\\", "\\\\").replace("<", "\\<")  # as written, escaped
    expected = [("h1", shown or template.title)]
    for column in template.columns:
        expected.append(("h2", column.title))
        for spec in template.blocks_in(column.id):
            block = canvas.blocks[spec.id]
            coverage = f" · Q {len(block.answered)}/{len(spec.questions)}" if block.answered else ""
            expected.append(("h3", f"{spec.title} · {block.status.label}{coverage}"))
    return expected


def test_example_matches_golden(example_document: CanvasFile) -> None:
    check_golden("churn-early-warning.md", render_markdown(example_document.canvas))


def test_example_has_exactly_the_column_and_block_headings(example_document: CanvasFile) -> None:
    found = headings(render_markdown(example_document.canvas))
    assert found == expected_headings(example_document.canvas)
    assert found[:3] == [
        ("h1", "Churn early warning"),  # the product's name: the README's section is about it
        ("h2", "Problem"),
        ("h3", "Background · ● done"),  # no `Q 0/5` while no question is marked
    ]
    assert ("h3", "Lifetime · ○ todo") in found
    assert len(found) == 1 + 6 + 15


def test_example_layout(example_document: CanvasFile) -> None:
    markdown = render_markdown(example_document.canvas)
    canvas = example_document.canvas
    assert "| Churn early warning | Growth data team | 2026-11-26 | 3 |" in markdown
    assert "**Progress:** 8/15 resolved · ● 8 done · ⊘ 0 skip · ◐ 6 draft · ○ 1 todo" in markdown
    assert f"### Lifetime · ○ todo\n\n{NOT_FILLED}\n" in markdown
    # Each block's text is there as written, in fill order.
    positions = [
        markdown.index(canvas.blocks[block_id].text.strip())
        for block_id in canvas.template.block_ids
        if canvas.blocks[block_id].text
    ]
    assert positions == sorted(positions)
    assert markdown.rstrip().endswith(f"_{canvas.template.attribution}_")


def test_skipped_empty_block_says_not_applicable(template: Template) -> None:
    canvas = Canvas.new(template)
    canvas.set_status("fairness", Status.SKIP)
    markdown = render_markdown(canvas)
    assert f"### Fairness · ⊘ skip\n\n{NOT_APPLICABLE}\n" in markdown
    assert markdown.count(NOT_FILLED) == 14


def test_header_fields_cannot_break_the_table(template: Template) -> None:
    canvas = Canvas.new(template, product="A | B\nC")
    markdown = render_markdown(canvas)
    assert "| A \\| B C |" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(rows) == 3


MARKDOWN_KEPT = [
    "**Bold**, _italic_, `code`, [a link](https://example.com) and ~~struck~~.",
    "- a list\n- of items\n\n1. numbered\n2. too",
    "> a quote\n> over two lines",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```python\nprint('# not a heading in code')\n```",
    "    # indented code, not a heading",
    "#hashtag is not a heading",
    "Costs 5 - 3 = 2 and a+b == c.",
    "a paragraph\n\n---\n\nafter a thematic break",
]


def test_user_markdown_stays_as_written(template: Template) -> None:
    for text in MARKDOWN_KEPT:
        assert safe_block_markdown(text) == text
        canvas = Canvas.new(template)
        canvas.set_text("background", text)
        markdown = render_markdown(canvas)
        assert f"\n\n{text}\n\n" in markdown
        assert headings(markdown) == expected_headings(canvas)


HOSTILE = [
    "# A heading the user typed",
    "  ### indented heading ###",
    "Setext title\n============",
    "Setext subtitle\n---",
    "> # heading in a quote",
    "- # heading in a list",
    "1. item\n   ---",
    "```\nan unclosed fence would swallow the rest",
    "~~~~\nan unclosed tilde fence\n~~~",
    "<!-- an unclosed comment",
    "<pre>\nan unclosed pre",
    "<h2>an HTML heading</h2>",
    "inline <H1 class='x'>heading</h1> tag",
    "#",
    "text\n#\n=",
]


def test_hostile_block_text_creates_no_heading(template: Template) -> None:
    for text in HOSTILE:
        canvas = Canvas.new(template)
        canvas.set_text("background", text)
        canvas.set_text("security", text)  # the last block too: nothing after it to swallow but the end
        assert headings(render_markdown(canvas)) == expected_headings(canvas), text


def test_escaping_is_minimal() -> None:
    assert safe_block_markdown("# Title\nbody") == "\\# Title\nbody"
    assert safe_block_markdown("Title\n===") == "Title\n\\==="
    assert safe_block_markdown("> ## quoted") == "> \\## quoted"
    assert safe_block_markdown("```\ncode") == "```\ncode\n```"


MARKDOWNISH = st.text(alphabet=st.sampled_from(list("#=-~`<>*_|!\\ \t\n1.)h2H3abc/")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(MARKDOWNISH, st.text(max_size=80)))
def test_any_block_text_keeps_the_heading_structure(text: str) -> None:
    canvas = Canvas.new(load_template())
    canvas.set_text("data_collection", text)
    canvas.set_text("security", text)
    assert headings(render_markdown(canvas)) == expected_headings(canvas)


def html_pieces(markdown: str) -> list[str]:
    """The raw HTML a CommonMark renderer would pass through to the page."""
    found = []
    for token in PARSER.parse(markdown):
        if token.type == "html_block" and META.match(token.content.strip()):
            continue  # the export's own hidden comment (template, marked questions), not the user's
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


RAW_HTML = [
    "<script>alert(1)</script>",
    "an image <img src=x onerror=alert(1)> inline",
    "<div>\n<p>a block</p>\n</div>",
    "<!-- hidden -->",
    "> <b>in a quote</b>",
    "- <i>in a list</i>",
    "| <b>a</b> | b |\n|---|---|\n| <u>1</u> | 2 |",
    "an escaped backslash \\\\<b>then a tag</b>",
    "x <?php ?> <!DOCTYPE html> <![CDATA[x]]>",
    '<a\nhref="javascript:alert(1)">across lines</a>',
]


def test_raw_html_in_block_text_is_escaped(template: Template) -> None:
    for text in RAW_HTML:
        canvas = Canvas.new(template, product="<img src=x onerror=alert(1)>")
        canvas.set_text("background", text)
        markdown = render_markdown(canvas)
        assert html_pieces(markdown) == [], text
        assert headings(markdown) == expected_headings(canvas), text
        # The tags still show, as text.
        rendered = PARSER.render(markdown)
        assert "&lt;img src=x onerror=alert(1)&gt;" in rendered


def test_html_escaping_is_minimal() -> None:
    assert safe_block_markdown("<script>x</script>") == "\\<script>x\\</script>"
    kept = "a < b, `<b>code</b>`, <https://example.com> and\n\n    <i>indented code</i>"
    assert safe_block_markdown(kept) == kept
    assert safe_block_markdown("```\n<script>\n```") == "```\n<script>\n```"


HTMLISH = st.text(alphabet=st.sampled_from(list("<>/!?-`\\ \n\"'=abi")), max_size=50)


@settings(max_examples=200, deadline=None)
@given(text=HTMLISH)
def test_no_block_text_passes_raw_html(text: str) -> None:
    canvas = Canvas.new(load_template())
    canvas.set_text("data_collection", text)
    markdown = render_markdown(canvas)
    assert html_pieces(markdown) == []
    assert headings(markdown) == expected_headings(canvas)


def test_marked_questions_show_their_count_and_heading_level_moves_every_heading(template: Template) -> None:
    canvas = Canvas.new(template, product="Rocket")
    canvas.set_answered("objectives", [1, 3])
    markdown = render_markdown(canvas, heading_level=3)
    found = headings(markdown)
    assert found[0] == ("h3", "Rocket")
    assert {tag for tag, _ in found[1:]} == {"h4", "h5"}
    assert ("h5", "Objectives · ○ todo · Q 2/5") in found
    assert "guiding questions answered: 2/75" in markdown
    assert 'answered="objectives:1,3"' in markdown.splitlines()[2]


def test_heading_level_beyond_markdown_is_refused(template: Template) -> None:
    with pytest.raises(ValueError, match="1 to 4"):
        render_markdown(Canvas.new(template), heading_level=5)
