"""A supplier's products: create with price, stock and image, field errors in Chinese with
nothing half-saved, listing review into the shop, minimum order quantity and increments."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.models import ListingDecision, ListingStatus
from suppliers.exceptions import ListingPermissionError, SupplierNotCertifiedError
from suppliers.services import listing_approve, product_submit_for_review
from suppliers.strategy import Selector
from tests.factories.accounts import UserFactory

from .conftest import png_bytes, upload

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")


def form_data(suppliers, regions, **overrides):
    data = {
        "title": "塔山石榴 精品礼盒 8枚装",
        "category": suppliers["fruit"].pk,
        "description": "个大皮薄，籽粒饱满。",
        "spec": "8枚/箱",
        "origin_region": regions["烈山镇"].pk,
        "origin_detail": "烈山区烈山镇榴园村",
        "shelf_life": "30天",
        "storage": "冷藏",
        "is_geo_indication": "on",
        "partner_sku": "TS-GIFT-8",
        "price": "88.00",
        "num_in_stock": "40",
        "low_stock_threshold": "5",
        "min_order_quantity": "1",
        "order_increment": "1",
    }
    data.update(overrides)
    return data


def test_a_supplier_creates_a_draft_product_with_stock_and_image(client, suppliers, regions):
    client.force_login(suppliers["user1"])
    data = form_data(suppliers, regions, image=upload("photo.png", png_bytes((300, 300))))
    response = client.post(reverse("suppliers:product-create"), data)
    assert response.status_code == 302
    product = Product.objects.get(title="塔山石榴 精品礼盒 8枚装")
    assert response["Location"] == reverse("suppliers:product-edit", kwargs={"pk": product.pk})
    record = product.stockrecords.get()
    assert (record.partner, record.partner_sku, record.price, record.num_in_stock) == (
        suppliers["tashan"],
        "TS-GIFT-8",
        Decimal("88.00"),
        40,
    )
    assert product.listing_status == ListingStatus.DRAFT
    assert (product.spec, product.is_geo_indication, product.origin_region) == (
        "8枚/箱",
        True,
        regions["烈山镇"],
    )
    assert list(product.categories.all()) == [suppliers["fruit"]]
    assert product.images.count() == 1
    assert product not in Product.objects.purchasable()


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"price": "-1"}, "售价必须大于 0。"),
        ({"num_in_stock": "-5"}, "库存不能为负数。"),
        ({"partner_sku": "SKU-HN00000000"}, "您已有商品使用这个 SKU，请换一个。"),
        ({"min_order_quantity": "0"}, "起订量至少为 1。"),
        ({"price": "abc"}, "请输入有效的数字。"),
        ({"image": "not-a-file"}, None),
    ],
)
def test_bad_product_input_gets_a_chinese_field_error_and_saves_nothing(
    client, suppliers, regions, overrides, field_error
):
    # the fixture's pomegranate has SKU "SKU-HN0000000x": make the clash exact
    sku = suppliers["pomegranate"].stockrecords.get().partner_sku
    if overrides.get("partner_sku", "").startswith("SKU-"):
        overrides = {"partner_sku": sku}
    if overrides.get("image") == "not-a-file":
        overrides = {"image": upload("photo.png", b"<html>not an image</html>")}
        field_error = "只接受 JPG、PNG 文件"
    client.force_login(suppliers["user1"])
    products, records = Product.objects.count(), StockRecord.objects.count()
    response = client.post(
        reverse("suppliers:product-create"), form_data(suppliers, regions, **overrides)
    )
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert (Product.objects.count(), StockRecord.objects.count()) == (products, records)


def test_the_same_sku_at_another_supplier_is_fine(client, suppliers, regions):
    other_sku = suppliers["liquor"].stockrecords.get().partner_sku
    client.force_login(suppliers["user1"])
    response = client.post(
        reverse("suppliers:product-create"),
        form_data(suppliers, regions, partner_sku=other_sku),
    )
    assert response.status_code == 302


def test_stock_cannot_go_below_what_orders_hold(client, suppliers, regions, shared_order):
    product = suppliers["pomegranate"]
    client.force_login(suppliers["user1"])
    record = product.stockrecords.get()
    assert record.num_allocated == 3
    data = form_data(
        suppliers, regions, title=product.title, partner_sku=record.partner_sku, num_in_stock="2"
    )
    response = client.post(reverse("suppliers:product-edit", kwargs={"pk": product.pk}), data)
    assert "库存不能少于已被订单占用的 3 件。" in response.content.decode()
    record.refresh_from_db()
    assert record.num_in_stock == 50


def test_a_listed_product_is_reviewed_and_then_appears_in_the_shop(
    client, suppliers, regions, reviewers
):
    client.force_login(suppliers["user1"])
    client.post(reverse("suppliers:product-create"), form_data(suppliers, regions))
    product = Product.objects.get(title="塔山石榴 精品礼盒 8枚装")
    response = client.post(reverse("suppliers:product-submit", kwargs={"pk": product.pk}))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.PENDING

    # 濉溪县's reviewer does not cover 烈山区: the queue is empty and a decision is a 404
    client.force_login(reviewers["county"])
    assert "精品礼盒 8枚装" not in client.get(reverse("suppliers:review-listings")).content.decode()
    url = reverse("suppliers:review-listing-decision", kwargs={"pk": product.pk})
    assert client.post(url, {"action": "approve"}).status_code == 404
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.PENDING

    client.force_login(reviewers["city"])
    assert "精品礼盒 8枚装" in client.get(reverse("suppliers:review-listings")).content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 302
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.LISTED
    assert list(
        ListingDecision.objects.filter(product=product).values_list(
            "from_status", "to_status", "actor__email"
        )
    ) == [
        ("draft", "pending", "supplier@example.com"),
        ("pending", "listed", "city@example.com"),
    ]
    assert product in Product.objects.purchasable()
    client.logout()
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200
    assert "¥88.00" in page.content.decode()
    assert (
        "精品礼盒 8枚装"
        in client.get(
            f"/shop/catalogue/category/{suppliers['fruit'].slug}_{suppliers['fruit'].pk}/"
        ).content.decode()
    )


def test_a_rejection_needs_a_reason_and_goes_back_to_draft(client, suppliers, reviewers):
    product = suppliers["pomegranate"]
    Product.objects.filter(pk=product.pk).update(listing_status=ListingStatus.PENDING)
    client.force_login(reviewers["city"])
    url = reverse("suppliers:review-listing-decision", kwargs={"pk": product.pk})
    client.post(url, {"action": "reject", "reason": ""})
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.PENDING
    client.post(url, {"action": "reject", "reason": "图片不清晰"})
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.DRAFT
    assert ListingDecision.objects.get(product=product).reason == "图片不清晰"


def test_an_uncertified_supplier_cannot_submit_for_listing(suppliers):
    tashan = suppliers["tashan"]
    tashan.certified_until = None
    tashan.save()
    product = suppliers["pomegranate"]
    Product.objects.filter(pk=product.pk).update(listing_status=ListingStatus.DRAFT)
    with pytest.raises(SupplierNotCertifiedError):
        product_submit_for_review(product=product, partner=tashan, user=suppliers["user1"])
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.DRAFT


def test_a_supplier_is_no_listing_reviewer(suppliers):
    product = suppliers["liquor"]
    Product.objects.filter(pk=product.pk).update(listing_status=ListingStatus.PENDING)
    with pytest.raises(ListingPermissionError):
        listing_approve(product=product, user=suppliers["user1"])
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.PENDING


def test_editing_the_text_of_a_listed_product_sends_it_back_to_review_but_price_does_not(
    client, suppliers, regions
):
    product = suppliers["pomegranate"]
    record = product.stockrecords.get()
    client.force_login(suppliers["user1"])
    url = reverse("suppliers:product-edit", kwargs={"pk": product.pk})
    base = form_data(suppliers, regions, title=product.title, partner_sku=record.partner_sku)
    base["description"] = product.description
    base["spec"] = product.spec
    base["origin_region"] = product.origin_region_id
    base["origin_detail"] = product.origin_detail
    assert client.post(url, dict(base, price="72.50", num_in_stock="60")).status_code == 302
    product.refresh_from_db()
    record.refresh_from_db()
    assert (product.listing_status, record.price, record.num_in_stock) == (
        ListingStatus.LISTED,
        Decimal("72.50"),
        60,
    )
    assert (
        client.post(
            url, dict(base, price="72.50", num_in_stock="60", title="塔山石榴 新装")
        ).status_code
        == 302
    )
    product.refresh_from_db()
    assert (product.title, product.listing_status) == ("塔山石榴 新装", ListingStatus.PENDING)


def test_minimum_order_quantity_and_increment_are_enforced_in_the_basket(suppliers):
    product = suppliers["pomegranate"]
    Product.objects.filter(pk=product.pk).update(min_order_quantity=5, order_increment=5)
    product.refresh_from_db()
    info = Selector().strategy().fetch_for_product(product)
    assert info.availability.is_available_to_buy
    assert info.availability.is_purchase_permitted(1) == (False, "起订量为 5 件。")
    assert info.availability.is_purchase_permitted(7) == (
        False,
        "购买数量需为 5 件起、每次增加 5 件。",
    )
    assert info.availability.is_purchase_permitted(10) == (True, "")
    assert info.availability.is_purchase_permitted(55)[0] is False  # only 50 in stock


def test_the_basket_refuses_a_quantity_below_the_minimum(client, suppliers):
    product = suppliers["pomegranate"]
    Product.objects.filter(pk=product.pk).update(min_order_quantity=3)
    client.force_login(UserFactory(email="buyer@example.com"))
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert Basket.objects.filter(owner__email="buyer@example.com", lines__isnull=False).count() == 0
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 3})
    basket = Basket.objects.get(owner__email="buyer@example.com")
    assert basket.lines.get().quantity == 3


def test_a_description_is_stored_escaped_and_edited_as_plain_text(client, suppliers, regions):
    client.force_login(suppliers["user1"])
    text = '个大皮薄\n<script>alert("x")</script>'
    client.post(
        reverse("suppliers:product-create"), form_data(suppliers, regions, description=text)
    )
    product = Product.objects.get(title="塔山石榴 精品礼盒 8枚装")
    assert "<script>" not in product.description
    assert "&lt;script&gt;" in product.description
    page = client.get(reverse("suppliers:product-edit", kwargs={"pk": product.pk}))
    assert page.context["form"].initial["description"] == text


def test_saving_an_unchanged_multi_paragraph_description_keeps_the_product_listed(
    client, suppliers, regions
):
    product = suppliers["pomegranate"]
    Product.objects.filter(pk=product.pk).update(description="<p>第一段。</p><p>第二段。</p>")
    record = product.stockrecords.get()
    client.force_login(suppliers["user1"])
    url = reverse("suppliers:product-edit", kwargs={"pk": product.pk})
    initial = client.get(url).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in initial.items() if v is not False}
    data["price"] = "70.00"
    assert client.post(url, data).status_code == 302
    product.refresh_from_db()
    record.refresh_from_db()
    assert (product.listing_status, record.price) == (ListingStatus.LISTED, Decimal("70.00"))
