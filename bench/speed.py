"""Start-up time, peak memory and per-text time of the analyzer, each in fresh processes.

Compares the compact domain dictionary (what ships) with jieba's default dictionary plus our
domain words ("before"), doing the same work:
  * start -> first text: wall time from launching the interpreter to the first Insight;
  * peak RSS: ru_maxrss of the child after all the work;
  * per text: median of REPETITIONS analyses of a typical ~150-character complaint;
  * of which the theme model: reading the exported classifier weights (part of start -> first).
Each figure is the median over RUNS fresh processes. The machine is shared: expect noise.

    .venv/bin/python bench/speed.py [--runs 3] [--repetitions 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TYPICAL_COMPLAINT = (
    "我于2025年10月1日在北京三里屯的耐克专卖店购买了一双跑步鞋，支付金额1299元，"
    "回家后穿了不到一周就发现右鞋鞋面有明显的开胶，找店员沟通，店员说是穿着不当造成的，"
    "不给退也不给换。我认为这是质量问题，鞋子只穿过三次，保存了购物小票和聊天记录，"
    "要求商家退货退款，并赔偿来回交通费200元。"
)

_CHILD = """
import json, resource, statistics, sys, time
from datetime import date
mode, repetitions, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
from flows.understanding import segmenter
if mode == "jieba-default":
    segmenter.use_jieba_default_dictionary()
from flows.understanding import analyze, theme_model
today = date(2025, 10, 20)
model_started = time.perf_counter()
theme_model.load()
model_load_s = time.perf_counter() - model_started
insight = analyze(text, today)
first_done = time.time()
durations = []
for _ in range(repetitions):
    started = time.perf_counter()
    analyze(text, today)
    durations.append(time.perf_counter() - started)
print(json.dumps({
    "first_done": first_done,
    "median_ms": statistics.median(durations) * 1000,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "top_theme": insight.themes[0].theme,
    "model_load_s": model_load_s,
}))
"""


def measure(mode: str, repetitions: int) -> dict[str, float]:
    launched = time.time()
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(repetitions), TYPICAL_COMPLAINT],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    result = json.loads(completed.stdout)
    result["first_text_s"] = result["first_done"] - launched
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repetitions", type=int, default=2000)
    args = parser.parse_args()
    print(f"typical complaint: {len(TYPICAL_COMPLAINT)} characters; {args.runs} fresh processes "
          f"per mode; {args.repetitions} analyses each")
    print(f"{'dictionary':<34} {'start->first text':>18} {'peak RSS':>10} {'per text':>10} "
          f"{'theme model load':>17}")
    for mode, label in (("jieba-default", "before: jieba default + domain"),
                        ("compact", "after: compact domain dictionary")):
        runs = [measure(mode, args.repetitions) for _ in range(args.runs)]
        first = statistics.median(run["first_text_s"] for run in runs)
        rss = statistics.median(run["peak_rss_mb"] for run in runs)
        per_text = statistics.median(run["median_ms"] for run in runs)
        model = statistics.median(run["model_load_s"] for run in runs)
        print(f"{label:<34} {first:>16.3f} s {rss:>7.1f} MB {per_text:>7.3f} ms {model:>15.3f} s")


if __name__ == "__main__":
    main()
