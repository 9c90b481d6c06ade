"""Storefront content: the sites framework record and the Wagtail home page."""

SITE = {"domain": "127.0.0.1:8000", "name": "惠农集市"}

HOME_PAGE = {
    "hero_title": "惠农集市",
    "hero_subtitle": "买脱贫地区好物 · 助力乡村振兴",
    "hero_button_text": "去逛逛",
    "hero_title_en": "Huinong Market",
    "hero_subtitle_en": "Buy from areas lifted out of poverty · Help the countryside thrive",
    "hero_button_text_en": "Start shopping",
    "intro": (
        "<p>惠农集市是淮北市消费帮扶线上平台，汇集杜集区、相山区、烈山区、濉溪县"
        "认定供应商的农副产品。2023年全市政府采购脱贫地区农副产品<b>604.01万元</b>，"
        "农产品网络零售额<b>15.98亿元</b>。您的每一笔订单，都在帮助脱贫群众稳定增收。</p>"
    ),
    "intro_en": (
        "<p>Huinong Market is Huaibei's online consumption-assistance marketplace. It brings "
        "together farm produce from certified suppliers in Duji, Xiangshan and Lieshan districts "
        "and Suixi County. In 2023 the city's public bodies bought <b>¥6.04 million</b> of "
        "produce from areas lifted out of poverty, and the city's online retail sales of farm "
        "produce reached <b>¥1.598 billion</b>. Every order you place helps families who have "
        "left poverty behind keep their incomes rising.</p>"
    ),
    "categories_title_en": "Categories",
    "products_title_en": "Featured products",
    "pavilions_title_en": "County showcases",
    "news_title_en": "News",
    "statistics_title_en": "Our impact",
    # top-level category names, in display order
    "featured_categories": [
        "新鲜水果",
        "粮油米面",
        "肉禽蛋品",
        "蔬菜菌菇",
        "酒水饮品",
        "茶叶冲饮",
        "地方特产",
        "休闲食品",
    ],
    # product titles, in display order
    "featured_products": [
        "塔山石榴 精品礼盒 6枚装",
        "段园巨峰葡萄 2.5kg装",
        "百善散养土鸡蛋 30枚装",
        "口子窖 五年型 41度 500ml",
        "临涣棒棒茶 250g 罐装",
        "濉溪小麦粉 5kg",
        "塔山石榴汁 NFC 300ml×12瓶",
        "临涣酱包瓜 400g",
    ],
}
