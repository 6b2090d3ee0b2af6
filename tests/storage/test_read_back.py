"""A save's read-back check reads only the long texts that changed, and always equals tomllib's reading.

storage/readback.py swaps each long multi-line string for a placeholder, parses the rest, and puts
the strings' values back. These check it against `tomllib.loads` of the whole text, on layouts made to
trip it: the same long text twice, a long text quoted inside another string, in a comment-free array,
next to quotes, as an invalid token; and that a save after a one-block edit parses only that block.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.storage import CanvasFile
from canvas_tui.storage.readback import MIN_TOKEN, read_back

LONG = "\n".join(f"line {n}: some prose with 'quotes', \"double\" ones and a \\ backslash" for n in range(60))
assert len(LONG) > MIN_TOKEN


def mlb(text: str) -> str:
    return '"""\n' + text.replace("\\", "\\\\") + '"""'


def check(text: str, tokens: list[str], known: dict[str, str] | None = None) -> dict[str, Any]:
    data, values = read_back(text, tokens, known or {})
    assert data == tomllib.loads(text)
    for token, value in values.items():
        assert tomllib.loads(f"v = {token}")["v"] == value
    return data


def test_block_texts_are_read_as_tomllib_reads_them() -> None:
    a, b = mlb(LONG), mlb(LONG + "\nmore")
    text = (
        f'[canvas]\nproduct = "x"\n\n[blocks.one]\ntext = {a}\n\n[blocks.two]\nstatus = "draft"\ntext = {b}\n'
    )
    _, values = read_back(text, [a, b], {})
    assert set(values) == {a, b}
    check(text, [a, b])


def test_the_same_long_text_twice() -> None:
    a = mlb(LONG)
    text = f"[blocks.one]\ntext = {a}\n[blocks.two]\ntext = {a}\n"
    check(text, [a, a])


def test_a_long_text_quoted_inside_another_string_is_not_taken_for_the_value() -> None:
    a = mlb(LONG)
    # The same characters sit first inside a multi-line literal string, then as the real value.
    text = f"[blocks.one]\nnote = '''\nx{a}y'''\ntext = {a}\n"
    check(text, [a])
    text = f"[blocks.one]\nnote = '''\n{a}'''\n"
    check(text, [a])


def test_long_texts_in_an_array_and_an_inline_table() -> None:
    a, b = mlb(LONG), mlb(LONG + "!")
    text = f"[blocks.one]\nitems = [\n  {a},\n  {b},\n]\nt = {{ x = {a} }}\n"
    check(text, [a, b, a])


def test_quotes_next_to_a_token_leave_it_in_place() -> None:
    a = mlb(LONG)
    text = f'[blocks.one]\ntext = {a}""\n'  # up to two quotes join the closing delimiter
    check(text, [a])


def test_known_values_are_used_and_changed_tokens_parsed() -> None:
    a, b = mlb(LONG), mlb(LONG + "\nchanged")
    text = f"[blocks.one]\ntext = {a}\n[blocks.two]\ntext = {b}\n"
    known = {a: tomllib.loads(f"v = {a}")["v"]}
    check(text, [a, b], known)


@pytest.mark.parametrize(
    "body",
    [
        'text = """\nunterminated\n' + "x" * MIN_TOKEN,
        'text = """\n' + "x" * MIN_TOKEN + '\x01"""',  # a control character
        'text = """\n' + "x" * MIN_TOKEN + '\\q"""',  # an invalid escape
    ],
)
def test_invalid_text_raises_as_tomllib_does(body: str) -> None:
    text = f"[blocks.one]\n{body}\n"
    token = body.removeprefix("text = ")
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text)
    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        read_back(text, [token], {})
    assert str(raised.value) == str(expected.value)


def test_a_placeholder_as_a_key_falls_back() -> None:
    a = mlb(LONG)
    text = f"[blocks.one]\n{a} = 1\n"  # invalid: a multi-line string cannot be a key
    with pytest.raises(tomllib.TOMLDecodeError):
        read_back(text, [a], {})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="ab\"'\\\n\t #=[]{},", max_size=40), min_size=1, max_size=4),
    st.lists(st.sampled_from(["text = ", "x = [", "'''", '"', "# ", "\n", "]\n", "y = 1\n"]), max_size=6),
)
def test_any_text_reads_as_tomllib_reads_it(chunks: list[str], glue: list[str]) -> None:
    # Long tokens (valid or not) mixed with random TOML-ish glue: read_back agrees with tomllib on
    # the value, or on the error.
    tokens = ['"""\n' + chunk + LONG.replace("\\", "\\\\") + '"""' for chunk in chunks]
    parts = []
    for index, token in enumerate(tokens):
        parts.append(glue[index % len(glue)] if glue else "")
        parts.append(f"[t{index}]\ntext = {token}\n")
    text = "".join(parts)
    try:
        expected: dict[str, Any] | str = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        expected = str(error)
    try:
        got: dict[str, Any] | str = read_back(text, tokens, {})[0]
    except tomllib.TOMLDecodeError as error:
        got = str(error)
    assert got == expected


