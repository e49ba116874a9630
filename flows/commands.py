"""Recognising commands: `/back`, its typed word (上一步), or a pressed command button."""

from __future__ import annotations

import msgspec

from flows.catalog import Catalog
from flows.model import Option
from flows.parsing import fold

COMMANDS = (
    "start", "new", "status", "back", "skip", "cancel", "edit", "restart",
    "open", "continue", "delete", "help", "privacy", "submit", "case", "reminders", "forget",
)
# Other slash names people try for a command: /drafts lists the drafts like /status.
ALIASES = {"drafts": "status", "mydrafts": "status"}
# Commands behind buttons only (their arguments are not something a person types).
BUTTON_COMMANDS = ("move", "undo", "number", "wait")


class Command(msgspec.Struct, frozen=True):
    name: str
    argument: str = ""


def read_command(text: str, catalog: Catalog) -> Command | None:
    """`/delete 3`, `/delete@SomeBot 3`, `删除 3` or `上一步`; None for anything else."""
    folded = fold(text)
    if folded.startswith("/"):
        head, _, argument = folded[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        name = ALIASES.get(name, name)
        return Command(name, argument.strip()) if name in COMMANDS else Command("unknown", head)
    folded = folded.lower()  # "Hello", "HI"
    head, _, argument = folded.partition(" ")
    for name in COMMANDS:
        words = catalog.text(f"command.{name}.words").split("|")
        if folded in words:
            return Command(name)
        if argument and head in words and argument.strip().lstrip("#").isdigit():
            return Command(name, argument.strip())
    return None


def command_value(name: str, argument: str = "") -> str:
    """The option value of a command button: `c:open:3`."""
    return f"c:{name}:{argument}" if argument else f"c:{name}"


def draft_option(verb: str, number: int, catalog: Catalog, label: str = "") -> Option:
    """A button that runs `verb` on draft `number`, labelled `option.<verb>` unless `label`
    names another catalog key; `{number}` in the label is filled in."""
    return Option(command_value(verb, str(number)),
                  catalog.text(label or f"option.{verb}", number=number))


def read_command_value(value: str) -> Command | None:
    if not value.startswith("c:"):
        return None
    _, name, *rest = value.split(":", 2)
    known = name in COMMANDS or name in BUTTON_COMMANDS
    return Command(name, rest[0] if rest else "") if known else None
