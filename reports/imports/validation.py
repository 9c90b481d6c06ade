"""Validating rows before anything is written: every problem is kept with its row number
and column; the valid rows come back as unsaved model instances.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import cell_text
from core.validators import validate_credit_code
from regions.models import Region

from ..models import (
    EcommerceEntity,
    EntityMonthlyFigure,
    ImportKind,
)
from .columns import (
    COLUMNS,
    ENTITY_COLUMNS,
    FIGURE_COLUMNS,
    FORMULA_PREFIXES,
    MAX_ERRORS_KEPT,
    PROGRESS_EVERY,
    platform_lookup,
)


class RowErrors:
    def __init__(self):
        self.items: list[dict] = []
        self.count = 0
        self.bad_rows: set[int] = set()

    def add(self, row: int, column, message: str) -> None:
        self.count += 1
        self.bad_rows.add(row)
        if len(self.items) < MAX_ERRORS_KEPT:
            self.items.append({"row": row, "column": str(column), "message": str(message)})


def _cells(kind, mapping, cells) -> dict:
    return {field: cells[i] if i < len(cells) else None for field, i in mapping.items()} | {
        c.field: None for c in COLUMNS[kind] if c.field not in mapping
    }


def _formula_check(values: dict, labels: dict, row: int, errors: RowErrors) -> bool:
    ok = True
    for field, value in values.items():
        if isinstance(value, str) and value.strip().startswith(FORMULA_PREFIXES):
            errors.add(row, labels[field], _("内容以 = + - @ 开头，疑似公式，为安全起见不予导入"))
            ok = False
    return ok


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _month(value) -> datetime.date | None:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _date(value).replace(day=1)
    text = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").rstrip("月")
    for fmt in ("%Y-%m", "%Y%m", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def validate_entities(rows, mapping, scope: Region, errors: RowErrors, progress):
    labels = {c.field: c.label for c in ENTITY_COLUMNS}
    platforms = platform_lookup()
    regions = dict(Region.objects.within(scope).values_list("code", "pk"))
    values = [(n, _cells(ImportKind.ENTITIES, mapping, cells)) for n, cells in rows]
    codes = {cell_text(v["credit_code"]).upper() for _, v in values if cell_text(v["credit_code"])}
    shops = {cell_text(v["shop_name"]) for _, v in values if cell_text(v["shop_name"])}
    taken_codes = set(
        EcommerceEntity.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    )
    taken_shops = set(
        EcommerceEntity.objects.filter(shop_name__in=shops).values_list("platform", "shop_name")
    )
    seen_codes, seen_shops = {}, {}
    today = timezone.localdate()
    valid = []
    for i, (n, v) in enumerate(values, start=1):
        if i % PROGRESS_EVERY == 0:
            progress(i)
        if not _formula_check(v, labels, n, errors):
            continue
        ok = True
        name = cell_text(v["name"])
        if not name:
            errors.add(n, labels["name"], _("必填"))
            ok = False
        elif len(name) > 100:
            errors.add(n, labels["name"], _("不能超过 100 个字"))
            ok = False
        code = cell_text(v["credit_code"]).upper()
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                errors.add(n, labels["credit_code"], exc.messages[0])
                ok = False
            else:
                if code in taken_codes:
                    errors.add(n, labels["credit_code"], _("该信用代码的主体已存在"))
                    ok = False
                elif code in seen_codes:
                    errors.add(
                        n,
                        labels["credit_code"],
                        _("与第 %(row)s 行重复") % {"row": seen_codes[code]},
                    )
                    ok = False
                else:
                    seen_codes[code] = n
        platform = platforms.get(cell_text(v["platform"]).lower())
        if platform is None:
            errors.add(
                n,
                labels["platform"],
                _("平台无法识别：%(value)s") % {"value": cell_text(v["platform"]) or _("空")},
            )
            ok = False
        shop = cell_text(v["shop_name"])
        if not shop:
            errors.add(n, labels["shop_name"], _("必填"))
            ok = False
        elif len(shop) > 100:
            errors.add(n, labels["shop_name"], _("不能超过 100 个字"))
            ok = False
        elif platform:
            if (platform, shop) in taken_shops:
                errors.add(n, labels["shop_name"], _("该平台的此店铺已登记"))
                ok = False
            elif (platform, shop) in seen_shops:
                errors.add(
                    n,
                    labels["shop_name"],
                    _("与第 %(row)s 行重复") % {"row": seen_shops[(platform, shop)]},
                )
                ok = False
            else:
                seen_shops[(platform, shop)] = n
        region_code = cell_text(v["region_code"])
        region_id = regions.get(region_code)
        if region_id is None:
            errors.add(
                n,
                labels["region_code"],
                _("区划代码 %(code)s 不存在或不在您的管辖范围内")
                % {"code": region_code or _("空")},
            )
            ok = False
        registered = _date(v["registered_on"])
        if registered is None:
            errors.add(n, labels["registered_on"], _("日期格式应为 2025-03-18"))
            ok = False
        elif registered > today:
            errors.add(n, labels["registered_on"], _("注册日期不能晚于今天"))
            ok = False
        active_text = cell_text(v["active"])
        if active_text not in ("", "是", "否", "1", "0"):
            errors.add(n, labels["active"], _("请填“是”或“否”"))
            ok = False
        if ok:
            valid.append(
                EcommerceEntity(
                    name=name,
                    credit_code=code,
                    platform=platform,
                    shop_name=shop,
                    region_id=region_id,
                    registered_on=registered,
                    active=active_text not in ("否", "0"),
                )
            )
    return valid


def validate_figures(rows, mapping, scope: Region, errors: RowErrors, progress):
    labels = {c.field: c.label for c in FIGURE_COLUMNS}
    platforms = platform_lookup()
    values = [(n, _cells(ImportKind.FIGURES, mapping, cells)) for n, cells in rows]
    codes = {cell_text(v["credit_code"]).upper() for _, v in values if cell_text(v["credit_code"])}
    shops = {cell_text(v["shop_name"]) for _, v in values if cell_text(v["shop_name"])}
    entities = list(
        EcommerceEntity.objects.filter(region__path__startswith=scope.path)
        .filter(Q(credit_code__in=codes) | Q(shop_name__in=shops))
        .values_list("pk", "credit_code", "platform", "shop_name")
    )
    by_code = {code: pk for pk, code, _, _ in entities if code}
    by_shop = {(platform, shop): pk for pk, _, platform, shop in entities}
    taken = set(
        EntityMonthlyFigure.objects.filter(entity_id__in=[e[0] for e in entities]).values_list(
            "entity_id", "month"
        )
    )
    seen = {}
    this_month = timezone.localdate().replace(day=1)
    valid = []
    for i, (n, v) in enumerate(values, start=1):
        if i % PROGRESS_EVERY == 0:
            progress(i)
        if not _formula_check(v, labels, n, errors):
            continue
        ok = True
        code = cell_text(v["credit_code"]).upper()
        entity_id = None
        if code:
            entity_id = by_code.get(code)
            if entity_id is None:
                errors.add(
                    n,
                    labels["credit_code"],
                    _("找不到该信用代码的电商主体（或不在您的管辖范围内）"),
                )
                ok = False
        else:
            platform = platforms.get(cell_text(v["platform"]).lower())
            shop = cell_text(v["shop_name"])
            if platform is None or not shop:
                errors.add(n, labels["credit_code"], _("请填写信用代码，或填写平台和店铺名称"))
                ok = False
            else:
                entity_id = by_shop.get((platform, shop))
                if entity_id is None:
                    errors.add(
                        n,
                        labels["shop_name"],
                        _("找不到该平台店铺（或不在您的管辖范围内），请先登记电商主体"),
                    )
                    ok = False
        month = _month(v["month"])
        if month is None:
            errors.add(n, labels["month"], _("月份格式应为 2025-03"))
            ok = False
        elif month > this_month:
            errors.add(n, labels["month"], _("月份不能晚于本月"))
            ok = False
        raw_amount = cell_text(v["retail_amount"]).replace(",", "")
        try:
            amount = Decimal(raw_amount)
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.add(n, labels["retail_amount"], _("不是有效的金额"))
            ok = False
        else:
            if amount < 0:
                errors.add(n, labels["retail_amount"], _("不能小于 0"))
                ok = False
            elif amount != amount.quantize(Decimal("0.01")):
                errors.add(n, labels["retail_amount"], _("最多两位小数"))
                ok = False
            elif amount >= Decimal("1e14"):
                errors.add(n, labels["retail_amount"], _("金额过大"))
                ok = False
        count_text = cell_text(v["order_count"])
        order_count = 0
        if count_text:
            if count_text.isdigit():
                order_count = int(count_text)
            else:
                errors.add(n, labels["order_count"], _("应为不小于 0 的整数"))
                ok = False
        if ok:
            key = (entity_id, month)
            if key in taken:
                errors.add(
                    n,
                    labels["month"],
                    _("该主体 %(month)s 的数据已存在") % {"month": f"{month:%Y-%m}"},
                )
                continue
            if key in seen:
                errors.add(n, labels["month"], _("与第 %(row)s 行重复") % {"row": seen[key]})
                continue
            seen[key] = n
            valid.append(
                EntityMonthlyFigure(
                    entity_id=entity_id, month=month, retail_amount=amount, order_count=order_count
                )
            )
    return valid