def test_a_save_after_one_edit_parses_only_that_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "canvas.toml"
    document = CanvasFile.create(path)
    for index, block_id in enumerate(document.canvas.template.block_ids):
        document.canvas.set_text(block_id, f"{block_id} {index}\n{LONG}")
    document.save()
    parsed: list[str] = []
    loads = tomllib.loads

    def counting(text: str) -> dict[str, Any]:
        parsed.append(text)
        return loads(text)

    monkeypatch.setattr(tomllib, "loads", counting)
    first = document.canvas.template.block_ids[0]
    document.canvas.set_text(first, document.canvas.blocks[first].text + "\nedited")
    document.save()
    # The text without its long strings, and the one edited string on its own.
    assert len(parsed) == 2
    assert sum(len(text) for text in parsed) < len(LONG) * 3
    assert CanvasFile.load(path).canvas.state() == document.canvas.state()


@pytest.mark.parametrize(
    "text", ["a\nb", "\nstarts with a newline", "ends\n", "tab\there\n", 'q""\n"""x', "b\\s\n"]
)
def test_block_text_item_writes_what_tomlkit_writes(text: str) -> None:
    # The fast path (nothing to escape) must write exactly what tomlkit's own escaping writes.
    import tomlkit.items

    from canvas_tui.storage import block_text_item

    item = tomlkit.items.String.from_raw(text, tomlkit.items.StringType.MLB)
    raw = item.as_string()[3:-3]
    expected = raw if raw.startswith("\n") else "\n" + raw
    assert block_text_item(text).as_string() == f'"""{expected}"""'
    assert tomllib.loads(f"v = {block_text_item(text).as_string()}")["v"] == text


@pytest.mark.parametrize(
    "layout",
    [
        "[blocks.one]\ntext = {a}\n[blocks.two]\ntext = {b}\n",
        "[blocks.one]\nnote = '''\nx{a}y'''\ntext = {a}\n",  # the same characters inside another string
        "[blocks.one]\nitems = [\n  {a},\n  {b},\n]\n",
        '[blocks.one]\ntext = {a}""\n',  # quotes after it: left to be read at the save
    ],
)
def test_learned_values_are_what_tomllib_reads(layout: str) -> None:
    from canvas_tui.storage.readback import learn

    a, b = mlb(LONG), mlb(LONG + "\nmore")
    text = layout.format(a=a, b=b)
    learned = learn(text, tomllib.loads(text), [a, b])
    for token, value in learned.items():
        assert tomllib.loads(f"v = {token}")["v"] == value
    data, _ = read_back(text, [a, b], learned)
    assert data == tomllib.loads(text)


def test_a_token_that_could_close_early_is_not_learned() -> None:
    from canvas_tui.storage.readback import learn

    # A body ending in a backslash: the closing quotes would be escaped on their own.
    token = '"""\n' + "x" * MIN_TOKEN + '\\\\"""'
    text = f"[blocks.one]\ntext = {token}\n"
    assert learn(text, tomllib.loads(text), [token]) == {}


def test_the_first_save_reads_only_the_edited_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "canvas.toml"
    document = CanvasFile.create(path)
    for index, block_id in enumerate(document.canvas.template.block_ids):
        document.canvas.set_text(block_id, f"{block_id} {index}\n{LONG}")
    document.save()
    opened = CanvasFile.load(path)
    parsed: list[str] = []
    loads = tomllib.loads

    def counting(text: str) -> dict[str, Any]:
        parsed.append(text)
        return loads(text)

    monkeypatch.setattr(tomllib, "loads", counting)
    first = opened.canvas.template.block_ids[0]
    opened.canvas.set_text(first, opened.canvas.blocks[first].text + "\nedited")
    opened.save()
    assert sum(len(text) for text in parsed) < len(LONG) * 4
    monkeypatch.undo()
    assert CanvasFile.load(path).canvas.state() == opened.canvas.state()


