"""Test helpers: `complaint-bot wechat` as it runs (`bot.wechat.server.wechat_server`, real
uvicorn on 127.0.0.1), the fake WeChat in front of it, and users who type like WeChat users:
numbers for options, words for answers.

The analyzer of the user's own words is switched off (it has its own tests) so the questions
do not depend on it, and the clock is fixed. Every wait is bounded by the fake's timeouts.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from wechat_fake import AES_KEY, APP_ID, APP_SECRET, TOKEN, FakeWeChat, fake_api, free_port, serving

from bot.settings import Settings
from bot.wechat.channel import USER_PREFIX, WeChatChannel
from bot.wechat.server import wechat_server
from flows.catalog import Catalog
from flows.insight import understand_nothing
from flows.model import Asking

PUBLIC_URL = "https://complaints.example.cn"
NOW = datetime(2026, 11, 28, 10, 30)
OPTION_LINE = re.compile(r"^\s+(\d+)\. (.+)$", re.MULTILINE)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coroutine)


@dataclass
class Deployment:
    """The settings one test's bot runs with, kept across restarts."""

    database: Path
    port: int
    api_url: str
    safe_mode: bool = False
    customer_service: bool = False

    def settings(self) -> Settings:
        return Settings(
            database_path=self.database, wechat_token=TOKEN,
            wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,
            wechat_encoding_aes_key=AES_KEY if self.safe_mode else None,
            wechat_api_base_url=self.api_url, wechat_listen="127.0.0.1", wechat_port=self.port,
            wechat_public_url=PUBLIC_URL, wechat_customer_service=self.customer_service,
            web_secret="s" * 40, log_level="WARNING")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@asynccontextmanager
async def platform(tmp: Path, *, safe_mode: bool = False, customer_service: bool = False,
                   allowed: bool = True, reply_timeout: float = 5.0
                   ) -> AsyncIterator[tuple[FakeWeChat, Deployment]]:
    """The fake WeChat (both sides) and the settings of a bot behind it (not started)."""
    port = free_port()
    wechat = FakeWeChat(f"http://127.0.0.1:{port}/wechat", safe_mode=safe_mode,
                        reply_timeout=reply_timeout, customer_service=allowed)
    async with fake_api(wechat) as api_url:
        yield wechat, Deployment(tmp / "data" / "complaints.sqlite3", port, api_url, safe_mode,
                                 customer_service)


@asynccontextmanager
async def bot(deployment: Deployment, clock: Callable[[], datetime] | None = None,
              budget: float = 4.0) -> AsyncIterator[WeChatChannel]:
    """`complaint-bot wechat` running until the block ends (a restart is a second block)."""
    running = wechat_server(deployment.settings(), understand=understand_nothing,
                            clock=clock or Clock(), budget=budget)
    async with running as (server, channel), serving(server):
        yield channel


class User:
    """A WeChat user of the account: types, reads numbered options, sends pictures."""

    def __init__(self, wechat: FakeWeChat, channel: WeChatChannel, open_id: str) -> None:
        self.wechat = wechat
        self.channel = channel
        self.open_id = open_id
        self.last = ""

    async def say(self, text: str) -> str:
        shown = await self.wechat.text(self.open_id, text)
        assert shown is not None, f"WeChat gave up on {text!r}"
        self.last = shown
        return shown

    async def pick(self, label: str) -> str:
        """Type the number of the option whose label holds `label` in the last answer."""
        for number, option in OPTION_LINE.findall(self.last):
            if label in option:
                return await self.say(number)
        raise AssertionError(f"no option {label!r} in:\n{self.last}")

    async def question(self) -> str | None:
        session = await self.channel.service.session(USER_PREFIX + self.open_id)
        state = session.dialog.state
        return state.field if isinstance(state, Asking) else None

    async def session(self) -> Any:
        return await self.channel.service.session(USER_PREFIX + self.open_id)


def purchase_day(today: date) -> str:
    return (today - timedelta(days=20)).isoformat()


def answers(catalog: Catalog, today: date) -> dict[str, list[tuple[str, str]]]:
    """What a user does at each question, by field; the order comes from the engine.
    ("pick", label) types an option's number, ("say", text) types the answer."""
    t = catalog.text
    return {
        "kind": [("pick", t("kind.complaint"))],
        "for_whom": [("pick", t("for_whom.self"))],
        "narrative": [("say", "上个月在朝阳区一家运动鞋店买了跑步鞋，穿了两天就开胶了，店员不给退。")],
        "business_name": [("say", "北京某某体育用品有限公司")],
        "business_address": [("say", "北京市朝阳区三里屯路19号")],
        "credit_code": [("say", "跳过")],
        "district": [("pick", "朝阳区")],
        "channel": [("pick", t("channel.store"))],
        "store_name": [("say", "某某运动三里屯店")],
        "product": [("say", "跑步鞋")],
        "purchase_date": [("say", purchase_day(today))],
        "amount": [("say", "599")],
        "problem": [("say", "穿了两天鞋面开胶")],
        "theme": [("pick", t("theme.quality"))],
        "contacted": [("pick", t("contacted.no"))],
        "demands": [("pick", t("demand.return_refund")), ("pick", t("option.done"))],
        "evidence": [("pick", t("evidence.photos")), ("pick", t("option.done"))],
        "complainant_name": [("say", "张三")],
        "complainant_phone": [("say", "13812345678")],
        "complainant_address": [("say", "北京市朝阳区某某小区3号楼2单元501")],
    }


async def interview(user: User, catalog: Catalog, until: str | None = None,
                    today: date | None = None) -> str:
    """Answer whatever is asked until the draft is written (or question `until` is open);
    returns the last answer shown."""
    script = answers(catalog, today or NOW.date())
    for _ in range(80):
        field = await user.question()
        if field is None or field == until:
            return user.last
        assert field in script, f"no answer for {field!r}: {user.last}"
        for action, value in script[field]:
            await (user.pick(value) if action == "pick" else user.say(value))
        if await user.question() == field:  # a warning to confirm (keep the answer)
            await user.pick(catalog.text("option.keep"))
    raise AssertionError("the interview did not finish")
