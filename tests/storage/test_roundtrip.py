"""Saving and loading a canvas: any text survives, and what the user wrote by hand is kept."""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit.items
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_tui.model import Status, normalise_newlines
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

EXAMPLE = Path(__file__).parents[2] / "examples" / "churn-early-warning.toml"

BLOCK_HEADER = re.compile(r"^\[blocks\.(\w+)\]", re.MULTILINE)

# st.text() leaves out lone surrogates (they cannot be UTF-8); the extra alphabet makes the
# characters that break TOML writers common instead of rare.
TRICKY = st.sampled_from(
    ['"', '"""', "'", "'''", "\\", "\\n", "\t", "\r", "\r\n", "\n", "\x00", "\x1b", "\x7f", "\x85",
     "\u2028", "\ufeff", " ", "#", "=", "[", "😀", "漢字", "e\u0301"]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=12).map("".join),
)


def block_order(text: str) -> list[str]:
    return BLOCK_HEADER.findall(text)


def text_item_types(path: Path) -> set[tomlkit.items.StringType]:
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    canvas_items = [document["canvas"].item(key) for key in ("product", "designed_by")]
    block_items = [table.item("text") for table in document["blocks"].values()]
    return {item.type for item in canvas_items + block_items}


# -- any text round-trips -----------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    block_id=st.sampled_from(load_template().block_ids),
    text=TEXTS,
    product=TEXTS,
    designed_by=TEXTS,
)
def test_any_text_survives_save_and_load(block_id: str, text: str, product: str, designed_by: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(shutil.copy(EXAMPLE, folder))
        canvas_file = CanvasFile.load(path)
        canvas_file.canvas.set_text(block_id, text)
        canvas_file.canvas.set_field("product", product)
        canvas_file.canvas.set_field("designed_by", designed_by)
        canvas_file.save()

        reloaded = CanvasFile.load(path)
        assert reloaded.canvas.block(block_id).text == normalise_newlines(text)
        assert reloaded.canvas.fields["product"] == normalise_newlines(product)
        assert reloaded.canvas.fields["designed_by"] == normalise_newlines(designed_by)
        assert reloaded.canvas.state() == canvas_file.canvas.state()
        assert reloaded.warnings == []

        plain = tomllib.loads(path.read_text(encoding="utf-8"))
        assert plain["blocks"][block_id]["text"] == normalise_newlines(text)
        assert plain["canvas"]["product"] == normalise_newlines(product)
        assert plain["canvas"]["designed_by"] == normalise_newlines(designed_by)

        raw = path.read_bytes()
        assert b"\r" not in raw
        # Basic strings only: text is never written as a literal ('...' or '''...''') string.
        assert text_item_types(path) <= {
            tomlkit.items.StringType.SLB,
            tomlkit.items.StringType.MLB,
        }
        if not any("'''" in value for value in (text, product, designed_by)):
            assert b"'''" not in raw


@settings(max_examples=50, deadline=None)
@given(texts=st.lists(TEXTS, min_size=15, max_size=15))
def test_a_new_canvas_with_text_everywhere_round_trips(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new.toml"
        canvas_file = CanvasFile.create(path, product="P")
        for block_id, text in zip(canvas_file.canvas.blocks, texts, strict=True):
            canvas_file.canvas.set_text(block_id, text)
        canvas_file.save()

        reloaded = CanvasFile.load(path)
        plain = tomllib.loads(path.read_text(encoding="utf-8"))
        for block_id, text in zip(reloaded.canvas.blocks, texts, strict=True):
            assert reloaded.canvas.block(block_id).text == normalise_newlines(text)
            assert plain["blocks"][block_id]["text"] == normalise_newlines(text)
        assert reloaded.canvas.state() == canvas_file.canvas.state()


def test_multi_line_text_is_a_basic_string_starting_on_its_own_line(example: Path) -> None:
    canvas_file = CanvasFile.load(example)
    canvas_file.canvas.set_text("lifetime", "first\nsecond\n")
    canvas_file.save()
    assert '[blocks.lifetime]\nstatus = "draft"\ntext = """\nfirst\nsecond\n"""\n' in (
        example.read_text(encoding="utf-8")
    )


def test_crlf_file_loads_with_lf_text_and_saves_as_lf(example: Path) -> None:
    example.write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    canvas_file = CanvasFile.load(example)
    assert "\r" not in canvas_file.canvas.block("background").text
    canvas_file.save()
    assert example.read_bytes() == EXAMPLE.read_bytes()


# -- what the user wrote survives ---------------------------------------------------------------


def test_unchanged_example_is_saved_byte_for_byte(example: Path) -> None:
    canvas_file = CanvasFile.load(example)
    assert canvas_file.warnings == []
    canvas_file.save()
    assert example.read_bytes() == EXAMPLE.read_bytes()


def test_unchanged_hand_written_file_is_saved_byte_for_byte(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy("good/hand_written.toml")
    original = path.read_bytes()
    CanvasFile.load(path).save()
    assert path.read_bytes() == original


def test_byte_order_mark_is_kept(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("good/bom.toml")
    canvas_file = CanvasFile.load(path)
    assert canvas_file.canvas.fields["product"] == "Starts with a byte-order mark"
    canvas_file.save()
    saved = path.read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf[canvas]\n")
    assert saved.count(b"\xef\xbb\xbf") == 1
    assert CanvasFile.load(path).canvas.fields["product"] == "Starts with a byte-order mark"


def test_the_text_is_the_file_as_opened_then_as_last_saved(fixture_copy: Callable[[str], Path]) -> None:
    """What lint and the merge driver read: never the byte-order mark, never a parse by tomlkit."""
    path = fixture_copy("good/bom.toml")
    canvas_file = CanvasFile.load(path)
    assert canvas_file.text == path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    assert isinstance(canvas_file.source, str)
    canvas_file.canvas.set_field("product", "Saved once")
    canvas_file.save()
    assert canvas_file.text == path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    assert 'product = "Saved once"' in canvas_file.text


def changed_lines(old: str, new: str) -> tuple[set[int], set[int]]:
    """Indexes of the old lines removed and the new lines added (0-based); insertions count the
    old line they go before, so they are placed too."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    removed: set[int] = set()
    added: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.update(range(i1, max(i2, i1 + 1)))
            added.update(range(j1, max(j2, j1 + 1)))
    return removed, added


def table_lines(text: str, header: str) -> range:
    """The lines of one table: from its header up to (not including) the next header."""
    lines = text.splitlines()
    start = lines.index(header)
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith("[")),
        len(lines),
    )
    return range(start, end)


def assert_diff_inside(old: str, new: str, header: str) -> None:
    removed, added = changed_lines(old, new)
    assert removed, "nothing changed"
    assert removed <= set(table_lines(old, header)), sorted(removed)
    assert added <= set(table_lines(new, header)), sorted(added)


def test_one_block_edit_changes_only_that_blocks_lines(example: Path) -> None:
    old = example.read_text(encoding="utf-8")
    canvas_file = CanvasFile.load(example)
    canvas_file.canvas.set_text("modelling", "A shorter answer.\nOn two lines.")
    canvas_file.save()
    assert_diff_inside(old, example.read_text(encoding="utf-8"), "[blocks.modelling]")


def test_one_status_change_changes_only_that_blocks_lines(example: Path) -> None:
    old = example.read_text(encoding="utf-8")
    canvas_file = CanvasFile.load(example)
    canvas_file.canvas.cycle_status("decision")
    canvas_file.save()
    new = example.read_text(encoding="utf-8")
    assert_diff_inside(old, new, "[blocks.decision]")
    assert changed_lines(old, new)[0] == {old.splitlines().index("[blocks.decision]") + 1}


def test_editing_the_last_block_changes_only_its_lines(example: Path) -> None:
    old = example.read_text(encoding="utf-8")
    canvas_file = CanvasFile.load(example)
    canvas_file.canvas.set_text("security", "")
    canvas_file.save()
    assert_diff_inside(old, example.read_text(encoding="utf-8"), "[blocks.security]")


def test_hand_written_extras_survive_an_edit(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("good/hand_written.toml")
    old = path.read_text(encoding="utf-8")
    canvas_file = CanvasFile.load(path)
    assert canvas_file.unknown_blocks == ["extra"]
    canvas_file.canvas.set_text("background", "Rewritten\nover two lines.")
    canvas_file.save()
    new = path.read_text(encoding="utf-8")

    assert_diff_inside(old, new, "[blocks.background]")
    # Every comment, and the key order of every table, is as it was.
    old_comments = [line for line in old.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == old_comments
    assert "iteration = 2  # bumped after the review" in new
    before, after = tomllib.loads(old), tomllib.loads(new)
    assert list(after["canvas"]) == list(before["canvas"])
    assert list(after["blocks"]["background"]) == ["text", "status", "note"]
    # Unknown keys, tables and blocks are kept with their values.
    assert after["canvas"]["owner"] == "x"
    assert after["blocks"]["background"]["note"] == 1
    assert after["tool"] == {"ci": {"min_resolved": 12}}
    assert after["blocks"]["extra"] == {"text": "A block this template does not have."}
    # Everything but the edited text is equal, value for value.
    after["blocks"]["background"]["text"] = before["blocks"]["background"]["text"]
    assert after == before


def test_a_native_toml_date_stays_a_date(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("good/hand_written.toml")
    canvas_file = CanvasFile.load(path)
    assert canvas_file.canvas.fields["date"] == "2026-01-15"
    canvas_file.canvas.set_field("date", "2026-02-01")
    canvas_file.save()
    assert "\ndate = 2026-02-01\n" in path.read_text(encoding="utf-8")


def test_missing_blocks_are_added_in_fill_order(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy("good/missing_blocks.toml")
    canvas_file = CanvasFile.load(path)
    template_order = list(canvas_file.canvas.template.block_ids)
    assert block_order(path.read_text(encoding="utf-8")) == ["objectives", "fairness"]
    assert canvas_file.canvas.block("security").status is Status.TODO
    canvas_file.save()
    saved = path.read_text(encoding="utf-8")
    assert block_order(saved) == template_order
    data = tomllib.loads(saved)
    assert data["blocks"]["objectives"] == {"status": "draft", "text": "Cut churn."}
    assert data["blocks"]["fairness"] == {"status": "done", "text": "Checked per group."}
    assert data["blocks"]["security"] == {"status": "todo", "text": ""}
    assert "# Only two blocks" in saved
    # Saved once, the file is complete: saving again changes nothing.
    CanvasFile.load(path).save()
    assert path.read_text(encoding="utf-8") == saved


def test_a_block_missing_from_the_middle_is_added_at_its_place(example: Path) -> None:
    full = example.read_text(encoding="utf-8")
    lifetime = full[full.index("[blocks.lifetime]") : full.index("[blocks.fairness]")]
    example.write_text(full.replace(lifetime, ""), encoding="utf-8")
    CanvasFile.load(example).save()
    assert example.read_text(encoding="utf-8") == full


def test_missing_status_is_derived_and_not_written(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy("good/missing_status.toml")
    canvas_file = CanvasFile.load(path)
    assert canvas_file.canvas.block("background").status is Status.TODO
    assert canvas_file.canvas.block("value_proposition").status is Status.DRAFT
    canvas_file.save()
    blocks = tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]
    assert "status" not in blocks["background"]
    assert "status" not in blocks["value_proposition"]


def test_typing_into_a_block_without_status_still_writes_no_status(
    fixture_copy: Callable[[str], Path],
) -> None:
    """todo -> draft by typing is what the derived status says too, so nothing to write."""
    path = fixture_copy("good/missing_status.toml")
    canvas_file = CanvasFile.load(path)
    canvas_file.canvas.set_text("background", "Now there is text.")
    canvas_file.save()
    assert "status" not in tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]["background"]
    assert CanvasFile.load(path).canvas.block("background").status is Status.DRAFT


def test_a_status_that_differs_from_the_derived_one_is_written(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy("good/missing_status.toml")
    canvas_file = CanvasFile.load(path)
    canvas_file.canvas.set_status("value_proposition", Status.DONE)
    canvas_file.save()
    blocks = tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]
    assert blocks["value_proposition"]["status"] == "done"
    assert "status" not in blocks["background"]


def test_unknown_status_warns_and_is_kept_through_other_edits(
    fixture_copy: Callable[[str], Path],
) -> None:
    path = fixture_copy("good/unknown_status.toml")
    canvas_file = CanvasFile.load(path)
    assert len(canvas_file.warnings) == 1
    warning = canvas_file.warnings[0]
    assert f"{path}:6:" in warning and '"wip"' in warning and "\n" not in warning
    background = canvas_file.canvas.block("background")
    assert (background.status, background.unknown_status) == (Status.DRAFT, '"wip"')

    canvas_file.canvas.set_text("value_proposition", "More value.")
    canvas_file.canvas.set_text("background", "Edited, status untouched.")
    canvas_file.save()
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["blocks"]["background"]["status"] == "wip"
    assert data["blocks"]["background"]["text"] == "Edited, status untouched."

    canvas_file.canvas.set_status("background", Status.DONE)
    canvas_file.save()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["blocks"]["background"]["status"] == "done"
    assert CanvasFile.load(path).warnings == []
