"""The terminal chat driven through a pipe, as a newcomer or a script would use it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import in_engine_order, read_until
from standard_conversation import ANSWERS

from flows.catalog import load_catalog

COMMAND = [str(Path(sys.executable).parent / "complaint-bot"), "chat"]

# The lines a person types, in the order the engine asks.
GUIDE_EXAMPLE = in_engine_order(ANSWERS, load_catalog("zh_CN"))


def chat(database: Path, lines: list[str], user: str | None = None) -> str:
    env = {**os.environ, "DATABASE_PATH": str(database)}
    command = COMMAND + (["--user", user] if user else [])
    result = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_a_whole_complaint_through_a_pipe(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    out = chat(database, [*GUIDE_EXAMPLE, "/status"])
    draft = out[out.index("【一、表单信息】"):]
    for expected in ("2025年10月1日", "1299元", "某某品牌北京三里屯店", "开胶",
                     "退货退款，并赔偿交通费200元", "必填内容都齐了，可以提交"):
        assert expected in draft, expected
    assert "✗" not in draft
    fraud = draft.index("【防骗提醒】")
    assert draft.index("【下一步】") < fraud
    assert "#1 · " in out[fraud:] and "已写好，未提交" in out[fraud:], "/status lists the draft"


def test_drafts_are_kept_between_runs_and_per_user(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    chat(database, in_engine_order(ANSWERS, load_catalog("zh_CN"), until="credit_code"))
    again = chat(database, ["/status", "继续"])
    assert "未写完" in again and "北京某某体育用品有限公司" in again
    assert "统一社会信用代码" in again.split("继续")[-1], "continues with the next question"
    other = chat(database, ["/status"], user="someone-else")
    assert "北京某某体育用品有限公司" not in other


def test_wrong_answer_is_explained_and_quit_keeps_everything(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    out = chat(database, ["1", "1", "我买的东西坏了，商家不给退款也不给换", "北京某某商贸有限公司",
                          "北京市东城区某某路1号", "跳过", "东城区", "2", "7", "京东", "跳过",
                          "羽绒服", "下个礼拜", "/quit", "这一行不会被读到"])
    assert "没看懂这个日期" in out
    assert "再见" in out
    resumed = chat(database, ["继续"])
    assert "是哪天买的" in resumed.split("继续")[-1]


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_killed_in_the_middle_it_resumes_at_the_same_question(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    env = {**os.environ, "DATABASE_PATH": str(database)}
    process = subprocess.Popen(COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdin is not None and process.stdout is not None
    for line in in_engine_order(ANSWERS, load_catalog("zh_CN"), until="business_address"):
        process.stdin.write(line + "\n")
    process.stdin.flush()
    seen = read_until(process.stdout, "商家的经营地址是", 60)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert "商家的经营地址是" in seen
    resumed = chat(database, ["继续"])
    assert "商家的经营地址是" in resumed.split("继续")[-1]
    assert "北京某某体育用品有限公司" in chat(database, ["修改"])
