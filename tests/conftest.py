"""Shared helpers: a scripted conversation with the pure engine, at a fixed date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from flows.catalog import Catalog, load_catalog
from flows.context import Context
from flows.engine import step
from flows.insight import Understand, understand_nothing
from flows.model import Choice, Input, Reply, Session, Text

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
        before = self.session.model_dump()
        outcome = step(self.session, event, self.ctx)
        assert self.session.model_dump() == before, "step must not modify its input"
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

    def option_labels(self) -> list[str]:
        return [o.label for r in self.replies for o in r.options]

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def field(self) -> str | None:
        dialog = self.session.dialog
        return dialog.field if dialog.mode == "asking" else None

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
