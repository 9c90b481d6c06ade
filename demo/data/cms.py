"""CMS content: site settings, news, county pavilions, stories and help pages (Chinese).

Figures come from the city bureau's 2023 work summary in ``../shared/seed/``. Rich text is
plain HTML within the editor's features; bodies are lists of (block type, value) pairs.
"""

SITE_CHROME = {
    "site_name": "惠农集市",
    "tagline": "消费帮扶 · 脱贫地区农副产品",
    "hotline": "0561-3123456",
    "service_hours": "工作日 8:30-12:00，14:30-17:30",
    "footer_about": (
        "惠农集市是淮北市消费帮扶线上平台，由淮北市乡村振兴局主办，汇集杜集区、相山区、"
        "烈山区、濉溪县认定供应商的农副产品。市民可直接选购，预算单位可在此完成预留份额采购，"
        "每一笔订单都帮助当地脱贫户增收。"
    ),
    "copyright": "© 淮北市乡村振兴局 惠农集市",
    "icp_number": "皖ICP备00000000号（演示）",
    "site_name_en": "Huinong Market",
    "tagline_en": "Consumption assistance · Farm products from areas lifted out of poverty",
    "service_hours_en": "Weekdays 8:30–12:00 and 14:30–17:30",
    "footer_about_en": (
        "Huinong Market is Huaibei's online consumption-assistance marketplace, run by the Huaibei "
        "Rural Revitalisation Bureau. It brings together produce from certified suppliers in "
        "Duji, Xiangshan and Lieshan districts and Suixi County. Residents buy directly, budget "
        "units order their reserved share here, and every order adds to the income of local "
        "households lifted out of poverty."
    ),
    "copyright_en": "© Huaibei Rural Revitalisation Bureau · Huinong Market",
    # (label, English label, page slug path from the home page, or URL)
    "main_menu": [
        ("新闻资讯", "News", "news"),
        ("区县特色馆", "County showcases", "pavilions"),
        ("典型案例", "Stories", "stories"),
        ("采购指南", "Procurement guide", "procurement-guide"),
        ("关于我们", "About us", "about"),
    ],
    "footer_links": [
        ("帮助中心", "Help", "help"),
        ("采购指南", "Procurement guide", "procurement-guide"),
        ("政策文件", "Policy documents", "/news/?category=policy"),
        ("关于我们", "About us", "about"),
    ],
}

HOME_SLIDES = [
    {
        "title": "区县特色馆",
        "subtitle": "塔山石榴、段园葡萄、临涣棒棒茶……一县三区的好物都在这里",
        "button_text": "逛特色馆",
        "title_en": "County showcases",
        "subtitle_en": (
            "Tashan pomegranates, Duanyuan grapes, Linhuan stick tea: the best of one county "
            "and three districts"
        ),
        "button_text_en": "Visit the showcases",
        "page": "pavilions",
    },
    {
        "title": "预算单位采购，一站办结",
        "subtitle": "预留份额在线填报、按份额下单、验收与对账",
        "button_text": "查看采购指南",
        "title_en": "Procurement for budget units, all in one place",
        "subtitle_en": "File your reserved share online, order against it, accept and reconcile",
        "button_text_en": "Read the procurement guide",
        "page": "procurement-guide",
    },
]

NEWS_INDEX = {
    "slug": "news",
    "title": "新闻资讯",
    "intro": "政策文件、工作动态与通知公告",
}

