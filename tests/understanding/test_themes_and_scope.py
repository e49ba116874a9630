"""Theme ranking (with negation and praise) and referrals to other bodies."""

from datetime import date

import pytest

from flows.understanding import analyze
from flows.understanding.themes import is_checkable_reason, one_tap_probability
from flows.vocabulary import OUT_OF_SCOPE_TOPICS, THEMES

TODAY = date(2025, 10, 20)


def top_theme(text: str) -> str:
    return analyze(text, TODAY).themes[0].theme


def referral(text: str) -> str | None:
    found = analyze(text, TODAY).out_of_scope
    return found.topic if found else None


def test_every_theme_is_ranked_with_scores_between_0_and_1():
    themes = analyze("鞋子开胶了", TODAY).themes
    assert sorted(score.theme for score in themes) == sorted(THEMES)
    scores = [score.score for score in themes]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 1 for score in scores)
    assert themes[0].keywords == ("开胶",)


@pytest.mark.parametrize(
    ("text", "theme"),
    [("穿了不到一周鞋底就开胶了", "quality"),
     ("快递三天都没送到，联系卖家也不回复", "after_sales"),
     ("图片上是实木的桌子，收到是刨花板贴皮的，货不对板", "false_ad"),
     ("健身房突然关门跑路了，年卡的钱退不了", "contract"),
     ("视频会员自动续费，没同意就扣了25元", "contract"),
     ("饭店结账时每人收了10元茶位费，菜单上没写", "price"),
     ("外卖吃完全家拉肚子，米饭里还有头发", "food_safety"),
     ("你好", "other")],
)
def test_each_theme(text, theme):
    assert top_theme(text) == theme


def test_negation_moves_the_theme():
    assert top_theme("不是质量问题，是客服不给退") == "after_sales"
    assert top_theme("手机没有质量问题，是商家不给开发票") == "after_sales"


def test_praise_clears_an_aspect():
    assert top_theme("衣服质量还可以，就是价格比别家贵了一倍") == "price"


def test_spoilage_is_food_safety_only_for_food():
    assert top_theme("买的苹果打开一看好几个都是坏的") == "food_safety"
    assert top_theme("买的儿童座椅，卡扣是坏的") == "quality"


@pytest.mark.parametrize(
    ("text", "topic"),
    [("网上借的消费贷逾期了，征信上有了记录", "finance"),
     ("保险公司拒赔，说我投保前没告知病史", "finance"),
     ("信用卡被银行多扣了一笔年费", "finance"),
     ("证券公司客户经理推荐的股票亏了一大半", "securities"),
     ("借了网贷，到手只有七千，不还就上门找我家人", "illegal_lending"),
     ("P2P平台暴雷了，本金取不出来", "illegal_lending"),
     ("中国移动乱扣话费，开通了增值业务", "telecom"),
     ("航班延误六个小时，航空公司不给补偿", "airline"),
     ("在医院做的手术，术后感染", "medical")],
)
def test_each_out_of_scope_kind(text, topic):
    assert referral(text) == topic
    assert topic in OUT_OF_SCOPE_TOPICS


@pytest.mark.parametrize(
    "text",
    ["用花呗分期买的运动鞋，穿了三天就开胶了，店家不给退",
     "信用卡付的款，在实体店买的冰箱，冷藏室不制冷",
     "健身卡是用分期贷款办的，健身房现在关门了，我要退卡退钱",
     "汽车4S店保养时把我的保险杠刮坏了，不给修",
     "在眼科医院旁边的眼镜店买的隐形眼镜，戴了眼睛发炎",
     "在金融街购物中心买的衬衫掉色",
     "买的手机打不了电话，信号特别差，换了别的手机卡也一样",
     "买了一台路由器，安装后宽带网速还是很慢",
     "机场免税店买的香水是假的",
     "4S店强制要求在店内购买保险，保费比外面贵很多"],
)
def test_no_false_alarm_on_shopping_complaints(text):
    assert referral(text) is None


