"""积分超市: the city's rule book (8 aspects, 38 rules, after the 淮北市乡村振兴超市积分制工作方案),
three villages in two counties, their supermarkets, clerks and goods."""

NOTICE_DAYS = 7

# (aspect, [(code, title, points, unit, cap_times, cap_period, evidence_required), ...])
RULE_BOOK = [
    (
        "孝老敬亲",
        [
            ("1.1", "赡养老人、照料生活", 5, "per_month", None, "year", False),
            ("1.2", "照护失能、重病家庭成员", 10, "per_month", None, "year", False),
            ("1.3", "获评镇级及以上“好媳妇”“好儿女”", 30, "once", None, "year", True),
            ("1.4", "为老人办理寿宴不铺张", 5, "per_time", 1, "year", False),
            ("1.5", "不赡养老人或虐待家庭成员", -30, "per_time", None, "year", False),
        ],
    ),
    (
        "移风易俗（婚事新办、丧事简办）",
        [
            ("2.1", "婚事新办，不要高价彩礼", 20, "once", None, "year", True),
            ("2.2", "丧事简办，文明祭祀", 15, "per_time", 1, "year", False),
            ("2.3", "签订移风易俗承诺书", 5, "once", None, "year", False),
            ("2.4", "红白事大操大办、燃放烟花爆竹", -20, "per_time", None, "year", False),
            ("2.5", "参与封建迷信活动", -10, "per_time", None, "year", False),
        ],
    ),
    (
        "环境卫生",
        [
            ("3.1", "庭院整洁，月度检查合格", 5, "per_month", None, "year", False),
            ("3.2", "获评“美丽庭院”", 20, "per_time", 1, "year", True),
            ("3.3", "垃圾分类投放", 3, "per_month", None, "year", False),
            ("3.4", "完成改厕并正常使用", 10, "once", None, "year", True),
            ("3.5", "乱倒垃圾、乱堆乱放", -5, "per_time", None, "year", False),
        ],
    ),
    (
        "遵纪守法",
        [
            ("4.1", "全年无违法违纪", 10, "per_time", 1, "year", False),
            ("4.2", "秸秆禁烧期间无焚烧", 5, "per_time", 1, "year", False),
            ("4.3", "协助调解矛盾纠纷", 5, "per_time", 3, "year", False),
            ("4.4", "参与赌博", -20, "per_time", None, "year", False),
            ("4.5", "违规占地建房", -30, "per_time", None, "year", False),
        ],
    ),
    (
        "邻里和睦",
        [
            ("5.1", "邻里互帮互助", 3, "per_time", 2, "month", False),
            ("5.2", "获评“文明家庭”", 20, "per_time", 1, "year", True),
            ("5.3", "主动化解邻里矛盾", 5, "per_time", 2, "year", False),
            ("5.4", "挑起邻里纠纷", -5, "per_time", None, "year", False),
        ],
    ),
    (
        "志愿服务",
        [
            ("6.1", "参加村级志愿服务活动", 3, "per_time", 4, "month", False),
            ("6.2", "参加防汛、防疫等应急值守", 10, "per_time", 3, "year", False),
            ("6.3", "参与人居环境整治义务劳动", 3, "per_time", 2, "month", False),
            ("6.4", "无偿献血", 10, "per_time", 2, "year", True),
            ("6.5", "参与关爱留守儿童、空巢老人", 5, "per_time", 2, "month", False),
        ],
    ),
    (
        "勤劳致富",
        [
            ("7.1", "发展特色种养业", 10, "per_time", 1, "year", False),
            ("7.2", "参加职业技能培训", 5, "per_time", 2, "year", False),
            ("7.3", "带动脱贫户、监测户就业", 15, "per_time", 2, "year", False),
            ("7.4", "开办网店销售农产品", 10, "once", None, "year", False),
            ("7.5", "有劳动能力不劳动、等靠要", -10, "per_time", None, "year", False),
        ],
    ),
    (
        "教育文化",
        [
            ("8.1", "子女考入大中专院校", 20, "per_time", 1, "year", True),
            ("8.2", "参加农家书屋、文化活动", 2, "per_time", 2, "month", False),
            ("8.3", "义务教育阶段子女无辍学", 5, "per_time", 1, "year", False),
            ("8.4", "获评“书香家庭”", 10, "per_time", 1, "year", False),
        ],
    ),
]

# supermarket name, town code, address
SUPERMARKETS = [
    ("临涣镇积分超市", "340621104", "濉溪县临涣镇蒋湖村党群服务中心东侧"),
    ("榴园村积分超市", "340604100", "烈山区烈山镇榴园村村委会"),
]

# village code, name, town code, supermarket, household code prefix, objection phone
VILLAGES = [
    ("340621104201", "蒋湖村", "340621104", "临涣镇积分超市", "JH", "0561-7021001"),
    ("340621104202", "马场村", "340621104", "临涣镇积分超市", "MC", "0561-7021002"),
    ("340604100201", "榴园村", "340604100", "榴园村积分超市", "LY", "0561-3091003"),
]
HOUSEHOLDS_PER_VILLAGE = 40

# email -> village codes (clerks), supermarket names (managers)
CLERKS = {
    "clerk@example.com": ["340621104201", "340621104202"],
    "clerk2@example.com": ["340621104201", "340621104202", "340604100201"],
}
MANAGERS = {"shopkeeper@example.com": ["临涣镇积分超市", "榴园村积分超市"]}

# name, unit, points price, value in yuan, opening stock
GOODS = [
    ("洗衣皂", "块", 5, "3.50", 120),
    ("食盐 400g", "袋", 5, "3.00", 100),
    ("牙膏", "支", 10, "8.90", 80),
    ("毛巾", "条", 10, "9.90", 80),
    ("酱油 1.9L", "瓶", 20, "16.80", 60),
    ("洗衣粉 2kg", "袋", 30, "25.00", 50),
    ("濉溪大米 5kg", "袋", 40, "32.00", 40),
    ("食用油 5L", "桶", 70, "59.90", 30),
]

# The two deliveries that restocked the town's supermarket (donor, goods, quantity).
# Restocking from the marketplace (集市补货) by 临涣镇积分超市, ordered by shopkeeper@ and
# approved by the village committee's director above the threshold: days before today,
# (product title, quantity, points price for a line new on the shelf), and the funding as
# (source, amount) with the last source taking what is left of the order's total.
RESTOCK_APPROVER = "village-head@example.com"
RESTOCK_APPROVAL_FROM = "500.00"
RESTOCK_ORDERS = [
    (200, [("濉溪大米 5kg", 20, None)], [("donation", None)]),
    (80, [("塔山石榴 家庭装 5斤", 10, 60)], [("collective", "300.00"), ("subsidy", None)]),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭何高林罗"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "玉梅",
    "永红",
    "德明",
    "春生",
    "爱华",
    "长青",
    "金凤",
    "立新",
    "海燕",
    "保国",
    "风琴",
    "家明",
    "翠花",
    "传贵",
    "素珍",
    "广田",
]
