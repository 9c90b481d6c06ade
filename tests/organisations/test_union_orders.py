"""Union purchasing (工会采购): a union orders through the procurement checkout in channel
``union`` against its own yearly target; whether the order also counts toward the parent
unit's reserved share is the policy year's setting (default no). Refusals write nothing."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from orders.models import OrderStatus, SalesChannel
from procurement import exceptions, services
from procurement.models import QuotaEntry, UnionTarget, UnitDecision
from procurement.selectors import union_progress
from reports.models import SalesFact
from reports.services import sales_facts_sync
from tests.factories.procurement import accepted_order, filing_balance, procurement_order_submit
from tests.factories.procurement import shipment as ship

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_a_union_order_goes_to_channel_union_and_to_no_filing_by_default(
    catalogue, union, union_buyer, filing
):
    order = accepted_order(union_buyer, union, None, (catalogue["pomegranate"], 2))

    assert order.channel == SalesChannel.UNION
    assert order.status == OrderStatus.ACCEPTED
    assert order.procurement.filing is None
    # Its ledger records what it counts (no balance moves): 2 × ¥68 completed.
    entries = QuotaEntry.objects.filter(order=order)
    assert {e.filing_id for e in entries} == {None}
    assert sum(e.completed_delta for e in entries) == Decimal("136.00")
    assert sum(e.committed_delta for e in entries) == Decimal("0.00")
    # The parent unit's reserved share is untouched.
    assert filing_balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
    assert services.quota_reconcile() == []


def test_the_policy_year_setting_counts_union_orders_for_the_parent_unit(
    catalogue, union, union_buyer, filing, policy_year
):
    policy_year.union_counts_for_parent = True
    policy_year.save(update_fields=["union_counts_for_parent"])

    order = accepted_order(union_buyer, union, None, (catalogue["pomegranate"], 2))

    assert order.channel == SalesChannel.UNION
    assert order.procurement.filing == filing
    assert filing_balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("136.00"))
    assert services.quota_reconcile() == []


def test_union_progress_counts_accepted_orders_against_the_target(
    catalogue, union, union_buyer, city_staff, policy_year, filing
):
    services.union_target_set(
        user=city_staff, union=union, year=policy_year.year, amount=Decimal("1000")
    )
    accepted_order(union_buyer, union, None, (catalogue["pomegranate"], 2))
    procurement_order_submit(union_buyer, union, None, (catalogue["rice"], 1))  # not accepted

    progress = union_progress(union=union, year=policy_year.year)

    assert progress["target"] == Decimal("1000.00")
    assert progress["completed"] == Decimal("136.00")
    assert progress["committed"] == Decimal("59.90")
    assert progress["rate"] == Decimal("0.136")
    assert progress["counts_for_parent"] is False


def test_sales_facts_count_the_union_order_in_channel_union(catalogue, union, union_buyer, filing):
    order = accepted_order(union_buyer, union, None, (catalogue["pomegranate"], 2))
    sales_facts_sync(order_id=order.pk)

    facts = SalesFact.objects.filter(order=order)
    assert {f.channel for f in facts} == {SalesChannel.UNION}
    assert sum(f.amount for f in facts) == Decimal("136.00")


def test_a_union_order_above_its_threshold_waits_for_a_union_approver(
    catalogue, union, union_buyer, union_approver, union_rule, rice_staff
):
    order = procurement_order_submit(union_buyer, union, None, (catalogue["pomegranate"], 3))
    assert order.status == OrderStatus.PENDING_APPROVAL

    # Suppliers cannot ship what is not approved.
    with pytest.raises(Exception):  # noqa: B017 - the supplier service's own refusal
        ship(order)
    assert order.shipping_events.count() == 0

    services.procurement_order_approve(order=order, user=union_approver)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_the_purchaser_cannot_approve_the_union_order_and_nothing_is_written(
    catalogue, union, union_buyer, union_approver, union_rule
):
    order = procurement_order_submit(union_buyer, union, None, (catalogue["pomegranate"], 3))
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.procurement_order_approve(order=order, user=union_buyer)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert order.procurement.approvals.count() == 0


def test_an_organisation_order_against_a_filing_is_refused_and_nothing_is_written(
    catalogue, union, union_buyer, filing
):
    before = (Order.objects.count(), QuotaEntry.objects.count())
    with pytest.raises(exceptions.FilingNotApprovedError):
        procurement_order_submit(union_buyer, union, filing, (catalogue["rice"], 1))
    assert (Order.objects.count(), QuotaEntry.objects.count()) == before


def test_a_year_without_policy_refuses_the_union_order(catalogue, union, union_buyer, policy_year):
    policy_year.delete()
    with pytest.raises(exceptions.PolicyYearMissingError):
        procurement_order_submit(union_buyer, union, None, (catalogue["rice"], 1))
    assert Order.objects.count() == 0


class TestUnionTargets:
    def test_bureau_staff_set_and_change_the_target_on_the_union_trail(
        self, union, city_staff, policy_year
    ):
        services.union_target_set(
            user=city_staff, union=union, year=policy_year.year, amount=Decimal("5000")
        )
        services.union_target_set(
            user=city_staff, union=union, year=policy_year.year, amount="8000.5"
        )
        assert list(UnionTarget.objects.values_list("year", "amount")) == [
            (policy_year.year, Decimal("8000.50"))
        ]
        assert union.decisions.filter(action="target_set").count() == 2

    def test_staff_of_another_county_are_refused(self, union, county_staff, policy_year):
        decisions = UnitDecision.objects.count()
        with pytest.raises(exceptions.ProcurementPermissionError):
            services.union_target_set(
                user=county_staff, union=union, year=policy_year.year, amount=Decimal("5000")
            )
        assert (UnionTarget.objects.count(), UnitDecision.objects.count()) == (0, decisions)

    @pytest.mark.parametrize("amount", ["0", "-1", "abc"])
    def test_a_target_must_be_positive(self, union, city_staff, policy_year, amount):
        with pytest.raises(exceptions.UnionTargetError):
            services.union_target_set(
                user=city_staff, union=union, year=policy_year.year, amount=amount
            )
        assert UnionTarget.objects.count() == 0

    def test_only_unions_get_targets(self, unit, city_staff, policy_year, types):
        with pytest.raises(exceptions.UnionTargetError):
            services.union_target_set(
                user=city_staff, union=unit, year=policy_year.year, amount=Decimal("5000")
            )
        assert UnionTarget.objects.count() == 0
