"""A product page rendered afresh (no page or fragment cached: most views of a large
catalogue) reads the product with its class, options, stock records and categories in a
fixed number of queries; its breadcrumbs come from the category trail, cached under the
catalogue version, so a renamed or moved category shows at once."""

import pytest
from django.core.cache import cache
from django.test import Client
from oscar.core.loading import get_model

from catalog.selectors import product_page_read, product_stock_read
from catalog.views import ProductDetailView
from tests.factories.catalog import CategoryFactory

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


def fresh_page(product, client=None) -> str:
    cache.clear()
    return (client or Client()).get(product.get_absolute_url()).content.decode()


def breadcrumbs(html: str) -> str:
    return html[html.index('class="breadcrumb hn-breadcrumb"') : html.index("</ol>")]


def test_a_fresh_product_page_runs_a_fixed_number_of_queries(catalogue, django_assert_num_queries):
    Client().get(catalogue["grapes"].get_absolute_url())  # the site's own caches
    # With every cache empty (11): the site's chrome (menu categories, Wagtail's site, the
    # site chrome: 3), the product through its stock records (with its class, supplier and
    # region, whether it has options, attribute values or recommendations: none, so neither
    # is read), the supplier's valid certification, its categories, its images, the
    # 相关推荐 ids, and their cards (products, stock records, images: 3; the 最近浏览 cards
    # would come along). Five fewer than Oscar's reads (the stock records, the first
    # category, the options, the categories again for 相关推荐, attribute values were a
    # query each).
    with django_assert_num_queries(11):
        fresh_page(catalogue["pomegranate"])


def test_the_breadcrumbs_lead_through_the_category_and_its_ancestors(catalogue):
    fruit = catalogue["fruit"]
    child = fruit.add_child(name="石榴", slug="shi-liu")
    product = catalogue["pomegranate"]
    product.categories.set([child])

    trail = breadcrumbs(fresh_page(product))

    assert trail.index("水果") < trail.index("石榴") < trail.index(product.title)
    assert f'href="{fruit.get_absolute_url()}"' in trail
    assert f'href="{child.get_absolute_url()}"' in trail


def test_a_renamed_category_shows_in_the_breadcrumbs_on_the_next_request(catalogue, committed):
    product, fruit = catalogue["pomegranate"], catalogue["fruit"]
    assert "水果" in breadcrumbs(fresh_page(product))
    client = Client()
    client.get(product.get_absolute_url())  # trail and page cached

    with committed():
        fruit.refresh_from_db()
        fruit.name = "新鲜水果"
        fruit.save()

    html = client.get(product.get_absolute_url()).content.decode()
    assert "新鲜水果" in breadcrumbs(html)


def test_a_hidden_category_is_not_in_the_breadcrumbs(catalogue, committed):
    product = catalogue["pomegranate"]
    hidden = CategoryFactory(name="内部分类", slug="nei-bu", is_public=False)
    product.categories.add(hidden)

    trail = breadcrumbs(fresh_page(product))

    assert "水果" in trail and "内部分类" not in trail


def test_no_template_is_looked_for_per_product(catalogue):
    view = ProductDetailView()
    view.object = catalogue["pomegranate"]

    assert view.get_template_names() == [
        f"oscar/catalogue/detail-for-class-{view.object.get_product_class().slug}.html",
        "oscar/catalogue/detail.html",
    ]


def test_options_of_the_class_or_the_parent_class_are_seen_without_a_query(
    catalogue, django_assert_num_queries
):
    Option = get_model("catalogue", "Option")
    product = catalogue["pomegranate"]
    option = Option.objects.create(name="刻字", code="engraving", type=Option.TEXT)
    product.product_class.options.add(option)
    parent = Product.objects.create(
        title="石榴 多规格", structure=Product.PARENT, product_class=product.product_class
    )
    child = Product.objects.create(title="石榴 6枚装", structure=Product.CHILD, parent=parent)
    plain = catalogue["rice"]
    plain.product_class = type(product.product_class).objects.create(name="粮油", slug="liang-you")
    plain.save()

    read = {p.pk: product_page_read(p.pk) for p in (product, child, plain)}

    with django_assert_num_queries(0):
        assert read[product.pk].has_options is True
        assert read[child.pk].has_options is True
        assert read[plain.pk].has_options is False
    assert 'name="engraving"' in fresh_page(product)


