"""Builds flows/understanding/data/main_dict.txt, the segmenter's compact dictionary.

It keeps jieba's common words (frequency >= MIN_FREQUENCY in jieba's dict.txt) and adds every
word the analyzer looks for (theme, scope, place, platform, channel words and
data/domain_words.txt), each at least DOMAIN_FREQUENCY so jieba keeps it whole.
Run it again after changing any vocabulary file:

    .venv/bin/python bench/build_dictionary.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.understanding import resources  # noqa: E402

MIN_FREQUENCY = 50
DOMAIN_FREQUENCY = 3000


def jieba_dictionary() -> Path:
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def build(min_frequency: int = MIN_FREQUENCY) -> dict[str, int]:
    frequencies: dict[str, int] = {}
    with jieba_dictionary().open(encoding="utf-8") as source:
        for line in source:
            word, frequency = line.split(" ")[:2]
            word = resources.lower_ascii(word)
            if int(frequency) >= min_frequency:
                frequencies[word] = max(frequencies.get(word, 0), int(frequency))
    all_words: dict[str, int] = {}
    with jieba_dictionary().open(encoding="utf-8") as source:
        for line in source:
            word, frequency = line.split(" ")[:2]
            all_words[resources.lower_ascii(word)] = int(frequency)
    for word in resources.vocabulary():
        if " " in word or not word:
            continue
        frequencies[word] = max(all_words.get(word, 0), DOMAIN_FREQUENCY)
    return frequencies


def main() -> None:
    frequencies = build()
    lines = [f"{word} {frequency}\n" for word, frequency in sorted(frequencies.items())]
    resources.MAIN_DICTIONARY.write_text("".join(lines), encoding="utf-8")
    size = resources.MAIN_DICTIONARY.stat().st_size
    print(f"wrote {len(lines)} words ({size / 1024:.0f} KiB) to {resources.MAIN_DICTIONARY}")


if __name__ == "__main__":
    main()
