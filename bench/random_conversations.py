"""Random whole conversations with the engine, to find replies that crash it or leave a user
stuck: each turn types a reply from the labelled reply corpus for the question asked, a reply
meant for another question, a command (/back, 跳过, 修改, /cancel …) or presses a button shown,
and every account is a real text from ../shared/data/. Prints how many conversations ended
in a finished draft within 120 turns and every exception, with the last turns before it.

    .venv/bin/python bench/random_conversations.py [--seed N] [--count N]
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import traceback
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import Chat  # noqa: E402
from labelled_data import SOURCES, source_texts  # noqa: E402
from labelled_texts import load_reply_corpus  # noqa: E402

from flows.catalog import load_catalog  # noqa: E402
from flows.understanding import analyze  # noqa: E402

TURNS = 120
COMMANDS = ("/back", "上一步", "跳过", "修改", "/cancel", "继续", "/help", "/new", "/drafts", "取消",
            "对", "不对", "嗯", "?", "", "　")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    catalog = load_catalog("zh_CN")
    replies: dict[str, list[str]] = collections.defaultdict(list)
    for corpus in ("replies.tsv", "replies_second.tsv"):
        for case in load_reply_corpus(ROOT / "tests" / "data" / corpus):
            replies[case.field].append(case.reply)
    anywhere = [reply for field in replies.values() for reply in field]
    accounts = [text for source in SOURCES for text in source_texts(source)]
    rng = random.Random(args.seed)
    finished, errors, last_turns = 0, collections.Counter(), {}
    for number in range(args.count):
        chat = Chat(catalog, understand=analyze, now=datetime(2026, 12, 6, 20, 0),
                    user_id=f"user{number}")
        chat.say("/new")
        said: list[tuple[str | None, str]] = []
        try:
            for _ in range(TURNS):
                if chat.draft is not None and chat.draft.finished:
                    finished += 1
                    break
                field, roll = chat.field, rng.random()
                buttons = [option.label for reply in chat.replies for option in reply.options]
                if buttons and roll < 0.35:
                    label = rng.choice(buttons)
                    said.append((field, f"[{label}]"))
                    chat.press(label)
                    continue
                if field == "narrative" or (field is None and roll < 0.4):
                    text = rng.choice(accounts)
                elif roll < 0.85 and field in replies:
                    text = rng.choice(replies[field])
                elif roll < 0.93:
                    text = rng.choice(anywhere)
                else:
                    text = rng.choice(COMMANDS)
                said.append((field, text))
                chat.say(text)
        except Exception:  # every crash is what this bench is for
            lines = traceback.format_exc().strip().splitlines()
            errors[lines[-1][:160]] += 1
            last_turns.setdefault(lines[-1][:160], (said[-6:], lines[-6:]))
    print(f"{args.count} conversations (seed {args.seed}): {finished} finished within {TURNS} turns, "
          f"{sum(errors.values())} ended in an exception")
    for error, count in errors.most_common():
        turns, trace = last_turns[error]
        print(f"{count} × {error}\n    last turns: {turns}\n    " + "\n    ".join(trace))


if __name__ == "__main__":
    main()
