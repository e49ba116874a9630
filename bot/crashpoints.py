"""Named points at which a crash test can have the process killed, to prove it recovers.

`COMPLAINT_BOT_CRASH_AT=<point>` (or `<point>:<n>` for its n-th passage) makes the process
SIGKILL itself when it passes that point: no cleanup, no flush (what was written to files
stays with the kernel, as when a process crashes).
Unset (always, outside the tests) each point costs one dictionary lookup. The points:

- `stored`: updates are in the inbox, not yet acknowledged to Telegram;
- `acknowledged`: Telegram was told it may forget them (next getUpdates offset sent, or the
  webhook's 200 written), none handled yet;
- `committed`: a turn is committed with its replies in the outbox, none claimed or sent yet;
- `claimed`: the turn's replies are claimed for sending (with a quiet bot, right after its
  commit), none sent yet;
- `sent`: a reply was accepted by Telegram, its outbox row not yet deleted.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "COMPLAINT_BOT_CRASH_AT"
_passages: dict[str, int] = {}


def crash_point(name: str) -> None:
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _passages[name] = _passages.get(name, 0) + 1
    if _passages[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
