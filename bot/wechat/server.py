"""`complaint-bot wechat`: open the stores, build the app, serve it with uvicorn until stopped.

With customer-service messages switched on, due reminders are pushed every
REMINDER_CHECK_SECONDS; without them (or when WeChat refuses one, e.g. after the 48-hour
window) they are shown after the answer to the user's next message.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from datetime import datetime

import uvicorn

from bot.log_redaction import configure_logging
from bot.reminders import ReminderDispatcher
from bot.service import ConversationService, beijing_now
from bot.settings import Settings, SettingsProblem, load_checked_settings
from bot.storage import Storage
from bot.wechat.app import CALLBACK, create_app
from bot.wechat.channel import REPLY_BUDGET, USER_PREFIX, WeChatChannel
from bot.wechat.customer_service import CustomerService
from bot.wechat.links import DraftLinks
from bot.wechat.paging import reply_text
from bot.wechat.protocol import MessageCrypto
from bot.wechat_store import WeChatStore
from flows.insight import Understand
from flows.model import Reply


@contextlib.asynccontextmanager
async def wechat_server(settings: Settings, *, understand: Understand | None = None,
                        clock: Callable[[], datetime] = beijing_now,
                        budget: float = REPLY_BUDGET) -> AsyncIterator[
        tuple[uvicorn.Server, WeChatChannel]]:
    """The server ready to `serve()`, with its stores open; closed again on leaving. The
    analyzer, the clock and the reply budget can be replaced (tests do)."""
    token = settings.wechat_callback_token()
    aes_key = settings.wechat_aes_key()
    credentials = settings.wechat_api_credentials()
    catalog = settings.catalog()
    try:
        storage = await Storage.open(settings.database_path)
        store = await WeChatStore.open(settings.database_path)
    except Exception as error:
        raise SettingsProblem(f"cannot open DATABASE_PATH={settings.database_path}: "
                              f"{error}") from None
    push = CustomerService(settings.wechat_api_base_url, *credentials) if credentials else None
    links = None
    if settings.wechat_public_url and settings.web_secret is not None:
        links = DraftLinks(store, settings.web_signing_secret(), settings.wechat_public_url)
    try:
        service = ConversationService(storage, catalog, clock=clock, understand=understand)
        # Before the first message, not in it: WeChat waits five seconds for an answer.
        await asyncio.to_thread(service.prepare)
        channel = WeChatChannel(service, store, links=links, push=push, budget=budget)
        crypto = MessageCrypto(token, aes_key, settings.wechat_app_id or "") if aes_key else None
        config = uvicorn.Config(
            create_app(channel, token, crypto), host=settings.wechat_listen,
            port=settings.wechat_port, lifespan="off", access_log=False,
            log_level=settings.log_level.lower(), proxy_headers=True,
            forwarded_allow_ips="127.0.0.1", limit_concurrency=500, timeout_keep_alive=15)
        yield uvicorn.Server(config), channel
        await channel.drain()
    finally:
        if push is not None:
            await push.close()
        await store.close()
        await storage.close()


async def push_reminders(channel: WeChatChannel, stop: asyncio.Event, interval: float) -> None:
    """Due reminders as customer-service messages; a refused one stays due for the next
    message of its user."""
    async def deliver(user_id: str, replies: list[Reply]) -> bool:
        text = channel.catalog.text("wechat.reminders") + "\n" + reply_text(replies, channel.catalog)
        return await channel.push_text(user_id.removeprefix(USER_PREFIX), text)

    dispatcher = ReminderDispatcher(channel.service, deliver, channel_prefix=USER_PREFIX)
    await dispatcher.run(stop, interval)


async def serve(settings: Settings) -> None:
    async with wechat_server(settings) as (server, channel):
        stop = asyncio.Event()
        reminders = (asyncio.create_task(push_reminders(channel, stop,
                                                        settings.reminder_check_seconds))
                     if channel.push is not None else None)
        announcing = asyncio.create_task(_announce_when_started(server, settings))
        try:
            await server.serve()
        except SystemExit:  # uvicorn's way of saying it could not bind
            raise SettingsProblem(f"cannot listen on {settings.wechat_listen}:"
                                  f"{settings.wechat_port}: change WECHAT_LISTEN or "
                                  "WECHAT_PORT") from None
        finally:
            announcing.cancel()
            stop.set()
            if reminders is not None:
                await reminders


async def _announce_when_started(server: uvicorn.Server, settings: Settings) -> None:
    while not server.started:
        await asyncio.sleep(0.05)
    print(f"complaint-bot wechat: callback URL http://{settings.wechat_listen}:"
          f"{settings.wechat_port}{CALLBACK} (Ctrl-C stops it)", file=sys.stderr, flush=True)


def run_wechat() -> int:
    """`complaint-bot wechat`: 0 after a clean stop; a SettingsProblem says what to fix."""
    settings = load_checked_settings()
    configure_logging(settings.log_level, settings.secrets())
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings))
    return 0
