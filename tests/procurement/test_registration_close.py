"""A unit registration closed for good: withdrawn by its registrant (pending or returned) or
rejected by the bureau of its region (pending, with a reason). Either frees the unit's name
and credit code and the registrant's roles; the row keeps its audit trail; every refusal
leaves units, members and the audit trail as they were."""

import pytest
from django.urls import reverse

from procurement import exceptions, services
from procurement.models import BudgetUnit, BudgetUnitMember, UnitDecision
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import form_data, service_fields

pytestmark = pytest.mark.django_db

SQUATTING = "冒用他人单位信息"


def state():
    """Every unit, membership and audit-trail row, to compare before and after a refusal."""
    return (
        list(
            BudgetUnit.objects.order_by("pk").values_list(
                "pk", "name", "credit_code", "registration_status", "return_reason", "is_active"
            )
        ),
        list(BudgetUnitMember.objects.order_by("pk").values_list("unit", "user", "role")),
        list(UnitDecision.objects.order_by("pk").values_list("unit", "actor", "action", "detail")),
    )


@pytest.fixture
def elsewhere(regions):
    """A registration of 烈山区 waiting for review (not 濉溪县 staff's to decide)."""
    return services.unit_register(
        user=UserFactory(),
        **service_fields(
            regions,
            name="烈山区实验小学",
            credit_code=make_credit_code(880003),
            region=regions["烈山区"],
        ),
    )


def actions(unit):
    return list(UnitDecision.objects.filter(unit=unit).values_list("action", flat=True))


def test_the_registrant_withdraws_and_registers_the_same_credit_code_again(
    client, regions, registrant, registration
):
    client.force_login(registrant)
    page = client.get(reverse("procurement:register")).content.decode()
    withdraw = reverse("procurement:register-withdraw")
    assert f'action="{withdraw}"' in page and "撤回注册" in page and "data-confirm" in page

    response = client.post(withdraw, follow=True)

    html = response.content.decode()
    assert "已撤回“濉溪县实验小学”的注册，您可以重新注册。" in html
    assert response.context["form"].instance.pk is None  # the empty form again
    assert "提交注册" in html
    registration.refresh_from_db()
    assert (registration.registration_status, registration.registered_by) == (
        "withdrawn",
        registrant,
    )
    assert not BudgetUnitMember.objects.filter(user=registrant).exists()
    assert actions(registration) == ["registered", "withdrawn"]

    client.post(reverse("procurement:register"), form_data(regions))

    again = BudgetUnit.objects.exclude(pk=registration.pk).get()
    assert (again.name, again.credit_code, again.registration_status) == (
        "濉溪县实验小学",
        make_credit_code(880001),
        "pending",
    )
    assert sorted(again.memberships.values_list("role", flat=True)) == ["admin", "purchaser"]


def test_a_withdrawn_returned_registration_frees_its_code_for_another_user(
    regions, registrant, registration, county_staff
):
    services.unit_registration_return(unit=registration, user=county_staff, reason="名称有误")
    services.unit_registration_withdraw(unit=registration, user=registrant)
    other = UserFactory(email="real-principal@example.com")

    unit = services.unit_register(user=other, **service_fields(regions))

    registration.refresh_from_db()
    assert (registration.registration_status, registration.return_reason) == ("withdrawn", "")
    assert actions(registration) == ["registered", "returned", "withdrawn"]
    assert (unit.credit_code, unit.registration_status, unit.registered_by) == (
        make_credit_code(880001),
        "pending",
        other,
    )


def test_the_bureau_rejects_a_squatting_registration_and_the_real_unit_registers(
    client,
    regions,
    registrant,
    registration,
    county_staff,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    url = reverse("procurement:bureau-unit", kwargs={"pk": registration.pk})
    client.force_login(county_staff)
    assert "不予通过" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "reject", "reject-reason": SQUATTING}, follow=True)

    assert "已不予通过“濉溪县实验小学”的注册" in response.content.decode()
    registration.refresh_from_db()
    assert (registration.registration_status, registration.return_reason) == (
        "rejected",
        SQUATTING,
    )
    assert (registration.is_active, registration.registered_by) == (False, registrant)
    assert not registration.memberships.exists()
    assert actions(registration) == ["registered", "rejected"]
    assert [m.to for m in mailoutbox] == [["principal@example.com"]]
    assert SQUATTING in mailoutbox[0].body

    real = UserFactory(email="real-principal@example.com")
    unit = services.unit_register(user=real, **service_fields(regions))
    assert (unit.credit_code, unit.registration_status) == (make_credit_code(880001), "pending")

    client.force_login(registrant)
    page = client.get(reverse("procurement:register"))
    html = page.content.decode()
    assert f"您的注册“濉溪县实验小学”未通过审核：{SQUATTING}" in html
    assert page.context["form"].instance.pk is None and "提交注册" in html
    assert "撤回注册" not in html
    assert "重新注册" in client.get(reverse("procurement:portal")).content.decode()


