"""Settings from the environment and an optional `.env` file (see `.env.example`).

Read the way pydantic-settings reads them (names match fields in any case, the environment
wins over `.env`, unknown names are ignored), without importing it or pydantic: their import
made up a good part of the terminal chat's start. `msgspec.convert` turns the text values into
the fields' types; `Settings.__post_init__` checks them, whether read or constructed in code,
and a bad value is one SettingsProblem line that names the setting and says what to write.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec

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
# The words a yes/no setting may be written with (any case).
BOOLEAN_WORDS = {**dict.fromkeys(("1", "true", "t", "yes", "y", "on"), True),
                 **dict.fromkeys(("0", "false", "f", "no", "n", "off"), False)}
# What a value that does not convert to the field's type should look like.
EXPECTED = {"int": "a whole number", "float": "a number", "bool": "true or false"}
SECRET_FIELDS = ("telegram_bot_token", "webhook_secret", "web_secret", "wechat_token",
                 "wechat_app_secret", "wechat_encoding_aes_key")
# `TELEGRAM_BOT_TOKEN=` copied from .env.example means "not set", not an empty token.
OPTIONAL_TEXT_FIELDS = (*SECRET_FIELDS, "webhook_url", "wechat_app_id", "wechat_public_url")


class Secret:
    """A secret setting's value: hidden in repr and str, so it stays out of logs and
    tracebacks; `get_secret_value()` hands it to the code that needs it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Settings(msgspec.Struct, kw_only=True):
    """Every setting, checked; `load_checked_settings` fills it from the environment and `.env`."""

    database_path: Path = Path("data/complaints.sqlite3")
    default_locale: str = "zh_CN"
    log_level: str = "WARNING"
    # How often the running bot looks for reminders that have fallen due (0 < s ≤ 3600).
    reminder_check_seconds: float = 60.0

    # ---- the Telegram channel (`complaint-bot telegram`) ----------------------------------
    # Optional here so the terminal chat runs without one; `telegram_token()` insists.
    telegram_bot_token: Secret | None = None
    telegram_api_base_url: str = TELEGRAM_API
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: Secret | None = None

    # ---- the web page (`complaint-bot web`) -------------------------------------------------
    web_listen: str = "127.0.0.1"
    web_port: int = 8080
    # Signs the anonymous user id cookie and the CSRF tokens; required by `web_signing_secret()`.
    web_secret: Secret | None = None

    # ---- the WeChat official account (`complaint-bot wechat`) -------------------------------
    wechat_token: Secret | None = None
    wechat_app_id: str | None = None
    wechat_app_secret: Secret | None = None
    wechat_encoding_aes_key: Secret | None = None  # safe (encrypted) mode; blank: plaintext
    wechat_api_base_url: str = WECHAT_API
    wechat_listen: str = "127.0.0.1"
    wechat_port: int = 8081
    # The public https:// root the server is reached at; draft links point there (with WEB_SECRET).
    wechat_public_url: str | None = None
    # A verified account may send customer-service messages (reminders, long drafts, slow replies).
    wechat_customer_service: bool = False

    def __post_init__(self) -> None:
        """Normalise and check every value, defaults included; the first bad one raises."""
        for name in SECRET_FIELDS:
            setattr(self, name, _secret(getattr(self, name)))
        for name in OPTIONAL_TEXT_FIELDS:
            setattr(self, name, _blank_is_unset(getattr(self, name)))
        self.database_path = Path(self.database_path)
        self.log_level = _checked("log_level", _known_level, self.log_level)
        self.reminder_check_seconds = _checked("reminder_check_seconds", _check_interval,
                                               self.reminder_check_seconds)
        for name in ("webhook_port", "web_port", "wechat_port"):
            _checked(name, _check_port, getattr(self, name))
        self.telegram_api_base_url = _checked("telegram_api_base_url", _api_root,
                                              self.telegram_api_base_url)
        self.wechat_api_base_url = _checked("wechat_api_base_url", _wechat_api_root,
                                            self.wechat_api_base_url)
        self.wechat_public_url = _checked("wechat_public_url", _wechat_public_root,
                                          self.wechat_public_url)
        self.webhook_url = _checked("webhook_url", _public_https, self.webhook_url)
        _checked("webhook_secret", _secret_format, self.webhook_secret)

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
        return [value.get_secret_value() for name in SECRET_FIELDS
                if (value := getattr(self, name)) is not None and value.get_secret_value()]

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


