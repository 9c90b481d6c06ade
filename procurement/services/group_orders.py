"""Group orders (多地址配送): a union's holiday order delivered to many addresses.

The unit's purchaser gives the order its address list (``orders.group_orders`` reads and
checks it) while nothing is shipped; each supplier then ships its parcel to each address
(``suppliers.services.group_shipment_ship``) and the unit accepts each parcel as a shipment
(``procurement_shipment_accept``). When the last one is accepted the order is 已验收 and the
settlements wait for the suppliers' invoices, as for any order.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from orders.exceptions import GroupAddressListError
from orders.group_orders import address_rows_read, group_addresses_replace
from orders.models import OrderStatus, Shipment

from ..access import unit_require_role
from ..exceptions import (
    AcceptanceQuantityError,
    GroupAddressListRefusedError,
    GroupParcelNotFoundError,
    ProcurementOrderStateError,
    ProcurementPermissionError,
)
from ..models import MemberRole
from .fulfilment import procurement_shipment_accept
from .locks import procurement_order_lock

#: An address list may be given or replaced until the first parcel is shipped.
_LIST_EDITABLE = (OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED)


def _refused(error: GroupAddressListError) -> GroupAddressListRefusedError:
    return GroupAddressListRefusedError(str(error), errors=error.errors)


def group_order_addresses_import(*, order, user, data: bytes) -> int:
    """Make the uploaded list (.xlsx bytes) the order's address list and split the order
    into one shipment per supplier and address; returns the number of addresses. Only the
    unit's purchasers and admins, only before anything is shipped. Refusals, with nothing
    written: ``ProcurementPermissionError`` (403), ``ProcurementOrderStateError`` (409), and
    ``GroupAddressListRefusedError`` (400) with every row's problems — any bad row refuses
    the whole list."""
    try:
        rows = address_rows_read(data)
    except GroupAddressListError as error:
        rows_error = error
    else:
        rows_error = None
    with transaction.atomic():
        order, procurement = procurement_order_lock(order)
        unit_require_role(
            user=user,
            unit=procurement.unit,
            roles=(MemberRole.PURCHASER, MemberRole.ADMIN),
            error=ProcurementPermissionError,
        )
        if order.status not in _LIST_EDITABLE or order.shipping_events.exists():
            raise ProcurementOrderStateError(
                _("订单已开始发货或已结束（%(status)s），不能再导入地址清单。")
                % {"status": _(order.status)}
            )
        if rows_error is not None:
            raise _refused(rows_error)
        try:
            addresses = group_addresses_replace(order=order, rows=rows)
        except GroupAddressListError as error:
            raise _refused(error) from error
    return len(addresses)


def group_order_accept_shipped(*, order, user) -> int:
    """Accept in full every parcel of a group order that is shipped and not yet accepted
    (each one as ``procurement_shipment_accept`` would); returns how many. A refusal of one
    stops there: those accepted before it stay accepted."""
    pending = list(
        Shipment.objects.filter(
            order=order, shipping_event__isnull=False, shipping_event__acceptance__isnull=True
        )
        .select_related("shipping_event")
        .order_by("address__row", "partner_id")
    )
    for shipment in pending:
        procurement_shipment_accept(shipping_event=shipment.shipping_event, user=user)
    return len(pending)


def group_parcel_accept(
    *,
    order,
    shipping_event_id: int,
    user,
    quantities: dict[int, tuple[int, int, int]],
    reason: str = "",
    at: datetime.datetime | None = None,
):
    """Accept one shipped parcel of a group order with what was really received:
    ``quantities`` maps a line id to (accepted, short, damaged), as for any shipment
    (``procurement_shipment_accept``, which counts the accepted amount and releases the
    rest). A parcel with anything short or damaged needs the ``reason``; it is the
    acceptance's note. Refusals, with nothing written: ``GroupParcelNotFoundError`` (404,
    not a shipped parcel of this order), ``AcceptanceQuantityError`` (no reason for a
    shortfall, or quantities that do not add up), and those of
    ``procurement_shipment_accept``."""
    shipment = (
        Shipment.objects.filter(
            order=order, shipping_event_id=shipping_event_id, shipping_event__isnull=False
        )
        .select_related("shipping_event")
        .first()
    )
    if shipment is None:
        raise GroupParcelNotFoundError()
    reason = reason.strip()
    if any(short or damaged for _a, short, damaged in quantities.values()) and not reason:
        raise AcceptanceQuantityError(_("包裹有短少或破损时，请填写原因。"))
    return procurement_shipment_accept(
        shipping_event=shipment.shipping_event,
        user=user,
        quantities=quantities,
        note=reason,
        at=at,
    )
