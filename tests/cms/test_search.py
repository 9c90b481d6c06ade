"""Pages are found by Chinese words and shown beside products on the shop's search page."""

import datetime

import pytest
from django.urls import reverse

from frontend.models import NewsPage, StoryPage
from frontend.search import cjk_query, cjk_terms
from frontend.selectors import page_search

from .conftest import publish, stream


def test_chinese_text_is_indexed_as_characters_and_pairs():
    assert cjk_terms("塔山石榴") == "塔 山 石 榴 塔山 山石 石榴"
    assert cjk_terms("NFC石榴汁 2023年") == "石 榴 汁 石榴 榴汁 年 nfc 2023"


def test_a_query_is_cut_into_pairs_and_a_single_character_stays_whole():
    assert cjk_query("石榴") == "石榴"
    assert cjk_query("濉溪县 茶") == "濉溪 溪县 茶"
    assert cjk_query("  ") == ""


@pytest.fixture
def pages(tree, news):
    story = publish(
        tree["story_index"],
        StoryPage(
            title="跨村联营 托管运营",
            slug="lieshan",
            summary="烈山镇以党支部引领合作社发展。",
            body=stream(("rich_text", "<p>塔山石榴区域品牌越擦越亮。</p>")),
        ),
    )
    draft = NewsPage(title="石榴采摘节草稿", slug="draft", date=datetime.date(2024, 9, 1))
    tree["news_index"].add_child(instance=draft)
    draft.unpublish()
    return {"story": story, "news": news, "draft": draft}


@pytest.mark.django_db
def test_published_pages_are_found_by_a_word_inside_their_text(pages):
    assert [p.title for p in page_search(text="石榴")] == ["跨村联营 托管运营"]
    assert [p.title for p in page_search(text="电商主体")] == ["我市2023年消费帮扶工作成效明显"]
    assert [p.title for p in page_search(text="党支部 合作社")] == ["跨村联营 托管运营"]
    assert page_search(text="葡萄") == []


@pytest.mark.django_db
def test_the_shop_search_shows_pages_beside_products(client, pages, catalogue):
    response = client.get(reverse("search:search"), {"q": "石榴"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "相关资讯与页面" in body
    assert 'href="/stories/lieshan/"' in body and "典型案例" in body
    assert "塔山<mark>石榴</mark> 精品礼盒 6枚装" in body  # the products are still there
    assert "石榴采摘节草稿" not in body


@pytest.mark.django_db
def test_a_search_without_page_matches_shows_no_page_section(client, pages, catalogue):
    body = client.get(reverse("search:search"), {"q": "大米"}).content.decode()

    assert "濉溪<mark>大米</mark> 10kg" in body
    assert "相关资讯与页面" not in body
