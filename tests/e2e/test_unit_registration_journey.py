"""Browser journey (Playwright + Debian chromium) of a budget unit's self-registration: a new
user registers (a wrong check digit of the 统一社会信用代码 is a Chinese field error first),
waits for review, the county bureau returns it with a reason, the user corrects and resubmits,
the bureau approves, and the user is in the unit's portal and can open the filing page."""

import pytest
from playwright.sync_api import expect

from procurement.models import BudgetUnit, BudgetUnitMember, UnitDecision
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CREDIT_CODE = make_credit_code(880101)
# The same code with another check character: 18 characters, wrong check digit.
WRONG_CHECK_DIGIT = CREDIT_CODE[:17] + ("0" if CREDIT_CODE[17] != "0" else "1")
REASON = "主管单位应为濉溪县教育体育局"


def test_a_new_user_registers_a_unit_the_bureau_returns_then_approves_it(
    contexts, regions, county_staff, policy_year, tmp_path
):
    registrant = UserFactory(email="principal@example.com", last_name="王", first_name="校长")

    user = contexts(registrant)
    user.goto(user.base_url + "/procurement/")
    user.get_by_role("link", name="注册预算单位").click()
    user.wait_for_url("**/procurement/register/")
    user.fill("#id_name", "濉溪县实验小学")
    user.fill("#id_credit_code", WRONG_CHECK_DIGIT)
    user.select_option("#id_region", label="濉溪县")
    user.select_option("#id_unit_type", value="school")
    user.fill("#id_supervising_unit", "濉溪县教育局")
    user.fill("#id_address", "濉溪县濉溪镇人民路 8 号")
    user.get_by_role("button", name="提交注册").click()
    error = user.locator("#id_credit_code ~ .invalid-feedback")
    expect(error).to_have_text("统一社会信用代码校验位不正确，请核对。")
    assert not BudgetUnit.objects.filter(name="濉溪县实验小学").exists()

    user.fill("#id_credit_code", CREDIT_CODE)
    user.get_by_role("button", name="提交注册").click()
    expect(user.get_by_text("审核通过后即可使用。")).to_be_visible()
    expect(user.locator('[data-registration="pending"]').get_by_text("等待审核")).to_be_visible()
    unit = BudgetUnit.objects.get(name="濉溪县实验小学")
    assert (unit.is_active, unit.registration_status) == (False, "pending")

    bureau = contexts(county_staff)
    bureau.goto(bureau.base_url + "/procurement/bureau/units/")
    bureau.get_by_role("link", name="审核", exact=True).click()
    bureau.wait_for_url(f"**/procurement/bureau/units/{unit.pk}/")
    bureau.fill("#id_reason", REASON)
    bureau.get_by_role("button", name="退回注册").click()
    expect(bureau.get_by_text("已退回，注册人将看到退回原因。")).to_be_visible()

    user.goto(user.base_url + "/procurement/")
    expect(user.locator('[data-registration="returned"]')).to_contain_text(REASON)
    user.get_by_role("link", name="修改并重新提交").click()
    user.wait_for_url("**/procurement/register/")
    assert user.input_value("#id_credit_code") == CREDIT_CODE  # the form keeps what was sent
    user.fill("#id_supervising_unit", "濉溪县教育体育局")
    user.get_by_role("button", name="修改并重新提交").click()
    expect(user.locator('[data-registration="pending"]').get_by_text("等待审核")).to_be_visible()
    expect(user.get_by_text("濉溪县教育体育局")).to_be_visible()

    bureau.reload()
    expect(bureau.locator('[data-registration-status="pending"]')).to_be_visible()
    bureau.get_by_role("button", name="审核通过并启用").click()
    expect(bureau.get_by_text("已通过“濉溪县实验小学”的注册。")).to_be_visible()

    user.goto(user.base_url + "/procurement/")
    expect(user.locator(".pc-unit-name")).to_have_text("濉溪县实验小学")
    user.get_by_role("link", name="份额填报").click()
    user.wait_for_url("**/procurement/filings/")
    expect(user.get_by_role("heading", name=f"{policy_year.year} 年度填报")).to_be_visible()
    expect(user.locator("#id_reserved_amount")).to_be_editable()
    user.screenshot(path=str(tmp_path / "procurement-unit-registered.png"), full_page=True)

    unit.refresh_from_db()
    assert (unit.is_active, unit.registration_status, unit.supervising_unit) == (
        True,
        "approved",
        "濉溪县教育体育局",
    )
    assert sorted(
        BudgetUnitMember.objects.filter(user=registrant).values_list("role", flat=True)
    ) == [
        "admin",
        "purchaser",
    ]
    assert list(UnitDecision.objects.filter(unit=unit).values_list("action", flat=True)) == [
        "registered",
        "returned",
        "resubmitted",
        "approved",
    ]
