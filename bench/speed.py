"""Start-up time, peak memory and per-text time of the analyzer, each in fresh processes.

Compares the shipped analyzer with a baseline, doing the same work, the two measured in
turn (baseline, shipped, baseline, shipped, …) so that load on a shared machine hits both
alike. The baseline is a previous theme model (`--baseline-model`, an exported JSON, e.g.
`git show <commit>:flows/understanding/data/theme_model.json > /tmp/previous.json`), or by
default jieba's default dictionary plus our domain words instead of the compact one:
  * start -> first text: wall time from launching the interpreter to the first Insight;
  * peak RSS: ru_maxrss of the child after all the work;
  * per text: median of REPETITIONS analyses of a typical ~150-character complaint;
  * of which the theme model: reading the exported classifier weights (part of start -> first).
Each figure is the median over RUNS fresh processes. The machine is shared: expect noise.

    .venv/bin/python bench/speed.py [--runs 5] [--repetitions 2000] [--baseline-model FILE]
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
mode, repetitions, text, model_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
from pathlib import Path
from flows.understanding import segmenter
if mode == "jieba-default":
    segmenter.use_jieba_default_dictionary()
from flows.understanding import analyze, theme_model
if model_file:
    theme_model.MODEL_FILE = Path(model_file)
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


def measure(mode: str, repetitions: int, model_file: str) -> dict[str, float]:
    launched = time.time()
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(repetitions), TYPICAL_COMPLAINT, model_file],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
    )
    result = json.loads(completed.stdout)
    result["first_text_s"] = result["first_done"] - launched
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repetitions", type=int, default=2000)
    parser.add_argument("--baseline-model", type=Path,
                        help="a previously exported theme model to compare with (default: compare dictionaries)")
    args = parser.parse_args()
    if args.baseline_model:
        variants = (("before: " + args.baseline_model.name, "compact", str(args.baseline_model.resolve())),
                    ("after: shipped theme model", "compact", ""))
    else:
        variants = (("before: jieba default + domain", "jieba-default", ""),
                    ("after: compact domain dictionary", "compact", ""))
    print(f"typical complaint: {len(TYPICAL_COMPLAINT)} characters; {args.runs} fresh processes "
          f"per variant, alternating; {args.repetitions} analyses each; medians")
    print(f"{'variant':<34} {'start->first text':>18} {'peak RSS':>10} {'per text':>10} "
          f"{'theme model load':>17}")
    results: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in variants}
    for _ in range(args.runs):
        for label, mode, model_file in variants:
            results[label].append(measure(mode, args.repetitions, model_file))
    for label, runs in results.items():
        first = statistics.median(run["first_text_s"] for run in runs)
        rss = statistics.median(run["peak_rss_mb"] for run in runs)
        per_text = statistics.median(run["median_ms"] for run in runs)
        model = statistics.median(run["model_load_s"] for run in runs)
        print(f"{label:<34} {first:>16.3f} s {rss:>7.1f} MB {per_text:>7.3f} ms {model:>15.3f} s")


if __name__ == "__main__":
    main()
