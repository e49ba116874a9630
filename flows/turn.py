"""One step's working state, shared by every dialog handler: the session being changed, the
replies gathered, and the few helpers they all need (say, menu, re-ask, numbered drafts).

The handlers (`flows/interview.py`, `flows/confirming.py`, `flows/editing.py`,
`flows/draft_menu.py`, `flows/tracking.py`) are functions over a `Turn`; which one handles
an input is decided by the type of the open dialog state (`flows/engine.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from flows.actions import Action, Run, encode
from flows.commands import Command, draft_option
from flows.context import Context
from flows.model import Dialog, DialogState, Draft, Option, Reply, Session
from flows.overview import status


class ModeHandler(msgspec.Struct, frozen=True):
    """What one dialog mode does with typed text, a pressed option, a request to repeat
    itself, and back/skip/cancel (which mean something different in each mode)."""

    on_text: Callable[[Turn, str], None]
    on_action: Callable[[Turn, Action], None]
    reask: Callable[[Turn], None]
    back: Callable[[Turn], None]
    skip: Callable[[Turn], None]
    cancel: Callable[[Turn], None]


class Turn:
    def __init__(self, session: Session, ctx: Context,
                 handlers: Mapping[type, ModeHandler]) -> None:
        self.session = session
        self.ctx = ctx
        self.replies: list[Reply] = []
        self.forget = False  # set when the user confirmed /forget
        self._handlers = handlers

    # ---- state ------------------------------------------------------------------------------

    @property
    def dialog(self) -> Dialog:
        return self.session.dialog

    @property
    def state(self) -> DialogState:
        return self.session.dialog.state

    def enter(self, state: DialogState) -> None:
        self.session.dialog.state = state

    def handler(self) -> ModeHandler:
        return self._handlers[type(self.state)]

    def draft(self) -> Draft | None:
        return self.session.active_draft()

    def touch(self, draft: Draft) -> None:
        draft.updated_at = self.ctx.now

    def new_token(self) -> str:
        self.dialog.turn += 1
        return str(self.dialog.turn)

    # ---- saying things ----------------------------------------------------------------------

    def t(self, key: str, /, **params: Any) -> str:
        return self.ctx.t(key, **params)

    def say(self, key: str, /, options: tuple[Option, ...] = (), **params: Any) -> None:
        self.replies.append(Reply(self.t(key, **params), options=options))

    def question(self, text: str, options: tuple[Option, ...], token: str) -> None:
        self.replies.append(Reply(text, options=options, token=token, part="question"))

    def option(self, action: Action, key: str, /, **params: Any) -> Option:
        return Option(encode(action), self.t(key, **params))

    def command_option(self, name: str, key: str | None = None) -> Option:
        return self.option(Run(Command(name)), key or f"option.{name}")

    def reask(self) -> None:
        """Repeat whatever is open, so the user always knows what to answer."""
        self.handler().reask(self)

    def menu(self, key: str) -> None:
        options = [self.command_option("new")]
        unfinished = self.session.latest_unfinished()
        if unfinished is not None:
            options.append(draft_option("continue", unfinished.number, self.ctx.catalog))
        options += [self.command_option("status"), self.command_option("help")]
        self.say(key, options=tuple(options))

    def numbered_draft(self, argument: str, verb: str) -> Draft | None:
        """The draft a command names by number; says why (with the list) when there is none."""
        digits = argument.lstrip("#")
        if not digits.isdigit():
            self.say("drafts.which", verb=self.t(f"command.{verb}.verb"))
            self.replies.append(status(self.session, self.ctx.catalog, self.ctx.today))
            return None
        found = self.session.drafts.get(int(digits))
        if found is None:
            self.say("drafts.not_found", number=digits)
            self.replies.append(status(self.session, self.ctx.catalog, self.ctx.today))
        return found
