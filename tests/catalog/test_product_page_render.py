"""A product page rendered afresh (no page or fragment cached: most views of a large
catalogue) reads the product with its class, options, stock records and categories in a
fixed number of queries; its breadcrumbs come from the category trail, cached under the
catalogue version, so a renamed or moved category shows at once."""

import pytest
from django.core.cache import cache
from django.test import Client
from oscar.core.loading import get_model

from catalog.selectors import product_page_queryset
from catalog.views import ProductDetailView
from tests.factories.catalog import CategoryFactory

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")


def fresh_page(product, client=None) -> str:
    cache.clear()
    return (client or Client()).get(product.get_absolute_url()).content.decode()


def breadcrumbs(html: str) -> str:
    return html[html.index('class="breadcrumb hn-breadcrumb"') : html.index("</ol>")]


def test_a_fresh_product_page_runs_a_fixed_number_of_queries(catalogue, django_assert_num_queries):
    Client().get(catalogue["grapes"].get_absolute_url())  # the site's own caches
    # With every cache empty (12): the site's chrome (menu categories, Wagtail's site, the
    # site chrome: 3), the product with its class and options and whether it has attribute
    # values or recommendations (none: neither is read), its stock records with supplier
    # and region, the supplier's valid certification, its categories, its images, the
    # 相关推荐 ids, and their cards (products, stock records, images: 3; the 最近浏览 cards
    # would come along). Four fewer than Oscar's reads (the first category, the options,
    # the categories again for 相关推荐, attribute values were a query each).
    with django_assert_num_queries(12):
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


def test_options_of_the_class_or_the_parent_class_are_seen_without_a_query(catalogue):
    Option = get_model("catalogue", "Option")
    Product = get_model("catalogue", "Product")
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

    read = {
        p.pk: p for p in product_page_queryset().filter(pk__in=[product.pk, child.pk, plain.pk])
    }

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
