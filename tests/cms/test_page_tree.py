"""Which page may live where, and the rules a county pavilion keeps."""

import pytest
from django.core.exceptions import ValidationError

from frontend.models import (
    CountyPavilionPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PavilionIndexPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)

pytestmark = pytest.mark.django_db


def creatable(parent) -> set[str]:
    return {
        m.__name__
        for m in parent.specific_class.creatable_subpage_models()
        if m.can_create_at(parent)
    }


def test_the_home_page_takes_one_index_of_each_kind_and_standard_pages(tree):
    # The indexes exist already, and each may exist only once under the home page.
    assert creatable(tree["home"]) == {"StandardPage"}
    assert set(HomePage.allowed_subpage_models()) == {
        NewsIndexPage,
        PavilionIndexPage,
        StoryIndexPage,
        StandardPage,
    }


def test_each_index_takes_only_its_own_pages(tree):
    assert creatable(tree["news_index"]) == {"NewsPage"}
    assert creatable(tree["pavilion_index"]) == {"CountyPavilionPage"}
    assert creatable(tree["story_index"]) == {"StoryPage"}
    assert creatable(tree["about"]) == {"StandardPage"}


def test_leaf_pages_take_no_children_and_live_only_under_their_index(tree, news):
    assert creatable(news) == set()
    assert creatable(tree["suixi"]) == set()
    assert not NewsPage.can_create_at(tree["home"])
    assert not NewsPage.can_create_at(tree["story_index"])
    assert not StoryPage.can_create_at(tree["news_index"])
    assert not CountyPavilionPage.can_create_at(tree["home"])
    assert not HomePage.can_create_at(tree["home"])


def test_a_county_gets_one_pavilion_only(tree, regions):
    second = CountyPavilionPage(title="濉溪县第二馆", slug="suixi-2", region=regions["濉溪县"])
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "濉溪县 已有特色馆页面。" in error.value.message_dict["region"]
    assert CountyPavilionPage.objects.count() == 1


def test_a_pavilion_is_for_a_county_not_a_town(tree, regions):
    town = CountyPavilionPage(title="烈山镇馆", slug="lieshan-town", region=regions["烈山镇"])
    with pytest.raises(ValidationError) as error:
        town.full_clean()
    assert "region" in error.value.message_dict
