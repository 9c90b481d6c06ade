"""Restocking from the marketplace (集市补货). The supermarket buys as a "八进" organisation
of type ``points_supermarket`` (its ``buyer``): the order is placed by the procurement
checkout (``procurement_order_submit_items``: certified suppliers only, the unit's approval
rules, channel ``points_supermarket``, no reserved share), shipped in the supplier portal,
accepted per shipment and paid by transfer exactly as any unit's order. What the points
scheme adds: the funding sources the order is paid from (they add up to its total exactly),
and, inside each acceptance's transaction, the accepted quantities on the shelf
(``restock_stock_on_acceptance``, registered in ``procurement.hooks``)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import ZERO, yuan
from procurement.exceptions import AcceptanceQuantityError
from procurement.models import (
    POINTS_SUPERMARKET_TYPE,
    BudgetUnit,
    BudgetUnitMember,
    MemberRole,
    RegistrationStatus,
    UnitKind,
)
from procurement.services import procurement_order_submit_items, procurement_shipment_accept

from ..access import manager_require
from ..exceptions import (
    PointsPermissionError,
    RestockFundingError,
    RestockNotFoundError,
    RestockNotOpenError,
)
from ..models import (
    FundingSource,
    Goods,
    RestockFunding,
    RestockOrder,
    StockMoveKind,
    Supermarket,
)
from .ledger import goods_lock, stock_move_append
from .shop import supermarket_for_manager

ShippingEvent = get_model("order", "ShippingEvent")

MAX_POINTS_PRICE = 100_000


def supermarket_buyer_open(*, supermarket: Supermarket, credit_code: str, by=None) -> BudgetUnit:
    """Register the supermarket as a buyer on the marketplace: an approved organisation of
    type ``points_supermarket`` in its town, whose purchasers and admins are the
    supermarket's managers (the admins set its approval rules and approvers on
    ``/procurement/members/``). Idempotent: a supermarket with a buyer keeps it."""
    with transaction.atomic():
        supermarket = Supermarket.objects.select_for_update().get(pk=supermarket.pk)
        if supermarket.buyer_id is None:
            unit = BudgetUnit(
                name=supermarket.name,
                credit_code=credit_code,
                region=supermarket.town,
                kind=UnitKind.ORGANISATION,
                org_type=POINTS_SUPERMARKET_TYPE,
                address=supermarket.address,
                registration_status=RegistrationStatus.APPROVED,
                registered_by=by,
                reviewed_at=timezone.now(),
            )
            unit.full_clean(exclude=["members"])
            unit.save()
            supermarket.buyer = unit
            supermarket.save(update_fields=["buyer"])
        for user in supermarket.managers.all():
            for role in (MemberRole.PURCHASER, MemberRole.ADMIN):
                BudgetUnitMember.objects.get_or_create(unit=supermarket.buyer, user=user, role=role)
    return supermarket.buyer


def _buyer_for(*, user, supermarket: Supermarket) -> BudgetUnit:
    """The supermarket's buyer unit, with ``user`` (a manager, checked before) among its
    purchasers: the supermarket's managers are its buyers."""
    unit = supermarket.buyer
    if unit is None or not unit.is_active:
        raise RestockNotOpenError()
    BudgetUnitMember.objects.get_or_create(unit=unit, user=user, role=MemberRole.PURCHASER)
    return unit


def funding_parse(funding: dict) -> dict[str, Decimal]:
    """``{source: amount}`` checked: known sources only, amounts in yuan to the fen, not
    negative; sources left at zero are dropped. Raises ``RestockFundingError``."""
    labels = dict(FundingSource.choices)
    unknown = [str(source) for source in funding if source not in labels]
    if unknown:
        raise RestockFundingError(
            _("未知的资金来源：%(sources)s。资金来源只能是帮扶单位捐赠、村集体经济收入、财政补助。")
            % {"sources": "、".join(unknown)}
        )
    parsed = {}
    for source, raw in funding.items():
        try:
            amount = Decimal(str(raw).strip() or "0")
        except InvalidOperation as exc:
            raise RestockFundingError(
                _("“%(source)s”的金额不是有效数字。") % {"source": labels[source]}
            ) from exc
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise RestockFundingError(
                _("“%(source)s”的金额须为不小于 0 的数，最多两位小数。")
                % {"source": labels[source]}
            )
        if amount:
            parsed[source] = amount.quantize(Decimal("0.01"))
    if not parsed:
        raise RestockFundingError(_("请填写本单的资金来源及金额。"))
    return parsed


