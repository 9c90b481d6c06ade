"""Budget units: self-registration and its review by the bureau of the unit's region,
units created by the bureau, members managed by the bureau or the unit's admin, each step
on the unit's audit trail, and every refusal leaving everything as it was."""

import pytest
from django.urls import reverse

from procurement import exceptions, services
from procurement.models import BudgetUnit, BudgetUnitMember, UnitDecision
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import form_data, service_fields

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def actions(unit):
    return list(UnitDecision.objects.filter(unit=unit).values_list("action", flat=True))


def test_a_signed_in_user_registers_a_unit_which_waits_for_review(client, regions, registrant):
    response = login(client, registrant).post(reverse("procurement:register"), form_data(regions))

    assert response.status_code == 302
    unit = BudgetUnit.objects.get(name="濉溪县实验小学")
    assert (unit.is_active, unit.registration_status, unit.registered_by) == (
        False,
        "pending",
        registrant,
    )
    assert sorted(unit.memberships.values_list("user__email", "role")) == [
        ("principal@example.com", "admin"),
        ("principal@example.com", "purchaser"),
    ]
    assert actions(unit) == ["registered"]
    portal = client.get(reverse("procurement:portal"))
    assert portal.status_code == 403
    assert 'data-registration="pending"' in portal.content.decode()
    assert "等待审核" in client.get(reverse("procurement:register")).content.decode()


