"""The standard conversation: a complaint for oneself about shoes bought in a shop, every
answer typed (no buttons), by field. The terminal tests, the Telegram message budget and
`bench/load.py` all type it, so it is written down once."""

ANSWERS = {
    "kind": "1",  # 投诉, by its number
    "for_whom": "为本人投诉",  # by its text
    "narrative": "我10月1日在三里屯的店里买了一双运动鞋，1299元，回家发现右鞋鞋面开胶了",
    "business_name": "北京某某体育用品有限公司",
    "business_address": "北京市朝阳区三里屯路19号",
    "credit_code": "跳过",
    "district": "朝阳区",
    "channel": "在实体店买的",
    "store_name": "某某品牌北京三里屯店",
    "product": "某某牌运动鞋",
    "purchase_date": "2025年10月1日",
    "amount": "1299",
    "problem": "回家后发现右鞋鞋面有明显的开胶瑕疵",
    "theme": "商品质量",
    "contacted": "联系过了",
    "contact_result": "店员说穿过了不能退",
    "demands": "退货退款、赔偿",
    "compensation": "交通费200元",
    "evidence": "购物凭证、商品问题照片/视频",
    "complainant_name": "张三",
    "complainant_phone": "13812345678",
    "complainant_address": "北京市朝阳区某某小区3号楼2单元501",
}
