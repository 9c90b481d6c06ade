"""Bulk stock and price updates from a supplier's own systems (the API)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..exceptions import StockUpdateError

StockRecord = get_model("partner", "StockRecord")
MAX_PRICE = Decimal("9999999.99")
# The stock column is a 32-bit integer; no farm holds more than this of one product.
MAX_STOCK = 10_000_000


@transaction.atomic
def stock_bulk_update(*, partner, items: list[dict]) -> list:
    """Set ``price`` and/or ``num_in_stock`` of ``partner``'s stock records by SKU, all or
    nothing. Each item is ``{"sku": str, "price": Decimal | None, "num_in_stock": int | None}``.
    A SKU that is not this supplier's (another supplier's included) is reported as not found,
    like a missing one. Raises ``StockUpdateError`` listing every bad row; then nothing changed.
    """
    skus = [item["sku"] for item in items]
    problems = []
    seen = set()
    for index, sku in enumerate(skus):
        if sku in seen:
            problems.append({"index": index, "sku": sku, "error": _("同一 SKU 重复出现。")})
        seen.add(sku)
    records = {
        r.partner_sku: r
        for r in StockRecord.objects.select_for_update()
        .filter(partner=partner, partner_sku__in=skus)
        .order_by("pk")
    }
    for index, item in enumerate(items):
        sku = item["sku"]
        record = records.get(sku)
        if record is None:
            problems.append({"index": index, "sku": sku, "error": _("没有这个 SKU 的商品。")})
            continue
        price, stock = item.get("price"), item.get("num_in_stock")
        if price is None and stock is None:
            problems.append({"index": index, "sku": sku, "error": _("请给出价格或库存。")})
        if price is not None:
            try:
                price = Decimal(price)
            except (InvalidOperation, TypeError, ValueError):
                price = None
                problems.append({"index": index, "sku": sku, "error": _("价格不是有效的数字。")})
            if price is not None and not price.is_finite():
                price = None
                problems.append({"index": index, "sku": sku, "error": _("价格不是有效的数字。")})
            if price is not None and price > MAX_PRICE:
                problems.append(
                    {
                        "index": index,
                        "sku": sku,
                        "error": _("价格不能超过 %(max)s 元。") % {"max": f"{MAX_PRICE:,}"},
                    }
                )
            elif price is not None and price < 0:
                problems.append({"index": index, "sku": sku, "error": _("价格不能为负数。")})
            elif price is not None and price != price.quantize(Decimal("0.01")):
                problems.append({"index": index, "sku": sku, "error": _("价格最多保留两位小数。")})
        if stock is not None:
            allocated = record.num_allocated or 0
            if stock < 0:
                problems.append({"index": index, "sku": sku, "error": _("库存不能为负数。")})
            elif stock > MAX_STOCK:
                problems.append(
                    {
                        "index": index,
                        "sku": sku,
                        "error": _("库存不能超过 %(max)s 件。") % {"max": f"{MAX_STOCK:,}"},
                    }
                )
            elif stock < allocated:
                problems.append(
                    {
                        "index": index,
                        "sku": sku,
                        "error": _("库存不能少于已被订单占用的 %(n)s 件。") % {"n": allocated},
                    }
                )
    if problems:
        raise StockUpdateError(
            _("有 %(n)s 行无法更新，全部未保存。") % {"n": len(problems)}, problems=problems
        )
    updated = []
    for item in items:
        record = records[item["sku"]]
        if item.get("price") is not None:
            record.price = Decimal(item["price"]).quantize(Decimal("0.01"))
        if item.get("num_in_stock") is not None:
            record.num_in_stock = item["num_in_stock"]
        record.save()
        updated.append(record)
    return updated
