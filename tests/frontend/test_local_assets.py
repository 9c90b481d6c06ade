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