NEWS = [
    {
        "slug": "2023-consumption-assistance-review",
        "title": "我市2023年消费帮扶工作成效明显：农产品网络零售额达15.98亿元",
        "category": "work",
        "date": "2024-01-22",
        "summary": (
            "2023年，全市新增农村电商主体205家，实现上行农产品网络零售额15.98亿元，"
            "同比增长5.2%；通过预算单位预留份额填报和政府采购，共采购脱贫地区农副产品604.01万元。"
        ),
        "body": [
            (
                "rich_text",
                "<p>2023年，全市乡村振兴系统坚持焦点不散、频道不换、力度不减，把消费帮扶作为"
                "巩固拓展脱贫攻坚成果、促进脱贫群众增收的重要抓手，纵深推进脱贫地区农副产品"
                "对接“八进”行动，消费帮扶拉动作用进一步显现。</p>"
                "<h2>电商主体加快成长</h2>"
                "<p>全年新增农村电商主体<b>205家</b>，实现上行农产品网络零售额<b>15.98亿元</b>，"
                "同比增长<b>5.2%</b>。塔山石榴、段园葡萄、临涣棒棒茶、濉溪小麦粉等一批地方特色"
                "农产品通过网店走出淮北。</p>"
                "<h2>预留份额采购落到实处</h2>"
                "<p>各预算单位按要求填报年度食堂食材采购预留份额，通过政府采购渠道共采购脱贫地区"
                "农副产品<b>604.01万元</b>，为认定供应商带来稳定订单。</p>"
                "<h2>群众增收稳步提高</h2>"
                "<p>全市脱贫人口、监测对象人均纯收入达17376.3元，同比增长15.66%；22个出列村"
                "实现集体经济收入2052.3万元，同比增长45.2%。</p>",
            ),
            ("table", "figures_2023"),
            ("statistics", {"title": "惠农集市实时数据"}),
            ("product_grid", {"title": "来自认定供应商的好物", "source": "latest", "limit": 4}),
            (
                "rich_text",
                "<p>2024年，我市将继续做实产业、就业“两业”，健全联农带农富农利益联结机制，"
                "推动更多脱贫地区农副产品进机关、进学校、进医院、进企业，让消费帮扶成为群众"
                "增收的长效渠道。</p>",
            ),
        ],
    },
    {
        "slug": "reserved-share-filing-notice",
        "title": "关于做好年度预算单位脱贫地区农副产品预留份额填报工作的通知",
        "category": "policy",
        "date": "2024-02-26",
        "summary": (
            "各预算单位应在规定期限内登录惠农集市，按年度食堂食材采购预算和年度政策规定的比例"
            "填报预留份额，经主管预算单位或财政、乡村振兴部门审核后执行。"
        ),
        "body": [
            (
                "rich_text",
                "<p>各县区乡村振兴局、财政局，市直各预算单位：</p>"
                "<p>为深入贯彻落实政府采购支持乡村产业振兴有关要求，持续做好脱贫地区农副产品"
                "采购工作，现就做好本年度预留份额填报工作通知如下。</p>"
                "<h2>一、填报对象</h2>"
                "<p>全市各级预算单位，包括机关、学校、医院和国有企业；有自办食堂、共用食堂或"
                "食堂外包的单位均应填报。</p>"
                "<h2>二、填报内容</h2>"
                "<ul><li>本单位年度食堂食材采购预算总额；</li>"
                "<li>预留份额金额，占预算的比例不得低于年度政策规定的最低比例，鼓励按更高比例预留；</li>"
                "<li>工会采购需求及联系人、联系电话。</li></ul>"
                "<h2>三、填报方式</h2>"
                "<ol><li>采购员登录惠农集市，进入“预算单位采购”填报预留份额；</li>"
                "<li>审批人确认后提交，主管预算单位或财政、乡村振兴部门审核；</li>"
                "<li>审核退回的，单位按意见修改后重新提交。</li></ol>"
                "<h2>四、工作要求</h2>"
                "<p>各单位要高度重视，按时完成填报，并在年度内通过平台完成预留份额采购。"
                "只有认定供应商的商品计入预留份额完成情况。市乡村振兴局将定期通报完成进度。</p>"
                "<p>联系电话：0561-3123456</p>",
            ),
            ("document", {"document": "filing_template", "title": "预留份额填报模板（CSV）"}),
            (
                "call_to_action",
                {
                    "title": "现在就去填报",
                    "text": "采购员登录后即可填报本单位的年度预留份额。",
                    "button_text": "查看采购指南",
                    "page": "procurement-guide",
                },
            ),
        ],
        "attachments": [("filing_template", "预留份额填报模板")],
    },
    {
        "slug": "supplier-certification-notice",
        "title": "关于开展脱贫地区农副产品供应商认定申报的通知",
        "category": "notice",
        "date": "2024-03-12",
        "summary": (
            "符合条件的企业、农民专业合作社和家庭农场可通过惠农集市提交认定申请，"
            "经县区推荐、市级审核认定后即可上架销售。"
        ),
        "body": [
            (
                "rich_text",
                "<p>为扩大脱贫地区农副产品供给，现启动本年度供应商认定申报工作。</p>"
                "<h2>申报条件</h2>"
                "<ul><li>在我市登记注册，具有统一社会信用代码；</li>"
                "<li>生产或经营的农副产品产自脱贫地区，质量安全可追溯；</li>"
                "<li>带动脱贫户、监测户增收，有明确的利益联结机制。</li></ul>"
                "<h2>申报流程</h2>"
                "<p>供应商在线提交申请材料，县区乡村振兴局推荐，市乡村振兴局审核认定并发放"
                "认定证书。认定有效期两年，到期前可申请延续。</p>",
            ),
        ],
    },
]

