"""A channel's own tables in the bot's SQLite file (the web page's chat history and link
codes, WeChat's message log): one async connection, versioned by a schema table of the
channel's own, migrated under the write lock so two processes opening together cannot both
migrate."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar, Self

import aiosqlite


class ChannelTables:
    SCHEMA_TABLE: ClassVar[str]  # e.g. "web_schema"
    MIGRATIONS: ClassVar[tuple[str, ...]]  # scripts of ";"-separated statements, in order

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Self:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        try:
            await connection.execute("PRAGMA journal_mode=WAL")
            await connection.execute("PRAGMA synchronous=FULL")
            await connection.execute("PRAGMA foreign_keys=ON")
            await connection.execute("PRAGMA busy_timeout=5000")
            await connection.execute("PRAGMA secure_delete=ON")
            tables = cls(connection)
            await tables.migrate()
        except BaseException:
            await connection.close()
            raise
        return tables

    async def close(self) -> None:
        await self._db.close()

    async def migrate(self) -> None:
        async with self._transaction():
            await self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {self.SCHEMA_TABLE} (version INTEGER NOT NULL)")
            async with self._db.execute(f"SELECT MAX(version) FROM {self.SCHEMA_TABLE}") as cursor:
                row = await cursor.fetchone()
            version = int(row[0]) if row and row[0] is not None else 0
            for number, script in enumerate(self.MIGRATIONS[version:], start=version + 1):
                for statement in filter(str.strip, script.split(";")):
                    await self._db.execute(statement)
                await self._db.execute(
                    f"INSERT INTO {self.SCHEMA_TABLE} (version) VALUES (?)", (number,))

    def _transaction(self) -> Transaction:
        return Transaction(self._db, self._write_lock)


class Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error, one at a time on this connection."""

    def __init__(self, db: aiosqlite.Connection, lock: asyncio.Lock) -> None:
        self._db = db
        self._lock = lock

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            await self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(self, kind: object, error: object, trace: object) -> None:
        try:
            await self._db.execute("ROLLBACK" if kind is not None else "COMMIT")
        finally:
            self._lock.release()
