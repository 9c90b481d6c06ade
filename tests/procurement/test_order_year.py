"""An order counts toward the filing of its own year (the local date, Asia/Shanghai): last
year's filing is refused by the service, the checkout page and the API alike, and nothing
is written."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from procurement import exceptions, services
from procurement.models import PolicyYear, QuotaEntry
from tests.factories.payments import basket_for

from .conftest import CHECKOUT_DETAILS as DETAILS
from .conftest import balance

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def local(year, month, day, hour, minute):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def last_year_filing(unit, purchaser, city_staff):
    """Last year's approved filing (reserved ¥1,000, nothing used), its year since closed."""
    year = timezone.localdate().year - 1
    policy = PolicyYear.objects.create(
        year=year,
        min_ratio=Decimal("0.10"),
        encouraged_ratio=Decimal("0.15"),
        filing_deadline=datetime.date(year, 3, 31),
    )
    filing = services.filing_submit(
        unit=unit,
        year=year,
        user=purchaser,
        canteen_budget=Decimal("10000"),
        reserved_amount=Decimal("1000"),
        contact_name="刘芳",
        contact_phone="0561-3012345",
        at=local(year, 2, 20, 9, 30),
    )
    filing = services.filing_approve(filing=filing, user=city_staff, at=local(year, 2, 22, 9, 30))
    policy.is_open = False
    policy.save()
    return filing


def place(user, unit, filing, basket, at=None):
    return services.procurement_order_submit(
        user=user, unit=unit, filing=filing, basket=basket, at=at, **DETAILS
    )


def written(*filings):
    """What a refused submission must leave as it was: the balances, the entries, the
    orders and the stock allocated."""
    return (
        [balance(f) for f in filings],
        QuotaEntry.objects.count(),
        Order.objects.count(),
        [r.num_allocated for r in StockRecord.objects.order_by("pk")],
    )


def test_an_order_now_against_last_years_filing_is_refused_and_nothing_is_written(
    catalogue, unit, purchaser, filing, last_year_filing
):
    before = written(filing, last_year_filing)
    basket = basket_for(purchaser, (catalogue["rice"], 2))
    year = timezone.localdate().year

    with pytest.raises(exceptions.FilingNotApprovedError) as caught:
        place(purchaser, unit, last_year_filing, basket)

    assert str(caught.value) == (
        f"所选填报属于 {year - 1} 年度，本单在 {year} 年下单，"
        f"只能计入 {year} 年度已通过审核的填报。"
    )
    assert written(filing, last_year_filing) == before
    assert balance(last_year_filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
    basket.refresh_from_db()
    assert basket.status == Basket.OPEN


def test_the_year_is_the_local_date_of_the_order_in_shanghai(
    catalogue, unit, purchaser, filing, last_year_filing
):
    """00:30 on 1 January in Shanghai is still 31 December in UTC: it counts toward the new
    year; 23:30 on 31 December counts toward the old one."""
    year = timezone.localdate().year
    new_year, old_year = local(year, 1, 1, 0, 30), local(year - 1, 12, 31, 23, 30)
    assert new_year.astimezone(datetime.UTC).year == year - 1

    def rice(quantity, filing, at):
        basket = basket_for(purchaser, (catalogue["rice"], quantity))
        return place(purchaser, unit, filing, basket, at)

    before = written(filing, last_year_filing)
    for wrong_filing, at in ((last_year_filing, new_year), (filing, old_year)):
        with pytest.raises(exceptions.FilingNotApprovedError):
            rice(1, wrong_filing, at)
        assert written(filing, last_year_filing) == before

    rice(1, last_year_filing, old_year)
    rice(2, filing, new_year)
    assert balance(last_year_filing) == (Decimal("1000.00"), Decimal("59.90"), Decimal("0.00"))
    assert balance(filing) == (Decimal("1000.00"), Decimal("119.80"), Decimal("0.00"))


def checkout_form(filing):
    return {"filing": filing.pk, **DETAILS}


def test_checkout_offers_only_this_years_approved_filing(
    client, catalogue, unit, purchaser, filing, last_year_filing
):
    client.force_login(purchaser)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["rice"].pk}), {"quantity": 2})
    year = timezone.localdate().year

    html = client.get(reverse("procurement:checkout")).content.decode()
    assert f'<option value="{filing.pk}" selected>{year} 年度（已完成 0%）</option>' in html
    assert f'value="{last_year_filing.pk}"' not in html
    assert f"{year - 1} 年度" not in html

    before = written(filing, last_year_filing)
    response = client.post(reverse("procurement:checkout"), checkout_form(last_year_filing))
    assert response.status_code == 200
    assert "请选择已通过审核的本单位填报。" in response.content.decode()
    assert written(filing, last_year_filing) == before


def test_checkout_without_this_years_filing_says_so_and_links_to_the_filing_page(
    client, catalogue, unit, purchaser, last_year_filing
):
    client.force_login(purchaser)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["rice"].pk}), {"quantity": 2})
    year = timezone.localdate().year

    html = client.get(reverse("procurement:checkout")).content.decode()

    assert f"本单位还没有通过审核的 {year} 年度预留份额填报，暂不能下单" in html
    assert f'<a href="{reverse("procurement:filings")}?year={year}">份额填报</a>' in html
    assert 'name="filing"' not in html and "提交采购订单</button>" not in html


def test_the_api_refuses_last_years_filing_with_a_409_and_writes_nothing(
    client, catalogue, unit, purchaser, filing, last_year_filing
):
    client.force_login(purchaser)
    before = written(filing, last_year_filing)
    payload = {
        "unit_id": unit.pk,
        "filing_id": last_year_filing.pk,
        "items": [{"product_id": catalogue["rice"].pk, "quantity": 1}],
        **DETAILS,
    }

    response = client.post(
        "/api/v1/procurement/orders", json.dumps(payload), content_type="application/json"
    )

    year = timezone.localdate().year
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"所选填报属于 {year - 1} 年度，本单在 {year} 年下单，"
        f"只能计入 {year} 年度已通过审核的填报。"
    )
    assert written(filing, last_year_filing) == before
    assert Basket.objects.filter(owner=purchaser).count() == 0
