"""An English visitor switches language in the header and reads the home page in English:
menus, hero, section titles and footer, and an English CMS page at the Chinese address."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale, Site

from frontend.models import SiteChrome

pytestmark = pytest.mark.django_db(transaction=True)


def menu(*items) -> str:
    return json.dumps(
        [{"type": "item", "id": str(uuid.uuid4()), "value": v} for v in items], ensure_ascii=False
    )


@pytest.fixture
def english_site(catalogue, home_page):
    from frontend.models import StandardPage

    about = StandardPage(title="关于我们", slug="about", summary="平台简介")
    home_page.add_child(instance=about)
    about.save_revision().publish()
    translation = about.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    translation.title = "About us"
    translation.summary = "Huaibei's online consumption-assistance marketplace"
    translation.save_revision().publish()
    SiteChrome.objects.create(
        site=Site.objects.get(is_default_site=True),
        main_menu=menu(
            {"label": "关于我们", "label_en": "About us", "page": about.pk, "url": ""},
        ),
        footer_links=menu({"label": "帮助中心", "label_en": "Help", "page": None, "url": "/"}),
    )
    for key, name in (("fruit", "Fresh fruit"), ("grain", "Grain, oil and flour")):
        catalogue[key].name_en = name
        catalogue[key].save()
    return catalogue


def test_an_english_visitor_reads_the_home_page_and_a_page_in_english(
    page, english_site, screenshot
):
    page.goto(page.base_url + "/")
    expect(page.locator(".hn-hero__title").first).to_have_text("惠农集市")
    page.locator("form.hn-lang button[value=en]").click()
    page.wait_for_load_state()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".hn-hero__title").first).to_have_text("Huinong Market")
    expect(page.locator(".hn-catnav")).to_contain_text("Fresh fruit")
    expect(page.locator(".hn-catnav")).to_contain_text("About us")
    expect(page.locator("#hn-cats-title")).to_have_text("Categories")
    expect(page.locator("#hn-products-title")).to_have_text("Featured products")
    footer = page.locator("footer.hn-footer")
    expect(footer).to_contain_text("Help")
    for part in (page.locator(".hn-catnav"), footer, page.locator(".hn-hero__text").first):
        text = part.inner_text()
        assert not re.search(r"[\u4e00-\u9fff]", text), text
    screenshot("english-home")

    page.locator(".hn-catnav a", has_text="About us").click()
    page.wait_for_url(re.compile(r"/about/$"))
    expect(page.locator("h1")).to_have_text("About us")