PAVILION_INDEX = {
    "slug": "pavilions",
    "title": "区县特色馆",
    "intro": "按产地选购，直达一县三区的认定供应商",
}

PAVILIONS = [
    {
        "slug": "suixi",
        "region": "340621",
        "title": "濉溪县消费帮扶馆",
        "slogan": "千年古镇临涣，酒香茶香飘四方",
        "introduction": (
            "<p>濉溪县是淮北市唯一的县，耕地面积广、粮食产量高，是全国商品粮基地县。"
            "口子窖、临涣棒棒茶、临涣酱包瓜、百善土鸡蛋、四铺山药、铁佛小磨香油等特产闻名省内外。</p>"
            "<p>全县认定供应商覆盖酒业、粮油、禽蛋、果蔬等品类，带动大批脱贫户稳定增收。</p>"
        ),
    },
    {
        "slug": "lieshan",
        "region": "340604",
        "title": "烈山区消费帮扶馆",
        "slogan": "塔山石榴红，榴园美名扬",
        "introduction": (
            "<p>烈山区榴园村一带种植石榴已有千年历史，塔山石榴是国家农产品地理标志产品。"
            "烈山镇探索“跨村联营、托管运营”模式，把石榴种植与乡村旅游结合，走出农旅融合的新路子。</p>"
            "<p>古饶黑猪、石榴汁、石榴花茶等产品也深受消费者喜爱。</p>"
        ),
    },
    {
        "slug": "duji",
        "region": "340602",
        "title": "杜集区消费帮扶馆",
        "slogan": "段园葡萄甜，石台菌菇鲜",
        "introduction": (
            "<p>杜集区段园镇是远近闻名的葡萄之乡，巨峰、阳光玫瑰、夏黑等品种错季上市；"
            "石台镇菌菇产业、朔里镇黄桃和草莓种植带动周边群众就近就业。</p>"
        ),
    },
    {
        "slug": "xiangshan",
        "region": "340603",
        "title": "相山区消费帮扶馆",
        "slogan": "槐花蜜香，渠沟菜鲜",
        "introduction": (
            "<p>相山区依托相山林场发展槐花、枣花养蜂产业，渠沟镇绿色蔬菜基地常年供应城区"
            "机关、学校食堂，是“菜篮子”保供的重要来源。</p>"
        ),
    },
]

STORY_INDEX = {
    "slug": "stories",
    "title": "典型案例",
    "intro": "合作社、村集体和脱贫群众的增收故事",
}

