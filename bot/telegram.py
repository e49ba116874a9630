"""The Telegram channel: the same interview on a phone, through python-telegram-bot.

Like the terminal channel it makes no decisions: a message, a pressed button or a file becomes
a `flows.model` input, `ConversationService.handle_update` answers it, and the replies go out
as plain-text messages with inline buttons. Telegram types stay in this module and
`bot.telegram_render`; the engine never sees them.

No update is lost and none is applied twice: each update is stored in the inbox before it is
acknowledged (before the next getUpdates offset moves; before the webhook answers 200), then
handled from there; its turn commits the new state, marks the update handled and puts the
rendered messages in the outbox in one transaction (a lone polled update whose user has
nothing waiting is handled at once instead, its turn's commit being what stores it, still
before the offset moves); each message is claimed (right after that commit, when the bot is
quiet enough to send it at once), sent, then deleted (with the next commit).
After a crash the next start sends what was committed but not sent and handles what was
stored but not handled; a message that was claimed is not sent again.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import json
import logging
import signal
import sys
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.crashpoints import crash_point
from bot.inbox import InboxWorker
from bot.log_redaction import configure_logging
from bot.reminders import ReminderDispatcher
from bot.service import ConversationService, beijing_now
from bot.settings import Settings, SettingsProblem, load_checked_settings
from bot.storage import InboxRow, Storage, StorageError
from bot.telegram_http import AiohttpRequest
from bot.telegram_render import (
    Keyboard,
    OutDocument,
    Outgoing,
    OutText,
    keyboard_values,
    plan,
    read_callback,
)
from bot.telegram_webhook import bind, build_server, webhook_app
from flows.catalog import Catalog
from flows.commands import COMMANDS
from flows.insight import Understand
from flows.model import Attachment, Input, Reply, Text, Upload

log = logging.getLogger(__name__)

T = TypeVar("T")

# The commands offered in Telegram's menu, in this order; the engine parses all of them.
MENU_COMMANDS = ("start", "new", "status", "back", "skip", "cancel", "edit", "reminders", "help",
                 "privacy", "forget")
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
# A 429 is retried by the rate limiter this many times, honouring Telegram's retry_after.
RATE_LIMIT_RETRIES = 3
# Telegram's limit on messages per second for one bot.
MESSAGES_PER_SECOND = 30
# A turn's messages are claimed with its commit only while this many could go out at once
# (more than a turn sends, with older ones waiting too): the bot is not busy.
CLAIM_AT_ONCE_ROOM = 8
# After a lone polled update's commit, the next getUpdates waits this long at most for its
# answer to be sent (a slow send must not hold up everyone's updates).
ANSWER_FIRST_SECONDS = 0.25
# Network failures while sending are retried after these pauses; then the message waits in
# the outbox for the next sweep, and the user's next messages are stored and queued meanwhile.
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0)
# Users are independent (each user's updates are handled in order), so serve several at once.
CONCURRENT_UPDATES = 32
# Long polling: how long one getUpdates waits on Telegram's side for something new.
POLL_SECONDS = 20
# How often messages left in the outbox (Telegram unreachable, a restart) are tried again,
# and handled inbox rows past the redelivery window are dropped.
SWEEP_SECONDS = 5.0
PRUNE_EVERY_SWEEPS = 720
NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)
NO_LINK_PREVIEW_JSON = NO_LINK_PREVIEW.to_dict()
# A text message goes out through `Bot.do_api_request` and Telegram's answer stays JSON: the
# bot never reads the Message it returns, and python-telegram-bot building one (with its
# keyboard) cost about 0.2 ms per message. PTB warns that a typed method exists; that is known.
SEND_MESSAGE = "send_message"
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.send_message'",
                        category=PTBUserWarning)
UPLOADS = (filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
           | filters.VIDEO_NOTE)


class TelegramStartupError(Exception):
    """Why the bot cannot start, in one line that says what to fix."""


def user_key(user: User) -> str:
    """The service's id for a Telegram user; drafts are per user, not per chat."""
    return f"telegram:{user.id}"


def chat_of(user_id: str) -> int | None:
    """The private chat of a service user id made by `user_key`."""
    prefix, _, number = user_id.partition(":")
    return int(number) if prefix == "telegram" and number.lstrip("-").isdigit() else None


