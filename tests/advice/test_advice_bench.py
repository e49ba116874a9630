"""bench/advice.py reads an evaluation set whose lines carry their text or only the data
file and row it comes from, and prints the firing table with examples."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_bench_reads_texts_inline_and_by_file_and_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_csv(data / "car-complaints-315che.csv", ["投诉时间", "投诉明细"], [
        ["2020-6-16 21:50:51", "新车提车一个月，发动机故障灯亮，4S店说是正常现象"],
        ["2020-6-17 10:00:00", "4S店卖给我的是库存车，销售隐瞒了出厂时间"],
    ])
    write_csv(data / "shopping-reviews-negative.csv", ["cat", "label", "review"], [
        ["水果", "0", "收到的苹果一半是烂的，吃了还拉肚子"],
        ["书籍", "0", "内容一般，不推荐"],
    ])
    eval_set = tmp_path / "eval.jsonl"
    eval_set.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in [
        {"text": "外卖里吃出了虫子，吃完拉肚子", "source": "written", "today": "2025-10-20"},
        {"source": "shopping", "row": 0, "today": "2018-01-01"},
        {"file": "car-complaints-315che.csv", "row": 0, "today": "2020-06-16"},
    ]) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "advice.py"), "--set", str(eval_set), "--data",
         str(data), "--sample", "2", "--examples", "3"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "| rule | source | eval set (3) | sample of ../shared/data (2) |" in done.stdout
    assert "| `health.see_doctor` | §11 | 2 (66.7 %)" in done.stdout
    assert "收到的苹果一半是烂的" in done.stdout  # looked up by source and row
