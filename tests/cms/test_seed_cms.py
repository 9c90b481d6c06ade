"""`seed_demo` builds the CMS page tree with Chinese content, once."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page, Revision, WorkflowPage

from accounts.models import User
from frontend.models import (
    CountyPavilionPage,
    HomePage,
    NewsPage,
    SiteChrome,
    StandardPage,
    StoryPage,
)

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_page_tree_roles_and_menu_and_a_rerun_changes_nothing(
    settings, tmp_path, home_page
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", quiet=True)

    home = HomePage.objects.get(locale__language_code="zh-hans")
    assert sorted(p.slug for p in home.get_children()) == [
        "about",
        "help",
        "news",
        "pavilions",
        "procurement-guide",
        "stories",
    ]
    assert dict(NewsPage.objects.live().values_list("slug", "category")) == {
        "2023-consumption-assistance-review": "work",
        "reserved-share-filing-notice": "policy",
        "supplier-certification-notice": "notice",
    }
    review = NewsPage.objects.get(slug="2023-consumption-assistance-review")
    assert "15.98亿元" in review.title and "604.01万元" in review.summary
    notice = NewsPage.objects.get(slug="reserved-share-filing-notice")
    assert [a.label for a in notice.attachments.all()] == ["预留份额填报模板"]
    assert sorted(CountyPavilionPage.objects.values_list("region__name", flat=True)) == [
        "杜集区",
        "濉溪县",
        "烈山区",
        "相山区",
    ]
    story = StoryPage.objects.get(slug="lieshan-cross-village-operation")
    assert story.supplier.name == "淮北塔山石榴专业合作社"
    assert story.linked_products.count() == 3
    assert set(
        StandardPage.objects.filter(locale__language_code="zh-hans").values_list("title", flat=True)
    ) == {"关于我们", "帮助中心", "采购指南"}
    # The English tree: the home page's alias, and about and help in English.
    english_home = HomePage.objects.get(locale__language_code="en")
    assert english_home.alias_of_id == home.pk and english_home.live
    assert dict(
        StandardPage.objects.filter(locale__language_code="en", live=True).values_list(
            "slug", "title"
        )
    ) == {"about": "About us", "help": "Help"}
    assert len(home.hero_slides) == 2
    chrome = SiteChrome.objects.get()
    assert [item.value["label"] for item in chrome.main_menu] == [
        "新闻资讯",
        "区县特色馆",
        "典型案例",
        "采购指南",
        "关于我们",
    ]
    assert [item.value["label_en"] for item in chrome.main_menu] == [
        "News",
        "County showcases",
        "Stories",
        "Procurement guide",
        "About us",
    ]
    assert WorkflowPage.objects.get(page=home).workflow.name == "内容审核发布"
    assert User.objects.get(email="editor@example.com").groups.get() == Group.objects.get(
        name="编辑"
    )
    assert User.objects.get(email="reviewer@example.com").groups.get() == Group.objects.get(
        name="审核"
    )

    client = Client()
    for page in Page.objects.live().filter(depth__gt=1):
        assert client.get(page.url).status_code == 200, page.url
    home_html = client.get("/").content.decode()
    assert "关于开展脱贫地区农副产品供应商认定申报的通知" in home_html
    assert 'href="/pavilions/suixi/"' in home_html

    counts = (Page.objects.count(), Revision.objects.count(), SiteChrome.objects.count())
    call_command("seed_demo", quiet=True)
    assert (Page.objects.count(), Revision.objects.count(), SiteChrome.objects.count()) == counts
