"""Supervising budget units (主管预算单位) pre-review their subordinate units' filings where the
policy year asks for it; the finance or rural-revitalisation bureau gives the final review.
Every step is a ``FilingDecision`` naming the reviewer's role and office."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from procurement import exceptions, services
from procurement.access import review_office_name
from procurement.models import BudgetUnit, Filing, FilingDecision
from regions.models import BureauLevel, BureauOffice
from tests.factories.accounts import UserFactory
from tests.factories.procurement import BudgetUnitFactory, BudgetUnitMemberFactory
from tests.factories.regions import BureauStaffFactory

pytestmark = pytest.mark.django_db

FIGURES = {
    "canteen_budget": Decimal("10000"),
    "reserved_amount": Decimal("1000"),
    "contact_name": "刘芳",
    "contact_phone": "0561-3012345",
}


@pytest.fixture
def pre_review_year(policy_year):
    policy_year.supervisor_review_required = True
    policy_year.save(update_fields=["supervisor_review_required"])
    return policy_year


@pytest.fixture
def bureau_of_education(regions):
    return BudgetUnitFactory(name="淮北市教育局", unit_type="agency", supervising_unit="")


@pytest.fixture
def reviewer(bureau_of_education):
    return BudgetUnitMemberFactory(
        unit=bureau_of_education,
        role="reviewer",
        user__email="supervisor@example.com",
        user__last_name="钱",
        user__first_name="主管",
    ).user


@pytest.fixture
def subordinate(unit, bureau_of_education):
    unit.supervisor = bureau_of_education
    unit.save(update_fields=["supervisor"])
    return unit


@pytest.fixture
def waiting(subordinate, purchaser, pre_review_year, reviewer):
    """The school's first filing, waiting for its supervising unit's pre-review."""
    return services.filing_submit(
        unit=subordinate, year=pre_review_year.year, user=purchaser, **FIGURES
    )


@pytest.fixture
def finance_staff(regions):
    return BureauStaffFactory(
        user__email="finance-staff@example.com",
        bureau_name="淮北市财政局",
        office_kind=BureauOffice.FINANCE,
    ).user


def state(filing) -> tuple:
    filing = Filing.objects.get(pk=filing.pk)
    version = filing.versions.order_by("-number").first()
    return filing.status, version.status, filing.return_reason, FilingDecision.objects.count()


def test_a_subordinate_filing_waits_for_its_supervisor_then_the_bureau(
    waiting, reviewer, city_staff
):
    assert state(waiting) == ("prereview", "prereview", "", 0)

    services.filing_pre_review_approve(filing=waiting, user=reviewer)
    assert state(waiting) == ("submitted", "submitted", "", 1)

    services.filing_approve(filing=waiting, user=city_staff)
    assert state(waiting) == ("approved", "approved", "", 2)
    steps = [
        (d.role, d.get_role_display(), d.office, d.actor, d.action)
        for d in FilingDecision.objects.order_by("pk")
    ]
    assert steps == [
        ("supervisor", "主管预算单位初审", "淮北市教育局", reviewer, "approved"),
        ("rural", "乡村振兴局审核", "淮北市乡村振兴局", city_staff, "approved"),
    ]


def test_the_bureau_cannot_decide_before_the_pre_review(waiting, city_staff):
    with pytest.raises(exceptions.FilingStateError, match="等待主管预算单位“淮北市教育局”初审"):
        services.filing_approve(filing=waiting, user=city_staff)
    with pytest.raises(exceptions.FilingStateError):
        services.filing_return(filing=waiting, user=city_staff, reason="比例不对")

    assert state(waiting) == ("prereview", "prereview", "", 0)


def test_finance_staff_review_as_the_finance_bureau(waiting, reviewer, finance_staff):
    services.filing_pre_review_approve(filing=waiting, user=reviewer)
    services.filing_return(filing=waiting, user=finance_staff, reason="预算与部门预算不符")

    last = FilingDecision.objects.order_by("-pk").first()
    assert (last.get_role_display(), last.office, last.reason) == (
        "财政局审核",
        "淮北市财政局",
        "预算与部门预算不符",
    )
    assert state(waiting) == ("returned", "returned", "预算与部门预算不符", 2)


def test_the_supervisor_returns_with_a_reason_and_the_unit_sees_who(
    client, waiting, reviewer, purchaser
):
    with pytest.raises(exceptions.FilingInvalidError):
        services.filing_pre_review_return(filing=waiting, user=reviewer, reason="  ")
    assert state(waiting) == ("prereview", "prereview", "", 0)

    services.filing_pre_review_return(filing=waiting, user=reviewer, reason="联系人电话有误")

    assert state(waiting) == ("returned", "returned", "联系人电话有误", 1)
    client.force_login(purchaser)
    html = client.get(reverse("procurement:filings")).content.decode()
    assert "淮北市教育局退回了填报：联系人电话有误" in html

    # Corrected, it goes back to the supervising unit first.
    services.filing_submit(
        unit=waiting.unit, year=waiting.policy_year.year, user=purchaser, **FIGURES
    )
    assert state(waiting)[:2] == ("prereview", "prereview")


def test_without_the_year_setting_a_filing_goes_straight_to_the_bureau(
    subordinate, purchaser, policy_year, reviewer
):
    filing = services.filing_submit(
        unit=subordinate, year=policy_year.year, user=purchaser, **FIGURES
    )

    assert state(filing) == ("submitted", "submitted", "", 0)


def test_a_supervisor_without_reviewers_does_not_hold_filings_up(
    subordinate, purchaser, pre_review_year
):
    filing = services.filing_submit(
        unit=subordinate, year=pre_review_year.year, user=purchaser, **FIGURES
    )

    assert state(filing)[:2] == ("submitted", "submitted")


def test_nobody_but_the_supervisors_reviewers_pre_reviews(
    waiting, bureau_of_education, purchaser, city_staff
):
    other_supervisor = BudgetUnitFactory(name="淮北市卫生健康委员会", unit_type="agency")
    other_reviewer = BudgetUnitMemberFactory(unit=other_supervisor, role="reviewer").user
    education_purchaser = BudgetUnitMemberFactory(unit=bureau_of_education).user

    for user in (other_reviewer, education_purchaser, purchaser, city_staff, UserFactory()):
        with pytest.raises(exceptions.FilingNotFoundError):
            services.filing_pre_review_approve(filing=waiting, user=user)
        with pytest.raises(exceptions.FilingNotFoundError):
            services.filing_pre_review_return(filing=waiting, user=user, reason="不行")

    assert state(waiting) == ("prereview", "prereview", "", 0)


def test_the_queue_lists_only_subordinate_units_and_another_units_filing_is_a_404(
    client, waiting, reviewer, pre_review_year, city_staff
):
    other_supervisor = BudgetUnitFactory(name="淮北市卫生健康委员会", unit_type="agency")
    BudgetUnitMemberFactory(unit=other_supervisor, role="reviewer")
    hospital = BudgetUnitFactory(name="淮北市人民医院", supervisor=other_supervisor)
    hospital_filing = services.filing_submit(
        unit=hospital,
        year=pre_review_year.year,
        user=BudgetUnitMemberFactory(unit=hospital).user,
        **FIGURES,
    )
    client.force_login(reviewer)

    html = client.get(reverse("procurement:supervised-filings")).content.decode()
    assert "淮北市第一中学" in html and "淮北市人民医院" not in html
    assert "下属单位申报" in html  # the portal's tab

    url = reverse("procurement:supervised-filing", kwargs={"pk": hospital_filing.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 404
    assert state(hospital_filing) == ("prereview", "prereview", "", 0)

    mine = reverse("procurement:supervised-filing", kwargs={"pk": waiting.pk})
    response = client.post(mine, {"action": "return", "reason": ""})
    assert "请填写原因。" in response.content.decode()
    assert state(waiting) == ("prereview", "prereview", "", 0)
    response = client.post(mine, {"action": "approve"}, follow=True)
    assert "初审通过，已转淮北市乡村振兴局审核。" in response.content.decode()
    assert state(waiting)[:2] == ("submitted", "submitted")


def test_a_member_of_the_supervisor_without_a_reviewer_role_is_refused_the_queue(
    client, waiting, bureau_of_education
):
    clerk = BudgetUnitMemberFactory(unit=bureau_of_education, role="approver").user
    client.force_login(clerk)

    assert client.get(reverse("procurement:supervised-filings")).status_code == 403
    url = reverse("procurement:supervised-filing", kwargs={"pk": waiting.pk})
    assert client.post(url, {"action": "approve"}).status_code == 403
    assert state(waiting) == ("prereview", "prereview", "", 0)


def test_the_supervisors_admin_reviews_too(waiting, bureau_of_education):
    admin = BudgetUnitMemberFactory(unit=bureau_of_education, role="admin").user

    services.filing_pre_review_approve(filing=waiting, user=admin)

    assert state(waiting)[:2] == ("submitted", "submitted")


def test_the_bureau_queue_shows_the_pre_review_and_the_staffs_office_kind(
    client, waiting, reviewer, city_staff
):
    services.filing_pre_review_approve(filing=waiting, user=reviewer)
    client.force_login(city_staff)

    html = client.get(reverse("procurement:bureau-filings")).content.decode()
    assert "淮北市教育局 · 钱主管" in html
    assert "乡村振兴局审核" in html  # the header names the staff's review role
    detail = client.get(reverse("procurement:bureau-filing", kwargs={"pk": waiting.pk}))
    assert "主管预算单位初审" in detail.content.decode()
    assert "您的审核将记为“乡村振兴局审核”" in detail.content.decode()


def test_the_unit_is_told_who_reviews_first(
    client, subordinate, purchaser, reviewer, pre_review_year, city_staff
):
    client.force_login(purchaser)
    data = {
        **{k: str(v) for k, v in FIGURES.items()},
        "union_demand": "0",
        "year": pre_review_year.year,
    }

    response = client.post(reverse("procurement:filings"), data, follow=True)

    assert (
        "填报已提交，等待主管预算单位“淮北市教育局”初审，初审通过后由淮北市乡村振兴局审核。"
        in response.content.decode()
    )


def test_review_office_name_names_both_offices_of_a_region(regions, finance_staff, city_staff):
    assert review_office_name(region=regions["濉溪县"]) == "淮北市乡村振兴局或淮北市财政局"
    BureauStaffFactory(
        region=regions["濉溪县"], level=BureauLevel.COUNTY, bureau_name="", office_kind="finance"
    )
    assert review_office_name(region=regions["濉溪县"]) == "濉溪县财政局"


def test_the_migration_links_units_whose_supervising_unit_names_a_unit(regions):
    education = BudgetUnitFactory(name="淮北市教育局", supervising_unit="淮北市人民政府")
    school = BudgetUnitFactory(name="淮北市第一中学", supervising_unit="淮北市教育局")
    migration = importlib.import_module("procurement.migrations.0012_supervising_units_review")

    migration.link_supervisors(apps, None)

    linked = dict(BudgetUnit.objects.values_list("name", "supervisor__name"))
    assert linked == {"淮北市教育局": None, "淮北市第一中学": "淮北市教育局"}
    assert BudgetUnit.objects.get(pk=school.pk).supervising_unit == "淮北市教育局"
    assert education.supervisor is None


def test_the_policy_page_sets_the_pre_review(client, city_staff, policy_year):
    client.force_login(city_staff)
    client.post(
        reverse("procurement:bureau-policy"),
        {
            "year": policy_year.year,
            "min_ratio": "10",
            "encouraged_ratio": "15",
            "filing_deadline": policy_year.filing_deadline.isoformat(),
            "counting_event": "accepted",
            "is_open": "on",
            "supervisor_review_required": "on",
        },
    )

    policy_year.refresh_from_db()
    assert policy_year.supervisor_review_required is True
    assert policy_year.changes.get().after["supervisor_review_required"] is True
