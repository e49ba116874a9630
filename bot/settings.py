"""Settings from the environment and an optional `.env` file (see `.env.example`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: Path = Field(default=Path("data/complaints.sqlite3"))
    default_locale: str = "zh_CN"
    log_level: str = "WARNING"


def load_settings() -> Settings:
    return Settings()