@pytest.mark.parametrize(
    "layout",
    [
        "[canvas]\nproduct = 'x'\n\n[blocks.background]\nstatus = \"draft\"\ntext = {a}\n\n"
        "[blocks.value_proposition]\ntext = {b}\n",
        '# a comment with three quotes: """\n[blocks.background]\ntext = {a}\n',
        "[blocks.background]\ntext = {a}  # a note after the text\n[blocks.objectives]\ntext = {b}\n",
        "[blocks.background]\nnote = '''\n{a}'''\ntext = {b}\n",
        "[blocks]\nbackground.text = {a}\n",  # dotted keys: no table to put the text item in
        "[blocks.background]\ntext = {a}\n[other]\nx = [{b}]\n",
    ],
)
def test_the_opened_document_is_tomlkits_own(layout: str, tmp_path: Path) -> None:
    import tomlkit

    from canvas_tui.storage.writing import parse_opened

    a, b = mlb(LONG), mlb(LONG + '\nwith "quotes" and a \\ backslash')
    text = layout.format(a=a, b=b)
    document, learned = parse_opened(tmp_path / "c.toml", text, tomllib.loads(text))
    assert document.as_string() == text
    assert document.unwrap() == tomlkit.parse(text).unwrap() == tomllib.loads(text)
    for token, value in learned.items():
        assert tomllib.loads(f"v = {token}")["v"] == value


def test_the_first_save_of_an_opened_file_keeps_its_layout(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    document = CanvasFile.create(path)
    for block_id in document.canvas.template.block_ids:
        document.canvas.set_text(block_id, f"{block_id}\n{LONG}")
    document.save()
    text = path.read_text(encoding="utf-8").replace(
        "[blocks.value_proposition]", "# note\n[blocks.value_proposition]"
    )
    path.write_text(text, encoding="utf-8")
    opened = CanvasFile.load(path)
    first = opened.canvas.template.block_ids[0]
    opened.canvas.set_text(first, opened.canvas.blocks[first].text + "\nedited")
    opened.save()
    after = path.read_text(encoding="utf-8")
    raw = LONG.replace("\\", "\\\\")  # as written in the file
    assert after.replace(raw + "\nedited", raw, 1) == text
    assert CanvasFile.load(path).canvas.state() == opened.canvas.state()


PLAIN = "\n".join(f"line {n}: plain prose, 'single' and \"double\" quotes, a tab\there" for n in range(60))


@pytest.mark.parametrize(
    "body",
    [
        '"""\n' + PLAIN + '"""',  # the newline after the opening quotes is trimmed
        '"""' + PLAIN + '"""',
        '"""\n\n' + PLAIN + '\n"""',  # only one newline is trimmed
        '"""\n' + PLAIN + '\\n escaped"""',  # an escape: tomllib reads it
        '"""\n' + PLAIN + '\r\n"""',  # a CRLF: tomllib reads it
        '"""\n' + PLAIN + '""""',  # a quote before the closing ones
        '"""\n' + PLAIN + '\x01"""',  # a control character: rejected, by tomllib
        '"""\n' + PLAIN,  # unterminated
        '"""\n' + PLAIN + '""" x',  # something after the value
    ],
)
def test_loads_reads_as_tomllib_reads(body: str) -> None:
    from canvas_tui.storage.readback import loads

    for text in (
        f"[blocks.one]\ntext = {body}\n",
        f'# """ a comment\n[blocks.one]\nnote = "x"\ntext = {body}\n[blocks.two]\ntext = {body}\n',
        f"[blocks.one]\nitems = [{body}, {body}]\n",
    ):
        try:
            expected: dict[str, Any] | str = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            expected = str(error)
        try:
            got: dict[str, Any] | str = loads(text)
        except tomllib.TOMLDecodeError as error:
            got = str(error)
        assert got == expected


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(alphabet="ab\"'\\\n\r\t\x01 #=[]{},", max_size=30), min_size=1, max_size=4),
    st.lists(st.sampled_from(["text = ", "x = [", "'''", '"', "# ", "\n", "]\n", '"""']), max_size=6),
)
def test_loads_reads_any_text_as_tomllib_reads_it(chunks: list[str], glue: list[str]) -> None:
    from canvas_tui.storage.readback import loads

    parts = []
    for index, chunk in enumerate(chunks):
        parts.append(glue[index % len(glue)] if glue else "")
        parts.append(f'[t{index}]\ntext = """{chunk}{PLAIN}{chunk}"""\n')
    text = "".join(parts)
    try:
        expected: dict[str, Any] | str = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        expected = str(error)
    try:
        got: dict[str, Any] | str = loads(text)
    except tomllib.TOMLDecodeError as error:
        got = str(error)
    assert got == expected
