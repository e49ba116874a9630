"""The composition test set: cases of answers + account → checks on the composed text.

A case (one line of tests/data/compose_cases.jsonl) either names a real text in
../shared/data/ by file and data-row position (the text is read from there, never copied
into the repository) or carries an account written for a rule. The answers are what the
interview would hold: the analyzer's pre-fills of the account, the problem and the business's
response pre-filled by flows.composition, defaults for what the account does not say, then
the case's own answers. See tests/data/COMPOSE_README.md.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from flows.catalog import Catalog
from flows.composition import compose, problem_from_account, response_from_account
from flows.composition.checks import check
from flows.composition.compose import ComplaintText
from flows.context import Context
from flows.fields import FROM_ACCOUNT, prefills
from flows.understanding import analyze

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
CASES = ROOT / "tests" / "data" / "compose_cases.jsonl"
DEFAULT_DAY = date(2026, 11, 28)

# Personal data a case may add to its account, with the form's own values for it.
PERSONAL = {
    "complainant_name": "刘洋",
    "complainant_phone": "13600001111",
    "complainant_address": "北京市大兴区旧宫镇某某小区3号楼2单元501",
}
PERSONAL_SENTENCES = (
    "我叫刘洋 电话13600001111 住大兴区旧宫镇某某小区3号楼2单元501",
    "本人刘洋，手机号：136-0000-1111，身份证号110101199003071234。",
    "退款请打到我的银行卡6222 0212 3456 7890 123，联系电话13600001111。",
    "我家住北京市大兴区旧宫镇某某小区3号楼2单元501，有事打010-62345678或发邮件liuyang@example.com",
    "姓名刘洋，身份证11010119900307123X，银行卡号6222021234567890123",
)
PERSONAL_VALUES = ("刘洋", "13600001111", "136-0000-1111", "110101199003071234",
                   "11010119900307123X", "6222021234567890123", "6222 0212 3456 7890 123",
                   "010-62345678", "liuyang@example.com", "旧宫镇某某小区")


class SourceMissing(RuntimeError):
    """The real texts in ../shared/data/ are not there."""


@dataclass(frozen=True)
class SourceRow:
    account: str
    account_date: date
    defaults: dict[str, Any]


@cache
def _rows(name: str) -> list[dict[str, str]]:
    path = SHARED_DATA / name
    if not path.is_file():
        raise SourceMissing(f"{path} is missing: the composition set reads real texts from "
                            "../shared/data/ relative to the repository root")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def source_row(name: str, row: int) -> SourceRow:
    """Data row `row` (0-based, after the header) of a file in ../shared/data/."""
    record = _rows(name)[row]
    if name.startswith("car-complaints"):
        filed = _filed_on(record["投诉时间"])
        dealer = record["经销商"] if len(record["经销商"]) >= 4 else "某某汽车销售服务有限公司"
        return SourceRow(record["投诉明细"], filed, {
            "product": f"{record['品牌']}{record['车型']}",
            "business_name": dealer, "store_name": dealer,
            "title": record["诉求问题(标题)"], "channel": "store", "amount": 158000.0,
            "demands": ["repair"], "theme": "quality"})
    return SourceRow(record["review"], DEFAULT_DAY, {
        "product": record["cat"], "business_name": "某某专营店", "channel": "online",
        "platform": "京东", "amount": 299.0, "demands": ["return_refund"], "theme": "quality"})


def _filed_on(stamp: str) -> date:
    """The day a complaint was filed: '2020-6-16 21:50:51' or 'May 29, 2020 12:18:06 PM'."""
    for pattern, text in (("%Y-%m-%d", stamp.split()[0]), ("%b %d, %Y", stamp.rsplit(" ", 2)[0])):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {stamp!r}")


def source_count(name: str) -> int:
    return len(_rows(name))


@dataclass
class Case:
    id: str
    rule: str
    answers: dict[str, Any]
    account: str
    account_date: date
    personal: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    short_contains: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    source_file: str = ""
    source_row: int = -1


def interview_answers(account: str, account_date: date, defaults: dict[str, Any],
                      catalog: Catalog) -> dict[str, Any]:
    """The answers an interview would hold after the user accepts every pre-fill."""
    answers: dict[str, Any] = {
        "kind": "complaint", "for_whom": "self", "business_address": "北京市朝阳区某某路1号",
        "district": "北京市朝阳区", "evidence": ["receipt", "photos"],
        "purchase_date": (account_date - timedelta(days=180)).isoformat(),
        "complainant_name": "张某某", "complainant_phone": "13912345678",
        "complainant_address": "北京市朝阳区某某小区1号楼101"}
    answers.update({k: v for k, v in defaults.items() if k != "title"})
    ctx = Context(catalog, datetime.combine(account_date, datetime.min.time()))
    facts = prefills(analyze(account, account_date), account, ctx, leave_out=FROM_ACCOUNT)
    # Names and the price the user takes from the licence or receipt when the case gives
    # them; the rest as the analyzer read it.
    answers.update({k: v for k, v in facts.items() if k != "contacted" and (
        k not in ("business_name", "store_name", "product", "amount") or k not in defaults)})
    if answers.get("channel") == "store":
        answers.setdefault("store_name", answers["business_name"])
    answers["problem"] = (problem_from_account(account, answers, account_date, catalog=catalog)
                          or defaults.get("title") or account)
    response = response_from_account(account, answers, account_date, catalog=catalog)
    answers["contacted"] = "yes" if response or facts.get("contacted") == "yes" else "no"
    if response:
        answers["contact_result"] = response
    return answers


def load_cases(catalog: Catalog) -> list[Case]:
    cases = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cases.append(build_case(json.loads(line), catalog))
    return cases


def build_case(raw: dict[str, Any], catalog: Catalog) -> Case:
    defaults: dict[str, Any] = {}
    if "source" in raw:
        row = source_row(raw["source"]["file"], raw["source"]["row"])
        account, account_date, defaults = row.account, row.account_date, dict(row.defaults)
    else:
        account = raw["account"]
        account_date = date.fromisoformat(raw.get("account_date", DEFAULT_DAY.isoformat()))
        defaults = {"business_name": "北京某某商贸有限公司", "channel": "store",
                    "amount": 100.0, "demands": ["return_refund"], "theme": "quality"}
    personal: tuple[str, ...] = ()
    if "personal" in raw:
        account = f"{account}{PERSONAL_SENTENCES[raw['personal']]}"
        defaults.update(PERSONAL)
        personal = PERSONAL_VALUES
    defaults.update(raw.get("defaults", {}))
    answers = interview_answers(account, account_date, defaults, catalog)
    answers.update(raw.get("answers", {}))
    source = raw.get("source", {})
    return Case(raw["id"], raw["rule"], answers, account, account_date, personal,
                tuple(raw.get("contains", ())), tuple(raw.get("short_contains", ())),
                tuple(raw.get("absent", ())), tuple(raw.get("findings", ())),
                source.get("file", ""), source.get("row", -1))


def run(case: Case, catalog: Catalog) -> tuple[ComplaintText, dict[str, bool]]:
    result = compose(case.answers, account=case.account, account_date=case.account_date,
                     today=case.account_date, catalog=catalog)
    return result, check(result, case.answers, catalog, case.personal)
