"""The `complaint-bot` command: one process entry point with a subcommand per channel or tool."""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="complaint-bot",
        description="Interview a consumer and draft a complaint for the 12315 platform.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="chat with the bot in this terminal (no token needed)")
    chat.add_argument("--user", default="local", help="whose drafts to use (default: local)")

    analyze = commands.add_parser(
        "analyze", help="read JSON Lines with a 'text' field, write themes and facts per line"
    )
    analyze.add_argument("--today", type=_parse_day, default=None, help="reference date")

    telegram = commands.add_parser(
        "telegram", help="serve the bot on Telegram (needs TELEGRAM_BOT_TOKEN; long polling)")
    telegram.add_argument(
        "--webhook", action="store_true",
        help="receive updates by webhook (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_LISTEN/PORT)")
    commands.add_parser(
        "web", help="serve the chat as a web page (needs WEB_SECRET; WEB_LISTEN/WEB_PORT)")
    commands.add_parser(
        "wechat", help="serve a WeChat official account's callback URL (needs WECHAT_TOKEN; "
        "WECHAT_LISTEN/WECHAT_PORT)")
    return parser


def _prepare_terminal() -> None:
    """Bytes on standard input that are not UTF-8 arrive as lone surrogates (the chat refuses
    such a line with a message) instead of ending the chat; logs are redacted."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")
    from bot.log_redaction import configure_logging
    from bot.settings import SettingsProblem, load_checked_settings

    try:
        settings = load_checked_settings()
    except SettingsProblem:
        return  # the chat reports it in one line
    configure_logging(settings.log_level, settings.secrets())


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.command == "chat":
        from bot.storage import StorageError
        from bot.terminal import run_terminal_chat

        _prepare_terminal()
        try:
            sys.exit(run_terminal_chat(user=args.user))
        except StorageError as error:
            print(f"complaint-bot: {error}", file=sys.stderr)
            sys.exit(1)
    if args.command == "analyze":
        from bot.analyze_command import run_analyze
        from bot.service import beijing_now
        from bot.settings import SettingsProblem, load_checked_settings

        try:
            locale = load_checked_settings().default_locale
        except SettingsProblem as problem:
            print(f"complaint-bot analyze: {problem}", file=sys.stderr)
            sys.exit(2)
        today = args.today or beijing_now().date()  # the users' day, whatever the server's
        sys.exit(run_analyze(sys.stdin, sys.stdout, today=today, locale=locale))
    if args.command == "telegram":
        from bot.telegram import STARTUP_ERRORS, run_telegram

        try:
            sys.exit(run_telegram(webhook=args.webhook))
        except STARTUP_ERRORS as error:
            # One line that says what to fix; a traceback would only hide it.
            print(f"complaint-bot telegram: {error}", file=sys.stderr)
            sys.exit(1)
    if args.command == "web":
        from bot.settings import SettingsProblem
        from bot.web.server import run_web

        try:
            sys.exit(run_web())
        except SettingsProblem as problem:
            print(f"complaint-bot web: {problem}", file=sys.stderr)
            sys.exit(1)
    if args.command == "wechat":
        from bot.settings import SettingsProblem
        from bot.wechat.server import run_wechat

        try:
            sys.exit(run_wechat())
        except SettingsProblem as problem:
            print(f"complaint-bot wechat: {problem}", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