def test_the_rejection_message_goes_once_the_registrant_registers_again(
    client, regions, registrant, registration, county_staff
):
    services.unit_registration_reject(unit=registration, user=county_staff, reason=SQUATTING)
    services.unit_register(
        user=registrant,
        **service_fields(regions, name="濉溪县第二小学", credit_code=make_credit_code(880002)),
    )
    client.force_login(registrant)
    html = client.get(reverse("procurement:register")).content.decode()
    assert "未通过审核" not in html
    assert "“濉溪县第二小学”的注册已提交" in html


def test_the_bureau_unit_list_hides_closed_registrations_unless_filtered(
    client, regions, registrant, registration, county_staff
):
    services.unit_registration_reject(unit=registration, user=county_staff, reason=SQUATTING)
    live = services.unit_register(
        user=UserFactory(),
        **service_fields(regions, name="濉溪县第二小学", credit_code=make_credit_code(880002)),
    )
    client.force_login(county_staff)
    url = reverse("procurement:bureau-units")

    default = client.get(url)
    rejected = client.get(url, {"status": "rejected"})

    assert [u.pk for u in default.context["units"]] == [live.pk]
    assert [u.pk for u in rejected.context["units"]] == [registration.pk]
    html = default.content.decode()
    assert '<option value="withdrawn">已撤回</option>' in html
    assert '<option value="rejected">不予通过</option>' in html


@pytest.mark.parametrize(
    ("refusal", "error", "message"),
    [
        ("someone_else_withdraws", exceptions.ProcurementPermissionError, "没有权限"),
        ("withdraw_approved", exceptions.UnitRegistrationError, "当前为“已通过”，不能撤回"),
        ("withdraw_rejected", exceptions.UnitRegistrationError, "当前为“不予通过”，不能撤回"),
        ("reject_returned", exceptions.UnitRegistrationError, "当前为“已退回”，不能审核"),
        ("reject_without_reason", exceptions.UnitRegistrationError, "必须填写原因"),
        ("reject_another_county", exceptions.ProcurementPermissionError, "没有权限"),
    ],
)
def test_refusals_change_nothing(
    request, registrant, registration, county_staff, city_staff, refusal, error, message
):
    if refusal == "withdraw_approved":
        services.unit_registration_approve(unit=registration, user=county_staff)
    elif refusal == "withdraw_rejected":
        services.unit_registration_reject(unit=registration, user=county_staff, reason=SQUATTING)
    elif refusal == "reject_returned":
        services.unit_registration_return(unit=registration, user=county_staff, reason="名称有误")
    elif refusal == "reject_another_county":
        registration = request.getfixturevalue("elsewhere")
    before = state()

    with pytest.raises(error, match=message):
        if refusal == "someone_else_withdraws":
            services.unit_registration_withdraw(unit=registration, user=city_staff)
        elif refusal.startswith("withdraw"):
            services.unit_registration_withdraw(unit=registration, user=registrant)
        else:
            reason = "   " if refusal == "reject_without_reason" else SQUATTING
            services.unit_registration_reject(unit=registration, user=county_staff, reason=reason)

    assert state() == before


def test_the_pages_refuse_with_nothing_changed(
    client, registrant, registration, county_staff, elsewhere
):
    before = state()
    withdraw = reverse("procurement:register-withdraw")

    client.force_login(registrant)
    assert client.get(withdraw).status_code == 405  # no GET side effects
    client.force_login(county_staff)
    other = reverse("procurement:bureau-unit", kwargs={"pk": elsewhere.pk})
    assert client.post(other, {"action": "reject", "reject-reason": SQUATTING}).status_code == 404
    own = reverse("procurement:bureau-unit", kwargs={"pk": registration.pk})
    blank = client.post(own, {"action": "reject", "reject-reason": ""})
    assert blank.status_code == 200
    assert blank.context["reject_form"].errors["reason"] == ["请填写原因。"]
    assert client.post(withdraw).url == reverse(
        "procurement:register"
    )  # staff: nothing to withdraw

    assert state() == before


def test_nobody_adds_members_to_a_rejected_registration(
    client, registrant, registration, county_staff
):
    services.unit_registration_reject(unit=registration, user=county_staff, reason=SQUATTING)
    before = state()
    client.force_login(county_staff)
    url = reverse("procurement:bureau-unit", kwargs={"pk": registration.pk})

    page = client.get(url).content.decode()
    response = client.post(
        url, {"action": "member-add", "email": registrant.email, "role": "admin"}
    )

    assert 'value="member-add"' not in page
    assert response.context["member_form"].errors["email"] == ["您没有权限执行此操作。"]
    assert state() == before
