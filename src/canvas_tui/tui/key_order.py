"""Keys that arrive together are handled one after the other, in the order they were typed.

Keys that arrive in one read (typed fast, pasted, or batched by a laggy SSH link) are taken by
Textual one after the other from the app's queue, but handled along two paths of different length:

* a key bound with priority (quit, the canvas keys, escape in the editor) runs its action at once,
  while the app takes the key from its queue;
* any other key (ctrl+s, the text typed into a field, ctrl+z in the editor) is posted to the
  focused widget and bubbles up through its parents, one queue after the other, to the app's
  ordinary binding. By then the app has taken the keys behind it.

Left to that, a quit typed right behind a save runs first: it finds unsaved work and opens its
dialog, and the save, arriving behind a modal dialog, is dropped; "Discard" then throws the edit
away. Text typed into the editor right before a quit is not even in the editor yet when the quit
finds nothing unsaved. So the app takes the next key only once the one before it has been all the
way through: a key that went to a widget is followed up its way to the app, one queue at a time,
before the next is taken.
A paste (the terminal's bracketed paste) takes its turn among the keys the same way. Keys typed one
at a time never wait: each has been handled long before the next arrives.

A key also waits while the screen on top is still being built (the editor that the key before it
opened): its bindings are there at once, but their actions reach into widgets that are not yet.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.dom import DOMNode
from textual.message_pump import MessagePump


class KeysInOrder:
    """The app's keys, each handled only after the ones before it have been handled."""

    def __init__(
        self,
        app: App[Any],
        handle: Callable[[events.Event], Awaitable[None]],
        *,
        building_poll: float = 0.01,
    ) -> None:
        self.app = app
        self.building_poll = building_poll
        """How often to look again whether the screen on top has been built."""
        self._poll_pending = False
        self._handle = handle  # Textual's own handling of a key the app takes from its queue
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._handling = False  # the app is handling a key right now
        self._on_their_way = 0  # keys gone to a widget and not yet all the way through
        self._typing_into: MessagePump | None = None
        """Where the keys on their way went, while all of them are plain typing into one widget."""

    async def take(self, key: events.Key | events.Paste) -> None:
        """A key (or a paste) from the terminal: handle it now, or after the keys before it."""
        self._waiting.append(key)
        await self._handle_waiting()

    async def _handle_waiting(self) -> None:
        while self._waiting and not self._handling:
            key = self._waiting[0]
            if self._on_their_way and not self._may_overtake(key):
                return  # taken again when the keys before it are through
            self._handling = True
            try:
                # A dialog or editor that the key before opened is pushed by a worker when it first
                # runs: let it run, so that this key goes to what it opened ...
                await asyncio.sleep(0)
                try:
                    built = self.app.screen.is_mounted  # ... once that has been built
                except ScreenStackError:  # the app is closing: the keys have nowhere to go
                    self._waiting.clear()
                    return
                if not built:
                    self._look_again_soon()
                    return
                self._waiting.popleft()
                await self._handle(key)
            finally:
                self._handling = False
            if key.is_forwarded:  # it went to the focused widget (or the screen) to bubble up
                target = self._target()
                plain = self._plain(key) and (not self._on_their_way or target is self._typing_into)
                self._typing_into = target if plain else None
                self._on_their_way += 1
                self._follow(key, target)

    def _look_again_soon(self) -> None:
        """The screen on top is being built: take the keys once it is. Polled, not told: a screen
        closed before it was built would never tell."""
        if not self._poll_pending:
            self._poll_pending = True
            self.app.set_timer(self.building_poll, self._look_again)

    async def _look_again(self) -> None:
        self._poll_pending = False
        await self._handle_waiting()

    def _target(self) -> MessagePump:
        """Where Textual sends a key that no priority binding takes."""
        return self.app.focused or self.app.screen

    def _plain(self, key: events.Key | events.Paste) -> bool:
        """A printable key no binding takes: only the widget it goes to does anything with it."""
        if not isinstance(key, events.Key) or not key.is_printable:
            return False
        return key.key not in self.app.screen.active_bindings

    def _may_overtake(self, key: events.Key | events.Paste) -> bool:
        """Letters typed fast into a field go on as they come: the field takes them in order, and a
        letter does nothing beyond it. Any other key waits for those before it to be through."""
        return self._typing_into is not None and self._target() is self._typing_into and self._plain(key)

    def _follow(self, key: events.Key | events.Paste, node: MessagePump) -> None:
        """Wait in `node`'s queue behind the key, then in its parent's, and so on up to the app.

        Every queue is first in, first out, so by the time this reaches the app the key has been
        handled by each widget on its way, and by the app's own bindings. A widget closing meanwhile
        takes no more messages: the key is not going through it either, so go on to its parent.
        """
        if not node.call_later(self._followed, key, node):
            self._followed(key, node)

    def _followed(self, key: events.Key | events.Paste, node: MessagePump) -> None:
        # Up the parents even when the key stopped here (a letter typed into a field): waiting in
        # a queue the key never reached costs a turn of that queue, and Textual has no public way
        # to ask whether a key was stopped.
        parent = node.parent if isinstance(node, DOMNode) else None
        while parent is not None and parent is not self.app:
            if parent.call_later(self._followed, key, parent):
                return
            parent = parent.parent
        self.app.call_later(self._through)  # refused only when the app is closing: nothing to do then

    async def _through(self) -> None:
        """A key is all the way through."""
        self._on_their_way -= 1
        if not self._on_their_way:
            self._typing_into = None
        await self._handle_waiting()
