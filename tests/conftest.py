"""Shared helpers: a scripted conversation with the pure engine, at a fixed date."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime

import msgspec
import pytest

from flows.catalog import Catalog, load_catalog
from flows.context import Context
from flows.draft import sheet_text
from flows.engine import step
from flows.insight import Understand, understand_nothing
from flows.model import Asking, CaseChange, Choice, DraftSheet, Input, Reply, Session, Text

NOW = datetime(2026, 11, 28, 10, 30)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog("zh_CN")


class Chat:
    """Talks to the engine like a user would: types text or presses offered buttons."""

    def __init__(self, catalog: Catalog, understand: Understand = understand_nothing,
                 now: datetime = NOW, user_id: str = "tester") -> None:
        self.catalog = catalog
        self.ctx = Context(catalog, now, understand)
        self.session = Session(user_id=user_id)
        self.replies: list[Reply] = []

    def send(self, event: Input) -> list[Reply]:
        before = msgspec.to_builtins(self.session)
        outcome = step(self.session, event, self.ctx)
        assert msgspec.to_builtins(self.session) == before, "step must not modify its input"
        self.session = outcome.session
        self.replies = outcome.replies
        assert self.replies, "every input gets an answer"
        return self.replies

    def say(self, text: str) -> list[Reply]:
        return self.send(Text(text))

    def press(self, label: str) -> list[Reply]:
        """Press the button whose label contains `label` in the latest replies."""
        for reply in reversed(self.replies):
            for option in reply.options:
                if label in option.label:
                    return self.send(Choice(option.value, reply.token))
        raise AssertionError(f"no option {label!r} in {self.option_labels()}")

    def press_suggestion(self) -> list[Reply]:
        """Take what was read from the account, sure or not (its option says which)."""
        for reply in reversed(self.replies):
            for option in reply.options:
                if option.value == "a:__suggested__":
                    return self.send(Choice(option.value, reply.token))
        raise AssertionError(f"no suggestion in {self.option_labels()}")

    def option_labels(self) -> list[str]:
        return [o.label for r in self.replies for o in r.options]

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def field(self) -> str | None:
        """The question open now, by field name (None when no question is open)."""
        state = self.session.dialog.state
        return state.field if isinstance(state, Asking) else None

    @property
    def step(self) -> str | None:
        """The question of a case change open now (case_number, submitted_on, …, or card)."""
        state = self.session.dialog.state
        return state.step if isinstance(state, CaseChange) else None

    @property
    def mode(self) -> str:
        return self.session.dialog.state.mode

    @property
    def state(self):
        return self.session.dialog.state

    def fill(self, answers: Mapping[str, str], *, until: str | None = None) -> list[str]:
        """Answer whatever is asked from `answers`, by field name, in the order the engine
        asks; stops at `until`, at a question not in `answers`, or when no question is open.
        A value starting with "press:" presses the option with that label. Returns the
        fields asked, in order."""
        asked: list[str] = []
        while self.field is not None and self.field != until and self.field in answers:
            field = self.field
            asked.append(field)
            if len(asked) > 60:
                raise AssertionError(f"the interview does not end: {asked}")
            value = answers[field]
            if value.startswith("press:"):
                self.press(value.removeprefix("press:"))
            else:
                self.say(value)
            if self.field == field and not self.session.dialog.state.pending:
                raise AssertionError(f"{field}: {value!r} was not taken: {self.text}")
            if self.field == field and self.session.dialog.state.pending:
                self.press(self.t("option.keep"))
        return asked

    @property
    def sheet(self) -> DraftSheet:
        """The finished draft among the latest replies."""
        for reply in self.replies:
            if reply.sheet is not None:
                return reply.sheet
        raise AssertionError(f"no finished draft in: {self.text}")

    def section(self, key: str) -> str:
        found = self.sheet.section(key)
        assert found is not None, f"no section {key!r}"
        return "\n".join(filter(None, (found.title, found.body)))

    @property
    def draft_text(self) -> str:
        """Everything the latest replies say, the finished draft's text included."""
        parts = []
        for reply in self.replies:
            parts.append(reply.text)
            if reply.sheet is not None:
                parts.append(sheet_text(reply.sheet, self.catalog))
        return "\n".join(parts)

    @property
    def draft(self):
        return self.session.active_draft()

    def t(self, key: str, **params: object) -> str:
        return self.catalog.text(key, **params)


@pytest.fixture
def chat(catalog: Catalog) -> Chat:
    return Chat(catalog)


@pytest.fixture
def make_chat(catalog: Catalog) -> Callable[..., Chat]:
    def make(**kwargs: object) -> Chat:
        return Chat(catalog, **kwargs)  # type: ignore[arg-type]

    return make


def in_engine_order(answers: Mapping[str, str], catalog: Catalog, first: str = "/start",
                    until: str | None = None) -> list[str]:
    """The lines a piped script must type to give `answers` (by field name), in the order the
    engine asks for them: scripts for channels take their order from the engine too."""
    chat = Chat(catalog)
    chat.say(first)
    lines = []
    while chat.field is not None and chat.field in answers and chat.field != until:
        lines.append(answers[chat.field])
        chat.say(answers[chat.field])
        if isinstance(chat.state, Asking) and chat.state.pending:
            lines.append("是")
            chat.say("是")
    return lines


def read_until(stream, fragment: str, seconds: float) -> str:
    """Lines from a child's pipe until one holds `fragment`, never blocking past `seconds`
    (a reader thread does the blocking reads)."""
    import queue
    import threading

    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in iter(stream.readline, "")],
                     daemon=True).start()
    seen = ""
    deadline = time.monotonic() + seconds
    while fragment not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            seen += lines.get(timeout=left)
        except queue.Empty:
            break
    return seen
