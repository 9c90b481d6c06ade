"""商品分类: top-level categories in menu order, each with its illustration colours
(gradient top, gradient bottom, accent) and optional subcategories."""

CATEGORIES = [
    {
        "name": "新鲜水果",
        "description": "烈山塔山石榴、杜集段园葡萄、朔里黄桃，产地直发，新鲜到家。",
        "colors": ("#fff1ea", "#f6b8a6", "#b8412f"),
        "children": ["石榴", "葡萄", "时令鲜果"],
    },
    {
        "name": "粮油米面",
        "description": "濉溪平原的小麦、大米、杂粮与小磨香油，食堂采购常备。",
        "colors": ("#fff8e1", "#f2cf7c", "#8a5a12"),
        "children": ["米面杂粮", "食用油"],
    },
    {
        "name": "肉禽蛋品",
        "description": "散养土鸡蛋、古饶黑猪肉、濉溪羊肉，冷链配送。",
        "colors": ("#fff0e6", "#eeb48e", "#8c3b1c"),
        "children": ["禽蛋", "鲜肉", "熟食卤味"],
    },
    {
        "name": "蔬菜菌菇",
        "description": "渠沟镇大棚蔬菜、石台镇香菇和四铺山药，当天采摘。",
        "colors": ("#eef8e8", "#a9d98f", "#2f6b22"),
        "children": ["时令蔬菜", "菌菇"],
    },
    {
        "name": "酒水饮品",
        "description": "濉溪老窖白酒、塔山石榴汁与果酒，送礼自饮皆宜。",
        "colors": ("#edf0fb", "#a9b6e6", "#2c3f8c"),
        "children": ["白酒", "果酒果汁"],
    },
    {
        "name": "茶叶冲饮",
        "description": "临涣棒棒茶、石榴花茶与相山槐花蜜。",
        "colors": ("#e9f6ef", "#92cdb0", "#1f6b4a"),
        "children": ["茶叶", "蜂蜜"],
    },
    {
        "name": "地方特产",
        "description": "临涣酱包瓜、淮北烙馍、石榴糕，带得走的淮北味道。",
        "colors": ("#fbeef2", "#e0a1b6", "#8c2849"),
        "children": [],
    },
    {
        "name": "休闲食品",
        "description": "馓子、芝麻糖、红薯干、葡萄干，农家手作小零食。",
        "colors": ("#fff4e0", "#f6c27f", "#94520f"),
        "children": [],
    },
    {
        "name": "农副加工品",
        "description": "红薯粉丝、芝麻酱、香菇酱、黄桃罐头等农副产品加工品。",
        "colors": ("#f5efe6", "#d2b48e", "#6b4a26"),
        "children": [],
    },
]

#: The categories' names on the English site (``Category.name_en``).
ENGLISH_NAMES = {
    "新鲜水果": "Fresh fruit",
    "石榴": "Pomegranates",
    "葡萄": "Grapes",
    "时令鲜果": "Seasonal fruit",
    "粮油米面": "Grain, oil and flour",
    "米面杂粮": "Rice, flour and grains",
    "食用油": "Cooking oil",
    "肉禽蛋品": "Meat, poultry and eggs",
    "禽蛋": "Eggs",
    "鲜肉": "Fresh meat",
    "熟食卤味": "Braised and cooked meats",
    "蔬菜菌菇": "Vegetables and mushrooms",
    "时令蔬菜": "Seasonal vegetables",
    "菌菇": "Mushrooms",
    "酒水饮品": "Wine, spirits and drinks",
    "白酒": "Baijiu",
    "果酒果汁": "Fruit wine and juice",
    "茶叶冲饮": "Tea and honey",
    "茶叶": "Tea",
    "蜂蜜": "Honey",
    "地方特产": "Local specialities",
    "休闲食品": "Snacks",
    "农副加工品": "Processed farm products",
}