def restock_order_place(
    *,
    user,
    supermarket_id: int,
    items: list[tuple[int, int]],
    funding: dict,
    contact_name: str,
    contact_phone: str,
    fingerprint: str | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> RestockOrder:
    """A manager orders ``items`` (``(product id, quantity)`` pairs) for the supermarket on
    the marketplace, paid from ``funding`` (``{source: amount}``), through the procurement
    checkout: the order waits for the buyer unit's approvers when its rules ask for it.

    Refusals (nothing written: no order, no funding, no basket): ``PointsPermissionError``
    (not a manager of this supermarket), ``RestockNotOpenError`` (no buyer unit),
    ``RestockFundingError`` (an unknown source, a bad amount, or amounts that do not add up
    to the order's total to the fen), and the checkout's own refusals
    (``procurement.exceptions``: products not of a certified supplier or without stock,
    ``BasketChangedError`` when ``fingerprint`` no longer matches, no policy year)."""
    supermarket = supermarket_for_manager(user=user, supermarket_id=supermarket_id)
    parsed = funding_parse(funding)
    at = at or timezone.now()
    with transaction.atomic():
        unit = _buyer_for(user=user, supermarket=supermarket)
        order = procurement_order_submit_items(
            user=user,
            unit=unit,
            filing=None,
            items=items,
            fingerprint=fingerprint,
            canteen=supermarket.name,
            delivery_address=supermarket.address or supermarket.name,
            contact_name=contact_name,
            contact_phone=contact_phone,
            invoice_title=unit.name,
            tax_number=unit.credit_code,
            note=note,
            at=at,
        )
        total = order.total_incl_tax
        funded = sum(parsed.values(), ZERO)
        if funded != total:
            raise RestockFundingError(
                _(
                    "资金来源合计 %(funded)s，与订单金额 %(total)s 不一致，订单未提交。"
                    "各来源金额之和须正好等于订单金额。"
                )
                % {"funded": yuan(funded), "total": yuan(total)}
            )
        restock = RestockOrder.objects.create(
            supermarket=supermarket, order=order, total=total, placed_by=user, placed_at=at
        )
        RestockFunding.objects.bulk_create(
            RestockFunding(restock=restock, source=source, amount=amount)
            for source, amount in sorted(parsed.items())
        )
    return restock


def restock_for_manager(*, user, number: str) -> RestockOrder:
    restock = (
        RestockOrder.objects.select_related("supermarket", "order")
        .filter(order__number=number)
        .first()
    )
    if restock is None:
        raise RestockNotFoundError()
    try:
        manager_require(user=user, supermarket=restock.supermarket)
    except PointsPermissionError as exc:
        raise RestockNotFoundError() from exc
    return restock


def points_prices_parse(prices: dict) -> dict[int, int]:
    """``{product id: points price}`` for goods new on the shelf: positive whole numbers."""
    parsed = {}
    for product_id, raw in prices.items():
        raw = str(raw).strip()
        if not raw:
            continue
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 0 < value <= MAX_POINTS_PRICE:
            raise AcceptanceQuantityError(
                _("兑换积分须为 1 到 %(max)s 之间的整数。") % {"max": MAX_POINTS_PRICE}
            )
        parsed[int(product_id)] = value
    return parsed


def restock_shipment_accept(
    *,
    user,
    number: str,
    shipping_event_id: int,
    quantities: dict[int, tuple[int, int, int]],
    points_prices: dict | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
):
    """A manager accepts one shipment of the supermarket's restocking order (the
    procurement acceptance: accepted, short and damaged per line adding up to what was
    shipped), with points prices for goods not on the shelf yet; the accepted quantities
    enter the stock in the same transaction. Refusals, nothing written:
    ``RestockNotFoundError`` (not an order of a supermarket the user manages),
    ``procurement.exceptions.ProcurementOrderStateError`` (not a shipment of this order,
    accepted already), ``AcceptanceQuantityError`` (more than shipped, not adding up, a
    new goods line without a points price)."""
    restock = restock_for_manager(user=user, number=number)
    event = ShippingEvent.objects.filter(pk=shipping_event_id, order_id=restock.order_id).first()
    if event is None:
        raise RestockNotFoundError(_("没有找到该批发货。"))
    return procurement_shipment_accept(
        shipping_event=event,
        user=user,
        quantities=quantities,
        note=note,
        at=at,
        options={"points_prices": points_prices_parse(points_prices or {})},
    )


def _shelf_name(*, supermarket: Supermarket, title: str, product_id: int) -> str:
    name = title[:100]
    if Goods.objects.filter(supermarket=supermarket, name=name).exists():
        suffix = f"（{product_id}）"
        name = title[: 100 - len(suffix)] + suffix
    return name


def restock_stock_on_acceptance(*, acceptance, procurement, lines, user, options) -> None:
    """``procurement.hooks`` callback, inside the acceptance's transaction with the order
    row locked: for a points supermarket's order, each accepted line's quantity enters the
    supermarket's goods of the line's product (created, with the points price in
    ``options["points_prices"]``, when the shelf has none: refused without one). One stock
    move per acceptance line (a unique constraint; the order lock and the one acceptance
    per shipment keep a retried or concurrent acceptance from getting here twice)."""
    if procurement.unit.org_type != POINTS_SUPERMARKET_TYPE:
        return
    supermarket = Supermarket.objects.filter(buyer_id=procurement.unit_id).first()
    if supermarket is None:
        return
    accepted = [row for row in lines if row.accepted]
    if not accepted:
        return
    product_ids = {row.line.product_id for row in accepted}
    shelf = {
        g.product_id: g
        for g in Goods.objects.filter(supermarket=supermarket, product_id__in=product_ids)
    }
    prices = (options or {}).get("points_prices") or {}
    missing = [
        row.line.title
        for row in accepted
        if row.line.product_id not in shelf and not prices.get(row.line.product_id)
    ]
    if missing:
        raise AcceptanceQuantityError(
            _("以下商品尚未上架本超市，请在积分超市的补货单页面填写兑换积分后验收：%(items)s。")
            % {"items": "、".join(missing)}
        )
    for row in accepted:
        product_id = row.line.product_id
        if product_id not in shelf:
            shelf[product_id] = Goods.objects.create(
                supermarket=supermarket,
                name=_shelf_name(
                    supermarket=supermarket, title=row.line.title, product_id=product_id
                ),
                points_price=prices[product_id],
                unit_value=row.line.unit_price_incl_tax,
                product_id=product_id,
            )
    locked = goods_lock(goods_ids=[g.pk for g in shelf.values()])
    number = procurement.order.number
    for row in sorted(accepted, key=lambda r: (shelf[r.line.product_id].pk, r.line_id)):
        stock_move_append(
            goods=locked[shelf[row.line.product_id].pk],
            kind=StockMoveKind.RESTOCK,
            delta=row.accepted,
            acceptance_line=row,
            reason=_("集市补货 订单 %(number)s 验收入库") % {"number": number},
            by=user,
            at=acceptance.accepted_at,
        )