def test_the_portal_empty_state_and_the_account_area_lead_to_registration(client, registrant):
    login(client, registrant)
    portal = client.get(reverse("procurement:portal")).content.decode()
    account = client.get(reverse("customer:summary"), follow=True).content.decode()
    register = reverse("procurement:register")
    assert f'href="{register}"' in portal
    assert f'href="{register}"' in account


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": make_credit_code(880001)[:17] + "0"}, "credit_code", "校验位不正确"),
        ({"credit_code": "12345"}, "credit_code", "应为 18 位"),
        ({"name": "淮北市第一中学"}, "name", "已有同名的预算单位"),
        ({"credit_code": make_credit_code(990001)}, "credit_code", "已被注册"),
        ({"name": ""}, "name", "请填写单位名称"),
    ],
)
def test_registration_field_errors_are_in_chinese_and_nothing_is_written(
    client, regions, registrant, unit, overrides, field, message
):
    before = BudgetUnit.objects.count()
    response = login(client, registrant).post(
        reverse("procurement:register"), form_data(regions, **overrides)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert BudgetUnit.objects.count() == before
    assert not BudgetUnitMember.objects.filter(user=registrant).exists()


def test_a_registration_must_name_a_county(client, regions, registrant):
    response = login(client, registrant).post(
        reverse("procurement:register"), form_data(regions, region=regions["淮北市"].pk)
    )
    assert "请选择管辖范围内的县（区）" in response.context["form"].errors["region"][0]
    with pytest.raises(Exception, match="请选择单位所在的县"):
        services.unit_register(user=registrant, **service_fields(regions, region=regions["淮北市"]))
    assert not BudgetUnit.objects.filter(name="濉溪县实验小学").exists()


def test_nobody_registers_twice(client, regions, registrant, registration, purchaser):
    with pytest.raises(
        exceptions.UnitRegistrationError, match=r"正在等待(审核部门|.+乡村振兴局)审核"
    ):
        services.unit_register(
            user=registrant,
            **service_fields(regions, name="另一所学校", credit_code=make_credit_code(880002)),
        )
    with pytest.raises(exceptions.UnitRegistrationError, match="您已是预算单位"):
        services.unit_register(
            user=purchaser,
            **service_fields(regions, name="另一所学校", credit_code=make_credit_code(880002)),
        )
    # The page does not even offer the form to either of them.
    response = login(client, registrant).post(
        reverse("procurement:register"),
        form_data(regions, name="另一所学校", credit_code=make_credit_code(880002)),
    )
    assert response.status_code == 302
    assert login(client, purchaser).get(reverse("procurement:register")).status_code == 302
    assert not BudgetUnit.objects.filter(name="另一所学校").exists()
    assert BudgetUnitMember.objects.filter(user=registrant).count() == 2


def test_county_staff_cannot_review_another_countys_registration(
    client, regions, registrant, county_staff
):
    elsewhere = services.unit_register(
        user=registrant, **service_fields(regions, region=regions["烈山区"])
    )
    login(client, county_staff)
    url = reverse("procurement:bureau-unit", kwargs={"pk": elsewhere.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 404
    assert client.post(url, {"action": "return", "reason": "不在本县"}).status_code == 404
    assert elsewhere.name not in client.get(reverse("procurement:bureau-units")).content.decode()
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.unit_registration_approve(unit=elsewhere, user=county_staff)
    elsewhere.refresh_from_db()
    assert (elsewhere.is_active, elsewhere.registration_status) == (False, "pending")
    assert actions(elsewhere) == ["registered"]


def test_a_returned_registration_shows_the_reason_and_can_be_corrected(
    client,
    regions,
    registrant,
    registration,
    county_staff,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    url = reverse("procurement:bureau-unit", kwargs={"pk": registration.pk})
    login(client, county_staff)
    assert client.post(url, {"action": "return", "reason": ""}).status_code == 200
    registration.refresh_from_db()
    assert registration.registration_status == "pending"  # a return needs its reason

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "return", "reason": "主管单位应为濉溪县教育体育局"})

    registration.refresh_from_db()
    assert (registration.registration_status, registration.return_reason) == (
        "returned",
        "主管单位应为濉溪县教育体育局",
    )
    assert "主管单位应为濉溪县教育体育局" in mailoutbox[0].body
    login(client, registrant)
    assert (
        "主管单位应为濉溪县教育体育局" in client.get(reverse("procurement:portal")).content.decode()
    )
    client.post(
        reverse("procurement:register"), form_data(regions, supervising_unit="濉溪县教育体育局")
    )
    registration.refresh_from_db()
    assert (registration.registration_status, registration.supervising_unit) == (
        "pending",
        "濉溪县教育体育局",
    )

    login(client, county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve"})

    registration.refresh_from_db()
    assert (registration.is_active, registration.registration_status) == (True, "approved")
    assert actions(registration) == ["registered", "returned", "resubmitted", "approved"]
    assert "已通过审核" in mailoutbox[1].body
    assert login(client, registrant).get(reverse("procurement:portal")).status_code == 200
    with pytest.raises(exceptions.UnitRegistrationError):  # decided already
        services.unit_registration_return(unit=registration, user=county_staff, reason="再看看")


def test_bureau_staff_create_a_unit_and_add_its_members(client, regions, county_staff):
    login(client, county_staff)
    response = client.post(reverse("procurement:bureau-units"), form_data(regions))
    unit = BudgetUnit.objects.get(name="濉溪县实验小学")
    assert response.url == reverse("procurement:bureau-unit", kwargs={"pk": unit.pk})
    assert (unit.is_active, unit.registration_status, unit.registered_by) == (
        True,
        "approved",
        None,
    )
    head = UserFactory(email="head@example.com")
    url = reverse("procurement:bureau-unit", kwargs={"pk": unit.pk})
    client.post(url, {"action": "member-add", "email": "HEAD@example.com", "role": "admin"})
    unknown = client.post(
        url, {"action": "member-add", "email": "nobody@example.com", "role": "approver"}
    )
    twice = client.post(url, {"action": "member-add", "email": head.email, "role": "admin"})

    assert (
        "没有找到邮箱为 nobody@example.com 的用户"
        in unknown.context["member_form"].errors["email"][0]
    )
    assert "已是本单位的单位管理员" in twice.context["member_form"].errors["email"][0]
    assert list(unit.memberships.values_list("user__email", "role")) == [
        ("head@example.com", "admin")
    ]
    assert actions(unit) == ["created", "member_added"]


def test_county_staff_cannot_create_a_unit_outside_their_county(client, regions, county_staff):
    response = login(client, county_staff).post(
        reverse("procurement:bureau-units"), form_data(regions, region=regions["烈山区"].pk)
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.unit_create(user=county_staff, **service_fields(regions, region=regions["烈山区"]))
    assert not BudgetUnit.objects.filter(name="濉溪县实验小学").exists()


def test_a_unit_admin_manages_members_and_a_purchaser_cannot(client, unit, purchaser):
    admin = UserFactory(email="unit-admin@example.com")
    BudgetUnitMember.objects.create(unit=unit, user=admin, role="admin")
    newcomer = UserFactory(email="cook@example.com")
    url = reverse("procurement:members")

    refused = login(client, purchaser).post(
        url, {"action": "member-add", "email": newcomer.email, "role": "purchaser"}
    )
    assert refused.status_code == 403
    assert not BudgetUnitMember.objects.filter(user=newcomer).exists()

    login(client, admin).post(
        url, {"action": "member-add", "email": newcomer.email, "role": "purchaser"}
    )
    assert BudgetUnitMember.objects.filter(unit=unit, user=newcomer, role="purchaser").exists()
    own = BudgetUnitMember.objects.get(user=admin)
    client.post(url, {"action": "member-remove", "membership": own.pk})
    assert BudgetUnitMember.objects.filter(pk=own.pk).exists()  # the last admin stays
    assert actions(unit) == ["member_added"]
