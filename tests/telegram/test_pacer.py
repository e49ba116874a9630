"""The bot's sending pace: Telegram's 30 messages a second on average, short bursts allowed,
so a quiet bot answers at once and a busy one never goes over the rate."""

from __future__ import annotations

import asyncio

from bot.telegram import Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_goes_at_once_then_the_rate_holds() -> None:
    fake = FakeTime()
    pacer = Pacer(30, burst=5, clock=fake.clock, sleep=fake.sleep)

    async def send(count: int) -> None:
        for _ in range(count):
            await pacer.wait()

    asyncio.run(send(5))
    assert fake.slept == [], "a burst within the bucket does not wait"
    start = fake.now
    asyncio.run(send(60))
    assert fake.now - start >= 60 / 30 - 1e-9, "then no more than 30 a second"
    fake.now += 10  # a quiet while refills the bucket, up to the burst only
    waited = len(fake.slept)
    asyncio.run(send(5))
    assert len(fake.slept) == waited
    asyncio.run(send(1))
    assert len(fake.slept) == waited + 1


def test_the_messages_of_one_turn_take_one_place_in_the_queue() -> None:
    fake = FakeTime()
    pacer = Pacer(30, burst=5, clock=fake.clock, sleep=fake.sleep)

    async def scenario() -> None:
        await pacer.wait(5)  # the bucket is empty now
        await pacer.wait(3)  # three messages: one wait, for the three tokens
        assert fake.slept == [3 / 30]
        await pacer.wait()
        assert fake.slept == [3 / 30, 1 / 30], "the rate still holds after them"

    asyncio.run(scenario())
