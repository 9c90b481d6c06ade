"""Staff give a category its English name on Oscar's dashboard category form, beside the
Chinese name, and English visitors see it."""

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from core.localized import localized
from tests.factories.accounts import UserFactory
from tests.factories.catalog import CategoryFactory

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")

FORM = {
    "name": "水果",
    "name_en": "Fresh fruit",
    "slug": "",
    "description": "",
    "is_public": "on",
    "meta_title": "",
    "meta_description": "",
    "treebeard_position": "first-child",
    "treebeard_ref_node": "",
}


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(email="ops@example.com", is_staff=True, is_superuser=True))


def test_the_category_form_asks_for_the_english_name_after_the_chinese_one(client, staff):
    html = client.get(reverse("dashboard:catalogue-category-create")).content.decode()

    assert html.index('name="name"') < html.index('name="name_en"') < html.index('name="slug"')
    assert "（英文）" in html


def test_creating_a_category_keeps_its_english_name(client, staff):
    response = client.post(reverse("dashboard:catalogue-category-create"), FORM)

    assert response.status_code == 302
    category = Category.objects.get()
    assert (category.name, category.name_en) == ("水果", "Fresh fruit")
    with translation.override("en"):
        assert localized(category, "name") == "Fresh fruit"
    with translation.override("zh-hans"):
        assert localized(category, "name") == "水果"


def test_editing_a_category_changes_only_its_english_name(client, staff):
    category = CategoryFactory(name="粮油米面", slug="liang-you-mi-mian")

    response = client.post(
        reverse("dashboard:catalogue-category-update", kwargs={"pk": category.pk}),
        {**FORM, "name": "粮油米面", "name_en": "Grain, oil and flour", "slug": category.slug},
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.name_en, category.slug) == (
        "粮油米面",
        "Grain, oil and flour",
        "liang-you-mi-mian",
    )
