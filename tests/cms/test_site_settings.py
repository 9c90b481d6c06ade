"""Header, footer and menu come from the Wagtail site settings; Oscar's flatpages are gone."""

import json
import uuid

import pytest
from django.urls import NoReverseMatch, reverse
from wagtail.models import Site

from frontend.models import SiteChrome

pytestmark = pytest.mark.django_db


def menu(*items) -> str:
    return json.dumps(
        [{"type": "item", "id": str(uuid.uuid4()), "value": v} for v in items], ensure_ascii=False
    )


def test_the_site_settings_fill_the_header_footer_and_main_menu(client, tree):
    SiteChrome.objects.create(
        site=Site.objects.get(is_default_site=True),
        site_name="濉溪好物",
        tagline="县域消费帮扶平台",
        hotline="0561-6688000",
        footer_about="濉溪县乡村振兴局主办。",
        copyright="© 濉溪县乡村振兴局",
        icp_number="皖ICP备12345678号",
        main_menu=menu(
            {"label": "关于平台", "page": tree["about"].pk, "url": ""},
            {"label": "特色馆", "page": None, "url": "/pavilions/"},
        ),
        footer_links=menu({"label": "帮助", "page": None, "url": "/help/"}),
    )

    body = client.get("/shop/catalogue/").content.decode()

    assert "濉溪好物" in body and "县域消费帮扶平台" in body
    assert 'href="tel:0561-6688000"' in body and "濉溪县乡村振兴局主办。" in body
    assert "© 濉溪县乡村振兴局 · 皖ICP备12345678号" in body
    assert '<a href="/about/" class="hn-catnav__cms">关于平台</a>' in body
    assert '<a href="/pavilions/" class="hn-catnav__cms">特色馆</a>' in body
    assert '<a href="/help/">帮助</a>' in body


def test_a_menu_item_of_an_unpublished_page_disappears(
    client, tree, django_capture_on_commit_callbacks
):
    SiteChrome.objects.create(
        site=Site.objects.get(is_default_site=True),
        main_menu=menu({"label": "关于平台", "page": tree["about"].pk, "url": ""}),
    )
    assert "关于平台" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the commit
        tree["about"].unpublish()

    assert "关于平台" not in client.get("/").content.decode()


def test_without_settings_the_defaults_show(client, tree):
    body = client.get("/").content.decode()
    assert "惠农集市" in body and "0561-3123456" in body


def test_oscar_flatpages_are_not_in_the_dashboard(admin_client):
    assert admin_client.get("/dashboard/pages/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("dashboard:page-list")
    body = admin_client.get("/dashboard/").content.decode()
    assert "/dashboard/pages/" not in body
    assert admin_client.get("/dashboard/catalogue/").status_code == 200


def test_the_sitemap_lists_the_cms_pages(client, tree, news):
    body = client.get("/sitemap.xml").content.decode()
    assert "http://localhost/news/review-2023/" in body
    assert "http://localhost/pavilions/suixi/" in body
