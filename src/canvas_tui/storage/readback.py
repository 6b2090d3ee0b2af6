"""Reading back the text a save is about to write, with the standard reader, at the cost of what changed.

A save checks that the new file reads back as the canvas (CanvasFile.write_prepared): the whole text
goes through `tomllib`. Almost all of a long canvas is its blocks' multi-line strings, which tomllib
scans one character at a time in Python (about 150 ms for 15 blocks of 2,000 lines), although a save
after a one-block edit changed only one of them. `read_back` returns exactly what
`tomllib.loads(text)` returns, but parses each long string only when its text is new:

1. Each long multi-line string token, as tomlkit wrote it, is found in the text and swapped for a
   short placeholder, a basic string `"canvas-tui-read-back-NONCE-i"` with a fresh random nonce, and
   the much shorter text that leaves is parsed by tomllib.
2. Each token is parsed on its own (`v = TOKEN`), or its value is taken from the tokens read back
   by the previous save (`known`: a token is its own key, and the same token always parses to the
   same value).
3. Each placeholder must come back as the value of exactly one key or array item; it is replaced
   by its token's value.

Why the result is tomllib's on the whole text: the parser reads the two texts identically up to the
first placeholder. The placeholder's nonce occurs nowhere else (it is random, and checked absent from
the text), so a value equal to exactly that string was read from a string token around the nonce;
its neighbours are not quote characters, so that token is exactly the placeholder, read at a value
position. In the real text the same position starts the long token, which on its own parsed as one
value and nothing more, and is followed by a character that is not a quote (so no closing delimiter
can grow): the parser reads exactly that token there and stands after it in the same state as after
the placeholder. By induction over the placeholders, both parses build the same tables, with the
long values where the placeholders were. Anything unexpected (a token not found, a placeholder not
read back as a value, a token that does not parse alone) falls back to `tomllib.loads(text)`, which
also raises the real error, with its position, for a text that does not parse.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

MIN_TOKEN = 2048
"""Tokens shorter than this stay in the text: tomllib reads them in well under a millisecond."""

_QUOTES = ('"', "'")
_MLB = '"' * 3


def read_back(
    text: str, tokens: Iterable[str], known: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """`tomllib.loads(text)`, and the values of the long `tokens` found in it (for the next `known`).

    `tokens` are string tokens as they appear in `text`, in the order they appear; `known` maps
    tokens read back before to their values.
    """
    masked = mask(text, tokens)
    if masked is None:
        return tomllib.loads(text), {}
    nonce, pieces, placeholders = masked

    values: dict[str, str] = {}
    for token in placeholders.values():
        if token in values:
            continue
        parsed = known.get(token)
        if parsed is None:
            try:
                alone = tomllib.loads(f"v = {token}")
            except tomllib.TOMLDecodeError:
                return tomllib.loads(text), {}  # raises, with the position in the whole text
            parsed = alone.get("v")
            if len(alone) != 1 or not isinstance(parsed, str):
                return tomllib.loads(text), {}
        values[token] = parsed

    try:
        data = tomllib.loads("".join(pieces))
    except tomllib.TOMLDecodeError:
        return tomllib.loads(text), {}
    found: dict[str, int] = dict.fromkeys(placeholders, 0)
    if not _substitute(data, nonce, placeholders, values, found) or any(n != 1 for n in found.values()):
        return tomllib.loads(text), {}
    return data, values


def mask(text: str, tokens: Iterable[str]) -> tuple[str, list[str], dict[str, str]] | None:
    """The text in pieces with the long tokens swapped for placeholders: (nonce, pieces, placeholder
    value -> token); None when there is nothing to swap."""
    nonce = f"canvas-tui-read-back-{os.urandom(16).hex()}"
    if nonce in text:  # cannot happen (128 random bits), but the argument rests on it
        return None
    pieces: list[str] = []
    placeholders: dict[str, str] = {}  # placeholder value -> token
    position = 0
    for token in tokens:
        if len(token) < MIN_TOKEN or not token.startswith(('"""', "'''")):
            continue
        start = text.find(token, position)
        if start < 0:
            continue
        end = start + len(token)
        # Not right after the previous placeholder, and no quote on either side.
        if start == 0 or start <= position or text[start - 1] in _QUOTES:
            continue
        if end < len(text) and text[end] in _QUOTES:
            continue
        value = f"{nonce}-{len(placeholders)}"
        placeholders[value] = token
        pieces += [text[position:start], f'"{value}"']
        position = end
    if not placeholders:
        return None
    pieces.append(text[position:])
    return nonce, pieces, placeholders


def multiline_tokens(text: str) -> list[str]:
    """Candidate multi-line basic string tokens of `text`, in order: from each triple quote to the next.

    Only candidates: a triple quote in a comment or a literal string pairs them wrongly, which the
    checks of `learn` and `read_back` then catch (the token is left to be read in full)."""
    tokens = []
    position = 0
    while (start := text.find(_MLB, position)) >= 0:
        end = text.find(_MLB, start + 3)
        if end < 0:
            break
        tokens.append(text[start : end + 3])
        position = end + 3
    return tokens