STORIES = [
    {
        "slug": "lieshan-cross-village-operation",
        "title": "跨村联营 托管运营——烈山镇走出农旅融合促乡村振兴新路径",
        "date": "2023-11-08",
        "supplier": "淮北塔山石榴专业合作社",
        "summary": (
            "烈山镇以党支部引领合作社发展，推动榴园村等村跨村联营、托管运营，把石榴种植"
            "和乡村旅游连成一片，案例入选全国乡村振兴典型案例巩固成果类前5名。"
        ),
        "body": [
            (
                "rich_text",
                "<p>烈山镇地处淮北市东南部，石榴种植历史悠久。过去各村各自为战，果园分散、"
                "品牌不响、游客留不住。近年来，镇党委推动相邻村联合成立运营主体，"
                "把分散的果园、民宿和农家乐统一托管、统一运营。</p>"
                "<h2>党支部领办，村村抱团</h2>"
                "<p>榴园村牵头，周边村以土地入股、托管服务等方式加入，统一品种改良、统一技术"
                "标准、统一收购销售，“塔山石榴”区域品牌越擦越亮。</p>"
                "<h2>农旅融合，四季有景</h2>"
                "<p>春赏榴花、秋摘石榴，游客在果园采摘、在村里住宿，石榴汁、石榴花茶等加工品"
                "就地销售。脱贫户在果园务工、在景区就业，收入来源更加多元。</p>"
                "<h2>线上线下，一起发力</h2>"
                "<p>合作社入驻惠农集市后，石榴礼盒进入机关、学校食堂的预留份额采购清单，"
                "订单更稳定，价格更合理。</p>",
            ),
            (
                "supplier_card",
                {
                    "supplier": "淮北榴香食品有限公司",
                    "note": "以塔山石榴为原料做深加工，与12个村签订保底收购协议。",
                },
            ),
        ],
        "products": [
            "塔山石榴 精品礼盒 6枚装",
            "塔山石榴 家庭装 5斤",
            "塔山石榴汁 NFC 300ml×12瓶",
        ],
    },
    {
        "slug": "linhuan-tea-house",
        "title": "一碗棒棒茶，香飘千年古镇——临涣茶业带动群众增收",
        "date": "2023-09-20",
        "supplier": "濉溪县临涣古镇茶业商行",
        "summary": (
            "临涣古镇的茶馆文化延续千年，茶业商行把传统棒棒茶做成标准化商品，"
            "通过线上线下渠道销售，带动古镇周边脱贫户务工增收。"
        ),
        "body": [
            (
                "rich_text",
                "<p>在濉溪县临涣镇，清晨的老茶馆里总是坐满了人。一壶棒棒茶、一碗浍河水，"
                "是古镇人几百年来不变的生活方式。</p>"
                "<h2>从茶馆到网店</h2>"
                "<p>茶业商行统一收购、拣选、包装，推出罐装、礼盒装等规格，并在惠农集市开设店铺，"
                "让外地消费者也能喝上正宗的临涣棒棒茶。</p>"
                "<h2>家门口就业</h2>"
                "<p>拣茶、包装等工序吸纳了古镇周边的脱贫群众，农闲时节在家门口就能挣一份工资。</p>",
            ),
        ],
        "products": ["临涣棒棒茶 250g 罐装", "临涣酱包瓜 400g"],
    },
]

STANDARD_PAGES = [
    {
        "slug": "about",
        "title": "关于我们",
        "summary": "惠农集市是淮北市消费帮扶线上平台",
        "body": [
            (
                "rich_text",
                "<p>惠农集市由淮北市乡村振兴局主办，是落实消费帮扶政策、服务脱贫地区农副产品"
                "销售的线上平台。平台上的每一家供应商都经过县区推荐、市级认定；每一件商品都标明"
                "产地、规格、保质期和储存条件。</p>"
                "<h2>我们为谁服务</h2>"
                "<ul><li>市民：选购产地直供的当季农产品；</li>"
                "<li>预算单位：填报并完成食堂食材预留份额采购；</li>"
                "<li>供应商：申请认定、上架商品、处理订单；</li>"
                "<li>乡村振兴部门：审核认定、查看完成进度和销售统计。</li></ul>",
            ),
            ("statistics", {"title": "平台实时数据"}),
        ],
    },
    {
        "slug": "help",
        "title": "帮助中心",
        "summary": "购物、支付、配送和售后常见问题",
        "body": [
            (
                "rich_text",
                "<h2>如何下单？</h2>"
                "<p>在商品页点击“加入购物车”，进入购物车后点击“去结算”，填写收货地址并确认订单，"
                "使用银行卡完成支付即可。</p>"
                "<h2>运费怎么算？</h2>"
                "<p>订单按供应商分别发货，每家供应商单独计算运费；单家满99元包邮（以供应商规则为准）。</p>"
                "<h2>如何退款？</h2>"
                "<p>收到商品有质量问题的，请在签收后48小时内联系客服热线，核实后原路退款。</p>",
            ),
        ],
    },
    {
        "slug": "procurement-guide",
        "title": "采购指南",
        "summary": "预算单位如何在惠农集市完成预留份额采购",
        "body": [
            (
                "rich_text",
                "<h2>第一步：填报预留份额</h2>"
                "<p>采购员登录后，在“预算单位采购”中填写年度食堂食材采购预算和预留份额，"
                "预留比例不得低于年度政策规定的最低比例，提交审核。</p>"
                "<h2>第二步：按份额下单</h2>"
                "<p>审核通过后，采购员选购认定供应商的商品，订单金额从预留份额中扣减；"
                "取消或退款的订单会返还份额。</p>"
                "<h2>第三步：验收与支付</h2>"
                "<p>到货后单位验收，供应商开具发票，单位凭发票对公转账支付。</p>",
            ),
            (
                "product_grid",
                {"title": "食堂常用食材", "source": "county", "county": "340621", "limit": 8},
            ),
        ],
    },
]

