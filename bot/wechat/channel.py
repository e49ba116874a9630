"""The WeChat channel: a user's message in, the passive reply's text out, exactly once.

Like the other channels it makes no decisions about the conversation: a text becomes
`Text` (numbers and command words are read by the engine, from the options it stored in the
session, so a restart between question and answer keeps them valid), the subscription event
`/start`, an image or voice message an `Upload` with its MediaId. What is WeChat's own:

- **Exactly once.** Each message is logged (by MsgId; events by sender and CreateTime) before
  the engine sees it, and its reply text is kept after the step. WeChat retries a message it
  got no answer to within 5 seconds, up to 3 times; a retry waits for the step already running
  or gets the stored reply, and is never applied again.
- **Within 5 seconds.** A step normally takes milliseconds. When one is not done within the
  budget, the request is answered with 503 so WeChat retries (the retry gets the stored reply),
  or — with customer-service messages — with "success" and the reply is pushed when ready.
- **2048 bytes.** A longer answer (the finished draft always) is cut into parts; the first is
  the reply, "回复 1" shows the next. With customer-service messages the parts are pushed.
- **Reminders** go out as customer-service messages where the account has them (see
  `bot.wechat.server`); any still due are shown after the answer to the user's next message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.reminders import ReminderDispatcher
from bot.service import ConversationService
from bot.web.guard import log_failure
from bot.wechat.customer_service import CustomerService
from bot.wechat.links import DraftLinks
from bot.wechat.paging import paginate, reply_text
from bot.wechat.protocol import Incoming
from bot.wechat_store import WeChatStore
from flows.model import Attachment, Input, Reply, Text, Upload
from flows.parsing import fold

log = logging.getLogger(__name__)

USER_PREFIX = "wechat:"
NEXT_PAGE = "1"  # what "回复 1 看下一段" asks the user to send
# What a message already applied gets instead of a second step: the open question again.
RESUME = "/start"
REPLY_BUDGET = 4.0  # seconds a request waits for its step; WeChat gives up after 5
VOICE_MIME = {"amr": "audio/amr", "speex": "audio/speex", "mp3": "audio/mpeg"}
# Events that say nothing to answer (menu clicks on a link, location reports, template
# message receipts…); WeChat gets "success".
SILENT = ""


class WeChatChannel:
    def __init__(self, service: ConversationService, store: WeChatStore, *,
                 links: DraftLinks | None = None, push: CustomerService | None = None,
                 budget: float = REPLY_BUDGET) -> None:
        self.service = service
        self.store = store
        self.catalog = service.catalog
        self.links = links
        self.push = push
        self.budget = budget
        self._running: dict[str, asyncio.Task[str]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._push_locks: dict[str, asyncio.Lock] = {}

    # ---- one message, exactly once ----------------------------------------------------------

    async def answer(self, message: Incoming) -> str | None:
        """The text of the passive reply ("" for none: WeChat gets "success"), or None when the
        step is not done within the budget and WeChat should retry."""
        key = message.dedupe_key
        user_id = USER_PREFIX + message.from_user
        known = await self.store.receive(key, user_id, self.service.clock())
        if known is not None and known.reply is not None:
            return known.reply
        task = self._running.get(key)
        if task is None:
            # New, or logged by a process that stopped before it answered: handle it now.
            task = asyncio.create_task(self._process(key, user_id, message))
            self._running[key] = task
            task.add_done_callback(lambda _: self._running.pop(key, None))
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.budget)
        except TimeoutError:
            if self.push is None:
                return None
            self._in_background(self._push_when_ready(task, message.from_user))
            return SILENT

    async def after_reply(self, message: Incoming) -> None:
        """Once the passive reply is sent: push the parts still to show, where possible."""
        if self.push is not None:
            await self._push_pages(message.from_user)

    async def _process(self, key: str, user_id: str, message: Incoming) -> str:
        try:
            first, later = await self._respond(key, user_id, message)
        except Exception as error:  # the user is told; the message may be sent again
            log_failure("could not answer a WeChat message", error)
            first, later = self.catalog.text("wechat.error.failed"), []
        await self.store.answered(key, first, user_id, later)
        return first

    async def _respond(self, key: str, user_id: str, message: Incoming
                       ) -> tuple[str, list[str]]:
        """(the reply, the parts still to show) for one message."""
        event, note = self.read(message)
        pending = await self.store.pages(user_id)
        if pending and isinstance(event, Text) and fold(event.text) == NEXT_PAGE:
            return pending[0], pending[1:]
        if event is None:  # nothing for the engine: the parts still to show stay
            return (note or SILENT), pending
        # The shared inbox applies each message once, even across a crash between the commit
        # and the stored reply; such a retry gets the open question again instead.
        handled = await self.service.handle_update(user_id, event, update_key=f"wechat:{key}")
        if handled.duplicate:
            handled = await self.service.handle_update(user_id, Text(RESUME))
        if handled.forgotten:  # /forget: the channel's own rows of the user go too
            await self.store.forget(user_id, keep=key)
            return "\n".join(reply.text for reply in handled.replies), []
        text = await self.compose(user_id, handled.replies, note)
        reminders = await self.due_reminders(user_id)
        if reminders:
            text += "\n\n" + self.catalog.text("wechat.reminders") + "\n" + reminders
        parts = paginate(text, self._footer)
        return parts[0], parts[1:]

    def read(self, message: Incoming) -> tuple[Input | None, str | None]:
        """The engine input a message stands for, and a note of WeChat's own to add."""
        kind = message.msg_type
        if kind == "text":
            return Text(message.content), None
        if kind == "event":
            return (Text("/start"), None) if message.event == "subscribe" else (None, None)
        if kind == "image" and message.media_id:
            return Upload(Attachment(kind="photo", file_id=message.media_id, mime="image/jpeg")), \
                self.catalog.text("wechat.evidence.photo")
        if kind == "voice" and message.media_id:
            mime = VOICE_MIME.get(message.voice_format, f"audio/{message.voice_format or 'amr'}")
            return Upload(Attachment(kind="voice", file_id=message.media_id, mime=mime)), \
                self.catalog.text("wechat.evidence.voice")
        if kind in ("video", "shortvideo") and message.media_id:
            return Upload(Attachment(kind="video", file_id=message.media_id,
                                     mime="video/mp4")), None
        return None, self.catalog.text("wechat.unsupported")

    async def compose(self, user_id: str, replies: Sequence[Reply], note: str | None) -> str:
        """The replies as one text: a note of the channel after the first reply (which
        acknowledges the file), a draft's page link above the draft itself."""
        links: dict[int, str] = {}
        if self.links is not None:
            for reply in replies:
                if reply.sheet is not None:
                    url = await self.links.make(user_id, reply.sheet.number, self.service.clock())
                    hours = int(self.links.lifetime.total_seconds() // 3600)
                    links[reply.sheet.number] = self.catalog.text("wechat.draft_link", url=url,
                                                                  hours=hours)
        blocks = [reply_text(replies[:1], self.catalog, links.get), note,
                  reply_text(replies[1:], self.catalog, links.get)]
        return "\n\n".join(block for block in blocks if block)

    async def due_reminders(self, user_id: str) -> str:
        """Reminders that fell due for this user and were not pushed: shown now, marked sent."""
        shown: list[Reply] = []

        async def collect(_: str, replies: list[Reply]) -> bool:
            shown.extend(replies)
            return True

        await ReminderDispatcher(self.service, collect, user_id=user_id).run_once()
        return reply_text(shown, self.catalog)

    def _footer(self, number: int, total: int) -> str:
        key = "wechat.more_pushed" if self.push is not None else "wechat.more"
        return self.catalog.text(key, number=number, total=total)

    # ---- customer-service messages ----------------------------------------------------------

    async def push_text(self, open_id: str, text: str) -> bool:
        """Push a text of any length as customer-service messages, part after part."""
        if self.push is None:
            return False
        for part in paginate(text, self._footer):
            if not await self.push.send(open_id, part):
                return False
        return True

    async def _push_pages(self, open_id: str) -> None:
        user_id = USER_PREFIX + open_id
        lock = self._push_locks.setdefault(user_id, asyncio.Lock())
        async with lock:
            pages = await self.store.pages(user_id)
            while pages and self.push is not None and await self.push.send(open_id, pages[0]):
                pages = pages[1:]
                await self.store.set_pages(user_id, pages)

    async def _push_when_ready(self, task: asyncio.Task[str], open_id: str) -> None:
        first = await task
        if first and self.push is not None and await self.push.send(open_id, first):
            await self._push_pages(open_id)

    def _in_background(self, work: object) -> None:
        task = asyncio.create_task(work)  # type: ignore[arg-type]
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for the steps and pushes still running (used when the server stops)."""
        waiting = [*self._running.values(), *self._background]
        if waiting:
            await asyncio.gather(*waiting, return_exceptions=True)
