"""Measures the composed complaint text (投诉内容) check by check.

Two populations:
  - the composition set tests/data/compose_cases.jsonl (answers + account per case);
  - 500 accounts from ../shared/data/ (rows not in the set, seeded sample) run through the
    whole interview with `flows.engine.step` and the analyzer, by a driver that answers by
    field name whatever question comes and accepts every pre-fill, then `compose` on the
    answers the interview produced.
The interview is run twice: with today's pre-fill of "what went wrong" (the whole account)
and with the pre-fills this package provides (`problem_from_account`,
`response_from_account`), as the interview will offer them once wired in. For comparison,
the same checks are run on the text flows/draft.py writes today for the first run's drafts.

    .venv/bin/python bench/compose.py [--accounts 500] [--show CHECK]

--show CHECK prints the texts that fail that check.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from composition_set import load_cases, run, source_count, source_row  # noqa: E402

from flows.actions import Keep, UseSuggested, encode  # noqa: E402
from flows.catalog import Catalog, load_catalog  # noqa: E402
from flows.composition import problem_from_account, response_from_account  # noqa: E402
from flows.composition.checks import CHECKS, check  # noqa: E402
from flows.context import Context  # noqa: E402
from flows.draft import complaint_text  # noqa: E402
from flows.engine import step  # noqa: E402
from flows.model import Asking, Choice, Confirming, Draft, Input, Session, Text  # noqa: E402
from flows.understanding import analyze  # noqa: E402

SOURCES = (("car-complaints-315che.csv", 400), ("shopping-reviews-negative.csv", 100))
MAX_TURNS = 120

# What the driver types for each question it has no pre-fill for (by field name).
TYPED: dict[str, str] = {
    "kind": "投诉", "for_whom": "为本人投诉", "business_address": "北京市朝阳区某某路1号",
    "credit_code": "跳过", "district": "朝阳区", "order_number": "跳过", "theme": "商品质量",
    "compensation": "交通费200元", "demand_other": "退还剩余费用", "evidence": "购物凭证",
    "reuse_profile": "重新填写", "complainant_name": "张某某", "complainant_phone": "13912345678",
    "complainant_address": "北京市朝阳区某某小区1号楼101", "contact_result": "商家没有解决",
}


# What is typed instead when the source's own value is refused: a few car rows hold the
# dealer's address where its name belongs ("江苏省苏州市昆山市庆丰西路379号").
REFUSED_DEFAULT: dict[str, str] = {"business_name": "某某汽车销售服务有限公司",
                                   "store_name": "某某品牌4S店"}


def _reply_token(replies: list) -> str | None:
    return next((r.token for r in reversed(replies) if r.token), None)


def interview(account: str, account_date: date, defaults: dict[str, Any], catalog: Catalog,
              own_prefill: bool) -> Draft | None:
    """The finished draft of an interview driven by field name, or None if it got stuck."""
    now = datetime.combine(account_date, time(10, 0))
    ctx = Context(catalog, now, analyze)
    session = Session(user_id="bench")
    outcome = step(session, Text("/start"), ctx)
    session, replies = outcome.session, outcome.replies
    asked: dict[str, int] = {}
    for _ in range(MAX_TURNS):
        draft = session.active_draft()
        if draft is not None and draft.finished:
            return draft
        state = session.dialog.state
        token = _reply_token(replies)
        event: Input
        if isinstance(state, Confirming):
            event = Choice(replies[-1].options[0].value, token)
        elif isinstance(state, Asking) and state.pending is not None:
            event = Choice(encode(Keep()), token)
        elif isinstance(state, Asking) and draft is not None:
            name = state.field
            asked[name] = asked.get(name, 0) + 1
            if asked[name] > 3:
                return None
            event = _answer(name, draft.answers, draft.suggestions, account, account_date,
                            defaults, catalog, own_prefill, asked[name] > 1, token)
        else:
            return None
        outcome = step(session, event, ctx)
        session, replies = outcome.session, outcome.replies
    return None


def _answer(name: str, answers: dict[str, Any], suggestions: dict[str, Any], account: str,
            account_date: date, defaults: dict[str, Any], catalog: Catalog, own_prefill: bool,
            again: bool, token: str | None) -> Input:
    if name == "discovered_on":  # an old purchase: the problem is taken as found when written
        return Text(account_date.isoformat())
    if name == "narrative":  # a too short account is told again with the problem added
        return Text((f"{account}，{defaults['problem']}" if again else account)[:2000])
    if own_prefill and name == "problem":
        text = problem_from_account(account, answers, account_date, catalog=catalog)
        return Text((text or defaults["problem"])[:1500])
    if own_prefill and name == "contact_result":
        text = response_from_account(account, answers, account_date, catalog=catalog)
        return Text((text or TYPED["contact_result"])[:500])
    if own_prefill and name == "contacted":
        said = response_from_account(account, answers, account_date, catalog=catalog)
        return Text("联系过了" if said else "还没联系")
    if name in suggestions and not again:
        return Choice(encode(UseSuggested()), token)
    if name == "problem":
        return Text(account[:1500] if not again else defaults["problem"])
    if name == "contacted":
        return Text("还没联系")
    if name in defaults and not (again and name in REFUSED_DEFAULT):
        return Text(str(defaults[name]))
    return Text(TYPED.get(name) or REFUSED_DEFAULT[name])


def _defaults(name: str, row: int, account_date: date) -> dict[str, Any]:
    source = source_row(name, row)
    car = name.startswith("car")
    bought = account_date - timedelta(days=180)
    return {
        "business_name": source.defaults["business_name"] if car else "某某专营店",
        "store_name": source.defaults["business_name"] if car else "某某专营店",
        "channel": "在实体店买的" if car else "网上买的", "platform": "京东",
        "product": source.defaults["product"][:50],
        "purchase_date": f"{bought.year}年{bought.month}月{bought.day}日",
        "amount": "158000" if car else "299", "demands": "维修" if car else "退货退款",
        "problem": source.defaults.get("title") or "商品有质量问题",
    }


def accounts(count: int, excluded: set[tuple[str, int]]) -> list[tuple[str, int]]:
    rng = random.Random(2026)
    picked = []
    for name, share in SOURCES:
        rows = [row for row in range(source_count(name)) if (name, row) not in excluded]
        picked += [(name, row) for row in rng.sample(rows, round(share * count / 500))]
    return picked


def rates(results: list[dict[str, bool]]) -> dict[str, float]:
    return {name: sum(r[name] for r in results) / len(results) for name in CHECKS}


def print_lengths(columns: dict[str, list[int]]) -> None:
    """How long the full texts are, and how many needed the 400-character version."""
    for label, lengths in columns.items():
        ordered = sorted(lengths)
        over = sum(length > 400 for length in lengths)
        print(f"{label}: median full text {ordered[len(ordered) // 2]} characters, "
              f"{over} of {len(lengths)} longer than 400")


def print_table(title: str, columns: dict[str, list[dict[str, bool]]]) -> None:
    print(f"\n{title}")
    print("| check | " + " | ".join(f"{k} ({len(v)})" for k, v in columns.items()) + " |")
    print("|---|" + "---|" * len(columns))
    table = {k: rates(v) for k, v in columns.items()}
    for name in CHECKS:
        print(f"| {name} | " + " | ".join(f"{table[k][name] * 100:.1f} %" for k in columns) + " |")
    print("| all checks | " + " | ".join(
        f"{sum(all(r.values()) for r in v) / len(v) * 100:.1f} %" for v in columns.values()) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--show", choices=CHECKS)
    args = parser.parse_args()
    catalog = load_catalog("zh_CN")
    cases = load_cases(catalog)
    set_results = [run(case, catalog)[1] for case in cases]
    real = [r for case, r in zip(cases, set_results, strict=True) if case.rule.startswith("real")]
    rule = [r for case, r in zip(cases, set_results, strict=True)
            if not case.rule.startswith("real")]
    print_table("Composition set (development figures: the word lists were tuned on it)",
                {"all cases": set_results, "real texts": real, "rule cases": rule})
    excluded = {(c.source_file, c.source_row) for c in cases if c.source_file}
    columns: dict[str, list[dict[str, bool]]] = {}
    lengths: dict[str, list[int]] = {}
    stuck: dict[str, int] = {}
    # The interview's pre-fills are this package's (problem_from_account and
    # response_from_account); `own` also types them where the interview has none.
    for label, own in (("the interview's pre-fills", False), ("typed from the account", True)):
        results, stuck[label], lengths[label] = [], 0, []
        for name, row in accounts(args.accounts, excluded):
            source = source_row(name, row)
            draft = interview(source.account, source.account_date,
                              _defaults(name, row, source.account_date), catalog, own)
            if draft is None:
                stuck[label] += 1
                continue
            answers = dict(draft.answers)
            result = complaint_text(draft, catalog, source.account_date)
            outcome = check(result, answers, catalog)
            results.append(outcome)
            lengths[label].append(len(result.full))
            _show(args.show, outcome, f"{name}:{row}", result.full, result.short)
        columns[label] = results
    print_table(f"{args.accounts} accounts through the whole interview, pre-fills accepted "
                f"(unfinished: {stuck})", columns)
    print_lengths(lengths)


def _show(check_name: str | None, outcome: dict[str, bool], where: str, full: str,
          short: str) -> None:
    if check_name and not outcome[check_name]:
        print(f"--- {where} fails {check_name}\n{full}\nshort ({len(short)}): {short}")



if __name__ == "__main__":
    main()
