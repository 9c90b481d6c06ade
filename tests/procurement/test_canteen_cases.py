"""Every canteen case can file (issue #19 item 3): a unit without a canteen files its other
farm-product purchases or a zero reserve with a reason; the members of a shared canteen are
covered by their host's filing; an outsourced canteen records its contract; the minimum and
the zero-reserve rule per case are the year's policy data."""

from decimal import Decimal

import pytest
from django.urls import reverse

from procurement import exceptions, services
from procurement.models import CanteenStatus, Filing, FilingVersion, PolicyCanteenCase
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import BudgetUnitFactory, BudgetUnitMemberFactory, FilingFactory

pytestmark = pytest.mark.django_db


def file(unit, user, year, *, budget, reserved, **details):
    return services.filing_submit(
        unit=unit,
        year=year,
        user=user,
        canteen_budget=Decimal(budget),
        reserved_amount=Decimal(reserved),
        contact_name="李明",
        contact_phone="0561-3012345",
        **details,
    )


@pytest.fixture
def no_canteen(regions):
    unit = BudgetUnitFactory(
        name="淮北市档案馆", credit_code=make_credit_code(990011), canteen_status="none"
    )
    return unit, BudgetUnitMemberFactory(unit=unit).user


def test_a_unit_without_a_canteen_files_its_other_purchases(no_canteen, policy_year, city_staff):
    unit, user = no_canteen
    filing = file(unit, user, policy_year.year, budget="20000", reserved="2000")
    filing = services.filing_approve(filing=filing, user=city_staff)
    assert (filing.canteen_status, filing.canteen_budget, filing.reserved_amount) == (
        CanteenStatus.NONE,
        Decimal("20000.00"),
        Decimal("2000.00"),
    )


def test_a_zero_reserve_needs_a_reason_and_counts_as_reached(no_canteen, policy_year, city_staff):
    unit, user = no_canteen
    with pytest.raises(exceptions.FilingInvalidError, match="填报零预留时请说明原因"):
        file(unit, user, policy_year.year, budget="0", reserved="0")
    assert not Filing.objects.filter(unit=unit).exists()

    filing = file(
        unit, user, policy_year.year, budget="0", reserved="0", zero_reason="无食堂，无工会采购"
    )
    filing = services.filing_approve(filing=filing, user=city_staff)
    assert (filing.zero_reason, filing.completion_rate) == ("无食堂，无工会采购", Decimal("1"))
    assert FilingVersion.objects.get(filing=filing).zero_reason == "无食堂，无工会采购"


def test_the_year_decides_the_minimum_and_the_zero_reserve_per_case(
    no_canteen, unit, purchaser, policy_year
):
    no_unit, no_user = no_canteen
    PolicyCanteenCase.objects.create(
        policy_year=policy_year,
        canteen_status="none",
        min_ratio=Decimal("0.05"),
        zero_reserve_allowed=False,
    )
    with pytest.raises(exceptions.FilingInvalidError, match="不允许该食堂情况填报零预留"):
        file(no_unit, no_user, policy_year.year, budget="0", reserved="0", zero_reason="无")
    # 5% for a unit without a canteen this year, while the year's 10% still binds others.
    assert file(no_unit, no_user, policy_year.year, budget="10000", reserved="500")
    with pytest.raises(exceptions.FilingRatioTooLowError):
        file(unit, purchaser, policy_year.year, budget="10000", reserved="500")
    # Only a unit without a canteen files a zero budget.
    with pytest.raises(exceptions.FilingInvalidError, match="预算必须大于零"):
        file(unit, purchaser, policy_year.year, budget="0", reserved="0", zero_reason="无")


def test_an_outsourced_canteen_records_its_contract(regions, policy_year):
    unit = BudgetUnitFactory(
        name="淮北市人民医院", credit_code=make_credit_code(990012), canteen_status="outsourced"
    )
    user = BudgetUnitMemberFactory(unit=unit).user
    with pytest.raises(exceptions.FilingInvalidError, match="承包方和承包合同编号"):
        file(unit, user, policy_year.year, budget="50000", reserved="5000")
    filing = file(
        unit,
        user,
        policy_year.year,
        budget="50000",
        reserved="5000",
        contractor_name="淮北市康餐餐饮管理有限公司",
        contract_no="HB-ST-2026-018",
    )
    assert (filing.contractor_name, filing.contract_no) == (
        "淮北市康餐餐饮管理有限公司",
        "HB-ST-2026-018",
    )


def test_a_shared_canteen_member_is_covered_by_its_hosts_filing(
    client, regions, unit, purchaser, policy_year, city_staff
):
    unit.canteen_status = "shared"
    unit.save(update_fields=["canteen_status"])
    host_filing = FilingFactory(unit=unit, year=policy_year.year, approved_by=city_staff)
    member = BudgetUnitFactory(
        name="淮北市第一中学附属小学",
        credit_code=make_credit_code(990013),
        canteen_status="shared",
        canteen_host=unit,
    )
    member_user = BudgetUnitMemberFactory(unit=member).user
    with pytest.raises(exceptions.FilingInvalidError, match="由主办单位统一填报"):
        file(member, member_user, policy_year.year, budget="10000", reserved="1000")
    assert not Filing.objects.filter(unit=member).exists()

    client.force_login(city_staff)
    html = client.get(reverse("procurement:bureau-completion")).content.decode()
    assert "由“淮北市第一中学”统一填报（共用食堂）" in html
    assert host_filing.pk  # the member's row links to the host's filing
    assert f'href="/procurement/bureau/filings/{host_filing.pk}/">淮北市第一中学附属小学' in html


def test_the_filing_form_shows_the_fields_of_the_units_case(client, no_canteen, policy_year):
    _unit, user = no_canteen
    client.force_login(user)
    html = client.get(reverse("procurement:filings")).content.decode()
    assert "年度其他农副产品采购预算（元）" in html and "零预留原因" in html
    assert "承包合同编号" not in html