# What a multi-line basic string may not hold unescaped (TOML 1.0): control characters other than tab
# and line feed (a carriage return only in CRLF, which is left to tomllib), and a backslash starts
# an escape. A body free of them is its own value, less a newline right after the opening quotes.
_NOT_PLAIN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\\]")


def plain_value(token: str) -> str | None:
    """The value of a multi-line basic string token with nothing to unescape; None for any other."""
    if not token.startswith(_MLB) or not _closes_at_its_end(token):
        return None
    body = token[3:-3]
    if _NOT_PLAIN.search(body):
        return None
    return body.removeprefix("\n")


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`, without tomllib's character-by-character scan of long plain texts.

    A canvas is mostly its blocks' multi-line strings, and a long one rarely holds anything to
    unescape: such a token's value is its body (TOML 1.0), so it is swapped for a placeholder like
    read_back's, and tomllib reads the rest. read_back's argument holds with the token's value taken
    from the specification instead of from tomllib reading it alone: a plain body that closes only
    at its end is a valid token of exactly that value. Every token that is not plain, not found where a value
    is, or not read back exactly once is left to tomllib, and a text tomllib rejects is rejected by
    tomllib itself, with its message and position.
    """
    candidates = [token for token in multiline_tokens(text) if len(token) >= MIN_TOKEN]
    values = {token: value for token in candidates if (value := plain_value(token)) is not None}
    if not values:
        return tomllib.loads(text)
    data, _ = read_back(text, values, values)
    return data


def learn(text: str, data: Mapping[str, Any], tokens: Iterable[str]) -> dict[str, str]:
    """The values of the long `tokens` in `text`, taken from `data` = tomllib.loads(text), which was
    read already (when the file was opened): the first save then reads only what it changed.

    The same argument as read_back's: the text with the tokens swapped for placeholders reads as the
    text does, placeholders for tokens, so where a placeholder is read `data` holds its token's value.
    A token whose placeholder is not read back exactly once as a value is left out (read when saved).
    """
    masked = mask(text, tokens)
    if masked is None:
        return {}
    nonce, pieces, placeholders = masked
    try:
        skeleton = tomllib.loads("".join(pieces))
    except tomllib.TOMLDecodeError:
        return {}
    paths: dict[str, list[tuple[str | int, ...]]] = {value: [] for value in placeholders}
    _find(skeleton, nonce, (), paths)
    learned: dict[str, str] = {}
    for value, found in paths.items():
        if len(found) != 1:
            continue
        node: Any = data
        try:
            for key in found[0]:
                node = node[key]
        except (KeyError, IndexError, TypeError):
            continue
        token = placeholders[value]
        if isinstance(node, str) and _closes_at_its_end(token):
            learned[token] = node
    return learned


def _closes_at_its_end(token: str) -> bool:
    """Whether a multi-line string token can only end where it ends: its delimiter does not occur
    inside it (nor, for a basic string, a backslash before the closing one, which would escape it).
    Then the reader, starting there, reads exactly this token, and the value it read is its value."""
    delimiter, body = token[:3], token[3:-3]
    if len(token) < 6 or not token.endswith(delimiter) or delimiter in body:
        return False
    return delimiter == "'''" or not body.endswith("\\")


def _find(
    node: Mapping[str, Any] | list[Any],
    nonce: str,
    path: tuple[str | int, ...],
    paths: dict[str, list[tuple[str | int, ...]]],
) -> None:
    """Record where each placeholder is read as a value (anything else with the nonce: a wrong path)."""
    items = node.items() if isinstance(node, Mapping) else enumerate(node)
    for key, value in items:
        if isinstance(key, str) and nonce in key:
            for found in paths.values():
                found.append(())  # a placeholder read as a key: learn nothing from it
            continue
        if isinstance(value, str):
            if value in paths:
                paths[value].append((*path, key))
            elif nonce in value:  # a placeholder inside another string: learn nothing
                for found in paths.values():
                    found.append(())
        elif isinstance(value, dict | list):
            _find(value, nonce, (*path, key), paths)


def _substitute(
    node: dict[str, Any] | list[Any],
    nonce: str,
    placeholders: Mapping[str, str],
    values: Mapping[str, str],
    found: dict[str, int],
) -> bool:
    """Put each token's value where its placeholder was read; False if the nonce shows up elsewhere
    (inside another string, or as a key)."""
    items: Iterable[tuple[Any, Any]]
    if isinstance(node, dict):
        if any(nonce in key for key in node):
            return False
        items = list(node.items())
    else:
        items = list(enumerate(node))
    for key, value in items:
        if isinstance(value, str):
            if nonce not in value:
                continue
            token = placeholders.get(value)
            if token is None:
                return False
            found[value] += 1
            node[key] = values[token]
        elif isinstance(value, dict | list) and not _substitute(value, nonce, placeholders, values, found):
            return False
    return True
