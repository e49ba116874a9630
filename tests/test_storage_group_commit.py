"""Group commit and deferred deletions: writes that wait together commit together, one failing
write loses only its own rows, and a sent message's row goes with a later commit."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.storage import Decision, Storage
from flows.model import Session

ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 10


def run(coro):
    return asyncio.run(coro)


def keep(user_id: str, *outgoing: str) -> Decision:
    """A decision that stores a fresh session for the user and queues `outgoing`."""
    return Decision(Session(user_id=user_id), list(outgoing))


async def queued_behind_a_busy_thread(storage: Storage, *writes) -> list[object]:
    """Holds the database thread in a first turn until the `writes` (coroutine factories)
    are all waiting, so they commit as one group; returns their results or exceptions."""
    started, release = threading.Event(), threading.Event()

    def slow(before: Session) -> Decision:
        started.set()
        release.wait(WAIT_SECONDS)
        return keep("first")

    first = asyncio.create_task(storage.turn("first", slow))
    assert await asyncio.to_thread(started.wait, WAIT_SECONDS)
    tasks = [asyncio.create_task(write()) for write in writes]
    await asyncio.sleep(0)  # each task runs to its first wait: its write is queued
    release.set()
    await first
    return await asyncio.gather(*tasks, return_exceptions=True)


def test_a_failing_write_rolls_back_only_itself_and_the_group_commits_once(
        tmp_path: Path) -> None:
    def breaks_after_writing(before: Session) -> Decision:
        # The session is written, then queuing the reply fails (a dict is not storable):
        # the session must not stay either.
        return Decision(Session(user_id="bob"), [{"not": "text"}])  # type: ignore[list-item]

    async def scenario() -> tuple[list[object], int, list[str], list[tuple[int, str]]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            before = storage.commits
            results = await queued_behind_a_busy_thread(
                storage,
                lambda: storage.turn("alice", lambda _: keep("alice", "hello alice")),
                lambda: storage.turn("bob", breaks_after_writing),
                lambda: storage.turn("carol", lambda _: keep("carol", "hello carol")))
            commits = storage.commits - before
            return results, commits, await storage.user_ids(), await storage.outbox_of("carol")
        finally:
            await storage.close()

    results, commits, users, carol_outbox = run(scenario())
    alice, bob, carol = results
    assert isinstance(bob, Exception), "the failing write's caller gets its error"
    assert [item for _, item in alice.outbox] == ["hello alice"]
    assert carol.outbox == carol_outbox, "answered with the rows the commit kept"
    assert [item for _, item in carol_outbox] == ["hello carol"]
    assert users == ["alice", "carol", "first"], "bob's half-written turn was rolled back"
    assert commits == 2, "the first turn, then the three waiting writes in one commit"


def test_a_turn_hands_back_what_its_user_has_left_to_send(tmp_path: Path) -> None:
    async def scenario() -> list[str]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            await storage.turn("dan", lambda _: keep("dan", "left over"))
            committed = await storage.turn("dan", lambda _: keep("dan", "new"),
                                           update_key="u:2")
            return [item for _, item in committed.waiting]
        finally:
            await storage.close()

    assert run(scenario()) == ["left over", "new"], "oldest first, read in the same commit"


def test_a_sent_message_is_deleted_with_the_next_commit(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, int, int]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            committed = await storage.turn("eve", lambda _: keep("eve", "one", "two"))
            (first, _), (second, _) = committed.outbox
            assert await storage.claim(first)
            storage.sent(first)
            waiting = (await storage.rows_of("eve"))["outbox"]
            await storage.save(Session(user_id="frank"))  # any other write takes it along
            after_write = (await storage.rows_of("eve"))["outbox"]
            assert await storage.claim(second)
            storage.sent(second)
            await storage.apply_sent()  # the sweep's commit, when no other write comes
            return waiting, after_write, (await storage.rows_of("eve"))["outbox"]
        finally:
            await storage.close()

    assert run(scenario()) == (2, 1, 0)


def test_deletions_still_waiting_are_committed_at_close(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"

    async def send_and_close() -> None:
        storage = await Storage.open(path)
        committed = await storage.turn("gus", lambda _: keep("gus", "bye"))
        (outbox_id, _), = committed.outbox
        assert await storage.claim(outbox_id)
        storage.sent(outbox_id)
        await storage.close()

    async def reopen() -> tuple[int, int]:
        storage = await Storage.open(path)
        try:
            return await storage.drop_uncertain(), (await storage.rows_of("gus"))["outbox"]
        finally:
            await storage.close()

    run(send_and_close())
    assert run(reopen()) == (0, 0), "nothing left to doubt after a clean stop"


def test_claims_and_deletions_wait_for_no_fsync_but_a_turn_with_them_does(
        tmp_path: Path) -> None:
    """A claim only has to outlive the process (the kernel keeps what was written to the
    WAL); a turn's commit must reach the disk, also when a claim shares it."""
    async def scenario() -> list[tuple[int, int]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            counts = []

            def counted() -> None:
                counts.append((storage.commits, storage.synced_commits))

            counted()
            first = await storage.turn("ida", lambda _: keep("ida", "one", "two"))
            counted()
            (one, _), (two, _) = first.outbox
            assert await storage.claim(one)
            counted()
            storage.sent(one)
            await storage.apply_sent()
            counted()
            await queued_behind_a_busy_thread(
                storage, lambda: storage.claim(two),
                lambda: storage.turn("jon", lambda _: keep("jon", "hi")))
            counted()
            return counts
        finally:
            await storage.close()

    counts = run(scenario())
    steps = [(c - pc, s - ps) for (pc, ps), (c, s) in itertools.pairwise(counts)]
    assert steps == [(1, 1),  # the turn: committed and synced
                     (1, 0),  # the claim: committed, not synced
                     (1, 0),  # the deletion of a sent message alone: not synced
                     (2, 2)], steps  # a busy turn, then a claim grouped with a turn: synced


def test_a_turn_can_claim_its_messages_right_after_its_commit(tmp_path: Path) -> None:
    """For a channel that sends at once: the waiting messages come back claimed, by a second
    commit on the same visit that waits for no fsync; older unsent ones are claimed with
    them, one another sender holds is left to it, and a turn without `claim` claims none."""
    async def scenario() -> tuple[object, object, list[str], tuple[int, int]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            older = await storage.turn("kim", lambda _: keep("kim", "older", "held"))
            (_, _), (held, _) = older.outbox
            assert await storage.claim(held)  # another sender has this one
            before = (storage.commits, storage.synced_commits)
            claimed = await storage.turn("kim", lambda _: keep("kim", "new"), claim=True)
            after = (storage.commits - before[0], storage.synced_commits - before[1])
            plain = await storage.turn("lee", lambda _: keep("lee", "hi"))
            left = [item for _, item in await storage.outbox_of("kim")]
            return claimed, plain, left, after
        finally:
            await storage.close()

    claimed, plain, left, commits = run(scenario())
    assert claimed.claimed and [item for _, item in claimed.waiting] == ["older", "new"]
    assert left == [], "nothing of kim's is left unclaimed"
    assert commits == (2, 1), "the turn's commit synced, the claims' not"
    assert not plain.claimed and [item for _, item in plain.waiting] == ["hi"]



def test_a_turn_that_is_not_durable_waits_for_no_fsync_until_synced(tmp_path: Path) -> None:
    """For an update kept durably elsewhere until the commit is: the turn is answered from the
    WAL file, `sync` then puts it (and all before it) on the disk with one fsync, and a sync
    with nothing new to put there makes none."""
    async def scenario() -> list[tuple[int, int, int, int]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            seen = []

            def counted() -> None:
                seen.append((storage.commits, storage.synced_commits,
                             storage.synced_through, storage.syncs))

            counted()
            await storage.turn("mia", lambda _: keep("mia", "one"), durable=False)
            counted()
            await storage.turn("mia", lambda _: keep("mia", "two"), durable=False, claim=True)
            counted()
            await storage.sync()
            counted()
            await storage.sync()
            counted()
            await storage.turn("ned", lambda _: keep("ned", "hi"), durable=False)
            await storage.turn("ned", lambda _: keep("ned", "hey"))
            counted()
            await storage.sync()
            counted()
            return seen
        finally:
            await storage.close()

    (c0, f0, t0, s0), *rest = run(scenario())
    relative = [(c - c0, f - f0, t - t0, s - s0) for c, f, t, s in rest]
    assert relative == [
        (1, 0, 0, 0),  # a turn that is not durable: committed, not synced
        (3, 0, 0, 0),  # another, with its claims: two commits, neither synced
        (3, 0, 3, 1),  # one sync puts all three on the disk
        (3, 0, 3, 1),  # nothing new: no fsync
        (5, 1, 5, 1),  # a durable turn syncs the one before it along
        (5, 1, 5, 1),  # so the sync after it makes no fsync
    ], relative


def test_a_turn_that_asks_to_be_synced_soon_is_on_the_disk_before_the_next_database_work(
        tmp_path: Path) -> None:
    """`sync_soon`: the database thread fsyncs the turn right after answering, so a caller
    that sends first and syncs afterwards finds nothing left to wait for; a turn that does
    not ask for it leaves the fsync to `sync`."""
    async def scenario() -> list[tuple[int, int]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        try:
            seen = []
            syncs = storage.syncs

            async def after_next_database_work() -> None:
                await storage.schema_version()  # queued behind whatever the thread does now
                seen.append((storage.syncs - syncs, storage.commits - storage.synced_through))

            await storage.turn("ola", lambda _: keep("ola", "one"), durable=False)
            await after_next_database_work()
            await storage.sync()
            await after_next_database_work()
            await storage.turn("ola", lambda _: keep("ola", "two"), durable=False,
                               claim=True, sync_soon=True)
            await after_next_database_work()
            await storage.sync()
            await after_next_database_work()
            return seen
        finally:
            await storage.close()

    assert run(scenario()) == [
        (0, 1),  # not asked: the commit waits for `sync`
        (1, 0),  # which fsyncs it
        (2, 0),  # asked: the turn and its claim are fsynced without a `sync`
        (2, 0),  # so the `sync` that follows makes no fsync
    ]


KEPT_WITHOUT_FSYNC = """
import asyncio, os, sys
from bot.storage import Decision, Storage
from flows.model import Session

async def main():
    storage = await Storage.open(sys.argv[1])
    await storage.turn("ola", lambda _: Decision(Session(user_id="ola"), ["hello"]),
                       update_key="u:1", durable=False)
    os._exit(0)  # dies before any sync

asyncio.run(main())
"""


def test_a_turn_that_is_not_durable_outlives_the_process(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    subprocess.run([sys.executable, "-c", KEPT_WITHOUT_FSYNC, str(path)],
                   check=True, timeout=60, cwd=ROOT)

    async def restart() -> tuple[list[str], bool]:
        storage = await Storage.open(path)
        try:
            waiting = [item for _, item in await storage.outbox_of("ola")]
            return waiting, ("u:1", "ola") not in await storage.unhandled()
        finally:
            await storage.close()

    waiting, handled = run(restart())
    assert waiting == ["hello"] and handled, "the kernel kept the commit for the next process"


DIES_AFTER_SENDING = """
import asyncio, os, sys
from bot.storage import Decision, Storage
from flows.model import Session

async def main():
    storage = await Storage.open(sys.argv[1])
    committed = await storage.turn(
        "hal", lambda _: Decision(Session(user_id="hal"), ["sent", "unsent"]))
    (sent, _), _ = committed.outbox
    assert await storage.claim(sent)
    storage.sent(sent)  # it arrived; its deletion waits for the next commit
    os._exit(0)         # killed before any other write

asyncio.run(main())
"""


def test_after_a_crash_a_sent_row_not_yet_deleted_is_dropped_and_unsent_ones_go_out(
        tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    subprocess.run([sys.executable, "-c", DIES_AFTER_SENDING, str(path)],
                   check=True, timeout=60, cwd=ROOT)

    async def restart() -> tuple[int, list[str]]:
        storage = await Storage.open(path)
        try:
            dropped = await storage.drop_uncertain()
            return dropped, [item for _, item in await storage.outbox_of("hal")]
        finally:
            await storage.close()

    dropped, waiting = run(restart())
    assert dropped == 1, "a claimed message is never sent again, even one that arrived"
    assert waiting == ["unsent"], "the one never claimed goes out after the restart"


def test_a_write_after_close_fails_at_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        storage = await Storage.open(tmp_path / "bot.sqlite3")
        await storage.close()
        with pytest.raises(RuntimeError):
            await asyncio.wait_for(storage.save(Session(user_id="ida")), WAIT_SECONDS)

    run(scenario())


def test_groups_are_bounded_and_every_waiting_write_is_committed(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, list[str]]:
        storage = await Storage.open(tmp_path / "bot.sqlite3", max_group=2)
        try:
            before = storage.commits
            names = [f"user{n}" for n in range(5)]
            await queued_behind_a_busy_thread(
                storage, *[(lambda name=name: storage.save(Session(user_id=name)))
                           for name in names])
            return storage.commits - before, await storage.user_ids()
        finally:
            await storage.close()

    commits, users = run(scenario())
    assert commits == 1 + 3, "the first turn, then five waiting writes in groups of 2, 2, 1"
    assert users == ["first", "user0", "user1", "user2", "user3", "user4"]
