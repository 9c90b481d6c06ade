"""The columns of each import kind, as the templates and the header check name them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..models import (
    ImportKind,
    Platform,
)

FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_ERRORS_KEPT = 1000
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    required: bool
    help: str


ENTITY_COLUMNS = (
    Column("name", gettext_lazy("主体名称"), True, gettext_lazy("必填，如：濉溪县某某农产品电商")),
    Column(
        "credit_code", gettext_lazy("统一社会信用代码"), False, gettext_lazy("18 位，个体网店可空")
    ),
    Column(
        "platform",
        gettext_lazy("平台"),
        True,
        gettext_lazy("淘宝、天猫、京东、拼多多、抖音、快手、832平台、微信小店、其他"),
    ),
    Column("shop_name", gettext_lazy("店铺名称"), True, gettext_lazy("平台上的店铺名")),
    Column(
        "region_code",
        gettext_lazy("区划代码"),
        True,
        gettext_lazy("如 340621（濉溪县）或乡镇 9 位代码"),
    ),
    Column("registered_on", gettext_lazy("注册日期"), True, gettext_lazy("如 2025-03-18")),
    Column("active", gettext_lazy("是否在营"), False, gettext_lazy("是 / 否，空为是")),
)
FIGURE_COLUMNS = (
    Column(
        "credit_code",
        gettext_lazy("统一社会信用代码"),
        False,
        gettext_lazy("与“平台+店铺名称”二选一"),
    ),
    Column("platform", gettext_lazy("平台"), False, gettext_lazy("无信用代码时必填")),
    Column("shop_name", gettext_lazy("店铺名称"), False, gettext_lazy("无信用代码时必填")),
    Column("month", gettext_lazy("月份"), True, gettext_lazy("如 2025-03")),
    Column(
        "retail_amount",
        gettext_lazy("网络零售额（元）"),
        True,
        gettext_lazy("不小于 0，最多两位小数"),
    ),
    Column("order_count", gettext_lazy("订单数"), False, gettext_lazy("整数，可空")),
)
PURCHASE_832_COLUMNS = (
    Column(
        "unit_credit_code",
        gettext_lazy("单位统一社会信用代码"),
        True,
        gettext_lazy("预算单位的 18 位代码"),
    ),
    Column("unit_name", gettext_lazy("单位名称"), False, gettext_lazy("可空；填写时须与代码一致")),
    Column("month", gettext_lazy("月份"), True, gettext_lazy("如 2025-03")),
    Column(
        "region_code",
        gettext_lazy("供应商所在地区代码"),
        True,
        gettext_lazy("脱贫地区的区划代码，如 340621（濉溪县）"),
    ),
    Column(
        "amount",
        gettext_lazy("采购金额（元）"),
        True,
        gettext_lazy("大于 0，最多两位小数"),
    ),
    Column("order_count", gettext_lazy("订单数"), False, gettext_lazy("整数，可空")),
)
COLUMNS = {
    ImportKind.ENTITIES: ENTITY_COLUMNS,
    ImportKind.FIGURES: FIGURE_COLUMNS,
    ImportKind.PURCHASES_832: PURCHASE_832_COLUMNS,
}


def platform_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Platform.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    lookup["832"] = Platform.P832
    return lookup