def attachment_of(message: Message) -> Attachment | None:
    """The evidence file in a message, as the engine records it (no download: the id suffices)."""
    if message.photo:
        photo = message.photo[-1]  # Telegram lists sizes smallest first
        return Attachment(kind="photo", file_id=photo.file_id, size=photo.file_size,
                          mime="image/jpeg")
    if message.document:
        document = message.document
        return Attachment(kind="document", file_id=document.file_id,
                          name=document.file_name or "", size=document.file_size,
                          mime=document.mime_type or "")
    if message.voice:
        voice = message.voice
        return Attachment(kind="voice", file_id=voice.file_id, size=voice.file_size,
                          mime=voice.mime_type or "audio/ogg")
    if message.audio:
        audio = message.audio
        return Attachment(kind="audio", file_id=audio.file_id, name=audio.file_name or "",
                          size=audio.file_size, mime=audio.mime_type or "")
    if message.video:
        video = message.video
        return Attachment(kind="video", file_id=video.file_id, name=video.file_name or "",
                          size=video.file_size, mime=video.mime_type or "video/mp4")
    if message.video_note:
        note = message.video_note
        return Attachment(kind="video", file_id=note.file_id, size=note.file_size,
                          mime="video/mp4")
    return None


@dataclass(frozen=True)
class Unsent:
    """A user's messages still to send, oldest first, as a commit read them; `claimed` when
    they were claimed with it, to be sent at once."""

    rows: list[tuple[int, str]]
    claimed: bool = False


