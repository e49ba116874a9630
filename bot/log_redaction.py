"""Keeps secrets and personal data out of the logs, at every level.

The bot token is part of every Bot API URL, and at DEBUG python-telegram-bot and httpx log
requests, responses and whole updates, with what users typed: names, phone numbers,
addresses. `install_redaction` puts a filter on every handler of the root logger that
rewrites each record before it is written: the secrets given (token, webhook secret)
anywhere, phone numbers, ID card numbers and e-mail addresses by their shape, and the values
of the fields of Telegram objects that carry what a user wrote or who they are, whether
logged as JSON, as a dict or as a PTB object.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

MASK = "[redacted]"
# Fields of Telegram updates that carry a user's words, name or files.
PERSONAL_FIELDS = ("text", "caption", "first_name", "last_name", "username", "phone_number",
                   "data", "file_name", "title", "query", "address", "name", "bio",
                   "complainant_name", "complainant_phone", "complainant_address",
                   "business_name", "business_address", "narrative", "profile")
_FIELDS = "|".join(PERSONAL_FIELDS)


@functools.cache
def _shapes() -> tuple[re.Pattern[str], ...]:
    """Personal field values, compiled with the first record logged, not at every start."""
    return (
        # "text": "…" (JSON), 'text': '…' (dict repr), text='…' (PTB objects), text=… (forms)
        re.compile(rf"""(["']?\b(?:{_FIELDS})["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""),
        re.compile(rf"""(\b(?:{_FIELDS})=)([^&\s'",)]+)"""),
    )


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Personal-looking numbers and addresses, by their shape."""
    return (
        re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),  # resident ID card
        re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)"),  # mobile
        re.compile(r"(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)"),  # landline with area code
        re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail
    )


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with the secrets, personal field values and personal-looking numbers masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    for shape in _shapes():
        text = shape.sub(lambda match: match.group(1) + _masked_like(match.group(2)), text)
    for pattern in _patterns():
        text = pattern.sub(MASK, text)
    return text


def _masked_like(value: str) -> str:
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{quote}{MASK}{quote}"


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack before any handler formats it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log it as it came, still redacted
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install_redaction(secrets: Iterable[str] = (), logger: logging.Logger | None = None
                      ) -> RedactingFilter:
    """Filter every handler of `logger` (the root logger by default); call after the
    handlers are set up (e.g. after `logging.basicConfig`)."""
    target = logger or logging.getLogger()
    redacting = RedactingFilter(secrets)
    for handler in target.handlers:
        handler.addFilter(redacting)
    return redacting


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Standard-error logging at `level` with redaction on; a level already checked by the
    settings."""
    logging.basicConfig(level=level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_redaction(secrets)
