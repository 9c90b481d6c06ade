"""供应商: certified suppliers in all four counties, plus a few in other certification states.

``cert`` is (status, days): for certified/expired/revoked suppliers the certificate took effect
that many days ago (valid for two years); for applied/recommended ones the application was
filed that many days ago. ``barcode`` is the supplier's 5-digit prefix in its products' EAN-13.
"""

SUPPLIERS = [
    # 烈山区
    {
        "key": "tashan",
        "name": "淮北塔山石榴专业合作社",
        "type": "cooperative",
        "town": "340604100",
        "address": "淮北市烈山区烈山镇榴园村塔山路18号",
        "contact": "张秀英",
        "phone": "0561-4611208",
        "households": 126,
        "bank": "淮北农村商业银行烈山支行",
        "barcode": "21001",
        "cert": ("certified", 300),
        "introduction": (
            "合作社成立于2012年，位于烈山镇榴园村塔山脚下，种植玉石籽、红软籽等石榴品种"
            "1800余亩。采取“合作社+基地+脱贫户”模式，统一技术、统一收购、统一销售，"
            "常年吸纳周边脱贫户务工，带动户均年增收8000余元。"
        ),
    },
    {
        "key": "liuxiang",
        "name": "淮北榴香食品有限公司",
        "type": "enterprise",
        "town": "340604101",
        "address": "淮北市烈山区宋疃镇工业集中区榴香路6号",
        "contact": "孙建华",
        "phone": "0561-4856702",
        "households": 64,
        "bank": "中国农业银行淮北烈山支行",
        "barcode": "21002",
        "cert": ("certified", 410),
        "introduction": (
            "公司专注石榴深加工，以塔山石榴为原料生产NFC石榴汁、石榴果酒和石榴花茶，"
            "与烈山镇、宋疃镇12个村签订保底收购协议，解决次果、小果销路问题。"
        ),
    },
    {
        "key": "gurao",
        "name": "淮北市烈山区古饶黑猪养殖专业合作社",
        "type": "cooperative",
        "town": "340604102",
        "address": "淮北市烈山区古饶镇赵集村养殖小区",
        "contact": "赵德胜",
        "phone": "13956132418",
        "households": 48,
        "bank": "中国邮政储蓄银行淮北市烈山区支行",
        "barcode": "21003",
        "cert": ("certified", 150),
        "introduction": (
            "合作社采用林下生态散养方式饲养淮北本地黑猪，出栏周期10个月以上，"
            "饲料以玉米、麸皮和青饲料为主。脱贫户以“代养分红”方式入社，年出栏黑猪3000余头。"
        ),
    },
    # 杜集区
    {
        "key": "duanyuan",
        "name": "淮北市杜集区段园葡萄种植专业合作社",
        "type": "cooperative",
        "town": "340602102",
        "address": "淮北市杜集区段园镇大庄村葡萄产业园",
        "contact": "李运来",
        "phone": "0561-2951136",
        "households": 152,
        "bank": "淮北农村商业银行杜集支行",
        "barcode": "21004",
        "cert": ("certified", 520),
        "introduction": (
            "段园镇种植葡萄已有四十余年，段园葡萄获农产品地理标志登记。合作社拥有避雨栽培"
            "大棚2600亩，种植巨峰、夏黑、阳光玫瑰等品种，并建有葡萄干、葡萄酒加工车间。"
        ),
    },
    {
        "key": "shuoli",
        "name": "淮北市杜集区朔里镇鑫源家庭农场",
        "type": "family_farm",
        "town": "340602100",
        "address": "淮北市杜集区朔里镇南山村四组",
        "contact": "王海军",
        "phone": "15805612736",
        "households": 23,
        "bank": "淮北农村商业银行朔里支行",
        "barcode": "21005",
        "cert": ("certified", 95),
        "introduction": (
            "农场经营黄桃园380亩、草莓大棚40座，利用采煤塌陷区复垦土地发展果园，"
            "雇用周边脱贫户从事疏果、采摘、分拣等工作。"
        ),
    },
    {
        "key": "shitai",
        "name": "淮北市杜集区石台镇菌菇种植专业合作社",
        "type": "cooperative",
        "town": "340602101",
        "address": "淮北市杜集区石台镇石台村菌菇产业园3号棚",
        "contact": "周玉兰",
        "phone": "0561-2860519",
        "households": 71,
        "bank": "中国农业银行淮北杜集支行",
        "barcode": "21006",
        "cert": ("certified", 240),
        "introduction": (
            "合作社建有标准化菇棚120座，利用秸秆、木屑等农业废弃物生产香菇、平菇、杏鲍菇，"
            "向脱贫户免费提供菌棒和技术指导，统一回收产品。"
        ),
    },
    # 相山区
    {
        "key": "qugou",
        "name": "淮北市相山区渠沟镇绿源蔬菜专业合作社",
        "type": "cooperative",
        "town": "340603100",
        "address": "淮北市相山区渠沟镇钟楼村蔬菜基地",
        "contact": "刘长春",
        "phone": "0561-3991427",
        "households": 58,
        "bank": "淮北农村商业银行相山支行",
        "barcode": "21007",
        "cert": ("certified", 180),
        "introduction": (
            "合作社经营设施蔬菜基地850亩，其中有机认证基地120亩，主要供应全市机关、学校食堂，"
            "实行订单种植，脱贫户以土地入股并在基地务工。"
        ),
    },
    {
        "key": "huaihua",
        "name": "淮北市相山区南黎槐花蜂蜜商行",
        "type": "individual",
        "town": "340603006",
        "address": "淮北市相山区南黎街道相山南路118号",
        "contact": "黄桂芳",
        "phone": "13805617095",
        "households": 15,
        "bank": "中国邮政储蓄银行淮北市分行",
        "barcode": "21008",
        "cert": ("certified", 60),
        "introduction": (
            "商行收购相山、龙脊山一带蜂农的槐花蜜、枣花蜜，统一检测、灌装，"
            "帮助分散养蜂的脱贫户稳定销路。"
        ),
    },
    {
        "key": "xiangcheng",
        "name": "淮北市相城食品有限公司",
        "type": "enterprise",
        "town": "340603008",
        "address": "淮北市相山区任圩街道凤凰山食品产业园12号",
        "contact": "马丽",
        "phone": "0561-3126688",
        "households": 40,
        "bank": "徽商银行淮北分行",
        "barcode": "21009",
        "cert": ("certified", 330),
        "introduction": (
            "公司传承淮北“烙馍卷馓子”等传统面食手艺，生产烙馍、馓子、芝麻糖和地方特产礼盒，"
            "原料面粉、芝麻全部采购自濉溪县脱贫村。"
        ),
    },
    # 濉溪县
    {
        "key": "kouzi",
        "name": "濉溪县口子酒业有限公司",
        "type": "enterprise",
        "town": "340621100",
        "address": "濉溪县濉溪镇老城南街66号",
        "contact": "陈立新",
        "phone": "0561-6012366",
        "households": 85,
        "bank": "中国农业银行濉溪县支行",
        "barcode": "21010",
        "cert": ("certified", 450),
        "introduction": (
            "濉溪古称“相城”，酿酒历史可追溯至春秋时期。公司以本地小麦、高粱为原料，"
            "采用老窖固态发酵工艺酿造浓香型白酒，与五沟、韩村等镇签订高粱订单种植协议。"
        ),
    },
    {
        "key": "wugou",
        "name": "濉溪县五沟镇丰禾粮食种植专业合作社",
        "type": "cooperative",
        "town": "340621103",
        "address": "濉溪县五沟镇五沟村粮食烘储中心",
        "contact": "杨明",
        "phone": "0561-6851203",
        "households": 210,
        "bank": "安徽濉溪农村商业银行五沟支行",
        "barcode": "21011",
        "cert": ("certified", 270),
        "introduction": (
            "合作社托管耕地1.2万亩，种植优质强筋小麦，配套烘干、仓储和面粉加工，"
            "生产小麦粉、石磨全麦粉和手工挂面，是全市机关食堂面粉主要供应商之一。"
        ),
    },
    {
        "key": "linhuantea",
        "name": "濉溪县临涣古镇茶业商行",
        "type": "individual",
        "town": "340621104",
        "address": "濉溪县临涣镇老街文昌宫东50米",
        "contact": "邵振东",
        "phone": "13966152840",
        "households": 12,
        "bank": "安徽濉溪农村商业银行临涣支行",
        "barcode": "21012",
        "cert": ("certified", 420),
        "introduction": (
            "临涣茶馆历史悠久，当地人用回龙泉水冲泡“棒棒茶”。商行经营棒棒茶及花茶，"
            "吸纳古镇脱贫户参与挑拣、包装。"
        ),
    },
    {
        "key": "linhuanjiang",
        "name": "濉溪县临涣酱园食品有限公司",
        "type": "enterprise",
        "town": "340621104",
        "address": "濉溪县临涣镇工业园酱园路2号",
        "contact": "徐卫东",
        "phone": "0561-6731158",
        "households": 36,
        "bank": "中国工商银行濉溪支行",
        "barcode": "21013",
        "cert": ("certified", 200),
        "introduction": (
            "公司传承临涣酱园百年酿造工艺，以本地菜瓜腌制酱包瓜，并生产腐乳、辣椒酱，"
            "与周边农户签订菜瓜、辣椒收购合同。"
        ),
    },
    {
        "key": "baishan",
        "name": "濉溪县百善镇康林土鸡养殖家庭农场",
        "type": "family_farm",
        "town": "340621108",
        "address": "濉溪县百善镇黄新庄村东林地",
        "contact": "康林",
        "phone": "15056128473",
        "households": 27,
        "bank": "安徽濉溪农村商业银行百善支行",
        "barcode": "21014",
        "cert": ("certified", 130),
        "introduction": (
            "农场在杨树林下散养土鸡1.5万羽，鸡群以玉米、青草、虫子为食，"
            "向脱贫户提供鸡苗和饲料，回收鸡蛋统一销售。"
        ),
    },
    {
        "key": "sipu",
        "name": "濉溪县四铺镇山药种植专业合作社",
        "type": "cooperative",
        "town": "340621110",
        "address": "濉溪县四铺镇四铺村农产品加工厂",
        "contact": "吴桂英",
        "phone": "0561-6921037",
        "households": 96,
        "bank": "安徽濉溪农村商业银行四铺支行",
        "barcode": "21015",
        "cert": ("certified", 560),
        "introduction": (
            "合作社种植铁棍山药、烟薯、紫薯2000余亩，建有红薯粉丝、红薯干加工线，"
            "农闲时吸纳脱贫户在加工厂务工。"
        ),
    },
    {
        "key": "tiefo",
        "name": "濉溪县铁佛镇李记小磨香油坊",
        "type": "individual",
        "town": "340621106",
        "address": "濉溪县铁佛镇铁佛街南段88号",
        "contact": "李长富",
        "phone": "13855183264",
        "households": 18,
        "bank": "中国邮政储蓄银行濉溪县支行",
        "barcode": "21016",
        "cert": ("certified", 380),
        "introduction": (
            "油坊三代传承石磨水代法工艺，收购本地芝麻、花生压榨香油和花生油，"
            "优先收购脱贫户种植的芝麻，价格高于市场价5%。"
        ),
    },
    {
        "key": "shuangdui",
        "name": "濉溪县双堆集镇红色家园家庭农场",
        "type": "family_farm",
        "town": "340621105",
        "address": "濉溪县双堆集镇尖谷堆村",
        "contact": "任宏伟",
        "phone": "18756107329",
        "households": 32,
        "bank": "安徽濉溪农村商业银行双堆支行",
        "barcode": "21017",
        # the certification expires within a month: the renewal reminder in the demo
        "cert": ("certified", 712),
        "introduction": (
            "农场位于淮海战役双堆集战斗遗址附近，种植小米、黄豆、绿豆、花生等杂粮，"
            "坚持不打除草剂、人工除草，雇用本村脱贫户田间管理。"
        ),
    },
    {
        "key": "nanping",
        "name": "濉溪县南坪镇稻香家庭农场",
        "type": "family_farm",
        "town": "340621107",
        "address": "濉溪县南坪镇浍河南岸稻田基地",
        "contact": "郑国庆",
        "phone": "13605619852",
        "households": 21,
        "bank": "安徽濉溪农村商业银行南坪支行",
        "barcode": "21018",
        "cert": ("certified", 45),
        "introduction": (
            "农场沿浍河种植优质粳稻600亩、酥梨园150亩，引浍河水灌溉，稻米现磨现发，"
            "带动周边脱贫户流转土地并在农场务工。"
        ),
    },
    {
        "key": "hancun",
        "name": "濉溪县韩村镇牧源肉羊养殖专业合作社",
        "type": "cooperative",
        "town": "340621101",
        "address": "濉溪县韩村镇韩村集东养殖园区",
        "contact": "韩守成",
        "phone": "0561-6812495",
        "households": 54,
        "bank": "中国农业银行濉溪县支行",
        "barcode": "21019",
        "cert": ("certified", 610),
        "introduction": (
            "合作社饲养本地山羊和湖羊，采用“公司+合作社+农户”代养模式，"
            "并开发淮北羊肉汤速食产品，带动脱贫户养羊增收。"
        ),
    },
    # Suppliers that are not (or no longer) certified: their products must not be buyable.
    {
        "key": "jinsui",
        "name": "濉溪县孙疃镇金穗家庭农场",
        "type": "family_farm",
        "town": "340621109",
        "address": "濉溪县孙疃镇孙疃村三组",
        "contact": "孙立军",
        "phone": "15955117264",
        "households": 9,
        "bank": "安徽濉溪农村商业银行孙疃支行",
        "barcode": "21020",
        "cert": ("applied", 6),
        "introduction": "农场种植玉米、黑豆等杂粮300亩，正在申请消费帮扶供应商认定。",
    },
    {
        "key": "hefeng",
        "name": "淮北市杜集区高岳禾丰粮油商行",
        "type": "individual",
        "town": "340602001",
        "address": "淮北市杜集区高岳街道高岳路206号",
        "contact": "何丰",
        "phone": "13637018245",
        "households": 11,
        "bank": "淮北农村商业银行高岳支行",
        "barcode": "21021",
        "cert": ("recommended", 15),
        "introduction": "商行收购本地油菜籽压榨菜籽油，已获杜集区推荐，等待市级认定。",
    },
    {
        "key": "dongshan",
        "name": "淮北市相山区东山果蔬专业合作社",
        "type": "cooperative",
        "town": "340603004",
        "address": "淮北市相山区东山街道东山路山楂园",
        "contact": "曹永红",
        "phone": "0561-3052671",
        "households": 19,
        "bank": "淮北农村商业银行东山支行",
        "barcode": "21022",
        "cert": ("expired", 760),
        "introduction": "合作社种植相山山楂，认定已到期，尚未提交续期申请。",
    },
    {
        "key": "fumin",
        "name": "淮北市烈山区杨庄富民养殖专业合作社",
        "type": "cooperative",
        "town": "340604002",
        "address": "淮北市烈山区杨庄街道杨庄村养殖场",
        "contact": "冯大伟",
        "phone": "13956187702",
        "households": 14,
        "bank": "中国邮政储蓄银行淮北市烈山区支行",
        "barcode": "21023",
        "cert": ("revoked", 200),
        "introduction": "合作社散养麻鸭。因带贫信息不实，认定已被撤销。",
    },
]
