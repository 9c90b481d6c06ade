import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_the_home_page_renders_in_chinese_with_live_products(client, catalogue):
    response = client.get("/")

    assert response.status_code == 200
    page = html(response)
    assert '<html lang="zh-hans"' in page
    assert "惠农集市" in page
    assert "塔山石榴 精品礼盒 6枚装" in page
    assert "未认定商家的石榴" not in page
    assert "濉溪县" in page  # county pavilion teaser


def test_a_category_page_lists_only_its_purchasable_products(client, catalogue):
    response = client.get(catalogue["fruit"].get_absolute_url())

    assert response.status_code == 200
    titles = [p.title for p in response.context["products"]]
    assert sorted(titles) == ["塔山石榴 精品礼盒 6枚装", "濉溪葡萄 5斤装"]
    assert "水果" in html(response)


def test_the_catalogue_filters_by_origin_county(client, catalogue):
    response = client.get(reverse("catalogue:index"), {"origin": "340621"})

    titles = sorted(p.title for p in response.context["products"])
    assert titles == ["濉溪大米 10kg", "濉溪葡萄 5斤装"]


def test_the_catalogue_sorts_by_price(client, catalogue):
    response = client.get(reverse("catalogue:index"), {"sort_by": "price-desc"})

    titles = [p.title for p in response.context["products"]]
    assert titles == ["塔山石榴 精品礼盒 6枚装", "濉溪大米 10kg", "濉溪葡萄 5斤装"]


def test_a_page_number_beyond_the_last_redirects_with_a_message(client, catalogue):
    response = client.get(reverse("catalogue:index"), {"page": "99"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("catalogue:index")
    assert "页码无效" in html(response)


def test_search_finds_products_by_chinese_words(client, catalogue):
    response = client.get(reverse("search:search"), {"q": "石榴"})

    assert response.status_code == 200
    assert [p.title for p in response.context["products"]] == ["塔山石榴 精品礼盒 6枚装"]


def test_the_product_page_shows_supplier_origin_certification_and_farm_facts(client, catalogue):
    product = catalogue["pomegranate"]

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    page = html(response)
    assert "淮北塔山石榴专业合作社" in page
    assert "烈山区烈山镇" in page
    assert "地理标志" in page
    assert "5kg/箱" in page  # 规格
    assert "30天" in page  # 保质期
    assert "阴凉干燥处" in page  # 储存条件
    assert catalogue["supplier"].certifications.get().certificate_no in page
    assert "¥68.00" in page


def test_an_unknown_product_gets_the_chinese_404_page(client, catalogue):
    response = client.get("/shop/catalogue/no-such-thing_999999/")

    assert response.status_code == 404
    assert "页面不存在" in html(response) or "找不到" in html(response)


def test_an_unknown_path_gets_the_chinese_404_page(client, catalogue):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    page = html(response)
    assert '<html lang="zh-hans"' in page


def test_the_language_switch_turns_the_storefront_english_and_back(client, catalogue):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/shop/basket/"})
    assert response.status_code == 302
    english = client.get(reverse("basket:summary"))
    assert '<html lang="en"' in html(english)
    assert "Basket" in html(english) or "Cart" in html(english)

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    chinese = client.get(reverse("basket:summary"))
    assert '<html lang="zh-hans"' in html(chinese)
    assert "购物车" in html(chinese)


def test_the_healthcheck_and_the_cms_and_dashboard_are_mounted_where_the_map_says(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/cms/").status_code == 302  # to the Wagtail login
    assert client.get("/dashboard/").status_code == 302  # to the login page
    assert client.get("/shop/").status_code in (301, 302)


def test_chinese_is_shown_even_to_an_english_browser_until_english_is_chosen(client, catalogue):
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}

    first = client.get(reverse("basket:summary"), headers=english_browser)
    assert '<html lang="zh-hans"' in html(first)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    chosen = client.get(reverse("basket:summary"), headers=english_browser)
    assert '<html lang="en"' in html(chosen)


def test_the_product_page_recommends_other_products_of_the_category(client, catalogue):
    response = client.get(catalogue["pomegranate"].get_absolute_url())

    page = html(response)
    assert "相关推荐" in page
    assert "濉溪葡萄 5斤装" in page
    assert "未认定商家的石榴" not in page
