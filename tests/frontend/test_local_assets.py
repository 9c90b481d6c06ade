"""The site works offline: no page loads a script, style, font or image from another host."""

import re

import pytest

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:)?//', re.I)


@pytest.mark.parametrize(
    "url",
    ["/", "/shop/catalogue/", "/shop/basket/", "/shop/accounts/login/", "/api/v1/docs"],
)
def test_pages_load_no_asset_from_another_host(client, catalogue, url):
    response = client.get(url)

    assert response.status_code == 200
    assert not ASSET.findall(response.content.decode()), f"{url} loads an outside asset"


def test_the_product_page_loads_no_asset_from_another_host(client, catalogue):
    response = client.get(catalogue["pomegranate"].get_absolute_url())

    assert not ASSET.findall(response.content.decode())


def test_the_cms_shows_no_gravatar_and_checks_for_no_upgrade(client, home_page):
    """Wagtail's admin would show each editor's Gravatar and ask releases.wagtail.org for a
    newer version, outside requests (slow or blocked in mainland China): its bundled default
    avatar stands in, and the upgrade check is off."""
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser(email="editor@example.com", password="x")
    client.force_login(editor)

    html = client.get("/cms/").content.decode()

    assert "gravatar" not in html
    assert "wagtailadmin/images/default-user-avatar.png" in html
    assert "w-upgrade" not in html
    assert "搜索全部页面…" in html  # Wagtail's catalogue leaves it English (locale/zh_Hans)
