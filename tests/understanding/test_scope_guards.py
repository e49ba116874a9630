"""The guards that keep a shop dispute a 12315 matter, each shown both ways.

Every row pairs an account where a body's words only describe part of a shop's dealing (no
redirect; the body may be a note) with a close account about that body's own service (a
redirect to it). The texts are written for these tests, not taken from the labelled data.
"""

from datetime import date

import pytest

from flows.understanding import analyze
from flows.vocabulary import OUT_OF_SCOPE_TOPICS

TODAY = date(2025, 10, 20)

GUARDS = {
    "a way of paying": (
        "用银行贷款付的首付，楼盘停工两年了，到现在交不了房",
        "支付宝借呗的利息比当初说的高，客服不解释", "finance"),
    "a place that only locates the shop": (
        "民营医院对面的药房卖过期的感冒药，老板不给退",
        "在医院做的胆囊手术，术后一直发烧，医生说不是他们的问题", "medical"),
    "a partner of the shop": (
        "用航空公司合作的积分换了一副耳机，用了两天就没声音了",
        "航空公司把我的航班取消了，只给改签不给退票", "airline"),
    "a kind of product or shop": (
        "医疗器械店买的血糖仪，测出来的数和说明书上的误差差太多",
        "医院把我的化验单和别人的弄混了，医疗事故谁负责", "medical"),
    "a loan the seller arranged": (
        "驾校让我在银行办了分期贷款交学费，现在驾校关门了，银行还在扣钱",
        "银行把我的房贷利率算错了，多收了好几千利息，要求银行退还", "finance"),
    "an extended warranty sold with the car": (
        "车买的延保，变速箱坏了，保险公司说保养晚了拒赔",
        "车险出险以后保险公司一直拖着不理赔", "finance"),
    "a phone sold in an operator's shop": (
        "营业厅买的手机，说是全新的，回来发现是翻新机",
        "营业厅的工作人员给我开了增值业务，每个月多扣二十块话费", "telecom"),
    "a product that happens to use the network": (
        "充话费送的老人机，用了一个礼拜就开不了机",
        "联通的宽带天天断网，报修好几次都没修好，还照收宽带费", "telecom"),
    "a SIM card a shop sold": (
        "网上买的电话卡，卖家说是无限流量，结果用到二十个G就停了",
        "我的电话卡说好的无限流量，结果用到二十个G就停了", "telecom"),
    "air tickets inside a package tour": (
        "跟团去海南，旅行社临时取消，说机票的钱退不了",
        "跟团去海南，航班延误了九个小时，航空公司不给安排住宿", "airline"),
    "care received after a bad purchase": (
        "吃了饭馆的凉菜上吐下泻，去医院挂急诊输液，店家只肯退菜钱",
        "诊所给我输液的时候扎错了血管，手肿了一个礼拜，医生说过几天就好", "medical"),
    "a product confiscated at security": (
        "淘宝买的充电宝，过安检被没收了，说是没有3C标志",
        "机场安检把我的充电宝没收了，那个充电宝是合格的，有3C标志", "airline"),
    "care after harm from food, told without a seller's word": (
        "吃了他家的烧烤拉肚子，去医院看病花了500",
        "在中医诊所看病，医生开的中药吃了以后肝功能异常，诊所说是我自己的体质问题", "medical"),
    "a pet's vet": (
        "宠物医院给我家狗狗做的绝育手术，回来伤口就感染了",
        "在医院做的疝气手术，回来伤口就感染了，医院不认", "medical"),
}


@pytest.mark.parametrize("guard", sorted(GUARDS))
def test_each_guard_both_ways(guard):
    guarded, unguarded, topic = GUARDS[guard]
    assert topic in OUT_OF_SCOPE_TOPICS
    assert analyze(guarded, TODAY).out_of_scope is None
    redirect = analyze(unguarded, TODAY).out_of_scope
    assert redirect is not None and redirect.topic == topic and not redirect.note_only


@pytest.mark.parametrize(
    ("guarded", "topic"),
    [("驾校让我在银行办了分期贷款交学费，现在驾校关门了，银行还在扣钱", "finance"),
     ("跟团去海南，旅行社临时取消，说机票的钱退不了", "airline")],
)
def test_a_guarded_body_is_kept_as_a_note(guarded, topic):
    insight = analyze(guarded, TODAY)
    assert [note.topic for note in insight.notes] == [topic]
    assert all(note.note_only for note in insight.notes)


