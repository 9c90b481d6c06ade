"""An editor writes a news item and a county pavilion in /cms/, a reviewer approves both,
and the public site shows them, the pavilion with its county's live products."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.models import User
from frontend.models import CountyPavilionPage, NewsIndexPage, NewsPage, PavilionIndexPage
from frontend.services import EDITORS_GROUP, REVIEWERS_GROUP, editorial_setup
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "huinong-test"


@pytest.fixture
def cms_site(catalogue, home_page):
    editorial_setup(root=home_page)
    news_index = home_page.add_child(instance=NewsIndexPage(title="新闻资讯", slug="news"))
    news_index.save_revision().publish()
    home_page.refresh_from_db()
    pavilions = home_page.add_child(
        instance=PavilionIndexPage(title="区县特色馆", slug="pavilions")
    )
    pavilions.save_revision().publish()
    for email, group in [
        ("editor@example.com", EDITORS_GROUP),
        ("reviewer@example.com", REVIEWERS_GROUP),
    ]:
        user = User.objects.create_user(email=email, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    return {"news_index": news_index, "pavilions": pavilions}


def sign_in(browser, base_url, email):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base_url + "/cms/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/cms/$"))
    return page


def set_slug(page, slug: str):
    page.get_by_role("tab", name="推荐").click()
    page.locator("#id_slug").fill(slug)
    page.get_by_role("tab", name="内容").click()


def submit_for_review(page, parent_id: int):
    # "提交给内容审核发布" sits in the footer's action menu.
    page.locator('button[name="action-submit"]').evaluate("button => button.click()")
    try:
        page.wait_for_url(re.compile(rf"/cms/pages/{parent_id}/$"))
    except Exception as error:
        errors = page.locator(".error-message, .help-critical, .messages").all_inner_texts()
        raise AssertionError(f"not submitted: {errors}") from error


def test_an_editor_writes_a_reviewer_approves_and_the_public_site_shows_it(
    page, browser, cms_site, screenshot
):
    base = page.base_url
    news_index, pavilions = cms_site["news_index"], cms_site["pavilions"]

    editor = sign_in(browser, base, "editor@example.com")
    editor.goto(f"{base}/cms/pages/add/frontend/newspage/{news_index.pk}/")
    editor.fill("#id_title", "春季农产品产销对接会在烈山区举行")
    editor.fill("#id_summary", "现场签约采购订单120万元，塔山石榴进入机关食堂。")
    set_slug(editor, "spring-fair")
    editor.screenshot(path=str(SCREENSHOTS / "cms-editor-news.png"), full_page=True)
    submit_for_review(editor, news_index.pk)

    editor.goto(f"{base}/cms/pages/add/frontend/countypavilionpage/{pavilions.pk}/")
    editor.fill("#id_title", "烈山区消费帮扶馆")
    editor.select_option("#id_region", label="烈山区")
    editor.fill("#id_slogan", "塔山石榴红，榴园美名扬")
    set_slug(editor, "lieshan")
    submit_for_review(editor, pavilions.pk)
    assert not NewsPage.objects.get().live
    assert not CountyPavilionPage.objects.get().live

    # Nothing is public before the review.
    page.goto(base + "/")
    assert page.get_by_text("春季农产品产销对接会在烈山区举行").count() == 0

    reviewer = sign_in(browser, base, "reviewer@example.com")
    for approved in (1, 2):
        approve = reviewer.locator(
            'button[data-workflow-action-url*="/approve/"]:not([data-launch-modal])'
        ).first
        approve.wait_for(state="attached")
        with reviewer.expect_navigation():
            approve.evaluate("button => button.click()")
        live = NewsPage.objects.live().count() + CountyPavilionPage.objects.live().count()
        assert live == approved
        reviewer.goto(base + "/cms/")
    assert NewsPage.objects.get().live
    assert CountyPavilionPage.objects.get().live

    page.goto(base + "/")
    news_link = page.get_by_role("link", name=re.compile("春季农产品产销对接会在烈山区举行"))
    news_link.wait_for()
    screenshot("cms-home-with-news")

    page.locator("a.hn-pavilion", has_text="烈山区").click()
    page.wait_for_url(re.compile(r"/pavilions/[^/]+/$"))  # whichever slug the form kept
    page.get_by_role("heading", name="烈山区消费帮扶馆").wait_for()
    expect(page.get_by_text("塔山石榴红，榴园美名扬").first).to_be_visible()
    expect(page.get_by_text("塔山石榴 精品礼盒 6枚装").first).to_be_visible()
    expect(page.get_by_text("淮北塔山石榴专业合作社").first).to_be_visible()
    assert page.get_by_text("濉溪大米 10kg").count() == 0  # another county's product
    screenshot("cms-pavilion")

    news_link_page = base + NewsPage.objects.get().url
    page.goto(news_link_page)
    page.get_by_role("heading", name="春季农产品产销对接会在烈山区举行").wait_for()
    editor.context.close()
    reviewer.context.close()
