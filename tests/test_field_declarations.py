"""A question is one declaration: adding one needs its `Field` and its catalog entries, and it
then appears in the interview, the edit summary, the draft and the pre-fill."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Chat
from test_draft_rules import SHOES

from flows import fields
from flows.catalog import Catalog
from flows.fields import FIELDS, Field, fact, row, text_reader
from flows.insight import Fact, Insight


def test_every_field_is_placed_in_the_form_or_says_where_it_goes() -> None:
    for spec in FIELDS.values():
        placed = [kind for kind in spec.kinds if spec.form.row(kind) is not None]
        assert placed or spec.form.elsewhere, f"{spec.name} is in no form and says not why"


def test_every_field_has_its_sentences(catalog: Catalog) -> None:
    for spec in FIELDS.values():
        for part in ("label", "prompt"):
            assert catalog.has(f"field.{spec.name}.{part}"), f"field.{spec.name}.{part}"


def test_form_rows_are_unique_per_kind() -> None:
    for kind in ("complaint", "report"):
        rows = [spec.form.row(kind) for spec in FIELDS.values() if spec.form.row(kind)]
        assert len(rows) == len(set(rows)), kind


INVOICE = Field("invoice_number", text_reader(4, 30), optional=True, prefill=fact("invoice"),
                form=row(complaint=155))


@pytest.fixture
def with_invoice(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> Catalog:
    """The declaration and its three sentences, and nothing else."""
    position = fields.ORDER.index("order_number") + 1
    declared = (*fields._FIELD_LIST[:position], INVOICE, *fields._FIELD_LIST[position:])
    monkeypatch.setattr(fields, "_FIELD_LIST", declared)
    monkeypatch.setitem(FIELDS, "invoice_number", INVOICE)
    entries = {key: catalog.text(key) for key in catalog}
    entries.update({"field.invoice_number.label": "发票号码",
                    "field.invoice_number.prompt": "发票号码是多少？",
                    "field.invoice_number.hint": "在发票右上角。"})
    return Catalog("zh_CN", entries)


def invoice_read(text: str, today: date) -> Insight:
    return Insight(facts={"invoice": Fact("FP20261001", 0.9)})


def test_a_new_question_needs_only_its_declaration(with_invoice: Catalog) -> None:
    chat = Chat(with_invoice, understand=invoice_read)
    chat.say("/new")
    online = {**SHOES, "channel": "网上买的", "platform": "京东", "order_number": "JD123456"}
    asked = chat.fill(online, until="invoice_number")
    assert chat.field == "invoice_number", asked
    assert "FP20261001" in chat.text, "pre-filled from the account"
    chat.press("✓ 对")
    chat.fill(online)
    assert chat.draft.finished
    assert {row.label: row.value for row in chat.sheet.rows}["发票号码"] == "FP20261001"
    chat.say("修改")
    assert "发票号码：FP20261001" in chat.text, "in the edit summary"
