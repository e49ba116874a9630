"""The Telegram channel: the same interview on a phone, through python-telegram-bot.

Like the terminal channel it makes no decisions: a message, a pressed button or a file becomes
a `flows.model` input, `ConversationService.handle` answers it (the state is committed before
anything is sent), and the replies go out as plain-text messages with inline buttons. Telegram
types stay in this module and `bot.telegram_render`; the engine never sees them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar
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

from bot.reminders import ReminderDispatcher
from bot.service import ConversationService, beijing_now
from bot.settings import Settings, SettingsProblem, load_checked_settings
from bot.storage import Storage
from bot.telegram_render import OutDocument, Outgoing, OutText, keyboard_values, plan, read_callback
from flows.catalog import Catalog, load_catalog
from flows.commands import COMMANDS
from flows.insight import Understand
from flows.model import Attachment, Input, Reply, Text, Upload

log = logging.getLogger(__name__)

T = TypeVar("T")

# The commands offered in Telegram's menu, in this order; the engine parses all of them.
MENU_COMMANDS = ("start", "new", "status", "back", "skip", "cancel", "edit", "reminders", "help",
                 "privacy")
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
# A 429 is retried by the rate limiter this many times, honouring Telegram's retry_after.
RATE_LIMIT_RETRIES = 3
# Network failures while sending are retried after these pauses, then the turn gives up.
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
# Users are independent (one lock per chat keeps each chat in order), so serve several at once.
CONCURRENT_UPDATES = 32
NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)
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


class TelegramChannel:
    """Maps updates to inputs and replies to messages; keeps no conversation state itself."""

    def __init__(self, service: ConversationService) -> None:
        self.service = service
        self.catalog: Catalog = service.catalog
        # Replies of one chat must not interleave when two of its updates run concurrently.
        self._chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    def install(self, application: Application) -> None:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        application.add_handler(MessageHandler(private & filters.TEXT, self.on_text))
        application.add_handler(MessageHandler(private & UPLOADS, self.on_upload))
        application.add_handler(MessageHandler(private, self.on_unsupported))
        application.add_handler(MessageHandler(
            ~filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.COMMAND,
            self.on_group_command))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_error_handler(self.on_error)

    # ---- updates --------------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.from_user is None or message.text is None:
            return
        await self.turn(context, message.chat_id, user_key(message.from_user), Text(message.text))

    async def on_upload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.from_user is None:
            return
        attachment = attachment_of(message)
        if attachment is None:
            await self.on_unsupported(update, context)
            return
        await self.turn(context, message.chat_id, user_key(message.from_user),
                        Upload(attachment))

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, locations, contacts…: say what works instead of staying silent."""
        message = update.effective_message
        if message is not None:
            await self.send(context.bot, message.chat_id,
                            [OutText(self.catalog.text("telegram.unsupported"))])

    async def on_group_command(self, update: Update,
                               context: ContextTypes.DEFAULT_TYPE) -> None:
        """Drafts hold names and phone numbers, so the interview only happens in private."""
        message = update.effective_message
        if message is not None:
            await self.send(context.bot, message.chat_id,
                            [OutText(self.catalog.text("telegram.group_only"))])

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
        await self.turn(context, chat.id, user_key(query.from_user), choice, pressed=pressed,
                        question_button=choice.token is not None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)

    # ---- one turn -------------------------------------------------------------------------

    async def turn(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: str,
                   event: Input, pressed: Message | None = None,
                   question_button: bool = False) -> None:
        """Handle one input (committed by the service), then send what it answered."""
        async with self._chat_locks[chat_id]:
            try:
                replies = await self.service.handle(user_id, event)
            except Exception:
                log.exception("could not handle %s for %s", type(event).__name__, user_id)
                await self.send(context.bot, chat_id, [OutText(self.catalog.text("telegram.failed"))])
                return
            outgoing = plan(replies, self.catalog)
            if pressed is not None and question_button:
                if await self.update_in_place(context, pressed, outgoing):
                    return
                await self.retire_buttons(context, pressed)
            await self.send(context.bot, chat_id, outgoing)

    async def update_in_place(self, context: ContextTypes.DEFAULT_TYPE, pressed: Message,
                              outgoing: list[Outgoing]) -> bool:
        """A multi-select toggle re-asks the same question: edit it rather than repeat it."""
        if len(outgoing) != 1 or not isinstance(outgoing[0], OutText):
            return False
        new = outgoing[0]
        if not new.values or new.values != keyboard_values(pressed.reply_markup):
            return False
        try:
            await self.deliver(lambda: context.bot.edit_message_text(
                new.text, chat_id=pressed.chat_id, message_id=pressed.message_id,
                reply_markup=new.markup, link_preview_options=NO_LINK_PREVIEW))
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return True
            log.info("could not edit message %s (%s); sending anew", pressed.message_id, error)
            return False
        except TelegramError as error:
            log.warning("could not edit message %s: %s", pressed.message_id, error)
            return False
        return True

    async def retire_buttons(self, context: ContextTypes.DEFAULT_TYPE, pressed: Message) -> None:
        """An answered question loses its buttons, so they cannot be pressed twice."""
        if pressed.reply_markup is None:
            return
        try:
            await context.bot.edit_message_reply_markup(
                chat_id=pressed.chat_id, message_id=pressed.message_id, reply_markup=None)
        except TelegramError as error:  # cosmetic: the engine rejects stale presses anyway
            log.debug("could not remove the buttons of message %s: %s",
                      pressed.message_id, error)

    async def answer(self, query: CallbackQuery, text: str | None = None) -> None:
        """Every callback query is answered, or the user's button keeps spinning."""
        try:
            await query.answer(text=text)
        except TelegramError as error:  # e.g. "query is too old" after a restart
            log.debug("could not answer callback query %s: %s", query.id, error)

    # ---- sending --------------------------------------------------------------------------

    async def send(self, bot: Bot, chat_id: int, outgoing: list[Outgoing]) -> bool:
        """Send in order; a failure stops the rest, so the user never sees parts out of order.
        False when a failure may pass (worth trying again later)."""
        for item in outgoing:
            try:
                if isinstance(item, OutDocument):
                    await self.deliver(lambda item=item: bot.send_document(
                        chat_id, InputFile(item.content, filename=item.filename),
                        caption=item.caption or None, reply_markup=item.markup))
                else:
                    await self.send_text(bot, chat_id, item)
            except Forbidden as error:
                log.info("chat %s is closed to the bot (%s); dropping its replies", chat_id, error)
                return True  # the user blocked the bot: trying again would not help
            except BadRequest as error:
                log.error("Telegram refused a reply to chat %s: %s", chat_id, error)
                return True  # e.g. "chat not found": the same request would be refused again
            except TelegramError as error:
                log.error("could not send a reply to chat %s: %s", chat_id, error)
                return False
        return True

    async def deliver_reminder(self, bot: Bot, user_id: str, replies: list[Reply]) -> bool:
        """A reminder goes to the user's private chat, whose id is the user's own id."""
        chat_id = chat_of(user_id)
        if chat_id is None:
            return True  # not a Telegram user: nothing this channel can do
        async with self._chat_locks[chat_id]:
            return await self.send(bot, chat_id, plan(replies, self.catalog))

    async def send_text(self, bot: Bot, chat_id: int, item: OutText) -> None:
        try:
            await self.deliver(lambda: bot.send_message(
                chat_id, item.text, reply_markup=item.markup,
                link_preview_options=NO_LINK_PREVIEW))
        except BadRequest as error:
            if item.markup is None:
                raise
            # Keep the words even if a button was refused; typed answers still work.
            log.warning("Telegram refused the buttons (%s); sending the text alone", error)
            await self.deliver(lambda: bot.send_message(
                chat_id, item.text, link_preview_options=NO_LINK_PREVIEW))

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