def _checked(name: str, check: Callable[[Any], Any], value: Any) -> Any:
    """`check(value)`, its ValueError turned into the one line that names the setting."""
    try:
        return check(value)
    except (ValueError, TypeError) as error:
        raise SettingsProblem(f"{name.upper()} is not valid: {error}") from None


def _secret(value: object) -> object:
    return Secret(value) if isinstance(value, str) else value


def _blank_is_unset(value: Any) -> Any:
    """Blank means unset; other text loses its surrounding spaces."""
    if isinstance(value, Secret):
        text = value.get_secret_value().strip()
        return Secret(text) if text else None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _known_level(value: str) -> str:
    """A level the logging module knows; checked here so a typo is one line, not a
    traceback from logging."""
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"{value!r} is not a level: use {', '.join(LOG_LEVELS)}")
    return level


def _check_interval(value: float) -> float:
    if not 0 < value <= 3600:
        raise ValueError(f"{value:g} is not more than 0 and at most 3600 seconds: use e.g. 60")
    return float(value)


def _check_port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise ValueError(f"{value!r} is not a port: use a number from 1 to 65535")
    return value


def _http_root(value: str, example: str) -> str:
    """A server's root URL, without its trailing slash; `example` shows what to write."""
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an http:// or https:// URL, e.g. {example}")
    return value


def _api_root(value: str) -> str:
    """Telegram's own server or a self-hosted Bot API server, given by its root URL."""
    value = _http_root(value, "https://api.telegram.org")
    if urlsplit(value).path.endswith("/bot"):
        raise ValueError("give the server's root URL without /bot, e.g. http://localhost:8081")
    return value


def _wechat_api_root(value: str) -> str:
    return _http_root(value, "https://api.weixin.qq.com")


def _wechat_public_root(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value.rstrip("/"))
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError("must be the public https:// address of this server")
    return value.rstrip("/")


def _public_https(value: str | None) -> str | None:
    """Telegram only delivers webhooks to HTTPS URLs."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError("must be the public https:// URL Telegram posts updates to")
    return value


def _secret_format(value: Secret | None) -> None:
    if value is not None and not WEBHOOK_SECRET_PATTERN.fullmatch(value.get_secret_value()):
        raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")


def configured_values(environ: Mapping[str, str] = os.environ,
                      env_file: Path = ENV_FILE) -> dict[str, str]:
    """The raw values of the settings: `env_file`'s lines, overridden by the environment;
    names compared in lower case, lines without a value left out."""
    names = Settings.__struct_fields__
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


def settings_from(values: Mapping[str, str]) -> Settings:
    """Settings from text values by field name (as `configured_values` returns them); a value
    that is not of its setting's type or fails its check raises SettingsProblem."""
    words = {name: BOOLEAN_WORDS.get(value.strip().lower(), value)
             if name == "wechat_customer_service" and isinstance(value, str) else value
             for name, value in values.items()}
    try:
        return msgspec.convert(words, Settings, strict=False, dec_hook=_from_text)
    except msgspec.ValidationError as error:
        raise SettingsProblem(_type_problem(str(error), values)) from None


def _from_text(kind: type, value: Any) -> Any:
    """The types msgspec does not build itself: a path, a secret."""
    if kind in (Path, Secret) and isinstance(value, str):
        return kind(value)
    raise NotImplementedError


def _type_problem(message: str, values: Mapping[str, str]) -> str:
    """"WEBHOOK_PORT is not valid: 'abc' is not a whole number" from msgspec's message."""
    found = re.search(r"Expected `(\w+)`.* - at `\$\.(\w+)`", message)
    if found is None:
        return f"a setting is not valid: {message}"
    kind, name = found.groups()
    return (f"{name.upper()} is not valid: {values.get(name)!r} is not "
            f"{EXPECTED.get(kind, kind)}")


def load_checked_settings() -> Settings:
    """The settings of the environment and `.env`; a bad value is one SettingsProblem line
    that says what to fix, not a traceback."""
    return settings_from(configured_values())
