"""Settlements and refunds: what was refunded and what may still be."""

from collections import defaultdict

from django.db.models import Sum

from orders.models import OrderStatus

from ..models import (
    AcceptanceLine,
    ProcurementRefund,
    ProcurementRefundLine,
    Settlement,
)

#: Orders whose acceptance is closed (every shipped unit accepted, short or damaged) and not
#: refunded in full: their accepted units may be refunded.
REFUNDABLE_STATUSES = (
    OrderStatus.ACCEPTED,
    OrderStatus.INVOICED,
    OrderStatus.TRANSFERRED,
    OrderStatus.COMPLETED,
)


def settlements_with_refund_rows(settlements: list[Settlement]) -> list[Settlement]:
    """Give each settlement ``refund_rows`` (its supplier's lines of the order with units
    accepted, refunded and still refundable) and ``can_refund``, in four queries in all."""
    from oscar.core.loading import get_model

    Line = get_model("order", "Line")
    procurement_ids = {s.procurement_id for s in settlements}
    accepted = defaultdict(int)
    for line_id, n in AcceptanceLine.objects.filter(
        acceptance__procurement__in=procurement_ids
    ).values_list("line_id", "accepted"):
        accepted[line_id] += n
    refunded = defaultdict(int)
    for line_id, n in ProcurementRefundLine.objects.filter(
        refund__procurement__in=procurement_ids
    ).values_list("line_id", "quantity"):
        refunded[line_id] += n
    lines = defaultdict(list)
    for line in Line.objects.filter(order__procurement__in=procurement_ids).order_by("pk"):
        lines[(line.order_id, line.partner_id)].append(line)
    for s in settlements:
        s.refund_rows = [
            {
                "line": line,
                "accepted": accepted[line.pk],
                "refunded": refunded[line.pk],
                "refundable": accepted[line.pk] - refunded[line.pk],
            }
            for line in lines[(s.procurement.order_id, s.partner_id)]
        ]
        s.can_refund = s.procurement.order.status in REFUNDABLE_STATUSES and any(
            row["refundable"] > 0 for row in s.refund_rows
        )
    return settlements


def order_refunded_quantities(*, procurement) -> dict[int, int]:
    """{line id: units refunded so far} of a procurement order."""
    rows = (
        ProcurementRefundLine.objects.filter(refund__procurement=procurement)
        .values("line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["line_id"]: row["total"] for row in rows}


def order_refunds(*, procurement) -> list[ProcurementRefund]:
    return list(
        ProcurementRefund.objects.filter(procurement=procurement)
        .select_related("partner", "created_by", "entry")
        .prefetch_related("lines__line")
        .order_by("created_at", "pk")
    )


def supplier_settlements(*, partner) -> list[Settlement]:
    """The partner's settlements with their refunds and what may still be refunded."""
    return settlements_with_refund_rows(
        list(
            Settlement.objects.filter(partner=partner)
            .select_related("procurement__order", "procurement__unit")
            .prefetch_related("refunds__lines__line")
            .order_by("-procurement__submitted_at")
        )
    )