class Pacer:
    """At most `rate` messages a second for the whole bot (Telegram's broadcast limit),
    waited for before a message is claimed: a message waiting for its turn is still
    unclaimed, so a crash meanwhile does not cost it (PTB's own overall limiter would make it
    wait after the claim)."""

    def __init__(self, rate: float, burst: float | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        # A token bucket: `rate` a second on average, up to `burst` at once (Telegram allows
        # short bursts, as PTB's limiter does), so a quiet bot answers without waiting.
        self.rate = rate
        self.burst = burst if burst is not None else rate
        self._tokens = self.burst
        self._last: float | None = None
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()

    async def wait(self, count: int = 1) -> None:
        """The turn to send `count` messages, waited for in one place in the queue: the
        messages of one turn go out together rather than each queueing behind everyone
        else's (a three-message draft would otherwise take three waits)."""
        async with self._lock:
            now = self._clock()
            if self._last is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens < count:
                await self._sleep((count - self._tokens) / self.rate)
                self._last = self._clock()
                self._tokens = float(count)
            self._tokens -= count

    def has_room(self, count: int) -> bool:
        """Whether `count` messages could go out now without waiting (nothing is taken)."""
        if self._lock.locked():  # someone is already waiting for their turn
            return False
        tokens = self._tokens
        if self._last is not None:
            tokens = min(self.burst, tokens + (self._clock() - self._last) * self.rate)
        return tokens >= count


def update_key(update_id: int) -> str:
    """The inbox key of a Telegram update (update ids are unique per bot)."""
    return f"telegram:update:{update_id}"


def user_of_update(update: Update) -> str | None:
    user = update.effective_user
    return user_key(user) if user is not None else None


class TelegramChannel:
    """Maps updates to inputs and replies to messages; keeps no conversation state itself.

    The handlers run inside `handle_stored` (or `take`, for a lone polled update) for one
    update at a time per user; each ends in exactly one commit that marks the update handled,
    then the user's outbox is sent.
    """

    def __init__(self, service: ConversationService) -> None:
        self.service = service
        self.storage: Storage = service.storage
        self.catalog: Catalog = service.catalog
        self.worker = InboxWorker(self.storage, self.handle_stored,
                                  concurrency=CONCURRENT_UPDATES)
        self.application: Application | None = None
        self.pace = Pacer(MESSAGES_PER_SECOND)
        # Updates stored by this process, kept decoded until handled, so an update is not
        # decoded twice; the payload in the inbox is what a restart decodes instead.
        self._decoded: dict[str, Update] = {}
        # What the commit that settled an update (a turn, a fixed answer) left to send for
        # its user, so sending needs no second look at the outbox; None: look.
        self._settled: dict[str, Unsent | None] = {}
        # Updates handled at once by `take`: resolved True by the commit that settles the
        # update, False when handling ended without one (then it is stored instead).
        self._settling: dict[str, asyncio.Future[bool]] = {}
        # Updates in the inbox not yet settled (key → user), and how many each user has: a
        # lone polled update of such a user waits its turn in the inbox. Filled at start
        # from the inbox (`recall_unhandled`), then by `store`; emptied by the settling commits.
        self._unsettled: dict[str, str] = {}
        self._unsettled_users: collections.Counter[str] = collections.Counter()
        self._background: set[asyncio.Task[None]] = set()

    def install(self, application: Application) -> None:
        self.application = application
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        application.add_handler(MessageHandler(private & filters.TEXT, self.on_text))
        application.add_handler(MessageHandler(private & UPLOADS, self.on_upload))
        application.add_handler(MessageHandler(private, self.on_unsupported))
        application.add_handler(MessageHandler(
            ~filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.COMMAND,
            self.on_group_command))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_error_handler(self.on_error)

    # ---- intake ---------------------------------------------------------------------------

    async def take(self, updates: list[Update]) -> None:
        """Polling: returns once every update of the batch is in the database, before the
        offset that acknowledges them is sent. A lone update whose user has nothing stored
        and unhandled is handled at once: its turn's commit stores it, marked handled, which
        saves the inbox's own commit and round trip; anything else is stored for the worker,
        which keeps each user's updates in order."""
        if len(updates) == 1 and await self._settle_at_once(updates[0]):
            crash_point("stored")
            return
        await self.store(updates)

    async def _settle_at_once(self, update: Update) -> bool:
        """Handle the update now; True once the commit that settles it is on the disk and its
        answer is sent (or ANSWER_FIRST_SECONDS have passed: the sending then goes on in the
        background), False if it must be stored instead. Until the offset acknowledges it,
        Telegram keeps the update, so the turn's commit need not wait for the disk: the
        answer goes out while the database thread syncs the commit, and a power cut before
        that only means the update comes again and is handled again. The next long poll
        waits for the answer so that its own request does not compete with the answer's on
        the loop and the connection (the user hears back first), then for the sync, which
        is usually done by then."""
        user_id = user_of_update(update)
        if user_id is None or self._unsettled_users[user_id]:
            return False
        key = update_key(update.update_id)
        settled = asyncio.get_running_loop().create_future()
        self._settling[key] = settled
        task = asyncio.create_task(self._handle_at_once(update, key, user_id))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        if not await settled:
            return False
        if not task.done():  # `task` is sending the answer
            await asyncio.wait({task}, timeout=ANSWER_FIRST_SECONDS)
        await self.storage.sync()
        return True

    async def finish(self, seconds: float = 10.0) -> None:
        """At stop: let the updates handled at once finish (committed or not; never half)."""
        if self._background:
            await asyncio.wait(list(self._background), timeout=seconds)

    async def _handle_at_once(self, update: Update, key: str, user_id: str) -> None:
        try:
            async with self.worker.locks.hold(user_id):
                await self._handle(update, key, user_id)
        except Exception:
            log.exception("could not handle update %s at once; storing it", key)
        finally:
            waiter = self._settling.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(False)

    async def recall_unhandled(self) -> None:
        """At start, before updates flow: the updates a previous process stored and did not
        handle go first, so their users' next updates queue behind them."""
        self._note_stored([(key, user) for key, user in await self.storage.unhandled()
                           if user is not None])

    def _note_stored(self, rows: list[tuple[str, str]]) -> None:
        for key, user_id in rows:
            if key not in self._unsettled:
                self._unsettled[key] = user_id
                self._unsettled_users[user_id] += 1

    def _committed(self, key: str, unsent: Unsent | None) -> None:
        """The commit that settles update `key` is done: note what is left to send, and let
        a poller waiting for it acknowledge the update."""
        user_id = self._unsettled.pop(key, None)
        if user_id is not None:
            self._unsettled_users[user_id] -= 1
            if not self._unsettled_users[user_id]:
                del self._unsettled_users[user_id]
        self._settled[key] = unsent
        waiter = self._settling.pop(key, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(True)

    def _forget_unsettled(self, user_id: str) -> None:
        for key in [k for k, user in self._unsettled.items() if user == user_id]:
            del self._unsettled[key]
        self._unsettled_users.pop(user_id, None)

    async def store(self, updates: list[Update]) -> None:
        """Put updates in the inbox (one commit) before they are acknowledged."""
        rows = [(update_key(u.update_id), user_of_update(u), u) for u in updates]
        new = set(await self.storage.receive([(key, user, u.to_json())
                                              for key, user, u in rows]))
        crash_point("stored")
        # Only the new ones will be handled from the inbox (the others were stored before).
        self._decoded.update((key, u) for key, _, u in rows if key in new)
        self._note_stored([(key, user) for key, user, _ in rows
                           if key in new and user is not None])
        self.worker.wake()

    async def store_raw(self, data: dict[str, Any]) -> None:
        """A webhook body: ValueError when it does not read as an update."""
        bot = self._bot()
        try:
            update = Update.de_json(data, bot)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"not an update: {error}") from error
        await self.store([update])

    async def handle_stored(self, row: InboxRow) -> None:
        """One stored update through PTB's handlers; an update no handler took (or one whose
        handler failed) is settled too, so it is not tried forever."""
        update = self._decoded.pop(row.update_key, None)
        if update is None:
            update = Update.de_json(json.loads(row.payload), self._bot())
        await self._handle(update, row.update_key, row.user_id)

    async def _handle(self, update: Update, key: str, user_id: str | None) -> None:
        """PTB's handlers, then the settling commit if none of them committed, then the
        user's messages."""
        assert self.application is not None
        try:
            await self.application.process_update(update)
        finally:
            settled = key in self._settled
            waiting = self._settled.pop(key, None)
        if not settled:
            await self.storage.settle(key, user_id)
            self._committed(key, None)
            self._settled.pop(key, None)
        if user_id is not None:
            await self._flush(self._bot(), user_id, waiting)

    def _bot(self) -> Bot:
        assert self.application is not None
        return self.application.bot

    # ---- updates --------------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.from_user is None or message.text is None:
            return
        await self.turn(update, message.chat_id, user_key(message.from_user), Text(message.text))

    async def on_upload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.from_user is None:
            return
        attachment = attachment_of(message)
        if attachment is None:
            await self.on_unsupported(update, context)
            return
        await self.turn(update, message.chat_id, user_key(message.from_user), Upload(attachment))

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, locations, contacts…: say what works instead of staying silent."""
        await self.answer_fixed(update, "telegram.unsupported")

    async def on_group_command(self, update: Update,
                               context: ContextTypes.DEFAULT_TYPE) -> None:
        """Drafts hold names and phone numbers, so the interview only happens in private."""
        await self.answer_fixed(update, "telegram.group_only")

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        choice = read_callback(query.data if isinstance(query.data, str) else None)
        chat = query.message.chat if query.message is not None else None
        if chat is None or chat.type != ChatType.PRIVATE:
            await self.answer(query, self.catalog.text("telegram.group_only"))
            return
        if choice is None:
            await self.answer(query, self.catalog.text("telegram.stale_callback"))
            return
        await self.answer(query)
        pressed = query.message if isinstance(query.message, Message) else None
        await self.turn(update, chat.id, user_key(query.from_user), choice, pressed=pressed,
                        question_button=choice.token is not None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)

    async def answer_fixed(self, update: Update, key: str) -> None:
        """A fixed sentence instead of a turn, queued in the commit that settles the update."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        item = encode_item(message.chat_id, OutText(self.catalog.text(key)))
        key_of_update = update_key(update.update_id)
        await self.storage.settle(key_of_update, user_key(user), [item])
        self._committed(key_of_update, None)

    # ---- one turn -------------------------------------------------------------------------

    async def turn(self, update: Update, chat_id: int, user_id: str, event: Input,
                   pressed: Message | None = None, question_button: bool = False) -> None:
        """Handle one input: state, "handled" and the messages to send commit together."""
        key = update_key(update.update_id)

        def render(replies: list[Reply]) -> list[str]:
            return render_items(chat_id, plan(replies, self.catalog),
                                pressed if question_button else None)

        # A quiet bot sends the turn's messages as soon as it is committed, so they are
        # claimed on the same visit to the database; a busy one leaves them unclaimed while
        # they wait for their turn to be sent, so that a crash meanwhile does not cost them.
        # The update is kept durably until this commit is (in the inbox, or by Telegram
        # until `take` has synced and acknowledged it), so the commit need not wait for the
        # disk; for `take`, the database thread syncs it while the answer is being sent.
        claim = self.pace.has_room(CLAIM_AT_ONCE_ROOM)
        try:
            handled = await self.service.handle_update(
                user_id, event, update_key=key, render=render, claim=claim, durable=False,
                sync_soon=key in self._settling)
        except Exception:
            log.exception("could not handle %s for %s", type(event).__name__, user_id)
            failed = encode_item(chat_id, OutText(self.catalog.text("telegram.failed")))
            await self.storage.settle(key, user_id, [failed])
            self._committed(key, None)
            return
        self._committed(key, None if handled.duplicate
                        else Unsent(handled.waiting, handled.claimed))
        if handled.forgotten:  # the forget marked all their stored updates handled
            self._forget_unsettled(user_id)
        crash_point("claimed" if handled.claimed else "committed")

    # ---- sending --------------------------------------------------------------------------

    async def flush(self, bot: Bot, user_id: str) -> None:
        """Send a user's outbox, holding the user's lock (outside the update handling)."""
        async with self.worker.locks.hold(user_id):
            await self._flush(bot, user_id)

    async def _flush(self, bot: Bot, user_id: str, unsent: Unsent | None = None) -> None:
        """Send the user's waiting messages in order (`unsent` when the caller's commit read
        them, else read now), each claimed before (unless they came claimed) and deleted
        after. A failure that may pass leaves the rest (and that one) for the next sweep."""
        if unsent is None:
            unsent = Unsent(await self.storage.outbox_of(user_id))
        waiting = unsent.rows
        if waiting:
            await self.pace.wait(len(waiting))
        for index, (outbox_id, item) in enumerate(waiting):
            if not unsent.claimed and not await self.storage.claim(outbox_id):
                continue
            outcome = await self.send_item(bot, json.loads(item))
            if outcome == "retry":
                rest = waiting[index + 1:] if unsent.claimed else []
                await self.storage.release(outbox_id, *(later for later, _ in rest))
                return
            crash_point("sent")
            self.storage.sent(outbox_id)

    async def sweep(self, bot: Bot, stop: asyncio.Event) -> None:
        """Every SWEEP_SECONDS: send what is left in the outbox, commit the deletions of sent
        messages that no other write took along; now and then prune the inbox."""
        rounds = 0
        while not stop.is_set():
            try:
                await self.storage.apply_sent()
                for user_id in await self.storage.outbox_users("telegram:"):
                    await self.flush(bot, user_id)
                if rounds % PRUNE_EVERY_SWEEPS == 0:
                    await self.storage.prune_inbox()
            except Exception:
                log.exception("could not sweep the outbox")
            rounds += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=SWEEP_SECONDS)

    async def send_item(self, bot: Bot, item: dict[str, Any]) -> str:
        """"sent", "dropped" (refused for good: trying again would not help) or "retry"."""
        chat_id = int(item["chat"])
        try:
            if item.get("edit") is not None and await self.edit_in_place(bot, chat_id, item):
                return "sent"
            if item.get("retire") is not None:
                await self.retire_buttons(bot, chat_id, int(item["retire"]))
            outgoing = decode_item(item)
            if isinstance(outgoing, OutDocument):
                await self.deliver(lambda: bot.send_document(
                    chat_id, InputFile(outgoing.content, filename=outgoing.filename),
                    caption=outgoing.caption or None, api_kwargs=_keyboard(outgoing.markup)))
            else:
                await self.send_text(bot, chat_id, outgoing)
        except Forbidden as error:
            log.info("chat %s is closed to the bot (%s); dropping a reply", chat_id, error)
            return "dropped"
        except BadRequest as error:
            log.error("Telegram refused a reply to chat %s: %s", chat_id, error)
            return "dropped"
        except TelegramError as error:
            log.error("could not send a reply to chat %s: %s", chat_id, error)
            return "retry"
        return "sent"

    async def edit_in_place(self, bot: Bot, chat_id: int, item: dict[str, Any]) -> bool:
        """A multi-select toggle re-asks the same question: edit it rather than repeat it."""
        message_id = int(item["edit"])
        markup = _keyboard(item.get("markup") or None)
        try:
            await self.deliver(lambda: bot.edit_message_text(
                item["text"], chat_id=chat_id, message_id=message_id, api_kwargs=markup,
                link_preview_options=NO_LINK_PREVIEW))
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return True
            log.info("could not edit message %s (%s); sending anew", message_id, error)
            return False
        except TelegramError as error:
            log.warning("could not edit message %s: %s", message_id, error)
            return False
        return True

    async def retire_buttons(self, bot: Bot, chat_id: int, message_id: int) -> None:
        """An answered question loses its buttons, so they cannot be pressed twice."""
        try:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id,
                                                reply_markup=None)
        except TelegramError as error:  # cosmetic: the engine rejects stale presses anyway
            log.debug("could not remove the buttons of message %s: %s", message_id, error)

    async def answer(self, query: CallbackQuery, text: str | None = None) -> None:
        """Every callback query is answered, or the user's button keeps spinning."""
        try:
            await query.answer(text=text)
        except TelegramError as error:  # e.g. "query is too old" after a restart
            log.debug("could not answer callback query %s: %s", query.id, error)

    async def send(self, bot: Bot, chat_id: int, outgoing: list[Outgoing]) -> bool:
        """Send in order; a failure stops the rest, so the user never sees parts out of order.
        False when a failure may pass (worth trying again later)."""
        if outgoing:
            await self.pace.wait(len(outgoing))
        for item in outgoing:
            outcome = await self.send_item(bot, json.loads(encode_item(chat_id, item)))
            if outcome == "dropped":
                return True
            if outcome == "retry":
                return False
        return True

    async def deliver_reminder(self, bot: Bot, user_id: str, replies: list[Reply]) -> bool:
        """A reminder goes to the user's private chat, whose id is the user's own id."""
        chat_id = chat_of(user_id)
        if chat_id is None:
            return True  # not a Telegram user: nothing this channel can do
        async with self.worker.locks.hold(user_id):
            return await self.send(bot, chat_id, plan(replies, self.catalog))

    async def send_text(self, bot: Bot, chat_id: int, item: OutText) -> None:
        message = {"chat_id": chat_id, "text": item.text,
                   "link_preview_options": NO_LINK_PREVIEW_JSON}
        try:
            await self.deliver(lambda: bot.do_api_request(
                SEND_MESSAGE, api_kwargs={**message, **(_keyboard(item.markup) or {})}))
        except BadRequest as error:
            if item.markup is None:
                raise
            # Keep the words even if a button was refused; typed answers still work.
            log.warning("Telegram refused the buttons (%s); sending the text alone", error)
            await self.deliver(lambda: bot.do_api_request(SEND_MESSAGE, api_kwargs=message))

    async def deliver(self, call: Callable[[], Awaitable[T]]) -> T:
        """Retry network failures (the rate limiter already retries 429s); a reply is not lost
        to a hiccup. A request refused as invalid is not retried."""
        for delay in (*SEND_RETRY_DELAYS, None):
            try:
                return await call()
            except BadRequest:
                raise
            except (NetworkError, RetryAfter) as error:
                if delay is None:
                    raise
                log.warning("sending failed (%s); retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


# ---- outbox items: one outgoing message as JSON -------------------------------------------


def render_items(chat_id: int, outgoing: list[Outgoing], pressed: Message | None) -> list[str]:
    """The outbox items of one turn. After a pressed question button, a lone re-asked
    question with the same options edits the pressed message; otherwise the pressed
    message loses its buttons before the first reply goes out."""
    items = [_item(chat_id, item) for item in outgoing]
    if pressed is not None and items:
        first = outgoing[0]
        if (len(outgoing) == 1 and isinstance(first, OutText) and first.values
                and first.values == keyboard_values(pressed.reply_markup)):
            items[0]["edit"] = pressed.message_id
        elif pressed.reply_markup is not None:
            items[0]["retire"] = pressed.message_id
    return [json.dumps(item, ensure_ascii=False) for item in items]


def encode_item(chat_id: int, outgoing: Outgoing) -> str:
    return json.dumps(_item(chat_id, outgoing), ensure_ascii=False)


def _item(chat_id: int, outgoing: Outgoing) -> dict[str, Any]:
    if isinstance(outgoing, OutDocument):
        return {"chat": chat_id, "document": outgoing.filename, "caption": outgoing.caption,
                "content": base64.b64encode(outgoing.content).decode("ascii"),
                "markup": outgoing.markup,
                "values": sorted(outgoing.values)}
    return {"chat": chat_id, "text": outgoing.text,
            "markup": outgoing.markup,
            "values": sorted(outgoing.values)}


def decode_item(item: dict[str, Any]) -> Outgoing:
    if "document" in item:
        return OutDocument(item["document"], base64.b64decode(item["content"]),
                           item.get("caption", ""), item.get("markup") or None,
                           frozenset(item.get("values", ())))
    return OutText(item["text"], item.get("markup") or None, frozenset(item.get("values", ())))


def _keyboard(markup: Keyboard | None) -> dict[str, Any] | None:
    """A keyboard goes out as the Bot API's JSON it already is (python-telegram-bot passes
    `api_kwargs` through), with no objects built for it."""
    return {"reply_markup": markup} if markup is not None else None


# ---- the process --------------------------------------------------------------------------


def build_application(settings: Settings, token: str,
                      channel: TelegramChannel) -> Application:
    """PTB for its Bot (requests, rate limiter) and its handlers; updates come from our own
    intake (polling loop or webhook server), which stores them first, so no PTB Updater."""
    root = settings.telegram_api_base_url
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        # The overall limit is our Pacer (before the claim); PTB keeps the per-group limit and
        # retries 429s.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=RATE_LIMIT_RETRIES))
        # aiohttp carries the requests (see bot.telegram_http); one connection is enough
        # for the long poll, which runs one request at a time.
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(pool_size=1))
        .updater(None)
        .build()
    )
    channel.install(application)
    return application


