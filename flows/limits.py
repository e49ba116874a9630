"""Per-user limits: pure constants and checks, no I/O.

They keep one user from filling the database or holding the bot busy: how many drafts a user
may keep, how many files one draft may hold, how long one typed message may be, and how many
messages a user may send in a minute. The shell (`bot.service`) applies them around the
engine's step; the engine may also call the checks itself to answer earlier and more kindly.
Each check returns the catalog key of the sentence that explains the limit, or None.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.model import Session

# Far more than one consumer's disputes; 500 × /new must not make 500 drafts.
MAX_DRAFTS_PER_USER = 30
# 12315 accepts 4 evidence files per complaint; a few more leave room to choose among them.
MAX_UPLOADS_PER_DRAFT = 10
# Telegram's own limit for one message; the terminal must not accept megabyte lines either.
MAX_TEXT_CHARS = 4096
# Messages (texts, buttons, files) one user may send per minute before being asked to slow down.
MAX_MESSAGES_PER_MINUTE = 40

DRAFTS_KEY = "limits.drafts"
UPLOADS_KEY = "limits.uploads"
TEXT_KEY = "limits.text_too_long"
FLOOD_KEY = "limits.flood"


def text_too_long(text: str, limit: int = MAX_TEXT_CHARS) -> str | None:
    """A typed message longer than the limit is refused before it is read."""
    return TEXT_KEY if len(text) > limit else None


def growth_over_limits(before: Session, after: Session,
                       max_drafts: int = MAX_DRAFTS_PER_USER,
                       max_uploads: int = MAX_UPLOADS_PER_DRAFT) -> str | None:
    """Whether a step made the user's drafts, or one draft's files, go past their limit.
    Only growth counts, so data stored before a limit existed never locks a user out."""
    if len(after.drafts) > max_drafts and len(after.drafts) > len(before.drafts):
        return DRAFTS_KEY
    if any(len(draft.attachments) > max_uploads
           and len(draft.attachments) > _uploads(before.drafts, number)
           for number, draft in after.drafts.items()):
        return UPLOADS_KEY
    return None


def may_open_draft(session: Session, max_drafts: int = MAX_DRAFTS_PER_USER) -> bool:
    """For the engine: whether /new may start another draft."""
    return len(session.drafts) < max_drafts


def may_attach(session: Session, number: int, max_uploads: int = MAX_UPLOADS_PER_DRAFT) -> bool:
    """For the engine: whether draft `number` may take one more file."""
    return _uploads(session.drafts, number) < max_uploads


def profile_to_keep(session: Session, keep_chosen: bool) -> dict[str, str] | None:
    """The complainant's name, phone and address are kept only while an unfinished or filed
    draft may still need them, or when the user chose to keep them for next time."""
    if session.profile is None:
        return None
    return session.profile if keep_chosen or session.drafts else None


def _uploads(drafts: Mapping[int, object], number: int) -> int:
    draft = drafts.get(number)
    return len(getattr(draft, "attachments", ())) if draft is not None else 0
