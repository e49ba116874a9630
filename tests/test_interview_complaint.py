"""The guide's own example, end to end, with every question first given a wrong answer."""

from __future__ import annotations

from conftest import Chat

from flows.composition import TEXT_BOX_LIMIT

# field asked → (a wrong answer, the catalog key of the message it must get, the right answer)
GUIDE_EXAMPLE = {
    "kind": ("随便", "error.choose_from_options", "投诉"),
    "for_whom": ("嗯", "error.choose_from_options", "为本人投诉"),
    "narrative": ("鞋坏了", "error.too_short",
     "10月1号在三里屯的店里买了一双运动鞋，1299元，回家发现右鞋鞋面开胶了"),
    "business_name": ("耐", "error.too_short", "北京某某体育用品有限公司"),
    "business_address": ("三里", "reply.error.address_vague", "北京市朝阳区三里屯路19号"),
    "credit_code": ("12345", "error.credit_code", "91110105MA01ABCD2X"),
    "district": ("火星", "error.district", "朝阳区"),
    "channel": ("不记得", "error.choose_from_options", "在实体店买的"),
    "store_name": ("店", "error.too_short", "某某品牌北京三里屯店"),
    "product": ("x" * 51, "error.too_long", "某某牌运动鞋（型号 XX）"),
    "purchase_date": ("那天", "error.date", "2025年10月1日"),
    "amount": ("很多钱", "error.amount", "¥1,299.00"),
    "problem": ("坏", "error.too_short", "回家后发现右鞋鞋面有明显的开胶瑕疵"),
    "theme": ("不好说", "error.choose_from_options", "商品质量"),
    "contacted": ("也许", "error.choose_from_options", "联系过了"),
    "contact_result": ("哦", "error.too_short", "店员说穿过了不能退"),
    "demands": ("看着办", "reply.error.demands_undecided", "退货退款、赔偿"),
    "compensation": ("交通费", "error.compensation", "交通费200元"),
    "evidence": ("一些", "error.choose_from_options", "购物凭证、商品问题照片/视频、沟通记录"),
    "complainant_name": ("张", "error.too_short", "张三"),
    "complainant_phone": ("1381234", "error.phone", "13812345678"),
    "complainant_address": ("北京市朝阳区" + "某某小区三号楼" * 6, "error.too_long",
     "北京市朝阳区某某小区3号楼2单元501"),
}


# The right answers alone, by field.
GUIDE_ANSWERS = {field: right for field, (_, _, right) in GUIDE_EXAMPLE.items()}


def answer_everything(chat: Chat) -> None:
    """Whatever the engine asks, in its own order, gets first a wrong then the right answer."""
    chat.say("/start")
    asked = []
    while chat.field is not None:
        field = chat.field
        assert field in GUIDE_EXAMPLE, f"unexpected question {field}: {chat.text}"
        assert field not in asked, f"{field} asked twice"
        asked.append(field)
        wrong, message_key, right = GUIDE_EXAMPLE[field]
        answered_before = dict(chat.draft.answers)
        chat.say(wrong)
        expected = chat.t(message_key, min=0, max=0, got=0).split("（")[0].split("，")[0][:6]
        assert expected in chat.text, f"{field}: {chat.text}"
        assert chat.field == field, "the same question is asked again"
        assert chat.draft.answers == answered_before, "nothing answered is lost"
        chat.say(right)
        if field == "credit_code" and chat.state.pending:
            chat.press(chat.t("option.keep"))
    assert set(asked) == set(GUIDE_EXAMPLE), set(GUIDE_EXAMPLE) - set(asked)


def test_guide_example_gives_a_complete_draft(chat: Chat) -> None:
    answer_everything(chat)
    draft = chat.draft
    assert draft.finished
    sections = [section.key for section in chat.sheet.sections]
    assert sections[0] == "text" and sections[-1] == "fraud", "the fraud warning is always last"
    body = chat.draft_text
    for expected in ("2025年10月1日", "1299元", "某某品牌北京三里屯店", "开胶",
                     "退货退款，并赔偿交通费200元", "北京市朝阳区", "13812345678"):
        assert expected in body, expected
    assert chat.t("draft.check_ready") in body
    assert "✗" not in body
    assert "96110" in chat.section("fraud") and "110" in chat.section("fraud")


def test_complaint_text_is_a_first_person_account_within_the_box(chat: Chat) -> None:
    answer_everything(chat)
    text = chat.sheet.section("text")
    account = text.body
    assert account.startswith("我于2025年10月1日在某某品牌北京三里屯店")
    assert "支付1299元" in account and "现要求商家退货退款" in account
    assert len(account) <= TEXT_BOX_LIMIT
    assert f"共 {len(account)} 字" in text.title
    assert chat.sheet.section("full_text") is None, "a short text needs no full one"


def test_form_fields_come_in_the_order_of_the_12315_form(chat: Chat) -> None:
    answer_everything(chat)
    labels = [row.label for row in chat.sheet.rows]
    assert labels.index("被投诉方名称") < labels.index("投诉人姓名") < labels.index("商品或服务名称")
    assert labels.index("商品或服务名称") < labels.index("购买时间") < labels.index("诉求")
    rows = {row.label: row.value for row in chat.sheet.rows}
    assert rows["被投诉方名称"] == "北京某某体育用品有限公司"
    assert rows["诉求"] == "退货退款，并赔偿交通费200元"


