"""Handles the updates stored in the inbox: each user's in arrival order, users in parallel.

A channel stores every update before acknowledging it (`Storage.receive`); this worker
takes the stored updates not yet handled — first those left by a previous process — and
gives each to the channel's `handle`, which marks it handled in the commit of its turn.
An update whose handling failed stays pending and is tried again on the next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.keyed_locks import KeyedLocks
from bot.storage import InboxRow, Storage

log = logging.getLogger(__name__)

Handle = Callable[[InboxRow], Awaitable[None]]


class InboxWorker:
    def __init__(self, storage: Storage, handle: Handle, *, concurrency: int = 32,
                 idle_seconds: float = 1.0, batch: int = 256) -> None:
        self.storage = storage
        self.handle = handle
        self.idle_seconds = idle_seconds
        self.batch = batch
        self.locks = KeyedLocks()  # public: the channel holds a user's lock to send to them
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._in_flight: dict[str, asyncio.Task[None]] = {}

    def wake(self) -> None:
        """New updates were stored: look now rather than at the next idle tick."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()
            try:
                rows = await self.storage.pending_updates(self.batch, exclude=self._in_flight)
            except Exception:
                log.exception("could not read the inbox")
                rows = []
            for row in rows:
                self._in_flight[row.update_key] = asyncio.create_task(self._one(row))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake_or(stop), timeout=self.idle_seconds)
        await self.drain()

    async def drain(self, seconds: float = 10.0) -> None:
        """Let the updates being handled finish (they are committed or not; never half)."""
        tasks = list(self._in_flight.values())
        if tasks:
            await asyncio.wait(tasks, timeout=seconds)

    async def _wake_or(self, stop: asyncio.Event) -> None:
        waiters = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _one(self, row: InboxRow) -> None:
        try:
            async with self.locks.hold(row.user_id or row.update_key), self._slots:
                await self.handle(row)
        except Exception:
            log.exception("could not handle update %s; it stays in the inbox", row.update_key)
        finally:
            self._in_flight.pop(row.update_key, None)
