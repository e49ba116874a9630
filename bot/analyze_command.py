"""`complaint-bot analyze`: JSON Lines in, one JSON object of themes and facts out per line.

Each input line is an object with a "text" field; each output line carries the themes (best
first, with display names from the catalog, each with its calibrated probability), whether
the top theme is sure enough to be offered as one tap (`one_tap`), the two or three themes
offered otherwise (`shortlist`), an out-of-scope referral (agency and hotline) or null, and
the facts found, with display strings where the form shows them. A line that cannot be read
gets {"error": …} and the run goes on; blank lines are skipped. A line longer than
MAX_LINE_CHARS is not read at all (only skipped through), JSON nested too deeply is an error
of its line, and a text longer than MAX_TEXT_CHARS is refused rather than analysed for minutes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any, TextIO

from flows.catalog import Catalog, load_catalog
from flows.insight import Insight, Understand
from flows.language import language_for
from flows.vocabulary import OUT_OF_SCOPE_TOPICS

# Until the catalog has demand.<code> keys; the catalog wins once it has them.
DEMAND_NAMES = {
    "return_refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
    "refund": "退款",
    "compensation": "赔偿",
    "other": "其他",
}
CHANNEL_NAMES = {"store": "线下", "online": "网购"}
# A complaint with its whole story is a few thousand characters; JSON escaping can make a
# line six times longer than its text.
MAX_TEXT_CHARS = 20_000
MAX_LINE_CHARS = 6 * MAX_TEXT_CHARS + 1_000

log = logging.getLogger(__name__)


def demand_name(catalog: Catalog, code: str) -> str:
    return catalog.maybe(f"demand.{code}") or DEMAND_NAMES.get(code, code)


def insight_to_json(insight: Insight, catalog: Catalog) -> dict[str, Any]:
    """The wire form of an Insight: display names, ISO dates, null for facts not found."""
    facts = insight.facts

    def value(key: str) -> Any:
        fact = facts.get(key)
        return fact.value if fact else None

    purchase_date = value("purchase_date")
    channel = value("channel")
    referral = insight.out_of_scope
    return {
        "themes": [
            {"name": catalog.text(f"theme.{score.theme}"), "score": score.score,
             "probability": None if score.probability is None else round(score.probability, 3),
             "keywords": list(score.keywords)}
            for score in insight.themes
        ],
        "one_tap": insight.one_tap,
        "shortlist": [catalog.text(f"theme.{theme}") for theme in insight.theme_shortlist],
        "out_of_scope": None if referral is None else {
            "agency": catalog.text(f"scope.{referral.topic}.agency"),
            "hotline": OUT_OF_SCOPE_TOPICS[referral.topic],
        },
        "facts": {
            "date": purchase_date.isoformat() if purchase_date else None,
            "amount": value("amount"),
            "business": value("business_name") or value("store_name"),
            "product": value("product"),
            "channel": CHANNEL_NAMES.get(channel) if channel else None,
            "platform": value("platform"),
            "order_number": value("order_number"),
            "district": value("district"),
            "demands": [demand_name(catalog, code) for code in value("demands") or []],
            "contacted_business": value("contacted"),
        },
    }


def _read_text(line: str) -> str:
    """The "text" of one input line; ValueError with a short reason when there is none."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg}") from error
    except RecursionError:
        raise ValueError("not valid JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing or empty 'text' field")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"'text' is longer than {MAX_TEXT_CHARS} characters")
    return text


def _lines(stdin: TextIO, limit: int) -> Iterator[str | None]:
    """Each line of `stdin`, or None for a line longer than `limit` (read through in
    pieces, never held whole)."""
    while True:
        line = stdin.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n"):
            yield line
            continue
        while (rest := stdin.readline(limit)) and not rest.endswith("\n"):
            pass
        yield None


def _analyze_line(line: str, today: date, catalog: Catalog,
                  understand: Understand) -> dict[str, Any]:
    try:
        return insight_to_json(understand(_read_text(line), today), catalog)
    except ValueError as error:
        return {"error": str(error)}
    except Exception as error:  # one strange text must not end the run for all the others
        log.exception("could not analyse a line")
        return {"error": f"could not analyse this text ({type(error).__name__})"}


def run_analyze(stdin: TextIO, stdout: TextIO, today: date, locale: str = "zh_CN") -> int:
    """Analyse every line of `stdin` with the analyzer of `locale` (the bot's DEFAULT_LOCALE);
    returns the process exit code (0: all lines read)."""
    catalog = load_catalog(locale)
    understand = language_for(locale).understand
    for line in _lines(stdin, MAX_LINE_CHARS):
        if line is None:
            result: dict[str, Any] = {"error": f"line longer than {MAX_LINE_CHARS} characters"}
        elif not line.strip():
            continue
        else:
            result = _analyze_line(line, today, catalog, understand)
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
