"""How long a WeChat message takes on the server, against WeChat's 5-second limit, and how
the finished draft is cut into 2048-byte parts.

    .venv/bin/python bench/wechat_turn.py

Runs whole complaints in-process through the ASGI app (httpx's ASGI transport, a temporary
SQLite file, the analyzer of the user's words switched on as in production), in plaintext and
in safe mode, and prints the median and 95th percentile of the server time per message
(signature check, decryption, log, step, commit, reply, encryption), the slowest message,
and the parts of the draft: how many and their sizes in bytes. No network time is included.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "wechat"))

from wechat_fake import AES_KEY, APP_ID, TOKEN, FakeWeChat  # noqa: E402
from wechat_harness import NOW, Clock, answers  # noqa: E402

from bot.service import ConversationService  # noqa: E402
from bot.storage import Storage  # noqa: E402
from bot.wechat.app import create_app  # noqa: E402
from bot.wechat.channel import USER_PREFIX, WeChatChannel  # noqa: E402
from bot.wechat.protocol import MessageCrypto, parse_xml  # noqa: E402
from bot.wechat_store import WeChatStore  # noqa: E402
from flows.catalog import load_catalog  # noqa: E402
from flows.model import Asking  # noqa: E402

COMPLAINTS = 20
OPTION = re.compile(r"^\s+(\d+)\. (.+)$", re.MULTILINE)


async def run(safe_mode: bool) -> tuple[list[float], list[int]]:
    catalog = load_catalog()
    script = answers(catalog, NOW.date())
    timings: list[float] = []
    parts: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        storage, store = await Storage.open(path), await WeChatStore.open(path)
        try:
            service = ConversationService(storage, catalog, clock=Clock())
            channel = WeChatChannel(service, store)
            crypto = MessageCrypto(TOKEN, AES_KEY, APP_ID) if safe_mode else None
            app = create_app(channel, TOKEN, crypto)
            wechat = FakeWeChat("http://wechat.test/wechat", safe_mode=safe_mode)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://wechat.test") as client:

                async def send(xml: str) -> str:
                    body, query = wechat.envelope(xml)
                    started = time.perf_counter()
                    response = await client.post("/wechat", params=query, content=body)
                    timings.append(time.perf_counter() - started)
                    return wechat.read_reply(response.text, query["nonce"],
                                             parse_xml(xml)["FromUserName"])

                for number in range(COMPLAINTS):
                    open_id = f"oBench{number:022d}"
                    last = await send(wechat.message(open_id, "event", Event="subscribe"))
                    for _ in range(80):
                        state = (await service.session(USER_PREFIX + open_id)).dialog.state
                        if not isinstance(state, Asking):
                            break
                        for action, value in script.get(state.field, [("say", "1")]):
                            typed = value
                            if action == "pick":
                                typed = next(n for n, label in OPTION.findall(last) if value in label)
                            last = await send(wechat.message(open_id, "text", Content=typed))
                        still = (await service.session(USER_PREFIX + open_id)).dialog.state
                        if isinstance(still, Asking) and still.field == state.field:
                            last = await send(wechat.message(open_id, "text", Content="1"))
                    count = 1
                    parts.append(len(last.encode("utf-8")))
                    while catalog.text("wechat.more", number=count, total=count + 1)[:3] in last \
                            and count < 10:
                        last = await send(wechat.message(open_id, "text", Content="1"))
                        parts.append(len(last.encode("utf-8")))
                        count += 1
        finally:
            await store.close()
            await storage.close()
    return timings, parts


def describe(name: str, timings: list[float], parts: list[int]) -> None:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name}: {len(timings)} messages, median {statistics.median(timings) * 1000:.1f} ms, "
          f"95th percentile {p95 * 1000:.1f} ms, slowest {ordered[-1] * 1000:.1f} ms "
          f"(WeChat waits 5000 ms)")
    drafts = len(parts) // max(1, COMPLAINTS)
    print(f"  draft: {drafts} parts per draft, {min(parts)}-{max(parts)} bytes each "
          f"(limit 2048)")


async def main() -> None:
    for safe_mode in (False, True):
        timings, parts = await run(safe_mode)
        describe("safe mode" if safe_mode else "plaintext", timings, parts)


if __name__ == "__main__":
    asyncio.run(main())
