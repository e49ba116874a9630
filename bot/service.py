"""The shell around the engine: load, step, commit, and only then hand back the replies.

Every channel goes through `ConversationService.handle`, so the rule "state is committed
before the reply is sent" lives in one place. One user's inputs are handled one at a time.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from bot.storage import Storage
from flows.catalog import Catalog
from flows.context import Context
from flows.engine import step
from flows.insight import Understand, understand_nothing
from flows.model import Input, Reply, Session

# The users are in Beijing: deadlines, "today" and reminder hours are Beijing time, whatever
# the server's own time zone. China has kept one offset, without daylight saving, since 1991.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def beijing_now() -> datetime:
    """The wall-clock time in Beijing, as the naive datetime the engine works with."""
    return datetime.now(BEIJING).replace(tzinfo=None)


def default_understand() -> Understand:
    """The analyzer of the user's own words when installed, else the hook that knows nothing."""
    try:
        from flows.understanding import analyze
    except ImportError:
        return understand_nothing
    return analyze


class ConversationService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        clock: Callable[[], datetime] = beijing_now,
        understand: Understand | None = None,
    ) -> None:
        self.storage = storage
        self.catalog = catalog
        self.clock = clock
        self.understand = understand if understand is not None else default_understand()
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def context(self) -> Context:
        return Context(self.catalog, self.clock(), self.understand)

    async def handle(self, user_id: str, event: Input) -> list[Reply]:
        """Apply one input for one user; returns the replies once the new state is on disk."""
        async with self._locks[user_id]:
            before = await self.storage.load(user_id)
            outcome = step(before, event, self.context())
            await self.storage.save(outcome.session, before)
            return outcome.replies

    async def session(self, user_id: str) -> Session:
        return await self.storage.load(user_id)