#: English translations of standard pages (Wagtail's localisation: the English page of the
#: same address), by slug.
ENGLISH_PAGES = {
    "about": {
        "title": "About us",
        "summary": "Huinong Market is Huaibei's online consumption-assistance marketplace",
        "body": [
            (
                "rich_text",
                "<p>Huinong Market is run by the Huaibei Rural Revitalisation Bureau. It is the "
                "online marketplace through which the city carries out its consumption-assistance "
                "policy and sells farm produce from areas lifted out of poverty. Every supplier "
                "on the market is recommended by its county or district and certified by the city; "
                "every product states its origin, size, shelf life and storage.</p>"
                "<h2>Who we serve</h2>"
                "<ul><li>Residents: seasonal produce straight from the farms;</li>"
                "<li>Budget units: filing and ordering the reserved share of canteen "
                "ingredients;</li>"
                "<li>Suppliers: applying for certification, listing products, handling "
                "orders;</li>"
                "<li>Rural revitalisation offices: reviewing certifications, following progress "
                "and sales figures.</li></ul>",
            ),
            ("statistics", {"title": "Live figures"}),
        ],
    },
    "help": {
        "title": "Help",
        "summary": "Common questions about shopping, payment, delivery and after-sales",
        "body": [
            (
                "rich_text",
                "<h2>How do I order?</h2>"
                "<p>On a product page, press “Add to basket”. In your basket, press “Checkout”, "
                "enter your delivery address, confirm the order and pay by bank card.</p>"
                "<h2>How is delivery charged?</h2>"
                "<p>Each supplier ships its own part of the order and charges its own delivery; "
                "orders of ¥99 or more from one supplier ship free (the supplier’s terms "
                "apply).</p>"
                "<h2>How do I get a refund?</h2>"
                "<p>If goods arrive damaged or spoiled, call the customer service hotline within "
                "48 hours of delivery. Once we have checked, the money goes back to the card you "
                "paid with.</p>",
            ),
        ],
    },
}

# key -> (title, file name, text content)
DOCUMENTS = {
    "filing_template": (
        "预留份额填报模板",
        "reserved-share-filing-template.csv",
        "单位名称,统一社会信用代码,年度食堂食材采购预算（元）,预留份额（元）,工会采购需求（元）,联系人,联系电话\n"
        "淮北市第一中学,12340600XXXXXXXXXX,1200000.00,180000.00,20000.00,刘芳,0561-3000000\n",
    ),
}

FIGURES_2023_TABLE = {
    "first_row_is_table_header": True,
    "first_col_is_header": False,
    "table_header_choice": "row",
    "table_caption": "2023年消费帮扶主要指标",
    "data": [
        ["指标", "2023年", "同比"],
        ["新增农村电商主体", "205家", "—"],
        ["上行农产品网络零售额", "15.98亿元", "+5.2%"],
        ["政府采购脱贫地区农副产品", "604.01万元", "—"],
        ["脱贫人口、监测对象人均纯收入", "17376.3元", "+15.66%"],
        ["出列村集体经济收入", "2052.3万元", "+45.2%"],
    ],
}

# email, family name, given name, group
EDITORIAL_USERS = [
    ("editor@example.com", "高", "文静", "编辑"),
    ("reviewer@example.com", "马", "立军", "审核"),
]