def command_menu(catalog: Catalog) -> list[BotCommand]:
    assert set(MENU_COMMANDS) <= set(COMMANDS), "the engine must know every menu command"
    return [BotCommand(name, catalog.text(f"telegram.commands.{name}")) for name in MENU_COMMANDS]


async def register_commands(application: Application, catalog: Catalog) -> None:
    """The command menu in Chinese; without it the bot still works, so a failure is logged."""
    try:
        await application.bot.set_my_commands(command_menu(catalog))
    except TelegramError as error:
        log.warning("could not register the command list with setMyCommands: %s", error)


def _explain(error: Exception, settings: Settings) -> TelegramStartupError:
    root = settings.telegram_api_base_url
    if isinstance(error, InvalidToken):
        return TelegramStartupError(
            f"the Bot API at {root} rejected TELEGRAM_BOT_TOKEN ({error}): copy the current "
            "token from @BotFather (/mybots → API Token) into .env")
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        return TelegramStartupError(
            f"cannot reach the Telegram Bot API at {root} ({error}): check the internet "
            "connection, a proxy, or TELEGRAM_API_BASE_URL")
    return TelegramStartupError(f"the Telegram Bot API at {root} refused to start the bot: "
                                f"{error}")


async def poll(channel: TelegramChannel, bot: Bot, stop: asyncio.Event) -> None:
    """Long polling. A batch is stored before the next getUpdates, whose offset is what
    tells Telegram it may forget the batch; so an update is never acknowledged unstored."""
    offset: int | None = None
    acknowledging = False
    pause = 1.0
    while not stop.is_set():
        try:
            updates = await bot.get_updates(offset=offset, timeout=POLL_SECONDS,
                                            allowed_updates=list(ALLOWED_UPDATES))
        except InvalidToken as error:
            log.error("Telegram no longer accepts the token (%s); stopping", error)
            stop.set()
            return
        except TelegramError as error:
            log.warning("getUpdates failed (%s); trying again in %.0fs", error, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=pause)
            pause = min(pause * 2, 30.0)
            continue
        pause = 1.0
        if acknowledging:
            crash_point("acknowledged")
        acknowledging = bool(updates)
        if updates:
            await channel.take(list(updates))
            offset = updates[-1].update_id + 1


