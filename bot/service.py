"""The shell around the engine: load, step and commit as one transaction, then hand back the
replies (and their outbox rows) for the channel to send.

Every channel goes through `ConversationService.handle_update` (or `handle`, for a channel
without redelivery such as the terminal), so "state is committed before the reply is sent"
lives in one place. A channel that can deliver an update twice passes the update's own id as
`update_key`: the turn marks it handled in the same commit, and a second delivery does
nothing. Passing `render` stores the channel's outgoing messages in the same commit, so a
crash between the commit and the send loses no reply (see `bot.storage`).

Below the engine the service also applies the per-user limits of `flows.limits`: a message
too long or a user sending too fast is answered without a step, and a step that would take a
user past the drafts or files limit is not committed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import msgspec

from bot.storage import Decision, Storage
from flows import limits
from flows.catalog import Catalog
from flows.context import Context
from flows.engine import step as engine_step
from flows.insight import Insight, Understand, understand_nothing
from flows.language import language_for
from flows.model import Choice, Input, Outcome, Reply, Session, Text, Upload

# The users are in Beijing: deadlines, "today" and reminder hours are Beijing time, whatever
# the server's own time zone. China has kept one offset, without daylight saving, since 1991.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

Step = Callable[[Session, Input, Context], Outcome]
# Turns the replies of one turn into the channel's outgoing messages, one string each.
Render = Callable[[list[Reply]], list[str]]
USER_INPUTS = (Text, Choice, Upload)


def beijing_now() -> datetime:
    """The wall-clock time in Beijing, as the naive datetime the engine works with."""
    return datetime.now(BEIJING).replace(tzinfo=None)


def default_understand(locale: str = "zh_CN") -> Understand:
    """The analyzer of the user's own words in the catalog's language, loaded with the first
    account (none for a locale without one: the interview then simply asks)."""
    language = language_for(locale)

    def understand(text: str, today: date) -> Insight:
        return language.understand(text, today)

    return understand


def asks_to_forget(outcome: Outcome) -> bool:
    """The engine's typed signal that the user confirmed /forget."""
    return outcome.forget


class Handled(msgspec.Struct, frozen=True):
    """One handled input: the replies, and their outbox rows (id, item) when rendered.
    `duplicate`: the update had been handled before, nothing was done or queued now.
    `waiting`: with an `update_key` or rendered replies, every message of the user still to
    send after the commit, oldest first (see `bot.storage.Committed`)."""

    replies: list[Reply]
    outbox: list[tuple[int, str]]
    duplicate: bool = False
    forgotten: bool = False
    waiting: list[tuple[int, str]] = msgspec.field(default_factory=list)
    claimed: bool = False  # `waiting` was claimed for sending at once (`claim=True`)


class FloodGate:
    """How many inputs each user sent in their current minute (a window that opens with their
    first input). Two numbers per user, and users whose window has closed are dropped, so
    the map holds only the users of the last minute."""

    WINDOW = 60.0

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # user → (window start, inputs)
        self._swept = clock()

    def admit(self, user_id: str) -> str:
        """"ok" to handle the input; "warn" the first time the limit is passed in a window
        (answer once), "drop" after that (answer nothing: a flood gets no flood back)."""
        now = self.clock()
        self._sweep(now)
        start, count = self._windows.get(user_id, (now, 0))
        if now - start >= self.WINDOW:
            start, count = now, 0
        count += 1
        self._windows[user_id] = (start, count)
        if count <= self.per_minute:
            return "ok"
        return "warn" if count == self.per_minute + 1 else "drop"

    def _sweep(self, now: float) -> None:
        if now - self._swept < self.WINDOW:
            return
        self._swept = now
        for user_id in [u for u, (start, _) in self._windows.items()
                        if now - start >= self.WINDOW]:
            del self._windows[user_id]

    def __len__(self) -> int:
        return len(self._windows)


