"""User-facing text, looked up by key: the code names what to say, locale/ says it.

Catalogs are TOML files (`locale/<locale>.toml`, plus any `locale/<locale>/*.toml` so that
one concern's sentences can live in a file of their own; read with the standard library's
tomllib): nested tables give dotted keys, values are `str.format` templates. A key defined
in two files is an error, so no file silently overrides another.

Parsing the TOML takes longer than anything else a chat does before its first question, so
the flat table is also kept in `__pycache__/<locale>.catalog` beside the files (marshal, like
Python's own bytecode cache) and read from there while every file's size and modification
time are unchanged. Where that folder cannot be written, or Python is told not to write its
bytecode (PYTHONDONTWRITEBYTECODE), the files are simply parsed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import sys
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
        import tomllib

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
    process, not by the engine), from the cache when the files have not changed since."""
    paths = [directory / f"{locale}.toml", *sorted((directory / locale).glob("*.toml"))]
    stamp = _stamp(paths)
    cache = directory / "__pycache__" / f"{locale}.catalog"
    entries = _cached_entries(cache, stamp)
    if entries is None:
        entries = _parse(paths)
        _write_cache(cache, stamp, entries)
    return Catalog(locale, entries)


# What a cache must match besides the files: the marshal format and this module's layout.
CACHE_FORMAT = f"catalog-1 {sys.implementation.cache_tag} marshal-{marshal.version}"


def _stamp(paths: list[Path]) -> list[tuple[str, int, int]]:
    """Name, size and modification time (ns) of every file; a missing file raises, as
    parsing it would."""
    stamp = []
    for path in paths:
        status = path.stat()
        stamp.append((str(path), status.st_size, status.st_mtime_ns))
    return stamp


def _parse(paths: list[Path]) -> dict[str, str]:
    import tomllib  # only when the cache is missing or stale

    entries: dict[str, str] = {}
    for path in paths:
        part = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
        clash = sorted(set(part) & set(entries))
        if clash:
            raise ValueError(f"{path.name} defines keys already defined: {', '.join(clash[:5])}")
        entries.update(part)
    return entries


def _cached_entries(cache: Path, stamp: list[tuple[str, int, int]]) -> dict[str, str] | None:
    """The cached table when it was built from exactly these files, else None."""
    try:
        stored = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == CACHE_FORMAT
            and stored[1] == stamp and isinstance(stored[2], dict)):
        return None
    return stored[2]


def _write_cache(cache: Path, stamp: list[tuple[str, int, int]], entries: dict[str, str]) -> None:
    """Written beside and then renamed, so a reader never sees half a file; a folder that
    cannot be written (a read-only install), like PYTHONDONTWRITEBYTECODE, just means
    parsing every time."""
    if sys.dont_write_bytecode:
        return
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(exist_ok=True)
        partial.write_bytes(marshal.dumps((CACHE_FORMAT, stamp, entries)))
        os.replace(partial, cache)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
