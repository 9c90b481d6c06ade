"""The manager's restocking pages: pick, review (priced lines, total, funding split), submit,
accept per shipment with a points price for new goods; refusals shown in Chinese with
nothing written; another supermarket's manager sees a 404; query counts constant in rows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import OrderStatus, SalesChannel
from points.models import Goods, RestockOrder, StockMove, Supermarket
from procurement import services as procurement
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory
from tests.factories.procurement import shipment
from tests.procurement.conftest import policy_year  # noqa: F401 (fixture)

from .restock_support import place, restock_state, shop_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world, catalogue, policy_year):  # noqa: F811
    return shop_open(world, catalogue)


def review(client, items: dict):
    return client.post(reverse("points:restock"), {f"qty-{p.pk}": q for p, q in items.items()})


def fingerprint(response) -> str:
    return re.search(r'name="fingerprint" value="(\w+)"', response.content.decode()).group(1)


def test_the_manager_orders_from_the_page(client, shop, world):
    c = shop.catalogue
    client.force_login(world.manager)
    search = client.get(reverse("points:restock"), {"q": "石榴"}).content.decode()
    assert "塔山石榴 精品礼盒 6枚装" in search and "未认定商家的石榴" not in search

    page = review(client, {c["pomegranate"]: 2})
    html = page.content.decode()
    assert page.status_code == 200 and "¥136.00" in html and "帮扶单位捐赠" in html
    response = client.post(
        reverse("points:restock"),
        {
            f"qty-{c['pomegranate'].pk}": 2,
            "fingerprint": fingerprint(page),
            "fund-donation": "100",
            "fund-subsidy": "36.00",
            "contact_name": "赵店长",
            "contact_phone": "13800001111",
            "submit": "1",
        },
    )
    restock = RestockOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "points:restock-detail", kwargs={"number": restock.order.number}
    )
    assert restock.order.channel == SalesChannel.POINTS_SUPERMARKET
    assert sorted(restock.funding.values_list("source", "amount")) == [
        ("donation", Decimal("100.00")),
        ("subsidy", Decimal("36.00")),
    ]


def test_a_split_that_does_not_add_up_is_shown_and_nothing_written(client, shop, world):
    c = shop.catalogue
    client.force_login(world.manager)
    page = review(client, {c["pomegranate"]: 2})
    before = restock_state()
    response = client.post(
        reverse("points:restock"),
        {
            f"qty-{c['pomegranate'].pk}": 2,
            "fingerprint": fingerprint(page),
            "fund-donation": "100",
            "fund-lottery": "36",
            "contact_name": "赵店长",
            "contact_phone": "13800001111",
            "submit": "1",
        },
    )
    assert response.status_code == 400
    assert "未知的资金来源" in response.content.decode()
    assert restock_state() == before


def test_accepting_on_the_page_puts_the_goods_on_the_shelf(client, shop, world):
    c = shop.catalogue
    restock = place(shop, (c["pomegranate"], 2), funding={"donation": "136.00"})
    procurement.procurement_order_approve(order=restock.order, user=shop.approver)
    event = shipment(restock.order, partner=c["supplier"])
    line = restock.order.lines.get()
    client.force_login(world.manager)
    url = reverse("points:restock-detail", kwargs={"number": restock.order.number})
    assert "新上架：兑换积分" in client.get(url).content.decode()

    data = {
        "event": event.pk,
        f"shipped-{line.pk}": 2,
        f"acc-{line.pk}": 2,
        f"dmg-{line.pk}": 0,
    }
    client.post(url, data)  # without a points price: refused
    assert not StockMove.objects.filter(order_line=line).exists()
    client.post(url, {**data, f"acc-{line.pk}": 3, f"price-{c['pomegranate'].pk}": 70})
    assert not StockMove.objects.filter(order_line=line).exists()  # more than shipped

    response = client.post(url, {**data, f"price-{c['pomegranate'].pk}": 70})
    assert response.status_code == 302
    goods = Goods.objects.get(product=c["pomegranate"])
    assert (goods.stock, goods.points_price) == (2, 70)
    client.post(url, {**data, f"price-{c['pomegranate'].pk}": 70})  # again: refused
    goods.refresh_from_db()
    assert goods.stock == 2
    assert "已验收" in client.get(url).content.decode()


def test_another_supermarkets_manager_gets_404(client, shop, world, regions):
    restock = place(shop, (shop.catalogue["rice"], 1), funding={"subsidy": "59.90"})
    other = UserFactory(email="other-shop@example.com")
    Supermarket.objects.create(name="别的积分超市", town=regions["濉溪镇"]).managers.add(other)
    client.force_login(other)
    url = reverse("points:restock-detail", kwargs={"number": restock.order.number})
    assert client.get(url).status_code == 404
    assert client.post(url, {"event": "1"}).status_code == 404


def test_a_user_who_manages_no_supermarket_is_refused(client, shop):
    client.force_login(UserFactory(email="nobody@example.com"))
    assert client.get(reverse("points:restock")).status_code == 403


def _orders(shop, n):
    for _ in range(n):
        restock = place(shop, (shop.catalogue["rice"], 1), funding={"subsidy": "59.90"})
    return restock


def test_query_counts_do_not_grow_with_rows(client, shop, world, django_assert_max_num_queries):
    client.force_login(world.manager)
    _orders(shop, 2)
    for n in range(3):
        ProductFactory(title=f"石榴汁 {n}", stockrecord__partner=shop.catalogue["supplier"])
    url = reverse("points:restock")
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"q": "石榴"})
    _orders(shop, 4)
    for n in range(3, 9):
        ProductFactory(title=f"石榴汁 {n}", stockrecord__partner=shop.catalogue["supplier"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"q": "石榴"})


def test_the_order_page_query_count_does_not_grow_with_lines(
    client, shop, world, django_assert_max_num_queries
):
    c = shop.catalogue

    def shipped_order(products):
        items = [(p, 1) for p in products]
        total = sum(p.stockrecords.get().price for p in products)
        restock = place(shop, *items, funding={"donation": str(total)})
        if restock.order.status == OrderStatus.PENDING_APPROVAL:
            procurement.procurement_order_approve(order=restock.order, user=shop.approver)
        shipment(restock.order, partner=c["supplier"])
        return reverse("points:restock-detail", kwargs={"number": restock.order.number})

    client.force_login(world.manager)
    small = shipped_order([c["pomegranate"]])
    with django_assert_max_num_queries(40) as few:
        client.get(small)
    extra = [
        ProductFactory(title=f"石榴汁 {n}", stockrecord__partner=c["supplier"]) for n in range(4)
    ]
    big = shipped_order([c["pomegranate"], *extra])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(big)