def test_empty_text_gives_an_empty_insight():
    insight = analyze("   ", TODAY)
    assert insight.themes == () and insight.out_of_scope is None and not insight.facts


def test_probabilities_are_calibrated_shares_that_sum_to_one():
    themes = analyze("买的酸奶还没过期就胀袋了，喝了以后拉肚子", TODAY).themes
    assert all(score.probability is not None for score in themes)
    assert abs(sum(score.probability for score in themes) - 1) < 1e-6
    assert [score.score for score in themes] == [round(score.probability, 3) for score in themes]


def test_one_tap_only_when_sure_otherwise_a_shortlist_of_two_or_three():
    # A food case with no negated cue ("还没过期" leaves the model rightly less sure).
    sure = analyze("超市买的面包发霉了，孩子吃了以后上吐下泻", TODAY)
    assert sure.themes[0].theme == "food_safety"
    assert sure.one_tap and sure.themes[0].probability >= one_tap_probability()
    unsure = analyze("东西收到了，和我想的不太一样，有点失望", TODAY)
    assert not unsure.one_tap
    assert 2 <= len(unsure.theme_shortlist) <= 3
    assert unsure.theme_shortlist[:2] == tuple(score.theme for score in unsure.themes[:2])


def test_nothing_to_go_on_ranks_other_first_and_offers_no_one_tap():
    insight = analyze("你好", TODAY)
    assert insight.themes[0].theme == "other" and not insight.one_tap


@pytest.mark.parametrize(
    ("text", "theme", "reason"),
    [("保健品店的人说这个产品能治糖尿病，让我停了药，吃了根本没用", "false_ad", "能治"),
     ("直播间主播一直说是专柜正品，收到货发现是仿的，商家不支持退货", "false_ad", None),
     ("朋友推荐的保健品说能根治糖尿病，花了三千多，吃完血糖还是高", "false_ad", "根治"),
     ("在直播间买的羊毛大衣，主播一直说是百分百羊毛，收到吊牌写的是涤纶，商家不支持退货", "false_ad", "主播"),
     ("网上买的零食收到时已经过了保质期，客服拒绝退款", "food_safety", "保质期")],
)
def test_reasons_are_checkable_content_words(text, theme, reason):
    insight = analyze(text, TODAY)
    assert insight.themes[0].theme == theme
    shown = [word for score in insight.themes for word in score.keywords]
    for word in ("一直说", "不支持", "那个", "说", "吃了", "产品"):
        assert word not in shown
    assert all(is_checkable_reason(word) for word in shown)
    assert insight.themes[0].keywords
    if reason:
        assert reason in insight.themes[0].keywords


def test_a_sum_in_words_is_never_a_reason():
    """"交了一万 经理说等通知": 一万 is what was paid, not why it is a contract dispute."""
    for text in ("报了个英语班交了一万 上了几节课 经理说等通知 一直不退", "买了三盒保健品花了四千九百八"):
        shown = [word for score in analyze(text, TODAY).themes for word in score.keywords]
        assert not {"一万", "四千九百八", "三盒"} & set(shown), shown


def test_a_consumer_dispute_wins_over_the_loan_that_paid_for_it():
    insight = analyze("为了办健身卡在分期平台贷了6800元的款，健身房开了两个月就关门跑路了，贷款还要继续还", TODAY)
    assert insight.out_of_scope is None
    assert insight.themes[0].theme == "contract"
    assert [note.topic for note in insight.notes] == ["finance"]
    assert all(note.note_only for note in insight.notes)


def test_a_dealer_selling_its_own_insurance_is_not_sent_to_the_finance_regulator():
    insight = analyze("4S店卖车时说两年全险，第二年才告诉我交强险要自己买，保险内容和说的不一样", TODAY)
    assert insight.out_of_scope is None