def test_attribute_values_and_the_certification_still_show_on_a_fresh_page(catalogue):
    """The body reads no attribute values when the product has none
    (``product_page_prepared``): a product with an attribute value still shows it, and the
    supplier's certificate shows."""
    ProductAttribute = get_model("catalogue", "ProductAttribute")
    product = catalogue["pomegranate"]
    attribute = ProductAttribute.objects.create(
        product_class=product.product_class, name="甜度", code="sweetness", type="text"
    )
    product.attribute_values.create(attribute=attribute, value_text="很甜")

    html = fresh_page(product)

    assert "甜度" in html and "很甜" in html
    assert catalogue["supplier"].certifications.get().certificate_no in html


def test_the_page_reads_a_product_with_its_stock_records_in_one_query(
    catalogue, django_assert_num_queries
):
    """Through its stock records: the product, its class, every record (in order) with
    its supplier and region, and what spares the body's queries, in one query; a product
    without records (a parent) in two; a product that does not exist is None."""
    StockRecord = get_model("partner", "StockRecord")
    Partner = get_model("partner", "Partner")
    product = catalogue["pomegranate"]
    first = product.stockrecords.select_related("partner").get()
    second = StockRecord.objects.create(
        product=product,
        partner=Partner.objects.create(name="第二家供应商"),
        partner_sku="SECOND-1",
        price=first.price,
        num_in_stock=3,
    )

    with django_assert_num_queries(1):
        read = product_page_read(product.pk)
        records = list(read.stockrecords.all())
        assert [r.pk for r in records] == [first.pk, second.pk]
        assert {r.partner.name for r in records} == {first.partner.name, "第二家供应商"}
        assert all(r.product is read for r in records)
        assert read.product_class.pk == product.product_class_id
        assert read.hn_has_recommendations is False

    with django_assert_num_queries(1):
        assert product_stock_read(product.pk).stockrecords.all()[1].partner.name == "第二家供应商"

    parent = Product.objects.create(
        title="石榴 多规格", structure=Product.PARENT, product_class=product.product_class
    )
    with django_assert_num_queries(2):
        read = product_page_read(parent.pk)
        assert read.pk == parent.pk and list(read.stockrecords.all()) == []
    with django_assert_num_queries(2):
        assert product_page_read(10**9) is None


def test_a_product_without_stock_records_is_a_page_and_a_missing_one_a_404(catalogue):
    parent = Product.objects.create(
        title="石榴 多规格",
        structure=Product.PARENT,
        product_class=catalogue["pomegranate"].product_class,
    )
    assert Client().get(parent.get_absolute_url()).status_code == 200
    assert Client().get(f"/shop/catalogue/none_{10**9}/").status_code == 404


def certification_queries(queries) -> int:
    table = get_model("partner", "Certification")._meta.db_table
    return sum(f'FROM "{table}"' in q["sql"] for q in queries)


def test_a_suppliers_certification_is_read_once_for_all_its_products(catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    certificate_no = catalogue["supplier"].certifications.get().certificate_no
    with CaptureQueriesContext(connection) as first:
        assert certificate_no in fresh_page(catalogue["pomegranate"])
    with CaptureQueriesContext(connection) as second:  # the same supplier's other product
        html = Client().get(catalogue["grapes"].get_absolute_url()).content.decode()

    assert certificate_no in html
    assert (certification_queries(first), certification_queries(second)) == (1, 0)


def test_a_changed_certification_shows_on_the_next_request(catalogue, committed):
    supplier = catalogue["supplier"]
    certification = supplier.certifications.get()
    client = Client()
    assert certification.certificate_no in fresh_page(catalogue["pomegranate"], client)

    with committed():  # renewed: a new number, valid a year longer (as the approval saves it)
        certification.certificate_no = "HB-2027-0001"
        certification.valid_until = certification.valid_until.replace(
            year=certification.valid_until.year + 1
        )
        certification.save()
        supplier.certified_until = certification.valid_until
        supplier.save()

    html = client.get(catalogue["grapes"].get_absolute_url()).content.decode()
    assert "HB-2027-0001" in html
    assert certification.valid_until.isoformat() in html
