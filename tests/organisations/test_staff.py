"""Staff personal purchases (职工个人消费): a linked account's paid consumer orders count for
its organisation in channel ``staff`` (never in a reserved share); the organisation sees
totals and counts only; one account, one organisation of a type; either side may end the
link; every refusal writes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import SalesChannel
from procurement import exceptions, services
from procurement.models import BudgetUnitMember, StaffLink, StaffPurchase
from procurement.selectors import staff_purchase_totals
from reports.models import SalesFact
from reports.services import sales_facts_sync
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.payments import order_pay, place_pending_order
from tests.factories.procurement import BudgetUnitFactory, filing_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(unit):
    user = UserFactory(email="school-admin@example.com")
    BudgetUnitMember.objects.create(unit=unit, user=user, role="admin")
    return user


@pytest.fixture
def invite(unit, admin, types):
    return services.staff_invite_rotate(unit=unit, user=admin)


@pytest.fixture
def staffer(db):
    return UserFactory(email="staffer@example.com", last_name="李", first_name="老师")


def paid(user, *items):
    order = place_pending_order(user, *items)
    order_pay(order, timezone.now())
    sales_facts_sync(order_id=order.pk)
    order.refresh_from_db()
    return order


def test_a_linked_staff_members_paid_order_counts_for_the_organisation(
    catalogue, unit, invite, staffer, filing
):
    services.staff_link_by_code(user=staffer, code=invite.code.lower())

    order = paid(staffer, (catalogue["pomegranate"], 2))

    assert order.channel == SalesChannel.STAFF
    purchase = StaffPurchase.objects.get(order=order)
    assert (purchase.unit, purchase.amount) == (unit, Decimal("136.00"))
    facts = SalesFact.objects.filter(order=order)
    assert {f.channel for f in facts} == {SalesChannel.STAFF}
    assert sum(f.amount for f in facts) == Decimal("136.00")
    year = timezone.localdate().year
    assert staff_purchase_totals(unit=unit, year=year) == {
        "linked": 1,
        "orders": 1,
        "amount": Decimal("136.00"),
    }
    # Never in the reserved share.
    assert filing_balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_an_unlinked_or_revoked_account_buys_as_a_consumer(catalogue, unit, invite, staffer):
    link = services.staff_link_by_code(user=staffer, code=invite.code)
    services.staff_link_revoke(link=link, user=staffer)

    order = paid(staffer, (catalogue["rice"], 1))

    assert order.channel == SalesChannel.CONSUMER
    assert not StaffPurchase.objects.exists()
    assert {f.channel for f in SalesFact.objects.filter(order=order)} == {SalesChannel.CONSUMER}


def test_the_organisation_admin_approves_a_request_and_may_end_the_link(
    unit, admin, staffer, types
):
    link = services.staff_link_request(user=staffer, unit=unit)
    assert link.status == "pending"
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.staff_link_decide(link=link, user=UserFactory(), approve=True)
    assert StaffLink.objects.get().status == "pending"

    services.staff_link_decide(link=link, user=admin, approve=True)
    services.staff_link_revoke(link=link, user=admin)
    link.refresh_from_db()
    assert (link.status, link.ended_by) == ("revoked", admin)


def test_a_second_link_to_an_organisation_of_the_same_type_is_refused(
    regions, unit, invite, staffer, types
):
    services.staff_link_by_code(user=staffer, code=invite.code)
    other_school = BudgetUnitFactory(name="淮北市第二中学", credit_code=make_credit_code(990002))
    with pytest.raises(exceptions.StaffLinkError) as caught:
        services.staff_link_request(user=staffer, unit=other_school)
    assert "同一类型的单位只能关联一个" in str(caught.value)
    assert StaffLink.objects.count() == 1


def test_an_unknown_code_is_refused_and_nothing_is_written(staffer, invite):
    with pytest.raises(exceptions.StaffLinkError):
        services.staff_link_by_code(user=staffer, code="WRONG123")
    assert not StaffLink.objects.exists()


def test_the_organisation_sees_totals_but_never_a_colleagues_name_or_items(
    client, catalogue, unit, invite, staffer, purchaser, admin
):
    services.staff_link_by_code(user=staffer, code=invite.code)
    paid(staffer, (catalogue["pomegranate"], 2))

    for viewer in (purchaser, admin):
        client.force_login(viewer)
        page = client.get(reverse("procurement:unit-staff")).content.decode()
        assert 'data-figure="staff-orders">1<' in page
        assert 'data-figure="staff-amount" class="pc-em">¥136.00<' in page
        assert "塔山石榴" not in page
        assert "李" not in page and "老师" not in page
    # Only the admin, who manages the links, sees which accounts are linked.
    client.force_login(purchaser)
    assert (
        "staffer@example.com" not in client.get(reverse("procurement:unit-staff")).content.decode()
    )


def test_the_consumer_links_and_unlinks_on_their_page(client, unit, invite, staffer):
    client.force_login(staffer)
    url = reverse("procurement:staff-link")
    client.post(url, {"action": "code", "code": invite.code})
    link = StaffLink.objects.get()
    assert link.status == "active"
    assert unit.name in client.get(url).content.decode()
    client.post(url, {"action": "revoke", "link": link.pk})
    link.refresh_from_db()
    assert link.status == "revoked"


def test_another_account_cannot_end_someone_elses_link(client, unit, invite, staffer):
    link = services.staff_link_by_code(user=staffer, code=invite.code)
    client.force_login(UserFactory())
    response = client.post(reverse("procurement:staff-link"), {"action": "revoke", "link": link.pk})
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.status == "active"
