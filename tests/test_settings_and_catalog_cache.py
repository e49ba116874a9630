"""Settings read from .env and the environment without pydantic-settings, and the catalog's
parsed cache: both load at every start, so both must never serve stale or wrong values."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsProblem, configured_values, settings_from
from flows.catalog import load_catalog


def write_env(folder: Path, text: str) -> Path:
    path = folder / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_environment_wins_over_the_env_file_and_names_match_in_any_case(tmp_path) -> None:
    env_file = write_env(tmp_path, "DATABASE_PATH=from-file.sqlite3\n"
                                   "export LOG_LEVEL='DEBUG'\nNOT_A_SETTING=1\n")
    values = configured_values({"database_path": "from-env.sqlite3"}, env_file)
    assert values["database_path"] == "from-env.sqlite3"
    assert values["log_level"] == "DEBUG", "quotes and export are read as python-dotenv reads them"
    assert "not_a_setting" not in values
    settings = settings_from(values)
    assert str(settings.database_path).endswith("from-env.sqlite3")


def test_no_env_file_means_the_environment_alone(tmp_path) -> None:
    assert configured_values({"LOG_LEVEL": "INFO"}, tmp_path / "missing.env") == {
        "log_level": "INFO"}


def write_catalog(folder: Path, main: str, extra: dict[str, str] | None = None) -> None:
    (folder / "xx.toml").write_text(main, encoding="utf-8")
    (folder / "xx").mkdir(exist_ok=True)
    for name, text in (extra or {}).items():
        (folder / "xx" / name).write_text(text, encoding="utf-8")


def touch_later(path: Path) -> None:
    """A later modification time, as an edit a second later would leave."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def caching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def test_the_cache_is_written_and_an_edited_or_added_file_is_read_again(tmp_path, caching) -> None:
    write_catalog(tmp_path, 'greeting = "hello"\n')
    assert load_catalog("xx", tmp_path).text("greeting") == "hello"
    assert (tmp_path / "__pycache__" / "xx.catalog").is_file()
    (tmp_path / "xx.toml").write_text('greeting = "hallo"\n', encoding="utf-8")
    touch_later(tmp_path / "xx.toml")
    assert load_catalog("xx", tmp_path).text("greeting") == "hallo", "same size, later edit"
    write_catalog(tmp_path, 'greeting = "hallo"\n', {"more.toml": 'farewell = "bye"\n'})
    assert load_catalog("xx", tmp_path).text("farewell") == "bye", "a new file is read"


def test_a_duplicate_key_raises_even_with_a_cache(tmp_path, caching) -> None:
    write_catalog(tmp_path, 'greeting = "hello"\n', {"more.toml": 'farewell = "bye"\n'})
    load_catalog("xx", tmp_path)
    (tmp_path / "xx" / "more.toml").write_text('greeting = "again"\n', encoding="utf-8")
    touch_later(tmp_path / "xx" / "more.toml")
    with pytest.raises(ValueError, match="greeting"):
        load_catalog("xx", tmp_path)


def test_a_corrupt_cache_is_ignored(tmp_path, caching) -> None:
    write_catalog(tmp_path, 'greeting = "hello"\n')
    load_catalog("xx", tmp_path)
    (tmp_path / "__pycache__" / "xx.catalog").write_bytes(b"\x00not marshal")
    assert load_catalog("xx", tmp_path).text("greeting") == "hello"


def test_nothing_is_written_when_bytecode_is_not_written(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    write_catalog(tmp_path, 'greeting = "hello"\n')
    assert load_catalog("xx", tmp_path).text("greeting") == "hello"
    assert not (tmp_path / "__pycache__").exists()


def test_every_secret_setting_is_kept_out_of_the_logs() -> None:
    values = {"telegram_bot_token": "123456:telegram-token-value",
              "webhook_secret": "webhook-secret-value", "web_secret": "w" * 40,
              "wechat_token": "wechatToken1", "wechat_app_secret": "app-secret-value",
              "wechat_encoding_aes_key": "a" * 43}
    secrets = settings_from(values).secrets()
    assert sorted(secrets) == sorted(values.values())
    assert Settings().secrets() == []


@pytest.mark.parametrize(("values", "problem"), [
    ({"webhook_port": "99999"}, "WEBHOOK_PORT is not valid: 99999 is not a port"),
    ({"web_port": "eighty"}, "WEB_PORT is not valid: 'eighty' is not a whole number"),
    ({"log_level": "LOUD"}, "LOG_LEVEL is not valid: 'LOUD' is not a level: use DEBUG"),
    ({"reminder_check_seconds": "0"}, "REMINDER_CHECK_SECONDS is not valid"),
    ({"wechat_customer_service": "maybe"}, "WECHAT_CUSTOMER_SERVICE is not valid: 'maybe' is not true or false"),
    ({"telegram_api_base_url": "https://example.org/bot"}, "TELEGRAM_API_BASE_URL is not valid: give"),
    ({"wechat_public_url": "http://example.org"}, "WECHAT_PUBLIC_URL is not valid: must be the public https://"),
    ({"webhook_secret": "has spaces"}, "WEBHOOK_SECRET is not valid: must be 1-256 characters"),
])
def test_a_bad_value_is_one_line_that_names_the_setting(values: dict[str, str], problem: str) -> None:
    with pytest.raises(SettingsProblem) as raised:
        settings_from(values)
    assert str(raised.value).startswith(problem)


def test_values_are_read_as_people_write_them() -> None:
    settings = settings_from({"log_level": " info", "webhook_port": "9000", "web_secret": "  ",
                              "wechat_customer_service": "Yes", "telegram_api_base_url":
                              "http://localhost:8081/", "wechat_app_id": "", "database_path": "x.db"})
    assert settings.log_level == "INFO" and settings.webhook_port == 9000
    assert settings.web_secret is None and settings.wechat_app_id is None, "blank is unset"
    assert settings.wechat_customer_service is True
    assert settings.telegram_api_base_url == "http://localhost:8081"
    assert settings.database_path == Path("x.db")
    assert Settings(database_path="y.db", web_secret="s" * 40) == settings_from(
        {"database_path": "y.db", "web_secret": "s" * 40}), "built in code or read: the same"


def test_secret_values_are_hidden_when_shown() -> None:
    settings = settings_from({"telegram_bot_token": "123456:telegram-token-value"})
    assert "telegram-token-value" not in repr(settings)
    assert "telegram-token-value" not in str(settings.telegram_bot_token)
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123456:telegram-token-value"
