"""Sending due reminders through a channel, once each, including those due while the bot was down.

The schedule lives in the database (see `bot.storage`). Each due reminder goes through the
engine as a `DueReminder`, which marks it sent in the same commit that returns its text, so
it can never go out twice; if the channel then fails to deliver it, an `UndeliveredReminder`
puts it back in the schedule for the next round. Channels differ only in how they deliver:
Telegram sends a message, the terminal prints it at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.service import ConversationService
from bot.storage import DueRow
from flows.model import DueReminder, Reply, UndeliveredReminder

log = logging.getLogger(__name__)

# Delivers one user's reminder replies; False means "try again later".
Deliver = Callable[[str, list[Reply]], Awaitable[bool]]


class ReminderDispatcher:
    """Finds the reminders due for one channel's users (or one user) and delivers them."""

    def __init__(self, service: ConversationService, deliver: Deliver, *,
                 channel_prefix: str = "", user_id: str | None = None) -> None:
        self.service = service
        self.deliver = deliver
        self.channel_prefix = channel_prefix
        self.user_id = user_id

    async def run_once(self) -> int:
        """Deliver everything due now, in batches (a backlog is never loaded whole); returns
        how many reminders went out."""
        now = self.service.clock()
        delivered = 0
        after: DueRow | None = None
        while batch := await self.service.storage.due_batch(
                now, channel_prefix=self.channel_prefix, user_id=self.user_id, after=after):
            after = batch[-1]
            for row in batch:
                delivered += await self._send(row.user_id, row.key)
        return delivered

    async def _send(self, user_id: str, key: str) -> int:
        """1 when the reminder went out."""
        try:
            replies = await self.service.handle(user_id, DueReminder(key))
        except Exception:  # one user's unreadable state must not hold up everyone after
            log.exception("could not prepare reminder %s for %s", key, user_id)
            return 0
        if not replies:  # no longer applies: the engine dropped it from the schedule
            return 0
        if await self.deliver(user_id, replies):
            return 1
        await self.service.handle(user_id, UndeliveredReminder(key))
        return 0

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        """Check at start, then every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:  # a bad round must not end reminders for everyone
                log.exception("could not send due reminders")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
