"""The English site: menus, home sections, hero, footer, site settings and category names in
English where an editor filled them in, Chinese where not; CMS pages in English where
translated (the same address), the Chinese page otherwise; prices as ¥ in both languages."""

import json
import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Locale, Site

from frontend.models import SiteChrome, StandardPage

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u3400-\u9fff\uff08\uff09\uff0c\u3002]")


def menu(*items) -> str:
    return json.dumps(
        [{"type": "item", "id": str(uuid.uuid4()), "value": v} for v in items], ensure_ascii=False
    )


def region(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(0)


def chinese_in(text: str) -> list[str]:
    """The runs of Chinese characters in ``text`` with its tags removed."""
    plain = re.sub(r"<[^>]+>", " ", text)
    return re.findall(r"[\u3400-\u9fff\uff08\uff09\uff0c\u3002]+", plain)


@pytest.fixture
def english():
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return visitor


@pytest.fixture
def chrome(tree):
    """Site settings as the demo seeds them: every text and menu label in both languages."""
    return SiteChrome.objects.create(
        site=Site.objects.get(is_default_site=True),
        site_name="惠农集市",
        site_name_en="Huinong Market",
        tagline="消费帮扶 · 脱贫地区农副产品",
        tagline_en="Consumption assistance · Farm products from areas lifted out of poverty",
        service_hours="工作日 8:30-17:30",
        service_hours_en="Weekdays 8:30–17:30",
        footer_about="惠农集市是淮北市消费帮扶线上平台。",
        footer_about_en="Huinong Market is Huaibei's online consumption-assistance marketplace.",
        copyright="© 淮北市乡村振兴局",
        copyright_en="© Huaibei Rural Revitalisation Bureau",
        main_menu=menu(
            {"label": "关于我们", "label_en": "About us", "page": tree["about"].pk, "url": ""},
            {"label": "特色馆", "label_en": "Showcases", "page": None, "url": "/pavilions/"},
        ),
        footer_links=menu({"label": "帮助", "label_en": "Help", "page": None, "url": "/help/"}),
    )


@pytest.fixture
def named_categories(catalogue):
    catalogue["fruit"].name_en = "Fresh fruit"
    catalogue["fruit"].save()
    catalogue["grain"].name_en = "Grain, oil and flour"
    catalogue["grain"].save()
    return catalogue


def test_the_english_home_page_has_no_chinese_in_menus_sections_hero_and_footer(
    english, chrome, named_categories
):
    html = english.get("/").content.decode()

    header = region(html, r'<a class="hn-brand".*?</a>') + region(
        html, r'<nav class="hn-catnav".*?</nav>'
    )
    footer = region(html, r'<footer class="hn-footer">.*?</footer>')
    hero = region(html, r'<div class="hn-hero__text">.*?</ul>')
    titles = "".join(re.findall(r'<h2 class="hn-section__title"[^>]*>.*?</h2>', html, re.S))
    categories = "".join(re.findall(r'<span class="hn-cat__name">.*?</span>', html))

    for name, part in [
        ("header", header),
        ("footer", footer),
        ("hero", hero),
        ("section titles", titles),
        ("categories", categories),
    ]:
        assert chinese_in(part) == [], name
    assert '<h1 class="hn-hero__title">Huinong Market</h1>' in hero
    assert "Start shopping" in hero
    assert '<span class="hn-cat__name">Fresh fruit</span>' in categories
    assert ">Featured products<" in titles and ">Categories<" in titles
    assert '<a href="/about/" class="hn-catnav__cms">About us</a>' in header
    assert ">Fresh fruit</a>" in header
    assert "Huaibei&#x27;s online consumption-assistance marketplace." in footer
    assert '<a href="/help/">Help</a>' in footer
    assert "© Huaibei Rural Revitalisation Bureau" in footer


def test_the_chinese_home_page_is_unchanged(client, chrome, named_categories):
    html = client.get("/").content.decode()

    assert '<h1 class="hn-hero__title">惠农集市</h1>' in html
    assert '<span class="hn-cat__name">水果</span>' in html
    assert '<a href="/about/" class="hn-catnav__cms">关于我们</a>' in html
    assert "惠农集市是淮北市消费帮扶线上平台。" in html
    assert "Fresh fruit" not in html and "About us" not in html


def test_what_an_editor_left_untranslated_shows_in_chinese_on_the_english_site(
    english, tree, catalogue
):
    SiteChrome.objects.create(
        site=Site.objects.get(is_default_site=True),
        footer_about="濉溪县乡村振兴局主办。",
        footer_about_en="",
        main_menu=menu({"label": "关于平台", "page": tree["about"].pk, "url": ""}),
    )
    home = tree["home"]
    home.categories_title = "农产品分类"
    home.categories_title_en = ""
    home.save_revision().publish()

    html = english.get("/").content.decode()

    assert '<a href="/about/" class="hn-catnav__cms">关于平台</a>' in html
    assert "濉溪县乡村振兴局主办。" in html
    assert '<span class="hn-cat__name">水果</span>' in html
    assert ">农产品分类</h2>" in html
    # A field with an English default is English without an editor's doing.
    assert ">Featured products</h2>" in html


def translate(page, **fields):
    """The English translation of ``page`` (as 翻译 in /cms/ makes it), published."""
    translation = page.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def test_a_translated_page_is_served_in_english_at_the_chinese_address(client, english, tree):
    about = translate(tree["about"], title="About us", summary="What the platform is")

    assert about.locale.language_code == "en" and about.url == "/about/"
    english_html = english.get("/about/").content.decode()
    chinese_html = client.get("/about/").content.decode()

    assert "<h1" in english_html and "About us" in english_html
    assert "What the platform is" in english_html and "关于我们</h1>" not in english_html
    assert "关于我们" in chinese_html and "What the platform is" not in chinese_html


def test_an_untranslated_page_falls_back_to_chinese_for_an_english_visitor(english, tree):
    translate(tree["about"], title="About us")

    response = english.get("/pavilions/suixi/")

    assert response.status_code == 200
    assert "濉溪县消费帮扶馆" in response.content.decode()


def test_an_english_page_in_draft_is_not_shown(english, tree):
    about = translate(tree["about"], title="About us")
    about.unpublish()

    html = english.get("/about/").content.decode()

    assert "About us" not in html and "关于我们" in html


def test_an_english_page_with_its_own_slug_is_served_there_too(english, tree):
    translate(tree["about"], title="About us", slug="about-us")

    assert "About us" in english.get("/about-us/").content.decode()
    assert "About us" in english.get("/about/").content.decode()


def test_the_english_news_list_shows_the_translation_where_there_is_one(english, tree, news):
    translate(tree["news_index"], title="News")
    translate(news, title="Consumption assistance in 2023: a good year")

    html = english.get("/news/").content.decode()

    assert "Consumption assistance in 2023: a good year" in html
    assert "我市2023年消费帮扶工作成效明显" not in html


def test_search_shows_a_translated_page_once(english, tree):
    from django.utils import translation

    from frontend.selectors import page_search

    translate(tree["about"], title="About us", summary="平台简介")
    with translation.override("en"):
        results = page_search(text="平台简介")

    assert [page.title for page in results] == ["About us"]


def test_the_sitemap_lists_the_chinese_addresses(client, tree):
    translate(tree["about"], title="About us")

    body = client.get("/sitemap.xml").content.decode()

    assert body.count("/about/</loc>") == 1


def test_category_pages_breadcrumbs_and_product_pages_use_the_english_name(
    english, named_categories
):
    fruit = named_categories["fruit"]
    category_html = english.get(fruit.get_absolute_url()).content.decode()
    product_html = english.get(named_categories["pomegranate"].get_absolute_url()).content.decode()

    assert '<li class="breadcrumb-item active" aria-current="page">Fresh fruit</li>' in (
        category_html
    )
    assert ">水果<" not in category_html
    assert ">Fresh fruit</a></li>" in product_html
    assert ">水果<" not in product_html
    assert "¥68.00" in product_html and "CN¥" not in product_html


def test_a_category_name_falls_back_to_chinese(english, catalogue):
    html = english.get(catalogue["fruit"].get_absolute_url()).content.decode()

    assert '<li class="breadcrumb-item active" aria-current="page">水果</li>' in html


def test_english_wordings_of_the_catalogue(english, home_page):
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("份额填报") == "Reserved-share filing"
        assert translation.gettext("预留份额填报") == "Reserved-share filing"


def test_the_demo_standard_pages_have_a_real_english_translation():
    from demo.data.cms import ENGLISH_PAGES, STANDARD_PAGES

    chinese = {page["slug"]: page for page in STANDARD_PAGES}
    for slug in ("about", "help"):
        english_page = ENGLISH_PAGES[slug]
        texts = [english_page["title"], english_page["summary"]] + [
            value if isinstance(value, str) else json.dumps(value)
            for _kind, value in english_page["body"]
        ]
        assert all(not CHINESE.search(text) for text in texts), slug
        assert english_page["title"] != chinese[slug]["title"]


def test_standard_pages_are_listed_in_english_beside_their_section(english, tree):
    child = StandardPage(title="常见问题", slug="faq")
    tree["about"].add_child(instance=child)
    child.save_revision().publish()
    translate(tree["about"], title="About us")

    html = english.get("/about/faq/").content.decode()

    assert html.count("常见问题") >= 1 and "About us" in html
