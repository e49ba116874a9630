"""How long `complaint-bot chat` takes from launch to its first prompt, in fresh processes.

The chat runs on a pseudo-terminal (so it prompts, as it does for a person), with a fresh
database; the time is from launching the process to the prompt appearing after the first
reply. Also printed, for scale: `python -c pass` and `python -c "import telegram"` in the
same interpreter. Medians of `--runs` launches, alternated.

    .venv/bin/python bench/terminal_start.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import pty
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


def chat_to_first_prompt(prompt: str) -> float:
    """Seconds from launch to the prompt, then the chat is told to quit."""
    with tempfile.TemporaryDirectory(prefix="start-") as folder:
        env = {**os.environ, "DATABASE_PATH": str(Path(folder) / "complaints.sqlite3")}
        controller, terminal = pty.openpty()
        started = time.perf_counter()
        child = subprocess.Popen([str(COMMAND), "chat"], stdin=terminal, stdout=terminal,
                                 stderr=subprocess.DEVNULL, env=env, cwd=folder)
        os.close(terminal)
        seen = b""
        elapsed = float("nan")
        deadline = started + LIMIT_SECONDS
        wanted = prompt.encode("utf-8")
        try:
            while time.perf_counter() < deadline:
                ready, _, _ = select.select([controller], [], [], 0.5)
                if not ready:
                    continue
                seen += os.read(controller, 65536)
                if wanted in seen:
                    elapsed = time.perf_counter() - started
                    break
            os.write(controller, b"/quit\n")
            child.wait(timeout=LIMIT_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            child.kill()
            child.wait(timeout=LIMIT_SECONDS)
        finally:
            os.close(controller)
        return elapsed


def python_with(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, timeout=LIMIT_SECONDS,
                   cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    prompt = load_catalog("zh_CN").text("terminal.prompt")
    chat_to_first_prompt(prompt)  # warm the file cache
    measured: dict[str, list[float]] = {"complaint-bot chat → first prompt": [],
                                        "python -c pass": [], "python -c 'import telegram'": []}
    for _ in range(args.runs):
        measured["complaint-bot chat → first prompt"].append(chat_to_first_prompt(prompt))
        measured["python -c pass"].append(python_with("pass"))
        measured["python -c 'import telegram'"].append(python_with("import telegram"))
    print(f"fresh processes, medians of {args.runs} launches")
    for name, values in measured.items():
        print(f"  {name:<36} {statistics.median(values) * 1000:7.0f} ms "
              f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")


if __name__ == "__main__":
    main()
