"""What a pressed option means, as typed values instead of strings to split.

An option travels through a channel as a short string (Telegram allows 64 bytes of callback
data); `encode` makes that string and `decode` reads it back into one of the actions below,
once, at the edge of the engine. The string forms are kept stable so buttons already sent
still work after an upgrade.
"""

from __future__ import annotations

import msgspec

from flows.commands import Command, read_command_value


class Pick(msgspec.Struct, frozen=True):
    """An option of the open question, by its code (or toggling it, in a multi-select)."""

    code: str


class UseSuggested(msgspec.Struct, frozen=True):
    """Take the value read from the user's own account."""


class Finished(msgspec.Struct, frozen=True):
    """A multi-select question is answered with what is ticked."""


class NoneOfThese(msgspec.Struct, frozen=True):
    """A multi-select question is answered with nothing (e.g. no evidence), or a case
    question is left empty (no case number yet, no note)."""


class Keep(msgspec.Struct, frozen=True):
    """Keep an answer despite the warning shown."""


class Change(msgspec.Struct, frozen=True):
    """Answer again instead of keeping a questioned answer."""


class Yes(msgspec.Struct, frozen=True):
    pass


class No(msgspec.Struct, frozen=True):
    pass


class EditField(msgspec.Struct, frozen=True):
    """From the edit summary: change this field's answer."""

    name: str


class Resume(msgspec.Struct, frozen=True):
    """From the edit summary: go on with the interview (or show the finished draft)."""


class Today(msgspec.Struct, frozen=True):
    """A case change happened today."""


class Yesterday(msgspec.Struct, frozen=True):
    """A case change happened yesterday."""


class Run(msgspec.Struct, frozen=True):
    """A command behind a button: `/open 3` without typing it."""

    command: Command


Action = (Pick | UseSuggested | Finished | NoneOfThese | Keep | Change | Yes | No | EditField
          | Resume | Today | Yesterday | Run)

_MARKERS: dict[str, Action] = {
    "__suggested__": UseSuggested(),
    "__done__": Finished(),
    "__none__": NoneOfThese(),
    "__keep__": Keep(),
    "__change__": Change(),
    "__yes__": Yes(),
    "__no__": No(),
    "__today__": Today(),
    "__yesterday__": Yesterday(),
}
_MARKER_OF = {type(action): marker for marker, action in _MARKERS.items()}
RESUME = "__resume__"


def encode(action: Action) -> str:
    """The option value a channel carries for `action`."""
    if isinstance(action, Pick):
        return f"a:{action.code}"
    if isinstance(action, EditField):
        return f"e:{action.name}"
    if isinstance(action, Resume):
        return f"e:{RESUME}"
    if isinstance(action, Run):
        command = action.command
        return f"c:{command.name}:{command.argument}" if command.argument else f"c:{command.name}"
    return f"a:{_MARKER_OF[type(action)]}"


def decode(value: str) -> Action | None:
    """The action an option value stands for; None for a value this bot never made."""
    if value.startswith("c:"):
        command = read_command_value(value)
        return Run(command) if command is not None else None
    if value.startswith("e:"):
        name = value[2:]
        return Resume() if name == RESUME else EditField(name)
    if value.startswith("a:"):
        code = value[2:]
        return _MARKERS.get(code) or Pick(code)
    return None
