"""Policy years, filings, versions, review and region scoping."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement import exceptions, services
from procurement.models import Filing, FilingVersion, PolicyRegionOverride
from procurement.selectors import bureau_completion_table, bureau_filings_to_review

pytestmark = pytest.mark.django_db


def file(unit, user, year, reserved="1000", budget="10000", **kwargs):
    return services.filing_submit(
        unit=unit,
        year=year,
        user=user,
        canteen_budget=Decimal(budget),
        reserved_amount=Decimal(reserved),
        contact_name="刘芳",
        contact_phone="0561-3012345",
        **kwargs,
    )


def test_a_ratio_below_the_minimum_is_refused_with_the_figures(unit, purchaser, policy_year):
    with pytest.raises(exceptions.FilingRatioTooLowError) as caught:
        file(unit, purchaser, policy_year.year, reserved="999.99")
    assert str(caught.value) == (
        f"预留比例 9.99% 低于 {policy_year.year} 年度最低要求 10%："
        "预算 ¥10,000.00 至少应预留 ¥1,000.00。"
    )
    assert Filing.objects.count() == 0 and FilingVersion.objects.count() == 0


def test_a_region_override_raises_the_minimum(unit, purchaser, policy_year, regions):
    PolicyRegionOverride.objects.create(
        policy_year=policy_year,
        region=regions["淮北市"],
        min_ratio=Decimal("0.15"),
        encouraged_ratio=Decimal("0.20"),
    )
    with pytest.raises(exceptions.FilingRatioTooLowError):
        file(unit, purchaser, policy_year.year, reserved="1400")
    assert file(unit, purchaser, policy_year.year, reserved="1500").reserved_amount == Decimal(
        "1500.00"
    )


def test_filing_for_a_closed_year_is_refused(unit, purchaser, policy_year):
    policy_year.is_open = False
    policy_year.save()
    with pytest.raises(exceptions.PolicyYearClosedError) as caught:
        file(unit, purchaser, policy_year.year)
    assert "已停止填报" in str(caught.value)
    assert Filing.objects.count() == 0


def test_filing_for_a_year_without_policy_is_refused(unit, purchaser):
    with pytest.raises(exceptions.PolicyYearMissingError):
        file(unit, purchaser, 2031)
    assert Filing.objects.count() == 0


def test_late_filings_are_flagged(unit, purchaser, policy_year):
    late = timezone.now() + datetime.timedelta(days=45)
    filing = file(unit, purchaser, policy_year.year, at=late)
    assert filing.is_late and filing.versions.get().is_late


def test_return_then_amend_keeps_every_version(unit, purchaser, policy_year, city_staff):
    filing = file(unit, purchaser, policy_year.year)
    services.filing_return(filing=filing, user=city_staff, reason="预算口径有误")
    filing.refresh_from_db()
    assert (filing.status, filing.return_reason) == ("returned", "预算口径有误")
    file(unit, purchaser, policy_year.year, reserved="1200", budget="12000")
    filing = services.filing_approve(filing=filing, user=city_staff)
    assert (filing.status, filing.reserved_amount) == ("approved", Decimal("1200.00"))
    # Amendment: the approved figures stay in force until the new version is approved.
    file(unit, purchaser, policy_year.year, reserved="1800", budget="12000")
    filing.refresh_from_db()
    assert filing.reserved_amount == Decimal("1200.00")
    with pytest.raises(exceptions.FilingStateError):
        file(unit, purchaser, policy_year.year, reserved="1900", budget="12000")
    services.filing_approve(filing=filing, user=city_staff)
    filing.refresh_from_db()
    assert filing.reserved_amount == Decimal("1800.00")
    assert list(
        filing.versions.order_by("number").values_list("number", "status", "reserved_amount")
    ) == [
        (1, "returned", Decimal("1000.00")),
        (2, "approved", Decimal("1200.00")),
        (3, "approved", Decimal("1800.00")),
    ]


def test_county_staff_cannot_review_a_city_unit(unit, purchaser, policy_year, county_staff):
    filing = file(unit, purchaser, policy_year.year)
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.filing_approve(filing=filing, user=county_staff)
    filing.refresh_from_db()
    assert filing.status == "submitted"
    assert bureau_filings_to_review(region=county_staff.bureau_staff.region) == []
    assert bureau_filings_to_review(region=unit.region) == [filing]


def test_completion_table_is_scoped_and_ranked(unit, purchaser, policy_year, city_staff, regions):
    from procurement.models import BudgetUnit, BudgetUnitMember
    from tests.factories.catalog import make_credit_code

    county_unit = BudgetUnit.objects.create(
        name="濉溪县医院",
        credit_code=make_credit_code(990002),
        region=regions["濉溪镇"],
        unit_type="hospital",
    )
    BudgetUnitMember.objects.create(unit=county_unit, user=purchaser, role="purchaser")
    for u in (unit, county_unit):
        services.filing_approve(filing=file(u, purchaser, policy_year.year), user=city_staff)
    services.quota_adjust(
        filing=Filing.objects.get(unit=county_unit),
        user=city_staff,
        completed_delta=Decimal("500"),
        reason="线下采购补录",
    )
    rows = bureau_completion_table(region=regions["淮北市"], year=policy_year.year)
    assert [(r["rank"], r["unit"].name, r["rate"]) for r in rows] == [
        (1, "濉溪县医院", Decimal("0.5")),
        (2, "淮北市第一中学", Decimal("0")),
    ]
    county = bureau_completion_table(region=regions["濉溪县"], year=policy_year.year)
    assert [r["unit"].name for r in county] == ["濉溪县医院"]
    assert (
        bureau_completion_table(
            region=regions["淮北市"], year=policy_year.year, unit_type="school"
        )[0]["unit"]
        == unit
    )
