"""Delivery through the fake WeChat: retries applied once, the 5-second rule, signatures
(403), safe mode end to end, customer-service messages for reminders and long drafts."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import httpx
import msgspec
import pytest
from wechat_fake import AES_KEY, APP_ID, TOKEN
from wechat_harness import Clock, User, bot, interview, platform, run

from bot.service import ConversationService
from bot.wechat.protocol import MessageCrypto, cdata, sign
from bot.wechat.server import push_reminders
from flows.catalog import Catalog

ALICE = "oAlice0000000000000000000000"
WAIT = 10.0


async def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def test_a_retried_message_gets_the_same_reply_and_is_applied_once(tmp_path: Path,
                                                                   catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            await interview(user, catalog, until="business_name")
            await user.say("北京某某体育用品有限公司")
            answered = wechat.deliveries[-1]
            before = msgspec.to_builtins(await user.session())
            # The reply was lost on its way: WeChat sends the very same message again.
            again = await wechat.redeliver(answered)
            assert again == answered.shown
            assert msgspec.to_builtins(await user.session()) == before
            # The subscription event, retried, is not a second welcome either.
            subscribe = wechat.deliveries[0]
            assert await wechat.redeliver(subscribe) == subscribe.shown
            assert msgspec.to_builtins(await user.session()) == before

    run(scenario())


def test_a_slow_step_is_answered_on_wechats_retry_and_applied_once(
        tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    handle = ConversationService.handle_update

    async def slow_handle(self: ConversationService, user_id: str, event: object,
                          **options: object) -> object:
        steps.append(user_id)
        await asyncio.sleep(0.35)  # longer than the budget, far shorter than 4 attempts
        return await handle(self, user_id, event, **options)  # type: ignore[arg-type]

    async def scenario() -> None:
        async with platform(tmp_path, reply_timeout=1.0) as (wechat, deployment), \
                bot(deployment, budget=0.2) as channel:
            monkeypatch.setattr(ConversationService, "handle_update", slow_handle)
            user = User(wechat, channel, ALICE)
            welcome = await wechat.subscribe(ALICE)
            # Not done within the budget: 503, WeChat retries, the retry gets the reply.
            delivery = wechat.deliveries[-1]
            assert delivery.statuses[0] == 503 and delivery.statuses[-1] == 200
            assert welcome and catalog.text("start.welcome").split("\n")[0] in welcome
            assert len(steps) == 1, "the message was applied once"
            session = await user.session()
            assert session.dialog.state.mode == "asking"

    run(scenario())


def test_a_step_that_never_finishes_in_time_ends_as_wechat_does(
        tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    handle = ConversationService.handle_update

    async def stuck(self: ConversationService, user_id: str, event: object,
                    **options: object) -> object:
        await asyncio.sleep(1.5)
        return await handle(self, user_id, event, **options)  # type: ignore[arg-type]

    async def scenario() -> None:
        async with platform(tmp_path, reply_timeout=0.5) as (wechat, deployment), \
                bot(deployment, budget=0.1) as channel:
            monkeypatch.setattr(ConversationService, "handle_update", stuck)
            assert await wechat.subscribe(ALICE) is None
            assert len(wechat.deliveries[-1].statuses) == 4  # the message and 3 retries
            await channel.drain()
            monkeypatch.setattr(ConversationService, "handle_update", handle)
            # The step did finish and was kept: the user's next message goes on from there.
            user = User(wechat, channel, ALICE)
            assert await user.question() == "kind"

    run(scenario())


def test_bad_signatures_get_403_and_the_url_check_echoes(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment):
            body = wechat.message(ALICE, "text", Content="你好")
            async with httpx.AsyncClient(timeout=5) as client:
                query = wechat.signed_query()
                check = await client.get(wechat.callback_url, params={**query, "echostr": "e42"})
                assert (check.status_code, check.text) == (200, "e42")
                forged = {**query, "signature": "0" * 40}
                assert (await client.get(wechat.callback_url,
                                         params={**forged, "echostr": "x"})).status_code == 403
                assert (await client.post(wechat.callback_url, params=forged,
                                          content=body)).status_code == 403
                assert (await client.post(wechat.callback_url, content=body)).status_code == 403
                other_token = wechat.signed_query(token="someoneElse")
                assert (await client.post(wechat.callback_url, params=other_token,
                                          content=body)).status_code == 403
            assert not wechat.shown

    run(scenario())


def test_an_encrypted_conversation(tmp_path: Path, catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path, safe_mode=True) as (wechat, deployment), \
                bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            assert catalog.text("start.welcome").split("\n")[0] in user.last
            await user.pick(catalog.text("kind.complaint"))
            await user.pick(catalog.text("for_whom.self"))
            assert await user.question() == "narrative"
            assert (await user.session()).drafts[1].answers["kind"] == "complaint"
            # A body whose msg_signature does not match its cipher text is refused.
            encrypted = MessageCrypto(TOKEN, AES_KEY, APP_ID).encrypt(
                wechat.message(ALICE, "text", Content="hi"))
            query = wechat.signed_query(encrypted)
            query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], "other")
            body = f"<xml><Encrypt>{cdata(encrypted)}</Encrypt></xml>"
            async with httpx.AsyncClient(timeout=5) as client:
                refused = await client.post(wechat.callback_url, params=query, content=body)
            assert refused.status_code == 403
            assert await user.question() == "narrative"

    run(scenario())


def test_long_drafts_are_pushed_as_customer_service_messages(tmp_path: Path,
                                                            catalog: Catalog) -> None:
    async def scenario() -> None:
        async with platform(tmp_path, customer_service=True) as (wechat, deployment), \
                bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            first = await interview(user, catalog)
            assert catalog.text("wechat.more_pushed", number=1, total=2) in first
            await wait_for(lambda: wechat.pushed, "the draft's next part")
            last = wechat.pushed[-1][1]
            assert catalog.text("draft.fraud_warning") in last
            # Pushed parts are not offered again: "1" is the draft menu's first option now.
            for _ in range(int(WAIT / 0.02)):
                if not await channel.store.pages(f"wechat:{ALICE}"):
                    break
                await asyncio.sleep(0.02)
            assert await channel.store.pages(f"wechat:{ALICE}") == []

    run(scenario())


def test_reminders_are_pushed_or_shown_at_the_next_message(tmp_path: Path,
                                                           catalog: Catalog) -> None:
    async def scenario(allowed: bool) -> None:
        clock = Clock()
        folder = tmp_path / str(allowed)
        async with platform(folder, customer_service=True, allowed=allowed) as (
                wechat, deployment), bot(deployment, clock) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            await interview(user, catalog, until="business_address")
            clock.now += timedelta(days=4)  # an unfinished draft is recalled after 3 days
            stop = asyncio.Event()
            pushing = asyncio.create_task(push_reminders(channel, stop, interval=3600))
            if allowed:
                await wait_for(lambda: wechat.pushed, "the reminder")
                assert wechat.pushed[0][1].startswith(catalog.text("wechat.reminders"))
                assert catalog.text("wechat.reminders") not in await user.say("我的草稿")
            else:
                await wait_for(lambda: wechat.tokens_issued > 0, "an access token")
                await asyncio.sleep(0.2)
                assert not wechat.pushed  # 48001: the account may not push
                shown = await user.say("我的草稿")
                assert catalog.text("wechat.reminders") in shown
                assert catalog.text("wechat.reminders") not in await user.say("我的草稿")
            stop.set()
            await asyncio.wait_for(pushing, WAIT)

    run(scenario(True))
    run(scenario(False))


def test_a_message_applied_before_a_crash_is_not_applied_again(tmp_path: Path,
                                                              catalog: Catalog) -> None:
    """The session was committed but the reply never stored (the process died between the
    two): WeChat's retry must not take the answer a second time."""
    import re

    async def scenario() -> None:
        async with platform(tmp_path) as (wechat, deployment), bot(deployment) as channel:
            user = User(wechat, channel, ALICE)
            user.last = await wechat.subscribe(ALICE) or ""
            await user.say("1")  # 投诉
            await user.say("本人")
            account = "我上周三在朝阳大悦城买了双鞋花了899元，穿了两天就开胶了，店员不给退"
            message = wechat.message(ALICE, "text", Content=account)
            first = await wechat.deliver(message)
            assert first is not None and catalog.text("field.business_name.prompt") in first
            msg_id = re.search(r"<MsgId>(\d+)</MsgId>", message).group(1)
            # As if the process had died after the commit, before the reply was stored.
            await channel.store._db.execute("DELETE FROM wechat_messages WHERE key LIKE ?",
                                            (f"%{msg_id}%",))
            await channel.store._db.commit()
            again = await wechat.deliver(message)
            session = await user.session()
            assert session.drafts[1].answers["narrative"] == account, "not applied twice"
            assert again is not None and catalog.text("field.business_name.prompt") in again, (
                "the open question again")

    run(scenario())