def test_the_whole_draft_comes_as_a_document_too(chat: Chat) -> None:
    answer_everything(chat)
    document = chat.sheet.document
    assert document.filename.endswith(".txt")
    assert "我于2025年10月1日" in document.content
    assert document.content.rstrip().endswith(chat.section("fraud").rstrip())


def test_a_finished_draft_shows_in_status_and_reopens(chat: Chat) -> None:
    answer_everything(chat)
    chat.say("/status")
    lines = chat.text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("#1"))
    assert "北京某某体育用品有限公司" in lines[index] and "商品质量" in lines[index]
    assert chat.t("case.state.draft_finished") in lines[index + 1]
    chat.say("查看 1")
    assert chat.sheet.sections[-1].key == "fraud"


def test_online_purchase_asks_platform_and_order_not_store(chat: Chat) -> None:
    chat.say("/new")
    chat.fill({"kind": "投诉", "for_whom": "为本人投诉",
               "narrative": "在网上买了一件羽绒服，跑绒严重，商家不给退",
               "business_name": "某某服饰有限公司", "business_address": "浙江省杭州市某某路1号",
               "credit_code": "跳过", "district": "朝阳区"}, until="channel")
    assert chat.field == "channel"
    chat.press("网上买的")
    assert chat.field == "platform"
    chat.say("京东")
    assert chat.field == "order_number"
    chat.say("订单号是什么")
    assert chat.field == "order_number" and "订单编号" in chat.text
    chat.say("JD-2025100112345")
    assert chat.field == "product"
    assert chat.draft.answers["platform"] == "jd"
    assert chat.draft.answers["order_number"] == "JD-2025100112345"
    assert "store_name" not in chat.draft.answers


def test_someone_else_complaint_explains_authorisation(chat: Chat) -> None:
    chat.say("/new")
    chat.say("投诉")
    chat.say("为他人投诉")
    assert "授权委托书" in chat.text
    chat.fill({"principal_name": "王秀英", "principal_relation": "母亲"}, until="narrative")
    assert chat.field == "narrative"
    chat.fill({**GUIDE_ANSWERS, "narrative": "我妈10月1号在三里屯的店里买了一双运动鞋，1299元，回家发现开胶了"})
    assert chat.draft.finished
    text = chat.sheet.section("text").body
    assert text.startswith("我代我母亲王秀英投诉"), text
    rows = {row.label: row.value for row in chat.sheet.rows}
    assert rows[chat.t("field.principal_name.label")] == "王秀英"


def test_a_service_is_offered_the_refund_first_and_goods_keep_the_return(chat: Chat) -> None:
    """A gym card cannot be returned or exchanged: 退款 leads its demand options, and "1"
    picks it; shoes keep 退货退款 first."""
    chat.say("/new")
    chat.fill({**GUIDE_ANSWERS,
               "narrative": "去年在望京办的健身卡，3800元，现在健身房关门了，老板联系不上",
               "store_name": "力美健身望京店", "product": "健身年卡", "problem": "健身房突然关门停业",
               "theme": "合同纠纷", "contact_result": "电话一直打不通"}, until="demands")
    assert chat.field == "demands"
    assert chat.option_labels()[0] == chat.t("demand.refund")
    chat.say("1")
    chat.press(chat.t("option.done"))
    assert chat.draft.answers["demands"] == ["refund"]

    chat.say("/new")
    chat.fill(GUIDE_ANSWERS, until="demands")
    assert chat.option_labels()[0] == chat.t("demand.return_refund")


def test_a_services_evidence_asks_for_photos_of_the_problem_not_of_a_products_flaw(
        chat: Chat) -> None:
    """A closed gym: 问题照片/视频 (a closure notice), not 商品问题照片/视频 with its 瑕疵."""
    chat.say("/new")
    chat.fill({**GUIDE_ANSWERS,
               "narrative": "去年在望京办的健身卡，3800元，现在健身房关门了，老板联系不上",
               "store_name": "力美健身望京店", "product": "健身年卡", "problem": "健身房突然关门停业",
               "theme": "合同纠纷", "contact_result": "电话一直打不通", "demands": "退款",
               "evidence": "购物凭证、合同/协议"})
    assert chat.draft.finished
    evidence = chat.sheet.section("evidence").body
    assert chat.t("evidence.photos_service") in evidence and chat.t("evidence.photos") not in evidence
    assert chat.t("evidence_hint.photos") not in evidence


def test_a_short_account_with_the_kind_in_it_is_kept_as_the_account(make_chat) -> None:
    from flows.understanding import analyze

    for said, kind, account in (("美团外卖吃出蟑螂了 要投诉", "complaint", "美团外卖吃出蟑螂了"),
                                ("想举报 楼下饭馆卖过期食品", "report", "楼下饭馆卖过期食品")):
        chat = make_chat(understand=analyze)
        chat.say("/start")
        chat.say(said)
        assert chat.draft.answers["kind"] == kind
        assert chat.draft.answers.get("narrative") == account, chat.text
    chat = make_chat(understand=analyze)
    chat.say("/start")
    chat.say("我要投诉")
    assert "narrative" not in chat.draft.answers