# ---- the process --------------------------------------------------------------------------


def build_application(settings: Settings, token: str,
                      channel: TelegramChannel) -> Application:
    root = settings.telegram_api_base_url
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
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


async def serve(settings: Settings, stop: asyncio.Event, *, webhook: bool = False,
                on_ready: Callable[[str], None] | None = None,
                understand: Understand | None = None,
                clock: Callable[[], datetime] = beijing_now) -> None:
    """Run the bot until `stop` is set: long polling, or a webhook server behind HTTPS, and
    the reminders due (first those that fell due while it was stopped, then every
    REMINDER_CHECK_SECONDS). `on_ready` gets the bot's @username once updates are flowing."""
    token = settings.telegram_token()
    hook = settings.webhook() if webhook else None
    try:
        catalog = load_catalog(settings.default_locale)
    except FileNotFoundError:
        raise SettingsProblem(f"DEFAULT_LOCALE={settings.default_locale!r} has no catalog "
                              "in locale/ (only zh_CN exists)") from None
    try:
        storage = await Storage.open(settings.database_path)
    except Exception as error:
        raise SettingsProblem(f"cannot open DATABASE_PATH={settings.database_path}: "
                              f"{error}") from None
    try:
        service = ConversationService(storage, catalog, clock=clock, understand=understand)
        channel = TelegramChannel(service)
        application = build_application(settings, token, channel)
        try:
            await application.initialize()  # getMe: proves the token and the connection
        except TelegramError as error:
            raise _explain(error, settings) from None
        try:
            await register_commands(application, catalog)
            await application.start()
            await _start_updates(application, settings, hook)
            if on_ready is not None:
                on_ready(application.bot.username)
            bot = application.bot
            dispatcher = ReminderDispatcher(
                service, lambda user_id, replies: channel.deliver_reminder(bot, user_id, replies),
                channel_prefix="telegram:")
            await dispatcher.run(stop, settings.reminder_check_seconds)
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
    finally:
        await storage.close()


async def _start_updates(application: Application, settings: Settings,
                         hook: tuple[str, str] | None) -> None:
    updater = application.updater
    assert updater is not None
    try:
        if hook is None:
            await updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
            return
        url, secret = hook
        await updater.start_webhook(
            listen=settings.webhook_listen, port=settings.webhook_port,
            url_path=urlsplit(url).path.lstrip("/"), webhook_url=url, secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES))
    except RuntimeError as error:  # PTB's way of saying the webhooks extra is missing
        raise TelegramStartupError(
            f"webhook mode cannot start ({error}): install python-telegram-bot[webhooks], "
            "or run without --webhook") from None
    except OSError as error:
        raise TelegramStartupError(
            f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
            f"({error.strerror or error}): change WEBHOOK_LISTEN or WEBHOOK_PORT") from None
    except TelegramError as error:
        raise _explain(error, settings) from None


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
    try:
        logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except ValueError:
        raise SettingsProblem(f"LOG_LEVEL={settings.log_level!r} is not a level: use DEBUG, "
                              "INFO, WARNING or ERROR") from None
    # httpx logs every request at INFO, which would put the token in the log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_signalled(settings, webhook))
    return 0


STARTUP_ERRORS = (SettingsProblem, TelegramStartupError)
