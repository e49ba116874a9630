"""The web channel's parts on their own: rendering of replies, signing, the rate limiter,
the page's catalog keys, the settings and the `complaint-bot web` command."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from web_harness import need_browser

from bot.settings import Settings, SettingsProblem
from bot.web import render
from bot.web.app import BAR_COMMANDS, DRAFT_COMMANDS, MENU_COMMANDS
from bot.web.guard import RateLimiter
from bot.web.identity import Signer
from flows.catalog import Catalog
from flows.model import Document, DraftSheet, FormRow, Option, Reply, Section

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "bot" / "web"


SHEET = DraftSheet(
    number=3, title="Form",
    rows=(FormRow("Name", "Zhang"), FormRow("Phone", "138")),
    sections=(Section("text", "Text (12)", "I bought shoes."),
              Section("evidence", "Evidence", "- receipt\n\n- photos"),
              Section("next_steps", "Next", "1. file it"),
              Section("fraud", "", "Fraud warning")),
    document=Document("d.txt", "whole"))


def test_the_draft_folds_into_one_card_with_the_fraud_warning_and_the_buttons() -> None:
    replies = [Reply("done"),
               Reply("intro", options=(Option("c:status", "status"),), token="7", part="draft",
                     sheet=SHEET)]
    shown = render.bubbles(replies, draft_number=3)
    assert [b["kind"] for b in shown] == ["message", "draft"]
    card = shown[1]
    assert card["draft"] == 3 and card["fraud"] == "Fraud warning"
    assert card["options"] == [["c:status", "status"]] and card["token"] == "7"


def test_the_draft_page_keeps_sections_in_order_with_the_fraud_warning_apart() -> None:
    view = render.draft_view(SHEET)
    assert view.title == "Form" and view.fields == [("Name", "Zhang"), ("Phone", "138")]
    assert view.texts[0].body == "I bought shoes." and view.texts[0].count == 15
    assert [b.section for b in view.blocks] == ["evidence", "next_steps"]
    assert view.blocks[0].lines == ("- receipt", "- photos")
    assert view.fraud == "Fraud warning" and view.document == "whole"


def test_signed_cookies_and_csrf_tokens() -> None:
    signer = Signer(b"x" * 32)
    user = signer.new_user_id()
    assert user != signer.new_user_id()
    assert signer.read_cookie(signer.cookie_value(user)) == user
    value = signer.cookie_value(user)
    assert signer.read_cookie(value[:-1] + ("A" if value[-1] != "A" else "B")) is None
    assert signer.read_cookie(Signer(b"y" * 32).cookie_value(user)) is None
    assert signer.read_cookie(None) is None and signer.read_cookie("garbage") is None
    assert signer.csrf_ok(user, signer.csrf_token(user))
    assert not signer.csrf_ok(user, signer.csrf_token(signer.new_user_id()))
    assert not signer.csrf_ok(user, None)
    assert signer.csrf_token(user) not in signer.cookie_value(user)


def test_rate_limiter_refills_over_time_and_keeps_keys_apart() -> None:
    now = [0.0]
    limiter = RateLimiter(burst=2, per_second=1.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")
    now[0] += 1.0
    assert limiter.allow("a") and not limiter.allow("a")


def test_every_page_text_the_web_channel_names_is_in_the_catalog(catalog: Catalog) -> None:
    named: set[str] = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        named |= {key for key in re.findall(r"""t\(\s*["'](web\.[a-z_.]+|privacy\.text)["']""",
                                            text) if not key.endswith(".")}
    named |= {f"web.command.{name}" for name in (*BAR_COMMANDS, *MENU_COMMANDS, *DRAFT_COMMANDS)}
    for prefix in ("forbidden", "not_found", "too_large", "rate", "failed"):
        named |= {f"web.{prefix}.title", f"web.{prefix}.text"}
    missing = sorted(key for key in named if not catalog.has(key))
    assert not missing, missing
    assert len(named) > 40


def test_web_secret_is_required_and_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_SECRET", raising=False)
    with pytest.raises(SettingsProblem, match="WEB_SECRET is not set"):
        Settings().web_signing_secret()
    with pytest.raises(SettingsProblem, match="too short"):
        Settings(web_secret="short").web_signing_secret()
    settings = Settings(web_secret="s" * 40)
    assert settings.web_signing_secret() == b"s" * 40
    assert (settings.web_listen, settings.web_port) == ("127.0.0.1", 8080)


def test_the_web_command_without_a_secret_says_what_to_fix(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEB_")}
    env["DATABASE_PATH"] = str(tmp_path / "db.sqlite3")
    done = subprocess.run([sys.executable, "-c", "from bot.cli import main; main(['web'])"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "complaint-bot web: WEB_SECRET is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_web_command_on_a_busy_port_says_what_to_fix(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "WEB_SECRET": "s" * 40, "WEB_PORT": str(port),
               "WEB_LISTEN": "127.0.0.1", "DATABASE_PATH": str(tmp_path / "db.sqlite3")}
        done = subprocess.run([sys.executable, "-c", "from bot.cli import main; main(['web'])"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"complaint-bot web: cannot listen on 127.0.0.1:{port}" in done.stderr


def test_browser_tests_skip_without_chromium_but_fail_under_ci(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = tmp_path / "chromium"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        need_browser(absent)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI"):
        need_browser(absent)
