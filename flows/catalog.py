"""User-facing text, looked up by key: the code names what to say, locale/ says it.

Catalogs are TOML files (`locale/<locale>.toml`, plus any `locale/<locale>/*.toml` so that
one concern's sentences can live in a file of their own; read with the standard library's
tomllib): nested tables give dotted keys, values are `str.format` templates. A key defined
in two files is an error, so no file silently overrides another.
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def _locale_dir() -> Path:
    """`locale/` beside the code in a checkout; the installed copy in a wheel install."""
    checkout = Path(__file__).resolve().parent.parent / "locale"
    if checkout.is_dir():
        return checkout
    installed = importlib.util.find_spec("complaint_bot_locale")
    if installed is None or not installed.submodule_search_locations:
        raise FileNotFoundError("the locale catalogs are not installed")
    return Path(next(iter(installed.submodule_search_locations)))


LOCALE_DIR = _locale_dir()


class Catalog:
    """A flat, read-only map from dotted keys to templates of one locale."""

    def __init__(self, locale: str, entries: Mapping[str, str]) -> None:
        self.locale = locale
        self._entries = dict(entries)

    @classmethod
    def from_toml(cls, locale: str, text: str) -> Catalog:
        return cls(locale, _flatten(tomllib.loads(text)))

    def has(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return list(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def text(self, key: str, /, **params: Any) -> str:
        """The template under `key`, filled with `params`; a missing key is a bug, so it raises."""
        template = self._entries[key]
        return template.format(**params) if params else template

    def maybe(self, key: str, /, **params: Any) -> str | None:
        """Like `text`, but None when the catalog has no such key (for optional hints)."""
        return self.text(key, **params) if key in self._entries else None


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{key}."))
        else:
            flat[key] = str(value)
    return flat


def load_catalog(locale: str = "zh_CN", directory: Path = LOCALE_DIR) -> Catalog:
    """Read `<directory>/<locale>.toml` and `<directory>/<locale>/*.toml` (done once by the
    process, not by the engine)."""
    paths = [directory / f"{locale}.toml", *sorted((directory / locale).glob("*.toml"))]
    entries: dict[str, str] = {}
    for path in paths:
        part = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
        clash = sorted(set(part) & set(entries))
        if clash:
            raise ValueError(f"{path.name} defines keys already defined: {', '.join(clash[:5])}")
        entries.update(part)
    return Catalog(locale, entries)
