"""The terminal channel: the same interview in a console, for trying the bot without a token.

Options are printed numbered; typing a number or an option's text picks it (the engine
resolves both, from the options it last offered, so the terminal keeps nothing). Reads standard
input line by line, so it can be scripted through a pipe. Ctrl-D or /quit leaves; every
answer is already saved by then. A terminal cannot be reached while it is closed, so
reminders that fell due in between are shown when the chat starts.

The first question comes before anything it does not need is loaded: the advice rules, the
composition and the account analyzer are imported on a background thread while the person
reads it, so that neither the start nor their first answers wait for them.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from bot.reminders import ReminderDispatcher
from bot.service import ConversationService
from bot.settings import SettingsProblem, load_checked_settings
from bot.storage import Storage
from flows.draft import sheet_text
from flows.model import Input, Reply, Text

QUIT_WORDS = ("/quit", "/exit")


class TerminalChat:
    """Turns lines into inputs and replies into printed text; no decisions of its own."""

    def __init__(self, service: ConversationService, user_id: str, out: TextIO) -> None:
        self.service = service
        self.user_id = user_id
        self.out = out

    def show(self, replies: list[Reply]) -> None:
        catalog = self.service.catalog
        for reply in replies:
            print(reply.text, file=self.out)
            if reply.sheet is not None:
                print(file=self.out)
                print(sheet_text(reply.sheet, catalog), file=self.out)
            for index, option in enumerate(reply.options, start=1):
                print(f"  {index}. {option.label}", file=self.out)
            print(file=self.out)
        self.out.flush()

    async def send(self, event: Input) -> None:
        self.show(await self.service.handle(self.user_id, event))

    async def show_due_reminders(self) -> None:
        shown: list[Reply] = []

        async def collect(user_id: str, replies: list[Reply]) -> bool:
            shown.extend(replies)
            return True

        await ReminderDispatcher(self.service, collect, user_id=self.user_id).run_once()
        if shown:
            print(self.service.catalog.text("terminal.reminders"), file=self.out)
            self.show(shown)


def _prepare_while_reading(service: ConversationService) -> None:
    """Started once the first question is on screen: while the person reads it the chat only
    waits, so the work (`ConversationService.prepare`) costs them nothing. A daemon thread
    never keeps the chat from quitting."""
    threading.Thread(target=service.prepare, name="prepare-replies", daemon=True).start()


async def chat(service: ConversationService, user_id: str, stdin: TextIO, out: TextIO) -> None:
    terminal = TerminalChat(service, user_id, out)
    interactive = stdin.isatty()
    print(service.catalog.text("terminal.banner"), file=out)
    await terminal.send(Text("/start"))
    await terminal.show_due_reminders()  # last, so their options can be picked by number
    prepared = False
    while True:
        if interactive:
            print(service.catalog.text("terminal.prompt"), end="", file=out, flush=True)
            if not prepared:  # a person reads the question first; a script would not wait
                _prepare_while_reading(service)
                prepared = True
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        line = line.rstrip("\n")
        if not _is_text(line):  # bytes that are not UTF-8 (stdin decodes with surrogateescape)
            print(service.catalog.text("input.not_utf8"), file=out, flush=True)
            continue
        if not interactive:
            print(service.catalog.text("terminal.echo", text=line), file=out)
        if line.strip().lower() in QUIT_WORDS:
            break
        if not line.strip():
            continue
        await terminal.send(Text(line))
    print(service.catalog.text("terminal.bye"), file=out, flush=True)


def _is_text(line: str) -> bool:
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def _run(user: str) -> None:
    settings = load_checked_settings()  # logging was set up, redacted, by `bot.cli`
    storage = await Storage.open(settings.database_path)
    try:
        # The analyzer loads with the first account (ConversationService's default).
        service = ConversationService(storage, settings.catalog())
        await chat(service, user, sys.stdin, sys.stdout)
    finally:
        await storage.close()


def run_terminal_chat(user: str = "local") -> int:
    try:
        asyncio.run(_run(f"terminal:{user}"))
    except SettingsProblem as problem:
        print(f"complaint-bot: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stdout)
    return 0
