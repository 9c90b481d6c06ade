"""The procurement domain's row locks, in the order every service takes them: the basket
(a submission, ``orders.services.basket_lock_for_submission``), the Oscar order row
(``procurement_order_lock``), stock records (Oscar's allocation, by primary key), settlement
rows, then the filing (``filing_lock``), last. Taken in this order, no two services can
deadlock each other."""

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.locks import row_lock
from orders.services import order_lock

from ..exceptions import ProcurementOrderStateError
from ..models import Filing, ProcurementOrder

Order = get_model("order", "Order")


def procurement_order_lock(order):
    """``(order, procurement)``: the order's row locked until the caller's transaction ends,
    and its procurement details with the unit and the filing. Raises
    ``ProcurementOrderStateError`` for an order that is not a budget unit's."""
    order = order_lock(order)
    procurement = (
        ProcurementOrder.objects.select_related("unit", "filing").filter(order=order).first()
    )
    if procurement is None:
        raise ProcurementOrderStateError(_("这不是预算单位采购订单。"))
    return order, procurement


def filing_lock(*, filing_id: int | None) -> Filing | None:
    """The filing's row locked until the caller's transaction ends: the last lock taken. Its
    policy year comes along, not locked (the ledger reads its spending cap). None for an
    organisation's order that counts toward no filing (the ledger then moves no balance)."""
    if filing_id is None:
        return None
    return row_lock(Filing, pk=filing_id, related=("policy_year",), own_row_only=True)
