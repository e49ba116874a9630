"""`complaint-bot analyze` end to end, through a real subprocess, plus the wire format."""

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.analyze_command import run_analyze
from flows.understanding.themes import one_tap_probability

COMMAND = [str(Path(sys.executable).parent / "complaint-bot"), "analyze", "--today", "2025-10-20"]


def run_cli(lines: list[str]) -> list[dict]:
    completed = subprocess.run(COMMAND, input="\n".join(lines) + "\n", capture_output=True,
                               text=True, encoding="utf-8", timeout=60, check=True)
    return [json.loads(line) for line in completed.stdout.splitlines()]


def test_cli_reads_json_lines_and_survives_bad_lines():
    lines = [
        json.dumps({"text": "10月1号在三里屯那家耐克买了双跑鞋，1299元，穿了一周就开胶了，要求退货退款。"},
                   ensure_ascii=False),
        "this is not json",
        "",
        json.dumps({"text": ""}),
        json.dumps({"note": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "航班延误了六个小时，航空公司不给任何补偿"}, ensure_ascii=False),
    ]
    results = run_cli(lines)
    assert len(results) == 6  # the blank line is skipped
    first = results[0]
    assert first["themes"][0] == {"name": "商品质量", "score": first["themes"][0]["score"],
                                  "probability": first["themes"][0]["probability"], "keywords": ["开胶"]}
    assert len(first["themes"]) == 7
    assert first["out_of_scope"] is None
    assert first["facts"] == {
        "date": "2025-10-01", "amount": 1299.0, "business": "耐克三里屯店", "product": "跑鞋",
        "channel": "线下", "platform": None, "order_number": None, "district": "朝阳区",
        "demands": ["退货退款"], "contacted_business": None,
    }
    assert all(set(result) == {"error"} for result in results[1:5])
    assert results[5]["out_of_scope"] == {"agency": "民航服务质量监督电话", "hotline": "12326"}


def test_run_analyze_writes_one_line_per_input_line():
    stdin = io.StringIO('{"text": "在淘宝买的衣服掉色，卖家不理人"}\n{"text": 5}\n')
    stdout = io.StringIO()
    assert run_analyze(stdin, stdout, today=date(2025, 10, 20)) == 0
    first, second = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert first["facts"]["platform"] == "淘宝"
    assert first["facts"]["channel"] == "网购"
    assert "error" in second


def test_each_theme_carries_its_probability_and_the_offer_follows_the_threshold():
    texts = [
        "在淘宝买的面膜说能祛斑美白，用了一个月一点效果都没有，完全是虚假宣传，要求退款。",
        "健身房突然关门跑路了，卡里还有3000元没用完，老板电话打不通。",
        "买的车开了半年，我觉得还行吧，想问问别的。",
    ]
    stdin = io.StringIO("".join(json.dumps({"text": text}, ensure_ascii=False) + "\n" for text in texts))
    stdout = io.StringIO()
    run_analyze(stdin, stdout, today=date(2025, 10, 20))
    threshold = one_tap_probability()
    for line in stdout.getvalue().splitlines():
        result = json.loads(line)
        probabilities = [theme["probability"] for theme in result["themes"]]
        assert abs(sum(probabilities) - 1.0) < 0.01
        assert probabilities == sorted(probabilities, reverse=True)
        names = [theme["name"] for theme in result["themes"]]
        assert result["shortlist"] == names[:len(result["shortlist"])]
        assert len(result["shortlist"]) in (2, 3)
        if result["one_tap"]:
            assert probabilities[0] >= threshold
    first, second, _ = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert first["themes"][0]["name"] == "虚假宣传"
    assert second["themes"][0]["name"] == "合同纠纷"
