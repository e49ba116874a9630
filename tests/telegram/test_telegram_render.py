"""How replies are laid out for Telegram, without a server: splitting, buttons, the draft."""

from __future__ import annotations

from telegram_harness import buttons

from bot.telegram_render import (
    MAX_CALLBACK_BYTES,
    OutDocument,
    OutText,
    callback_data,
    plan,
    read_callback,
    split_text,
)
from flows.model import Choice, Document, DraftSheet, FormRow, Option, Reply, Section


def test_long_texts_are_split_at_paragraphs_within_the_limit():
    paragraphs = [f"第{i}段。" + "字" * 900 for i in range(10)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text)
    assert all(len(piece) <= 4096 for piece in pieces)
    assert len(pieces) > 1
    assert all(piece.startswith("第") for piece in pieces), "each piece starts a paragraph"
    assert "\n\n".join(pieces) == text


def test_a_text_without_breaks_is_still_cut_within_the_limit():
    pieces = split_text("字" * 10000)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


def test_callback_data_round_trips_and_respects_64_bytes():
    data = callback_data("17", "a:朝阳区")
    assert data is not None and read_callback(data) == Choice("a:朝阳区", "17")
    assert read_callback(callback_data(None, "c:open:3")) == Choice("c:open:3", None)
    assert callback_data("1", "a:" + "很长" * 20) is None
    assert len((callback_data("123456", "e:complainant_address") or "").encode()) <= (
        MAX_CALLBACK_BYTES)
    assert read_callback("no separator") is None
    assert read_callback(None) is None


def test_sixteen_districts_sit_four_to_a_row(catalog):
    districts = ["东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区",
                 "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"]
    reply = Reply("哪个区？", options=tuple(Option(f"a:{d}", d) for d in districts),
                  token="5", part="question")
    [message] = plan([reply], catalog)
    assert isinstance(message, OutText) and message.markup is not None
    rows = message.markup["inline_keyboard"]
    assert [len(row) for row in rows] == [4, 4, 4, 4]
    assert rows[0][0] == {"text": "东城区", "callback_data": "5|a:东城区"}


def test_the_draft_is_laid_out_for_copying_and_forwarding(catalog):
    sheet = DraftSheet(
        number=1, title="【一、表单信息】",
        rows=(FormRow("被投诉方名称", "北京某某有限公司"), FormRow("太长", "长" * 300)),
        sections=(Section("text", "【二、投诉内容】共 10 字：", "我于某日购买了鞋。"),
                  Section("next_steps", "【下一步】", "提交。"),
                  Section("fraud", "", "【防骗提醒】不要转账。")),
        document=Document("12315投诉稿-1.txt", "全文"))
    reply = Reply("写完了。", options=(Option("c:status", "我的草稿"),), part="draft", sheet=sheet)
    out = plan([reply], catalog)
    assert len(out) == 3, "three messages: rows and the rest, the text alone, the file"
    fields, text, sent = out
    assert isinstance(fields, OutText) and fields.text.startswith("写完了。")
    assert "被投诉方名称：北京某某有限公司" in fields.text
    assert fields.text.endswith("【二、投诉内容】共 10 字："), "the text's title ends the first"
    assert "【下一步】\n提交。" in fields.text, "the rest of the draft follows the rows"
    assert fields.markup is not None
    copy = [b["copy_text"]["text"] for row in fields.markup["inline_keyboard"] for b in row
            if "copy_text" in b]
    assert copy == ["北京某某有限公司"], "values over 256 characters get no copy button"
    assert isinstance(text, OutText) and text.text == "我于某日购买了鞋。" and text.markup is None
    assert isinstance(sent, OutDocument) and sent.filename == "12315投诉稿-1.txt"
    assert sent.content == "全文".encode()
    assert sent.caption == "【防骗提醒】不要转账。", "the fraud warning is the last thing read"
    assert [b["text"] for b in buttons({"reply_markup": sent.markup})] == ["我的草稿"]
