"""How heavy the web page is and how long a turn takes on the server.

    .venv/bin/python bench/web_page.py

Prints the bytes a phone downloads for the chat (HTML, CSS, script; gzip as nginx would send
them) and the median server time of one turn (POST, commit, redirect, page) measured
in-process through the ASGI app with a temporary SQLite file, so without network time.
"""

from __future__ import annotations

import asyncio
import gzip
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from bot.service import ConversationService
from bot.storage import Storage
from bot.web.app import WebLimits, create_app
from bot.web_store import WebStore
from flows.catalog import load_catalog
from flows.insight import understand_nothing

TURNS = 200
SECRET = b"benchmark-secret-0123456789abcdef0123"


def _sizes(body: bytes) -> str:
    return f"{len(body):>6} B, {len(gzip.compress(body)):>5} B gzipped"


async def main() -> None:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        storage = await Storage.open(path)
        store = await WebStore.open(path)
        service = ConversationService(storage, catalog, clock=lambda: datetime(2026, 11, 28, 10),
                                      understand=understand_nothing)
        app = create_app(service, store, SECRET, WebLimits(burst=10**6, per_second=10**6))
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                     follow_redirects=True) as client:
            first = await client.get("/")
            csrf = first.text.split('data-csrf="')[1].split('"')[0]
            await client.post("/start", data={"csrf": csrf})
            timings = []
            page = b""
            for _ in range(TURNS):
                started = time.perf_counter()
                response = await client.post("/say", data={"csrf": csrf, "text": "/help"})
                timings.append(time.perf_counter() - started)
                page = response.content
            css = (await client.get("/static/app.css")).content
            script = (await client.get("/static/app.js")).content
        await store.close()
        await storage.close()
    print(f"chat page (after {TURNS} turns, 80 bubbles kept): {_sizes(page)}")
    print(f"app.css:                                 {_sizes(css)}")
    print(f"app.js:                                  {_sizes(script)}")
    timings.sort()
    print(f"one turn on the server (POST /say /help → redirect → page), {TURNS} turns: "
          f"median {statistics.median(timings) * 1000:.1f} ms, "
          f"95th percentile {timings[int(0.95 * len(timings))] * 1000:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
