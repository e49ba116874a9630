"""A user who answers every question the way people type on a phone reaches a finished draft,
and is never told that the reply did not match an option."""

from __future__ import annotations

from conftest import Chat

NO_MATCH = "没对上选项"


def talk(chat: Chat, script: list[tuple[str, str]]) -> None:
    """Answer whatever the engine asks from the script (by field); every field is asked."""
    replies = dict(script)
    chat.say("/start")
    asked = []
    while chat.field is not None:
        field = chat.field
        assert field in replies, f"unexpected question {field}: {chat.text}"
        assert asked.count(field) < 2, f"{field} asked again: {chat.text}"
        asked.append(field)
        chat.say(replies[field])
        assert NO_MATCH not in chat.text, f"{field} {replies[field]!r}: {chat.text}"
        if chat.field and chat.state.pending:  # a warning to confirm (e.g. a high compensation)
            chat.say("对")
    assert set(asked) == set(replies), set(replies) - set(asked)


def test_a_sloppy_complaint_reaches_the_draft(chat: Chat) -> None:
    talk(chat, [
        ("kind", "投诉吧"),
        ("for_whom", "帮我妈投诉"),
        ("principal_name", "我妈叫王秀英"),
        ("principal_relation", "我妈"),
        ("narrative", "我妈上礼拜在楼下超市买的牛奶 回家一看过期了 老板还不认"),
        ("business_name", "上面写了 北京鲜丰便民超市有限公司"),
        ("business_address", "丰台区方庄芳城园一区3号楼底商"),
        ("credit_code", "没有"),
        ("district", "丰台"),
        ("channel", "超市买的"),
        ("store_name", "就叫鲜丰超市"),
        ("product", "一箱牛奶"),
        ("purchase_date", "上礼拜三"),
        ("amount", "六十九块"),
        ("problem", "牛奶过期了 喝了拉肚子"),
        ("theme", "过期"),
        ("contacted", "找过了"),
        ("contact_result", "老板说不是他家卖的"),
        ("demands", "退一赔十"),
        ("compensation", "赔一千"),
        ("evidence", "小票和照片 还有聊天记录"),
        ("complainant_name", "我叫王小明"),
        ("complainant_phone", "手机 138 1234 5678"),
        ("complainant_address", "住址是丰台区方庄芳城园一区"),
    ])
    draft = chat.draft
    assert draft.finished, chat.text
    assert draft.answers["purchase_date"] == "2026-11-18"
    assert draft.answers["amount"] == 69
    assert draft.answers["demands"] == ["return_refund", "compensation"]
    assert draft.answers["evidence"] == ["receipt", "photos", "messages"]
    assert draft.answers["business_name"] == "北京鲜丰便民超市有限公司"


def test_a_sloppy_report_reaches_the_draft(chat: Chat) -> None:
    talk(chat, [
        ("kind", "举报"),
        ("narrative", "小区门口有个卖烟酒的小店 没有营业执照 还卖假酒"),
        ("business_name", "叫老李烟酒"),
        ("business_address", "朝阳区望京西园三区底商"),
        ("credit_code", "不涉及"),
        ("district", "望京"),
        ("channel", "线下"),
        ("store_name", "老李烟酒"),
        ("product", "白酒"),
        ("purchase_date", "星期五"),
        ("report_amount", "两百八"),
        ("problem", "瓶盖是二次封口的 喝着像兑水的"),
        ("violation", "卖假货"),
        ("evidence", "拍了照 还有小票"),
        ("complainant_name", "刘洋"),
        ("complainant_phone", "13912345678"),
        ("complainant_address", "朝阳区望京街道"),
    ])
    draft = chat.draft
    assert draft.finished, chat.text
    assert draft.answers["district"] == "北京市朝阳区"
    assert draft.answers["violation"] == "counterfeit"
    assert draft.answers["report_amount"] == 280
