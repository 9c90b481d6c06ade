"""The restocking tests' world: the points world's supermarket opened as a buyer on the
marketplace (approval from ¥100 by its approver), this year's policy, the catalogue."""

from dataclasses import dataclass
from decimal import Decimal

from oscar.core.loading import get_model

from points import services
from points.models import Goods, RestockFunding, RestockOrder, StockMove
from procurement.models import BudgetUnit, BudgetUnitMember, QuotaEntry
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import ApprovalRuleFactory

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")


@dataclass
class Shop:
    world: object
    catalogue: dict
    unit: BudgetUnit
    approver: object


def shop_open(world, catalogue) -> Shop:
    unit = services.supermarket_buyer_open(
        supermarket=world.supermarket, credit_code=make_credit_code(770001)
    )
    approver = UserFactory(email="restock-approver-t@example.com", last_name="孙")
    BudgetUnitMember.objects.create(unit=unit, user=approver, role="approver")
    ApprovalRuleFactory(unit=unit, min_amount=Decimal("100.00"))
    return Shop(world=world, catalogue=catalogue, unit=unit, approver=approver)


def place(shop: Shop, *items, funding: dict, user=None, supermarket=None, **kwargs):
    """A restocking order of ``items`` ((product, quantity), ...) by the manager."""
    return services.restock_order_place(
        user=user or shop.world.manager,
        supermarket_id=(supermarket or shop.world.supermarket).pk,
        items=[(product.pk, quantity) for product, quantity in items],
        funding=funding,
        contact_name="赵店长",
        contact_phone="13800001111",
        **kwargs,
    )


def restock_state() -> dict:
    """Everything a refused order or acceptance must leave as it was."""
    return {
        "orders": Order.objects.count(),
        "restocks": RestockOrder.objects.count(),
        "funding": RestockFunding.objects.count(),
        "entries": QuotaEntry.objects.count(),
        "goods": list(Goods.objects.order_by("pk").values_list("pk", "stock", "product_id")),
        "moves": StockMove.objects.count(),
        "open_baskets": Basket.objects.filter(status=Basket.OPEN).count(),
        "memberships": BudgetUnitMember.objects.count(),
    }
