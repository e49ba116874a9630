"""Settings read from .env and the environment without pydantic-settings, and the catalog's
parsed cache: both load at every start, so both must never serve stale or wrong values."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, configured_values
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
    settings = Settings.model_validate(values)
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
    secrets = Settings.model_validate(values).secrets()
    assert sorted(secrets) == sorted(values.values())
    assert Settings().secrets() == []