async def _until(stop: asyncio.Event, work: Awaitable[None]) -> None:
    """Run `work` until it ends or `stop` is set (then it is cancelled)."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if task.done() and not task.cancelled():
        task.result()


async def serve(settings: Settings, stop: asyncio.Event, *, webhook: bool = False,
                on_ready: Callable[[str], None] | None = None,
                understand: Understand | None = None,
                clock: Callable[[], datetime] = beijing_now) -> None:
    """Run the bot until `stop` is set: first what a previous process left (messages committed
    but not sent, updates stored but not handled), then long polling or the webhook server,
    and the reminders due (those that fell due while it was stopped, then every
    REMINDER_CHECK_SECONDS). `on_ready` gets the bot's @username once updates are flowing."""
    token = settings.telegram_token()
    hook = settings.webhook() if webhook else None
    catalog = settings.catalog()
    try:
        storage = await Storage.open(settings.database_path)
    except StorageError as error:
        raise SettingsProblem(f"DATABASE_PATH: {error}") from None
    try:
        service = ConversationService(storage, catalog, clock=clock, understand=understand)
        channel = TelegramChannel(service)
        application = build_application(settings, token, channel)
        try:
            await application.initialize()  # getMe: proves the token and the connection
        except TelegramError as error:
            await application.bot.shutdown()  # the connection pools opened before getMe
            raise _explain(error, settings) from None
        try:
            await register_commands(application, catalog)
            await application.start()
            bot = application.bot
            await channel.recall_unhandled()
            dropped = await storage.drop_uncertain()
            if dropped:
                log.warning("%d message(s) were claimed for sending when the bot last "
                            "stopped (sent or being sent, not confirmed); not sending them "
                            "again", dropped)
            await asyncio.to_thread(service.prepare)  # before the first update, not in it
            background = [asyncio.create_task(channel.worker.run(stop)),
                          asyncio.create_task(channel.sweep(bot, stop))]
            try:
                intake = await _open_intake(channel, bot, settings, hook, stop)
                if on_ready is not None:
                    on_ready(bot.username)
                dispatcher = ReminderDispatcher(
                    service, lambda user_id, replies: channel.deliver_reminder(
                        bot, user_id, replies), channel_prefix="telegram:")
                await asyncio.gather(_until(stop, intake),
                                     dispatcher.run(stop, settings.reminder_check_seconds))
            finally:
                stop.set()
                await asyncio.gather(*background, channel.finish(), return_exceptions=True)
        finally:
            if application.running:
                await application.stop()
            await application.shutdown()
    finally:
        await storage.close()


