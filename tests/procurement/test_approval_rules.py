"""A unit's admins set its approval rules (审批规则) on the member page: which orders wait for
how many approvers before suppliers see them. An order of total T needs as many levels as
there are rules of at most T; orders already placed keep their levels. Every refusal leaves
the rules and the audit trail as they were."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orders.models import OrderStatus
from procurement import services
from procurement.exceptions import ProcurementPermissionError, UnitMemberError
from procurement.models import BudgetUnit, BudgetUnitMember, UnitDecision
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import submit
from .test_query_counts import N, add_members, queries_for

pytestmark = pytest.mark.django_db

URL = reverse("procurement:members")


def member_of(unit, role, **user_fields):
    user = UserFactory(**user_fields)
    BudgetUnitMember.objects.create(unit=unit, user=user, role=role)
    return user


@pytest.fixture
def admin(unit):
    return member_of(
        unit, "admin", email="unit-admin@example.com", last_name="孙", first_name="主任"
    )


@pytest.fixture
def second_approver(unit):
    return member_of(unit, "approver", email="deputy@example.com")


def rules(unit) -> list[tuple[int, Decimal]]:
    return list(unit.approval_rules.order_by("level").values_list("level", "min_amount"))


def audit(unit) -> list[tuple[str, str]]:
    return list(
        UnitDecision.objects.filter(unit=unit, action="rules_changed").values_list(
            "actor__email", "detail"
        )
    )


def save_rules(client, user, *amounts, unit=None):
    """POST the rules form as ``user``: ``amounts`` for levels 1, 2, 3 ("" leaves one blank)."""
    client.force_login(user)
    data = {"action": "rules-save"}
    data.update({f"level_{i}": amount for i, amount in enumerate(amounts, start=1)})
    return client.post(URL + (f"?unit={unit.pk}" if unit else ""), data)


def order_of(purchaser, unit, filing, catalogue, boxes):
    """An order of ``boxes`` pomegranate gift boxes at ¥68.00, as the database has it."""
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], boxes))
    order.refresh_from_db()
    return order


def test_an_admin_sets_one_level_and_orders_from_its_amount_wait_for_an_approver(
    client, catalogue, unit, purchaser, approver, admin, filing
):
    response = save_rules(client, admin, "100", "", "")

    assert response.status_code == 302 and response["Location"] == URL
    assert rules(unit) == [(1, Decimal("100.00"))]
    assert audit(unit) == [("unit-admin@example.com", "第 1 级：¥100.00 起")]

    below = order_of(purchaser, unit, filing, catalogue, 1)  # ¥68.00
    above = order_of(purchaser, unit, filing, catalogue, 2)  # ¥136.00
    assert (below.status, below.procurement.levels_required) == (OrderStatus.APPROVED, 0)
    assert (above.status, above.procurement.levels_required) == (OrderStatus.PENDING_APPROVAL, 1)

    services.procurement_order_approve(order=above, user=approver)
    above.refresh_from_db()
    assert above.status == OrderStatus.APPROVED


def test_with_two_levels_an_order_above_the_second_waits_for_two_approvers(
    client, catalogue, unit, purchaser, approver, second_approver, admin, filing
):
    save_rules(client, admin, "100", "300.50")
    assert rules(unit) == [(1, Decimal("100.00")), (2, Decimal("300.50"))]
    assert audit(unit) == [("unit-admin@example.com", "第 1 级：¥100.00 起；第 2 级：¥300.50 起")]

    one = order_of(purchaser, unit, filing, catalogue, 4)  # ¥272.00
    two = order_of(purchaser, unit, filing, catalogue, 5)  # ¥340.00
    assert one.procurement.levels_required == 1
    assert two.procurement.levels_required == 2

    services.procurement_order_approve(order=two, user=approver)
    two.refresh_from_db()
    assert two.status == OrderStatus.PENDING_APPROVAL  # level 2 still to come
    services.procurement_order_approve(order=two, user=second_approver)
    two.refresh_from_db()
    assert two.status == OrderStatus.APPROVED
    assert list(two.procurement.approvals.values_list("level", "approver__email")) == [
        (1, "boss@example.com"),
        (2, "deputy@example.com"),
    ]


def test_the_member_page_shows_the_rules_and_only_admins_get_the_form(
    client, unit, purchaser, approver, second_approver, admin
):
    client.force_login(purchaser)
    html = client.get(URL).content.decode()
    assert "未设置审批规则：订单提交后无需审批，供应商即可看到。" in html

    save_rules(client, admin, "200", "1000")
    html = client.get(URL).content.decode()
    assert 'value="rules-save"' in html
    assert 'name="level_1" value="200.00"' in html

    client.force_login(purchaser)
    html = client.get(URL).content.decode()
    assert "第 1 级：¥200.00 起须审批人审批" in html
    assert "第 2 级：¥1,000.00 起须审批人审批" in html
    assert "审批规则由单位管理员设置。" in html
    assert 'value="rules-save"' not in html


@pytest.mark.parametrize("role", ["purchaser", "approver"])
def test_a_member_who_is_not_an_admin_is_refused(
    client, unit, approver, admin, approval_rule, role
):
    response = save_rules(client, member_of(unit, role), "500", "", "")

    assert response.status_code == 403
    assert rules(unit) == [(1, Decimal("200.00"))]
    assert audit(unit) == []
    # The same form from the unit's admin is taken: the refusal is the role's.
    assert save_rules(client, admin, "500", "", "").status_code == 302
    assert rules(unit) == [(1, Decimal("500.00"))]


def test_a_member_of_another_unit_and_bureau_staff_cannot_set_the_rules(
    client, regions, unit, approver, approval_rule, city_staff
):
    other = BudgetUnit.objects.create(
        name="濉溪县医院",
        credit_code=make_credit_code(990003),
        region=regions["濉溪县"],
        unit_type="hospital",
    )
    stranger = member_of(other, "purchaser")
    other_admin = member_of(other, "admin")

    # ?unit= names a unit they do not belong to: the page stays on their own unit.
    assert save_rules(client, stranger, "0", unit=unit).status_code == 403
    for user in (other_admin, city_staff):
        with pytest.raises(ProcurementPermissionError):
            services.approval_rules_replace(unit=unit, user=user, thresholds={1: Decimal("0")})

    assert rules(unit) == [(1, Decimal("200.00"))]
    assert audit(unit) == []


@pytest.mark.parametrize(
    ("amounts", "field", "message"),
    [
        (("", "300"), "level_2", "请先设置第 1 级：审批级别须从第 1 级起连续设置。"),
        (("100", "", "300"), "level_3", "请先设置第 2 级：审批级别须从第 1 级起连续设置。"),
        (
            ("500", "300"),
            "level_2",
            "第 2 级的金额起点不能低于第 1 级（¥500.00）：达到第 2 级的订单也须先经前面各级审批。",
        ),
        (("-1",), "level_1", "金额不能为负数。"),
        (("100.001",), "level_1", "金额最多保留两位小数。"),
        (("一百",), "level_1", "请输入金额（元），如 120000.00。"),
    ],
)
def test_bad_rules_are_refused_with_chinese_field_errors_and_nothing_changes(
    client, unit, approver, second_approver, admin, approval_rule, amounts, field, message
):
    response = save_rules(client, admin, *amounts)

    assert response.status_code == 200
    assert response.context["rules_form"].errors == {field: [message]}
    assert message in response.content.decode()
    assert rules(unit) == [(1, Decimal("200.00"))]
    assert audit(unit) == []


@pytest.mark.parametrize(
    ("thresholds", "errors"),
    [
        (
            {level: Decimal(level) for level in range(1, 5)},
            {"__all__": ["最多设置 3 级审批。"]},
        ),
        ({1: Decimal("-0.01")}, {"level_1": ["金额起点不能为负数。"]}),
        ({1: Decimal("0.005")}, {"level_1": ["金额最多保留两位小数（精确到分）。"]}),
        ({1: 100.5}, {"level_1": ["请输入金额（元），如 200.00。"]}),
        ({1: Decimal("1e12")}, {"level_1": ["金额起点过大。"]}),
        ({2: Decimal("1")}, {"level_2": ["请先设置第 1 级：审批级别须从第 1 级起连续设置。"]}),
    ],
)
def test_the_service_refuses_what_no_form_can_send(
    unit, approver, second_approver, admin, approval_rule, thresholds, errors
):
    with pytest.raises(ValidationError) as refused:
        services.approval_rules_replace(unit=unit, user=admin, thresholds=thresholds)

    assert refused.value.message_dict == errors
    assert rules(unit) == [(1, Decimal("200.00"))]
    assert audit(unit) == []


def test_equal_amounts_at_two_levels_are_accepted(unit, approver, second_approver, admin):
    services.approval_rules_replace(
        unit=unit, user=admin, thresholds={1: Decimal("300"), 2: Decimal("300.00")}
    )
    assert rules(unit) == [(1, Decimal("300.00")), (2, Decimal("300.00"))]


def test_rules_that_no_approver_could_meet_are_refused(client, unit, purchaser, admin):
    response = save_rules(client, admin, "100")

    assert response.status_code == 200
    assert response.context["rules_form"].non_field_errors() == [
        "本单位还没有审批人，按此规则提交的订单将无人审批。请先添加审批人。"
    ]
    assert rules(unit) == []

    member_of(unit, "approver")
    response = save_rules(client, admin, "100", "300")

    assert response.context["rules_form"].non_field_errors() == [
        "2 级审批须由 2 位不同的审批人依次审批，本单位只有 1 位审批人。"
        "请先添加审批人或减少审批级数。"
    ]
    assert rules(unit) == []
    assert audit(unit) == []


def test_an_approver_the_rules_need_cannot_be_removed(unit, approver, second_approver, admin):
    services.approval_rules_replace(
        unit=unit, user=admin, thresholds={1: Decimal("100"), 2: Decimal("300")}
    )
    membership = BudgetUnitMember.objects.get(unit=unit, user=second_approver, role="approver")

    with pytest.raises(UnitMemberError) as refused:
        services.unit_member_remove(membership=membership, user=admin)

    assert str(refused.value) == (
        "本单位设有 2 级审批，须至少 2 位审批人；请先修改审批规则或添加审批人，再移除该审批人。"
    )
    assert BudgetUnitMember.objects.filter(pk=membership.pk).exists()
    # With one level left, one approver is enough.
    services.approval_rules_replace(unit=unit, user=admin, thresholds={1: Decimal("100")})
    services.unit_member_remove(membership=membership, user=admin)
    assert not BudgetUnitMember.objects.filter(pk=membership.pk).exists()


def test_removing_the_rules_frees_new_orders_while_a_waiting_order_keeps_its_level(
    client, catalogue, unit, purchaser, approver, admin, filing, approval_rule
):
    waiting = order_of(purchaser, unit, filing, catalogue, 4)  # ¥272.00 ≥ ¥200.00
    assert waiting.status == OrderStatus.PENDING_APPROVAL

    response = save_rules(client, admin, "", "", "")

    assert response.status_code == 302
    assert rules(unit) == []
    assert audit(unit) == [("unit-admin@example.com", "无审批规则，下单无需审批")]

    fresh = order_of(purchaser, unit, filing, catalogue, 4)
    assert (fresh.status, fresh.procurement.levels_required) == (OrderStatus.APPROVED, 0)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.procurement.levels_required) == (
        OrderStatus.PENDING_APPROVAL,
        1,
    )
    services.procurement_order_approve(order=waiting, user=approver)
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.APPROVED


def test_a_waiting_order_keeps_its_levels_when_a_level_is_added(
    client, catalogue, unit, purchaser, approver, second_approver, admin, filing, approval_rule
):
    waiting = order_of(purchaser, unit, filing, catalogue, 5)  # ¥340.00

    save_rules(client, admin, "200", "300")

    waiting.refresh_from_db()
    assert waiting.procurement.levels_required == 1
    services.procurement_order_approve(order=waiting, user=approver)
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.APPROVED
    assert order_of(purchaser, unit, filing, catalogue, 5).procurement.levels_required == 2


def test_saving_the_same_rules_again_records_nothing(client, unit, approver, admin):
    save_rules(client, admin, "150")
    response = save_rules(client, admin, "150.00", "")

    assert response.status_code == 302
    assert rules(unit) == [(1, Decimal("150.00"))]
    assert len(audit(unit)) == 1


def test_the_bureau_and_the_checkout_show_the_rules(
    client, catalogue, unit, purchaser, approver, admin, filing, city_staff
):
    save_rules(client, admin, "100", "")

    client.force_login(city_staff)
    html = client.get(reverse("procurement:bureau-unit", kwargs={"pk": unit.pk})).content.decode()
    assert "第 1 级：¥100.00 起须审批人审批" in html
    assert "修改审批规则" in html  # the audit trail
    assert 'value="rules-save"' not in html

    client.force_login(purchaser)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": 1})
    html = client.get(reverse("procurement:checkout")).content.decode()
    assert "本单位审批规则：第 1 级：¥100.00 起。" in html


def test_the_member_page_with_its_rules_form_is_constant_in_members(
    client, unit, approver, second_approver, admin
):
    save_rules(client, admin, "100", "300")

    first = add_members(unit, N, actor=admin)
    few, html = queries_for(client, URL)
    assert all(email in html for email in first)
    assert "第 2 级：¥300.00 起须审批人审批" in html and 'value="rules-save"' in html

    more = add_members(unit, 2 * N, actor=admin)
    many, html = queries_for(client, URL)
    assert all(email in html for email in more)

    assert many == few


def test_the_django_admin_edits_the_rules_inline_and_checks_their_shape(client, unit):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:procurement_budgetunit_change", args=[unit.pk])
    assert "approval_rules-TOTAL_FORMS" in client.get(url).content.decode()

    data = {
        "name": unit.name,
        "credit_code": unit.credit_code,
        "region": unit.region_id,
        "kind": unit.kind,
        "unit_type": unit.unit_type,
        "canteen_status": unit.canteen_status,
        "is_active": "on",
        "registration_status": unit.registration_status,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "approval_rules-TOTAL_FORMS": "2",
        "approval_rules-INITIAL_FORMS": "0",
        "approval_rules-0-level": "1",
        "approval_rules-0-min_amount": "500",
        "approval_rules-1-level": "2",
        "approval_rules-1-min_amount": "100",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "第 2 级的金额起点不能低于第 1 级（¥500.00）" in response.content.decode()
    assert rules(unit) == []

    data["approval_rules-1-min_amount"] = "800"
    assert client.post(url, data).status_code == 302
    assert rules(unit) == [(1, Decimal("500.00")), (2, Decimal("800.00"))]