class ConversationService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        clock: Callable[[], datetime] = beijing_now,
        understand: Understand | None = None,
        *,
        step: Step = engine_step,
        messages_per_minute: int = limits.MAX_MESSAGES_PER_MINUTE,
    ) -> None:
        self.storage = storage
        self.catalog = catalog
        self.clock = clock
        self.understand = (understand if understand is not None
                           else default_understand(catalog.locale))
        self.step = step
        self.flood = FloodGate(messages_per_minute)

    def context(self) -> Context:
        return Context(self.catalog, self.clock(), self.understand)

    def prepare(self) -> None:
        """Import and load what the answers after the first question use (the advice rules,
        the composition of the complaint text, and the analyzer's dictionary when accounts
        are analysed), so that no person's answer waits for it. Blocking: run it beside the
        event loop. Whatever fails here fails again where it is used, and is handled there."""
        with contextlib.suppress(Exception):
            import flows.advice
            import flows.composition  # noqa: F401

            if self.understand is not understand_nothing:
                from flows.understanding.segmenter import warm_up

                warm_up()

    async def handle(self, user_id: str, event: Input) -> list[Reply]:
        """Apply one input for one user; returns the replies once the new state is on disk."""
        return (await self.handle_update(user_id, event)).replies

    async def handle_update(self, user_id: str, event: Input, *, update_key: str | None = None,
                            render: Render | None = None, claim: bool = False,
                            durable: bool = True, sync_soon: bool = False) -> Handled:
        """Apply one input as one transaction: the update marked handled (with `update_key`),
        the new state and the rendered replies (with `render`) commit together; with
        `claim`, the messages waiting are claimed for sending at once; `durable=False` for an
        update kept durably elsewhere until this commit is synced, and `sync_soon` for a
        caller that will `Storage.sync` once it has sent the answer (`Storage.turn`)."""
        ctx = self.context()
        refusal = self._refusal(user_id, event, flood=update_key is not None)

        def decide(before: Session) -> Decision:
            if refusal is not None:
                return self._decision(None, refusal, render)
            outcome = self.step(before, event, ctx)
            over = limits.growth_over_limits(before, outcome.session)
            if over is not None:
                return self._decision(None, [Reply(self._limit_text(over))], render)
            if asks_to_forget(outcome):
                return self._decision(None, outcome.replies, render, forget=True)
            return self._decision(_retained(outcome.session), outcome.replies, render)

        committed = await self.storage.turn(user_id, decide, update_key=update_key,
                                            claim=claim, durable=durable,
                                            sync_soon=sync_soon)
        if committed.duplicate:
            return Handled([], [], duplicate=True)
        return Handled(committed.result, committed.outbox, forgotten=committed.forgotten,
                       waiting=committed.waiting, claimed=committed.claimed)

    async def session(self, user_id: str) -> Session:
        return await self.storage.load(user_id)

    # ---- limits ---------------------------------------------------------------------------

    def _refusal(self, user_id: str, event: Input, *, flood: bool) -> list[Reply] | None:
        """Replies for an input refused before the step, or None to step."""
        if isinstance(event, Text) and limits.text_too_long(event.text):
            return [Reply(self.catalog.text(limits.TEXT_KEY, got=len(event.text),
                                            max=limits.MAX_TEXT_CHARS))]
        if flood and isinstance(event, USER_INPUTS):
            verdict = self.flood.admit(user_id)
            if verdict == "warn":
                return [Reply(self.catalog.text(limits.FLOOD_KEY))]
            if verdict == "drop":
                return []
        return None

    def _limit_text(self, key: str) -> str:
        maximum = (limits.MAX_DRAFTS_PER_USER if key == limits.DRAFTS_KEY
                   else limits.MAX_UPLOADS_PER_DRAFT)
        return self.catalog.text(key, max=maximum)

    @staticmethod
    def _decision(session: Session | None, replies: list[Reply], render: Render | None, *,
                  forget: bool = False) -> Decision:
        return Decision(session, render(replies) if render is not None else [], forget, replies)


def _retained(session: Session) -> Session:
    """The profile (name, phone, address) leaves with the last draft that could use it."""
    profile = limits.profile_to_keep(session, keep_chosen=False)
    return session if profile == session.profile else msgspec.structs.replace(session, profile=profile)
