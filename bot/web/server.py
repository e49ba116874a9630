"""`complaint-bot web`: open the stores, build the app, serve it with uvicorn until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import sys

import uvicorn

from bot.log_redaction import configure_logging
from bot.service import ConversationService
from bot.settings import Settings, SettingsProblem, load_checked_settings
from bot.storage import Storage
from bot.web.app import create_app
from bot.web_store import WebStore


async def serve(settings: Settings) -> None:
    secret = settings.web_signing_secret()
    catalog = settings.catalog()
    try:
        storage = await Storage.open(settings.database_path)
        store = await WebStore.open(settings.database_path)
    except Exception as error:
        raise SettingsProblem(f"cannot open DATABASE_PATH={settings.database_path}: "
                              f"{error}") from None
    try:
        service = ConversationService(storage, catalog)
        await asyncio.to_thread(service.prepare)  # before the first request, not in it
        app = create_app(service, store, secret)
        config = uvicorn.Config(
            app, host=settings.web_listen, port=settings.web_port, lifespan="off",
            # Paths hold no personal data, but the access log is off all the same: the proxy
            # in front keeps the one log that is needed.
            access_log=False, log_level=settings.log_level.lower(),
            # Behind the reverse proxy on this machine: trust its X-Forwarded-Proto/-For.
            proxy_headers=True, forwarded_allow_ips="127.0.0.1",
            limit_concurrency=200, timeout_keep_alive=15)
        server = uvicorn.Server(config)
        announcing = asyncio.create_task(_announce_when_started(server, settings))
        try:
            await server.serve()
        except SystemExit:  # uvicorn's way of saying it could not bind
            raise SettingsProblem(f"cannot listen on {settings.web_listen}:{settings.web_port}: "
                                  "change WEB_LISTEN or WEB_PORT") from None
        finally:
            announcing.cancel()
    finally:
        await store.close()
        await storage.close()


async def _announce_when_started(server: uvicorn.Server, settings: Settings) -> None:
    while not server.started:
        await asyncio.sleep(0.05)
    print(f"complaint-bot web: serving http://{settings.web_listen}:{settings.web_port}/ "
          "(Ctrl-C stops it)", file=sys.stderr, flush=True)


def run_web() -> int:
    """`complaint-bot web`: 0 after a clean stop; a SettingsProblem says what to fix."""
    settings = load_checked_settings()
    configure_logging(settings.log_level, settings.secrets())
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings))
    return 0
