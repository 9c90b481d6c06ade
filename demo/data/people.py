"""演示账号: one per role; the password of all of them is ``DEMO_PASSWORD``."""

DEMO_PASSWORD = "huinong-demo"  # noqa: S105  (public demo password, printed by `make demo`)

# email, family name, given name
USERS = [
    ("admin@example.com", "周", "明远"),
    ("consumer@example.com", "王", "小雨"),
    ("supplier@example.com", "张", "秀英"),
    ("supplier2@example.com", "陈", "立新"),
    ("purchaser@example.com", "刘", "芳"),
    ("approver@example.com", "赵", "国强"),
    ("city@example.com", "孙", "伟"),
    ("county@example.com", "吴", "海燕"),
    ("finance@example.com", "郑", "晓华"),
    ("supervisor@example.com", "钱", "建国"),
    ("consumer2@example.com", "李", "娜"),
    ("consumer3@example.com", "黄", "志强"),
    ("consumer4@example.com", "徐", "静"),
    ("consumer5@example.com", "朱", "晓东"),
    ("clerk@example.com", "蒋", "红梅"),
    ("clerk2@example.com", "马", "文军"),
    ("shopkeeper@example.com", "周", "德顺"),
    ("village-head@example.com", "蒋", "立新"),
    ("union@example.com", "孙", "丽"),
    ("union-chair@example.com", "高", "建华"),
    ("staffer@example.com", "何", "晓梅"),
    # Nine more staff of 淮北市第一中学 linked to it (the “八进” step).
    ("staff02@example.com", "杨", "建军"),
    ("staff03@example.com", "黄", "丽萍"),
    ("staff04@example.com", "许", "文博"),
    ("staff05@example.com", "韩", "雪"),
    ("staff06@example.com", "冯", "志刚"),
    ("staff07@example.com", "曹", "秀兰"),
    ("staff08@example.com", "彭", "浩"),
    ("staff09@example.com", "董", "春燕"),
    ("staff10@example.com", "袁", "立伟"),
    # 淮北矿业集团, its union and 淮北矿工总医院 (the “八进” step).
    ("enterprise@example.com", "程", "国栋"),
    ("mine-union@example.com", "罗", "红"),
    ("mine-union-chair@example.com", "唐", "振华"),
    ("hospital@example.com", "宋", "佳"),
]

SUPERUSERS = ["admin@example.com"]

# supplier key -> staff emails
SUPPLIER_STAFF = {
    "tashan": ["supplier@example.com"],
    "kouzi": ["supplier2@example.com"],
}

# email, region code, level, bureau name, office kind (乡村振兴局 rural / 财政局 finance)
BUREAU_STAFF = [
    ("city@example.com", "340600", "city", "淮北市乡村振兴局", "rural"),
    ("finance@example.com", "340600", "city", "淮北市财政局", "finance"),
    ("county@example.com", "340621", "county", "濉溪县乡村振兴局", "rural"),
]

# budget unit name, email, role
UNIT_MEMBERS = [
    ("淮北市第一中学", "purchaser@example.com", "purchaser"),
    ("淮北市第一中学", "approver@example.com", "approver"),
    # 淮北市教育局 supervises the school: its 主管审核人 pre-reviews the school's filings.
    ("淮北市教育局", "supervisor@example.com", "reviewer"),
]
