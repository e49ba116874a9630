"""Settings from the environment and an optional `.env` file (see `.env.example`).

Read the way pydantic-settings reads them (names match fields in any case, the environment
wins over `.env`, unknown names are ignored), without importing it: its many sources
(command line, cloud secret stores, TOML, YAML) made up a good part of the terminal chat's
start. Validation, and so every error message, is pydantic's, through the `Settings` model.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from flows.catalog import Catalog, load_catalog

ENV_FILE = Path(".env")  # in the working directory, as `.env.example` says

TELEGRAM_API = "https://api.telegram.org"
# What @BotFather hands out: the bot's numeric id, a colon, then 35 URL-safe characters.
TELEGRAM_TOKEN_PATTERN = re.compile(r"[0-9]{5,16}:[A-Za-z0-9_-]{30,64}")
# Telegram's rule for setWebhook's secret_token (sent back in X-Telegram-Bot-Api-Secret-Token).
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
MIN_WEB_SECRET = 32
WECHAT_API = "https://api.weixin.qq.com"
# WeChat's rule for the callback Token: 3-32 letters and digits.
WECHAT_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9]{3,32}")
WECHAT_AES_KEY_PATTERN = re.compile(r"[A-Za-z0-9]{43}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseModel):
    """Every setting, validated; `load_settings` fills it from the environment and `.env`."""

    # Defaults are validated too, and names that are not settings are ignored.
    model_config = ConfigDict(extra="ignore", validate_default=True)

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

    # ---- the web page (`complaint-bot web`) -------------------------------------------------
    web_listen: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    # Signs the anonymous user id cookie and the CSRF tokens; required by `web_signing_secret()`.
    web_secret: SecretStr | None = None

    # ---- the WeChat official account (`complaint-bot wechat`) -------------------------------
    wechat_token: SecretStr | None = None
    wechat_app_id: str | None = None
    wechat_app_secret: SecretStr | None = None
    wechat_encoding_aes_key: SecretStr | None = None  # safe (encrypted) mode; blank: plaintext
    wechat_api_base_url: str = WECHAT_API
    wechat_listen: str = "127.0.0.1"
    wechat_port: int = Field(default=8081, ge=1, le=65535)
    # The public https:// root the server is reached at; draft links point there (with WEB_SECRET).
    wechat_public_url: str | None = None
    # A verified account may send customer-service messages (reminders, long drafts, slow replies).
    wechat_customer_service: bool = False

    @field_validator("telegram_bot_token", "webhook_secret", "webhook_url", "web_secret",
                     "wechat_token", "wechat_app_id", "wechat_app_secret",
                     "wechat_encoding_aes_key", "wechat_public_url", mode="before")
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

    @field_validator("wechat_api_base_url")
    @classmethod
    def _wechat_api_root(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL, e.g. https://api.weixin.qq.com")
        return value

    @field_validator("wechat_public_url")
    @classmethod
    def _wechat_public_root(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.rstrip("/"))
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError("must be the public https:// address of this server")
        return value.rstrip("/")

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
        """Values that must never appear in a log line: every secret setting that is set."""
        return [value.get_secret_value() for name in type(self).model_fields
                if isinstance(value := getattr(self, name), SecretStr) and value.get_secret_value()]

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

    def catalog(self) -> Catalog:
        """The sentences of DEFAULT_LOCALE; a locale without a catalog is a settings problem."""
        try:
            return load_catalog(self.default_locale)
        except FileNotFoundError:
            raise SettingsProblem(f"DEFAULT_LOCALE={self.default_locale!r} has no catalog "
                                  "in locale/ (only zh_CN exists)") from None

    def web_signing_secret(self) -> bytes:
        """The key that signs the web page's cookies; long enough that it cannot be guessed."""
        if self.web_secret is None:
            raise SettingsProblem(
                "WEB_SECRET is not set: the web page signs its cookies with it; put at least "
                f"{MIN_WEB_SECRET} random characters in .env, e.g. the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`")
        secret = self.web_secret.get_secret_value()
        if len(secret) < MIN_WEB_SECRET:
            raise SettingsProblem(f"WEB_SECRET is too short: use at least {MIN_WEB_SECRET} "
                                  "random characters")
        return secret.encode("utf-8")


    def wechat_callback_token(self) -> str:
        """The Token typed into the official account's server settings."""
        if self.wechat_token is None:
            raise SettingsProblem(
                "WECHAT_TOKEN is not set: put the Token from the official account's server "
                "settings (3-32 letters and digits) in .env (see .env.example)")
        token = self.wechat_token.get_secret_value()
        if not WECHAT_TOKEN_PATTERN.fullmatch(token):
            raise SettingsProblem("WECHAT_TOKEN is malformed: WeChat accepts 3-32 letters and digits")
        return token

    def wechat_aes_key(self) -> str | None:
        """The EncodingAESKey for safe mode, or None for plaintext mode; it needs the AppID."""
        if self.wechat_encoding_aes_key is None:
            return None
        key = self.wechat_encoding_aes_key.get_secret_value()
        if not WECHAT_AES_KEY_PATTERN.fullmatch(key):
            raise SettingsProblem("WECHAT_ENCODING_AES_KEY is malformed: it has 43 letters and "
                                  "digits (copy it again from the server settings)")
        if not self.wechat_app_id:
            raise SettingsProblem("WECHAT_APP_ID is not set: safe mode checks every message "
                                  "against the account's AppID")
        return key

    def wechat_api_credentials(self) -> tuple[str, str] | None:
        """(AppID, AppSecret) when customer-service messages are switched on, else None."""
        if not self.wechat_customer_service:
            return None
        if not self.wechat_app_id or self.wechat_app_secret is None:
            raise SettingsProblem("WECHAT_CUSTOMER_SERVICE needs WECHAT_APP_ID and "
                                  "WECHAT_APP_SECRET to get an access token")
        return self.wechat_app_id, self.wechat_app_secret.get_secret_value()


class SettingsProblem(Exception):
    """A setting that is missing or wrong, explained in one line that says what to fix."""


def configured_values(environ: Mapping[str, str] = os.environ,
                      env_file: Path = ENV_FILE) -> dict[str, str]:
    """The raw values of the settings: `env_file`'s lines, overridden by the environment;
    names compared in lower case, lines without a value left out."""
    names = Settings.model_fields
    values = {name.lower(): value for name, value in _env_file_values(env_file).items()
              if value is not None}
    values.update({name.lower(): value for name, value in environ.items()})
    return {name: value for name, value in values.items() if name in names}


def _env_file_values(env_file: Path) -> dict[str, str | None]:
    """The file's assignments, parsed as python-dotenv parses them (quotes, comments,
    `export`, ${VAR} expansion); nothing when there is no such file."""
    if not (env_file.is_file() or env_file.is_fifo()):
        return {}
    from dotenv import dotenv_values  # only when there is a file to read

    return dotenv_values(env_file, encoding="utf-8")


def load_settings() -> Settings:
    return Settings.model_validate(configured_values())


def load_checked_settings() -> Settings:
    """Like `load_settings`, but a bad value becomes one SettingsProblem line, not a traceback."""
    try:
        return load_settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsProblem(f"{name} is not valid: {message}") from None