@pytest.mark.parametrize(
    ("text", "topic"),
    [("在一个贷款app借了三千，年化利率算下来有200%", "illegal_lending"),
     ("信用卡分期手续费折算成年化利率有15%，银行说是合规的", "finance"),
     ("在医院做了手术住院半个月，保险公司理赔只给了一千", "finance"),
     ("医院误诊，把阑尾炎当成胃炎，耽误了两天", "medical"),
     ("网上说能贷五万，让我先交验资费，交了两千就把我拉黑了", "illegal_lending"),
     ("有人冒用我的身份办了信用卡，银行说要我自己还", "illegal_lending"),
     ("在飞机上空乘把热水洒在我腿上，也没人道歉", "airline"),
     ("机场安检把我的化妆品没收了，那瓶明明不到一百毫升", "airline"),
     ("手机号被停机了，营业厅说是实名信息不全", "telecom"),
     ("小区里有个黑诊所给老人输液，很危险", "medical")],
)
def test_which_body_when_words_of_two_meet(text, topic):
    """Usury beats a bank's rate, an insurer's claim beats the hospital stay it pays for."""
    redirect = analyze(text, TODAY).out_of_scope
    assert redirect is not None and redirect.topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [("工商银行的ATM吞了我的卡，打了三次电话都说要等", "finance"),
     ("微信里的零钱提现到银行卡一直没到账，客服说在处理", "finance"),
     ("信用卡明明按时还款了，还被收了滞纳金", "finance"),
     ("一个贷款软件借了两千，七天后要还三千五", "illegal_lending"),
     ("接到电话说我能贷款二十万，要先交两千手续费，交完就联系不上了", "illegal_lending"),
     ("有人打电话冒充客服说我的花呗要关闭，让我转账，转了八千", "illegal_lending"),
     ("联通给我打电话说升级套餐免费，结果每个月多扣三十", "telecom"),
     ("营业厅说我的流量包已经开通了，可是每个月还是按超出收费", "telecom"),
     ("坐飞机的时候空乘把热水洒在我身上，也没人道歉", "airline"),
     ("牙医给我拔错了牙，诊所只说退钱", "medical"),
     ("卫生院的大夫给我打的针过敏了，也不承认", "medical"),
     ("医院让我做了一堆没必要的检查，花了三千多", "medical")],
)
def test_each_body_in_words_the_labelled_cases_do_not_use(text, topic):
    """Other ways of naming a body's own service than the labelled cases use."""
    redirect = analyze(text, TODAY).out_of_scope
    assert redirect is not None and redirect.topic == topic


@pytest.mark.parametrize(
    ("text", "usury"),
    [("在一个借贷公司借五万，三个月后要还八万", True),
     ("借了2000，七天后要还3500，说是服务费", True),
     ("找亲戚借了五万，下个月要还五万三", False),
     ("借了十万，分五年要还十五万", False)],
)
def test_a_repayment_far_above_the_sum_lent_is_usury(text, usury):
    """Owing 36 % or more above the sum lent, with no span of years between, is illegal lending."""
    redirect = analyze(text, TODAY).out_of_scope
    assert (redirect is not None and redirect.topic == "illegal_lending") == usury


@pytest.mark.parametrize("text", [
    "昨晚点的外卖，吃完半夜拉肚子，去医院花了三百多，商家电话不接",
    "面霜用了过敏，去医院看了皮肤科，客服说不是产品的问题",
])
def test_a_hospital_visit_after_the_harm_is_not_even_a_note(text):
    insight = analyze(text, TODAY)
    assert insight.out_of_scope is None and not insight.notes


def test_a_hospital_stay_after_a_cure_claim_is_no_note_for_medical_care():
    """A health product said to cure diabetes, the medicine stopped, a hospital stay: the
    dispute is the seller's, so no 12320 note either (a care complaint still gets one)."""
    told = ("小区里开健康讲座送鸡蛋 我买了三盒保健品四千九百八 他们说能治糖尿病不用吃药了 "
            "我就把药停了 结果血糖更高了 住了院 现在人都找不着了")
    insight = analyze(told, TODAY)
    assert insight.out_of_scope is None and insight.notes == ()
    care = analyze("医院给我妈开的降糖药吃了没用，住了院，医院说是病情自然发展", TODAY)
    assert care.out_of_scope is not None or care.notes


def test_a_doctor_seen_after_a_beauty_treatment_is_no_note_for_medical_care():
    """A face that swelled after a salon's treatment, then a hospital visit: the salon's matter."""
    told = "美容院做到第四次当天晚上脸就开始红肿，去医院看说是过敏，花了260，店里说是我自己皮肤问题"
    insight = analyze(told, TODAY)
    assert insight.out_of_scope is None and insight.notes == ()
