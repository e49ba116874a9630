"""How many messages the bot spends on Telegram, where one bot may send about 30 a second in
total: every message a turn takes is capacity taken from every other user.

The standard conversation (the whole complaint of tests/test_terminal.py, every answer typed,
then /status) runs end to end through the real channel and a fake Bot API; the sends are
counted per turn from the fake's own record of sendMessage and sendDocument calls.
"""

from __future__ import annotations

import asyncio

import pytest
from conftest import NOW, Chat
from standard_conversation import ANSWERS
from telegram_harness import RunningBot, SimUser, api_fixture, bot_env_fixture, database_fixture  # noqa: F401

from bot.telegram_render import OutDocument, plan
from flows.catalog import Catalog
from flows.model import Asking

SENDS = ("sendMessage", "sendDocument")
DRAFT_MESSAGES = 3  # the form rows (copy buttons) and the rest, the text alone, the .txt file
TARGET_PER_TURN = 1.1


def standard_conversation(catalog: Catalog) -> list[tuple[str, str]]:
    """(line typed, text of the bot's last message for it), in the order the engine asks;
    the last message's text comes from the engine and the Telegram layout themselves."""
    chat = Chat(catalog, now=NOW)
    turns: list[tuple[str, str]] = []

    def say(line: str) -> None:
        last = plan(chat.say(line), catalog)[-1]
        turns.append((line, last.caption if isinstance(last, OutDocument) else last.text))

    say("/start")
    while chat.field is not None and chat.field in ANSWERS:
        say(ANSWERS[chat.field])
        if isinstance(chat.state, Asking) and chat.state.pending:
            say("是")
    say("/status")
    return turns


def sends_per_turn(api, catalog: Catalog) -> tuple[list[int], list[str]]:
    """Messages the bot sent for each line of the standard conversation, and the lines."""
    turns = standard_conversation(catalog)
    counts: list[int] = []

    async def scenario() -> None:
        async with RunningBot.serving(clock=lambda: NOW):
            user = SimUser(api, 2001)
            for line, last_text in turns:
                before = len(api.calls(chat_id=user.chat_id))
                user.send(line)
                await user.expect(last_text)
                sent = [c for c in api.calls(chat_id=user.chat_id)[before:] if c.method in SENDS]
                counts.append(len(sent))

    asyncio.run(scenario())
    return counts, [line for line, _ in turns]


@pytest.fixture(name="budget")
def budget_fixture(api, bot_env, catalog) -> tuple[list[int], list[str]]:
    return sends_per_turn(api, catalog)


def test_every_turn_is_one_message_and_the_finished_draft_three(budget):
    counts, lines = budget
    assert len(lines) == 24, "the standard conversation is 24 lines typed"
    draft_turn = len(lines) - 2  # the last answer finishes the draft; /status follows
    assert counts[draft_turn] == DRAFT_MESSAGES, counts
    others = counts[:draft_turn] + counts[draft_turn + 1:]
    assert others == [1] * len(others), "a note or advice joins its question's message"


def test_the_standard_conversation_averages_at_most_1_1_messages_per_turn(budget):
    counts, lines = budget
    assert sum(counts) / len(lines) <= TARGET_PER_TURN, counts
