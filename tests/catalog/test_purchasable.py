import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import ListingStatus
from suppliers.strategy import Selector
from tests.factories.catalog import ProductFactory, SupplierFactory

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_a_listed_product_of_a_certified_supplier_is_purchasable():
    product = ProductFactory()

    assert list(Product.objects.purchasable()) == [product]
    info = Selector().strategy().fetch_for_product(product)
    assert info.availability.is_available_to_buy
    assert str(info.price.incl_tax) == "39.90"
    assert info.price.currency == "CNY"


@pytest.mark.parametrize(
    "certified_until",
    [None, timezone.localdate() - datetime.timedelta(days=1)],
    ids=["never-certified", "certification-expired"],
)
def test_products_of_uncertified_suppliers_are_neither_listed_nor_buyable(certified_until):
    supplier = SupplierFactory(certified_until=certified_until)
    product = ProductFactory(stockrecord__partner=supplier)

    assert not Product.objects.purchasable().exists()
    info = Selector().strategy().fetch_for_product(product)
    assert not info.availability.is_available_to_buy
    assert info.availability.code == "supplier-not-certified"


def test_a_certification_counts_through_its_last_day():
    supplier = SupplierFactory(certified_until=timezone.localdate())
    product = ProductFactory(stockrecord__partner=supplier)

    assert list(Product.objects.purchasable()) == [product]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert not Product.objects.purchasable(on=tomorrow).exists()


@pytest.mark.parametrize(
    "status", [ListingStatus.DRAFT, ListingStatus.PENDING, ListingStatus.DELISTED]
)
def test_unlisted_products_are_not_purchasable(status):
    product = ProductFactory(listing_status=status)

    assert not Product.objects.purchasable().exists()
    info = Selector().strategy().fetch_for_product(product)
    assert info.availability.code == "not-listed"


def test_the_certified_suppliers_stock_record_is_chosen_over_an_uncertified_one():
    product = ProductFactory(stockrecord__partner=SupplierFactory(certified_until=None))
    certified = SupplierFactory()
    product.stockrecords.create(
        partner=certified, partner_sku="OTHER", price_currency="CNY", price="10.00", num_in_stock=5
    )

    info = Selector().strategy().fetch_for_product(product)
    assert info.stockrecord.partner == certified
    assert info.availability.is_available_to_buy


def test_a_sold_out_product_is_listed_but_not_buyable():
    product = ProductFactory(stockrecord__num_in_stock=0)

    assert list(Product.objects.purchasable()) == [product]
    info = Selector().strategy().fetch_for_product(product)
    assert not info.availability.is_available_to_buy


def test_a_variant_follows_its_parents_listing_state():
    parent = ProductFactory(structure="parent", stockrecord=False)
    child = ProductFactory(
        structure="child", parent=parent, product_class=None, listing_status=ListingStatus.DRAFT
    )

    info = Selector().strategy().fetch_for_product(child)
    assert info.availability.is_available_to_buy

    parent.listing_status = ListingStatus.DELISTED
    parent.save()
    child.refresh_from_db()
    info = Selector().strategy().fetch_for_product(child)
    assert info.availability.code == "not-listed"
