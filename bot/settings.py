"""Settings from the environment and an optional `.env` file (see `.env.example`)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org"
# What @BotFather hands out: the bot's numeric id, a colon, then 35 URL-safe characters.
TELEGRAM_TOKEN_PATTERN = re.compile(r"[0-9]{5,16}:[A-Za-z0-9_-]{30,64}")
# Telegram's rule for setWebhook's secret_token (sent back in X-Telegram-Bot-Api-Secret-Token).
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: Path = Field(default=Path("data/complaints.sqlite3"))
    default_locale: str = "zh_CN"
    log_level: str = "WARNING"
    # How often the running bot looks for reminders that have fallen due.
    reminder_check_seconds: float = Field(default=60.0, gt=0, le=3600)

    # ---- the Telegram channel (`complaint-bot telegram`) ----------------------------------
    # Optional here so the terminal chat runs without one; `telegram_token()` insists.
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None

    @field_validator("telegram_bot_token", "webhook_secret", "webhook_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """`TELEGRAM_BOT_TOKEN=` copied from .env.example means "not set", not an empty token."""
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        """A level the logging module knows; checked here so a typo is one line, not a
        traceback from logging."""
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a level: use {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("telegram_api_base_url")
    @classmethod
    def _api_root(cls, value: str) -> str:
        """Telegram's own server or a self-hosted Bot API server, given by its root URL."""
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL, e.g. https://api.telegram.org")
        if parts.path.endswith("/bot"):
            raise ValueError("give the server's root URL without /bot, e.g. http://localhost:8081")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _public_https(cls, value: str | None) -> str | None:
        """Telegram only delivers webhooks to HTTPS URLs."""
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError("must be the public https:// URL Telegram posts updates to")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_format(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    def telegram_token(self) -> str:
        """The bot token, or a SettingsProblem that says how to get one."""
        if self.telegram_bot_token is None:
            raise SettingsProblem(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token "
                "in .env (see .env.example)")
        token = self.telegram_bot_token.get_secret_value()
        if not TELEGRAM_TOKEN_PATTERN.fullmatch(token):
            raise SettingsProblem(
                "TELEGRAM_BOT_TOKEN is malformed: it looks like 123456789:AAE... "
                "(copy it again from @BotFather, without quotes or spaces)")
        return token

    def secrets(self) -> list[str]:
        """Values that must never appear in a log line."""
        return [value.get_secret_value() for value in (self.telegram_bot_token,
                                                        self.webhook_secret) if value]

    def webhook(self) -> tuple[str, str]:
        """(public URL, secret) for webhook mode; both are required there."""
        if self.webhook_url is None:
            raise SettingsProblem(
                "WEBHOOK_URL is not set: webhook mode needs the public https:// URL that "
                "Telegram should post updates to")
        if self.webhook_secret is None:
            raise SettingsProblem(
                "WEBHOOK_SECRET is not set: webhook mode requires a secret token "
                "(1-256 characters of A-Z, a-z, 0-9, _ and -)")
        return self.webhook_url, self.webhook_secret.get_secret_value()


class SettingsProblem(Exception):
    """A setting that is missing or wrong, explained in one line that says what to fix."""


def load_settings() -> Settings:
    return Settings()


def load_checked_settings() -> Settings:
    """Like `load_settings`, but a bad value becomes one SettingsProblem line, not a traceback."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsProblem(f"{name} is not valid: {message}") from None
