"""How long `complaint-bot chat` takes from launch to its first prompt, in fresh processes.

The chat runs on a pseudo-terminal (so it prompts, as it does for a person), with a fresh
database; the time is from launching the process to the first prompt (`你> `) appearing.
Then the first replies of the standard conversation are typed one at a time (the kind, whom
for, the account), each `--think` seconds after the prompt (a person reads the question
first) and timed from the line written to the next prompt: what was left for later must not
make a reply slow. Also printed, for scale: `python -c pass` and
`python -c "import telegram"` in the same interpreter. Medians of `--runs` launches,
alternated.

A first launch of each tree, not measured, runs without PYTHONDONTWRITEBYTECODE so that it
writes the bytecode and catalog caches, as the first launch after an install or an edit
does; the measured launches then read them.

`--baseline TREE` also launches the chat from another source tree (a copy of an older
commit) with the same interpreter, alternating with this tree in the same run, and prints
the ratio of the medians; both are then launched the way the console script does it
(`from bot.cli import main`), with the tree first on `sys.path`.

`--instructions` also counts the instructions of one launch per tree under valgrind
(cachegrind without its cache model): the chat reads `/quit` from a pipe, so the count runs
from launch to exit. Unlike the times it does not change with the machine's load.

    .venv/bin/python bench/terminal_start.py [--runs 9] [--think 1.0] [--baseline /tmp/old-tree]
                                             [--instructions]
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).parent / "complaint-bot"
sys.path.insert(0, str(ROOT))

from flows.catalog import load_catalog  # noqa: E402

LIMIT_SECONDS = 30.0
# The first answers of the standard conversation: the kind by number, whom for by number,
# then the account (the first text the analyzer reads).
REPLIES = ("1", "1", "我10月1日在三里屯的店里买了一双运动鞋，1299元，回家发现右鞋鞋面开胶了")
REPLY_NAMES = ("reply 1 (kind)", "reply 2 (whom for)", "reply 3 (the account)")
STARTUP = "chat → first prompt"


def launch_command(tree: Path | None) -> list[str]:
    """The installed console script, or the same entry point run from `tree`'s sources."""
    if tree is None:
        return [str(COMMAND), "chat"]
    code = (f"import sys; sys.path.insert(0, {str(tree)!r}); from bot.cli import main; "
            "sys.exit(main())")
    return [sys.executable, "-c", code, "chat"]


class Terminal:
    """A child process on a pseudo-terminal, read until a fragment appears."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: str) -> None:
        self.controller, terminal = pty.openpty()
        self.child = subprocess.Popen(command, stdin=terminal, stdout=terminal,
                                      stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        os.close(terminal)
        self.pending = b""

    def wait_for(self, wanted: bytes, deadline: float) -> bool:
        """True once `wanted` has been printed since the last call (what follows it is kept)."""
        while time.perf_counter() < deadline:
            if wanted in self.pending:
                self.pending = self.pending.split(wanted, 1)[1]
                return True
            ready, _, _ = select.select([self.controller], [], [], 0.5)
            if ready:
                self.pending += os.read(self.controller, 65536)
        return False

    def type(self, line: str) -> None:
        os.write(self.controller, line.encode("utf-8") + b"\n")

    def close(self) -> None:
        try:
            self.type("/quit")
            self.child.wait(timeout=LIMIT_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            self.child.kill()
            self.child.wait(timeout=LIMIT_SECONDS)
        finally:
            os.close(self.controller)


def chat_timings(prompt: str, tree: Path | None, think: float, *,
                 write_caches: bool = False) -> dict[str, float]:
    """Seconds from launch to the first prompt, then from each reply to the next prompt."""
    timings = dict.fromkeys((STARTUP, *REPLY_NAMES), float("nan"))
    wanted = prompt.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="start-") as folder:
        env = {**os.environ, "DATABASE_PATH": str(Path(folder) / "complaints.sqlite3")}
        if write_caches:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        started = time.perf_counter()
        terminal = Terminal(launch_command(tree), env, folder)
        try:
            if not terminal.wait_for(wanted, started + LIMIT_SECONDS):
                return timings
            timings[STARTUP] = time.perf_counter() - started
            for name, line in zip(REPLY_NAMES, REPLIES, strict=True):
                time.sleep(think)
                typed = time.perf_counter()
                terminal.type(line)
                if not terminal.wait_for(wanted, typed + LIMIT_SECONDS):
                    break
                timings[name] = time.perf_counter() - typed
        finally:
            terminal.close()
    return timings


def instructions(tree: Path | None) -> int:
    """Instructions executed by one launch that quits at once, counted by valgrind."""
    with tempfile.TemporaryDirectory(prefix="start-") as folder:
        env = {**os.environ, "DATABASE_PATH": str(Path(folder) / "complaints.sqlite3")}
        done = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
             *launch_command(tree)], input=b"/quit\n", capture_output=True, env=env, cwd=folder,
            timeout=LIMIT_SECONDS * 10, check=True)
    found = re.search(rb"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError("valgrind printed no instruction count")
    return int(found.group(1).replace(b",", b""))


def python_with(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, timeout=LIMIT_SECONDS,
                   cwd=ROOT)
    return time.perf_counter() - started


def _line(name: str, values: list[float]) -> str:
    return (f"  {name:<40} {statistics.median(values) * 1000:7.0f} ms "
            f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds between a prompt and the reply typed at it")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another source tree to launch alternately (e.g. a copy of main)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions per launch with valgrind")
    args = parser.parse_args()
    prompt = load_catalog("zh_CN").text("terminal.prompt")
    trees: dict[str, Path | None] = {"this tree": ROOT if args.baseline else None}
    if args.baseline:
        trees["baseline"] = args.baseline.resolve()
    for tree in trees.values():
        chat_timings(prompt, tree, args.think, write_caches=True)  # and warms the file cache
    measured: dict[str, dict[str, list[float]]] = {
        label: {name: [] for name in (STARTUP, *REPLY_NAMES)} for label in trees}
    scale: dict[str, list[float]] = {"python -c pass": [], "python -c 'import telegram'": []}
    for _ in range(args.runs):
        for label, tree in trees.items():
            for name, seconds in chat_timings(prompt, tree, args.think).items():
                measured[label][name].append(seconds)
        scale["python -c pass"].append(python_with("pass"))
        scale["python -c 'import telegram'"].append(python_with("import telegram"))
    print(f"fresh processes, medians of {args.runs} launches, alternated; "
          f"replies typed {args.think:g} s after their prompt")
    for label, tree in trees.items():
        print(f"{label}" + (f" ({tree})" if tree else " (complaint-bot chat)"))
        for name, values in measured[label].items():
            print(_line(name, values))
    if args.baseline:
        print("this tree / baseline, ratio of medians:")
        for name in measured["this tree"]:
            ratio = (statistics.median(measured["this tree"][name])
                     / statistics.median(measured["baseline"][name]))
            print(f"  {name:<40} {ratio:7.2f}")
    if args.instructions:
        counts = {label: instructions(tree) for label, tree in trees.items()}
        print("instructions, launch to exit after /quit (valgrind)")
        for label, count in counts.items():
            print(f"  {label:<40} {count / 1e6:7.0f} M")
        if args.baseline:
            print(f"  {'this tree / baseline':<40} {counts['this tree'] / counts['baseline']:7.2f}")
    print("for scale")
    for name, values in scale.items():
        print(_line(name, values))


if __name__ == "__main__":
    main()
