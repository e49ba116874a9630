"""`complaint-bot wechat` as a process: it says what to fix on a bad setting, and answers a
signed message on the configured port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
from conftest import read_until
from wechat_fake import TOKEN, FakeWeChat, free_port

from bot.wechat.protocol import parse_xml
from flows.catalog import Catalog

COMMAND = [sys.executable, "-c", "from bot.cli import main; main(['wechat'])"]


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("WECHAT_")}
    return {**env, "DATABASE_PATH": str(tmp_path / "db.sqlite3"), **settings}


def test_a_missing_or_malformed_setting_is_one_line(tmp_path: Path) -> None:
    missing = subprocess.run(COMMAND, capture_output=True, text=True, timeout=60, cwd=tmp_path,
                             env=environment(tmp_path))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "WECHAT_TOKEN" in missing.stderr
    bad_key = subprocess.run(COMMAND, capture_output=True, text=True, timeout=60, cwd=tmp_path,
                             env=environment(tmp_path, WECHAT_TOKEN=TOKEN,
                                             WECHAT_ENCODING_AES_KEY="short"))
    assert bad_key.returncode == 1 and "WECHAT_ENCODING_AES_KEY" in bad_key.stderr


def test_the_command_serves_the_callback_url(tmp_path: Path, catalog: Catalog) -> None:
    port = free_port()
    process = subprocess.Popen(
        COMMAND, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env=environment(tmp_path, WECHAT_TOKEN=TOKEN, WECHAT_PORT=str(port)))
    try:
        announced = read_until(process.stderr, "callback URL", seconds=30)
        assert f"127.0.0.1:{port}/wechat" in announced, announced
        wechat = FakeWeChat(f"http://127.0.0.1:{port}/wechat")
        check = httpx.get(wechat.callback_url, params={**wechat.signed_query(), "echostr": "ok1"},
                          timeout=5)
        assert (check.status_code, check.text) == (200, "ok1")
        body, query = wechat.envelope(wechat.message("oCli000000", "event", Event="subscribe"))
        reply = httpx.post(wechat.callback_url, params=query, content=body, timeout=5)
        assert reply.status_code == 200
        content = parse_xml(reply.content)["Content"]
        assert catalog.text("start.welcome").split("\n")[0] in content
    finally:
        process.terminate()
        process.wait(timeout=20)