async def _open_intake(channel: TelegramChannel, bot: Bot, settings: Settings,
                       hook: tuple[str, str] | None, stop: asyncio.Event) -> Awaitable[None]:
    """Start receiving: register the webhook (and bind its port) or switch to polling.
    Returns what keeps receiving until the bot stops."""
    try:
        if hook is None:
            await bot.delete_webhook()
            return poll(channel, bot, stop)
        url, secret = hook
        try:
            sock = bind(settings.webhook_listen, settings.webhook_port)
        except OSError as error:
            raise TelegramStartupError(
                f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
                f"({error.strerror or error}): change WEBHOOK_LISTEN or WEBHOOK_PORT") from None
        server = build_server(webhook_app(urlsplit(url).path or "/", secret, channel.store_raw))
        try:
            await bot.set_webhook(url=url, secret_token=secret,
                                  allowed_updates=list(ALLOWED_UPDATES))
        except BaseException:
            sock.close()
            raise
        return _serve_webhook(server, sock)
    except TelegramError as error:
        raise _explain(error, settings) from None


async def _serve_webhook(server: Any, sock: Any) -> None:
    """uvicorn on the bound socket until cancelled, then a graceful stop."""
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, timeout=10)
        raise
    finally:
        sock.close()


async def _serve_until_signalled(settings: Settings, webhook: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(signum, stop.set)

    def announce(username: str) -> None:
        mode = "webhook at " + (settings.webhook_url or "") if webhook else "long polling"
        print(f"complaint-bot telegram: @{username} is serving users ({mode}); "
              "Ctrl-C stops it", file=sys.stderr, flush=True)

    await serve(settings, stop, webhook=webhook, on_ready=announce)


def run_telegram(webhook: bool = False) -> int:
    """`complaint-bot telegram`: returns 0 after a clean stop; raises a one-line error else."""
    settings = load_checked_settings()
    configure_logging(settings.log_level, settings.secrets())
    # httpx logs every request at INFO; redaction would hide the token, but the lines are noise.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_signalled(settings, webhook))
    return 0


STARTUP_ERRORS = (SettingsProblem, TelegramStartupError)
