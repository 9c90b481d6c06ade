"""Fixtures of the CMS tests: a page tree under the home page and the editorial roles."""

import datetime
import json
import uuid

import pytest

from accounts.models import User
from frontend.models import (
    CountyPavilionPage,
    NewsIndexPage,
    NewsPage,
    PavilionIndexPage,
    StandardPage,
    StoryIndexPage,
)
from frontend.services import EDITORS_GROUP, REVIEWERS_GROUP, editorial_setup


def stream(*blocks) -> str:
    """Raw StreamField JSON from ``(type, value)`` pairs."""
    return json.dumps(
        [{"type": t, "value": v, "id": str(uuid.uuid4())} for t, v in blocks], ensure_ascii=False
    )


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def tree(home_page, regions):
    """Home > 新闻资讯, 区县特色馆 (濉溪县馆), 典型案例, 关于我们; all published."""
    news_index = publish(home_page, NewsIndexPage(title="新闻资讯", slug="news"))
    pavilion_index = publish(home_page, PavilionIndexPage(title="区县特色馆", slug="pavilions"))
    story_index = publish(home_page, StoryIndexPage(title="典型案例", slug="stories"))
    about = publish(home_page, StandardPage(title="关于我们", slug="about", summary="平台简介"))
    suixi = publish(
        pavilion_index,
        CountyPavilionPage(
            title="濉溪县消费帮扶馆",
            slug="suixi",
            region=regions["濉溪县"],
            slogan="千年古镇临涣",
            introduction="<p>濉溪县是全国商品粮基地县。</p>",
        ),
    )
    return {
        "home": home_page,
        "news_index": news_index,
        "pavilion_index": pavilion_index,
        "story_index": story_index,
        "about": about,
        "suixi": suixi,
    }


@pytest.fixture
def news(tree):
    return publish(
        tree["news_index"],
        NewsPage(
            title="我市2023年消费帮扶工作成效明显",
            slug="review-2023",
            category="work",
            date=datetime.date(2024, 1, 22),
            summary="全市新增农村电商主体205家，网络零售额15.98亿元。",
            body=stream(("rich_text", "<p>上行农产品网络零售额<b>15.98亿元</b>。</p>")),
        ),
    )


@pytest.fixture
def editorial(home_page):
    return editorial_setup(root=home_page)


def _member(email: str, group_name: str) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(email=email, password="huinong-test")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(editorial):
    return _member("editor@example.com", EDITORS_GROUP)


@pytest.fixture
def reviewer(editorial):
    return _member("reviewer@example.com", REVIEWERS_GROUP)
