"""Quick reorder and saved purchase lists (常购清单): they fill the purchaser's basket with
what is still purchasable; the order itself goes through the normal checkout."""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..access import unit_require_member, unit_require_purchaser
from ..exceptions import OrderItemsInvalidError
from ..models import PurchaseList, PurchaseListItem
from ..portal_cache import units_changed

Product = get_model("catalogue", "Product")


def basket_add_items(*, basket, items: list[tuple[int, int]]) -> tuple[int, list[str]]:
    """Add ``(product id, quantity)`` pairs to ``basket`` (with its strategy); products that
    are no longer purchasable are skipped. Returns (lines added, titles skipped)."""
    ids = [pk for pk, _qty in items]
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in=ids).prefetch_related("stockrecords__partner")
    }
    purchasable = set(Product.objects.purchasable().filter(pk__in=ids).values_list("pk", flat=True))
    added, skipped = 0, []
    for pk, quantity in items:
        product = products.get(pk)
        if product is None:
            continue
        info = basket.strategy.fetch_for_product(product)
        if pk not in purchasable or not info.availability.is_available_to_buy:
            skipped.append(product.get_title())
            continue
        allowed, _message = basket.is_quantity_allowed(quantity, line=None)
        if not allowed:
            skipped.append(product.get_title())
            continue
        basket.add_product(product, quantity)
        added += 1
    return added, skipped


def reorder_to_basket(*, procurement, user, basket) -> tuple[int, list[str]]:
    """Put the lines of a past procurement order of the user's unit into the basket again."""
    unit_require_purchaser(user=user, unit=procurement.unit)
    items = [
        (line.product_id, line.quantity)
        for line in procurement.order.lines.all()
        if line.product_id is not None
    ]
    return basket_add_items(basket=basket, items=items)


def purchase_list_save(
    *, unit, user, name: str, items: list[tuple[int, int]], purchase_list=None
) -> PurchaseList:
    """Create or replace a saved purchase list of the unit."""
    unit_require_purchaser(user=user, unit=unit)
    name = (name or "").strip()
    if not name:
        raise OrderItemsInvalidError(_("请填写清单名称。"))
    items = [(pk, qty) for pk, qty in items if qty and qty > 0]
    if not items:
        raise OrderItemsInvalidError(_("清单里至少要有一件商品。"))
    with transaction.atomic():
        if purchase_list is None:
            if PurchaseList.objects.filter(unit=unit, name=name).exists():
                raise OrderItemsInvalidError(_("已有同名清单，请换一个名称。"))
            purchase_list = PurchaseList.objects.create(unit=unit, name=name, created_by=user)
        else:
            purchase_list.items.all().delete()
        PurchaseListItem.objects.bulk_create(
            PurchaseListItem(purchase_list=purchase_list, product_id=pk, quantity=qty)
            for pk, qty in items
        )
        units_changed(unit_ids=[unit.pk])  # bulk_create sends no signal
    return purchase_list


def purchase_list_add_to_basket(*, purchase_list, user, basket) -> tuple[int, list[str]]:
    unit_require_member(user=user, unit=purchase_list.unit)
    items = list(purchase_list.items.values_list("product_id", "quantity"))
    return basket_add_items(basket=basket, items=items)
