"""The product and supplier choosers of the page editor list only what the shop can sell."""

import pytest
from django.urls import reverse

from frontend.models import StoryPage

pytestmark = pytest.mark.django_db


def test_the_product_chooser_lists_purchasable_products_and_searches(client, editor, catalogue):
    client.force_login(editor)

    body = client.get(reverse("product_chooser:choose")).json()["html"]
    assert "塔山石榴 精品礼盒 6枚装" in body and "濉溪大米 10kg" in body
    assert "未认定商家的石榴" not in body

    body = client.get(reverse("product_chooser:choose_results"), {"q": "大米"}).content.decode()
    assert "濉溪大米 10kg" in body
    assert "濉溪大米 10kg" in body
    assert "塔山石榴 精品礼盒 6枚装" not in body

    chosen = client.get(reverse("product_chooser:chosen", args=(catalogue["rice"].pk,)))
    assert chosen.json()["result"]["title"] == "濉溪大米 10kg"


def test_the_supplier_chooser_lists_certified_suppliers(client, editor, catalogue):
    client.force_login(editor)

    body = client.get(reverse("supplier_chooser:choose")).json()["html"]
    assert "淮北塔山石榴专业合作社" in body
    assert "未认定合作社" not in body


def test_the_choosers_are_for_signed_in_cms_users_only(client, catalogue):
    response = client.get(reverse("product_chooser:choose"))
    assert response.status_code == 302 and "/cms/login/" in response["Location"]


def test_a_product_foreign_key_in_the_editor_uses_the_chooser(client, tree, reviewer):
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:add", args=("frontend", "storypage", tree["story_index"].pk))

    body = client.get(url).content.decode()

    assert reverse("product_chooser:choose") in body
    assert reverse("supplier_chooser:choose") in body
    assert StoryPage.objects.count() == 0
