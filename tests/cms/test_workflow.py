"""Editors draft and submit, reviewers approve (which publishes); nobody else's powers leak."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from frontend.models import NewsPage
from frontend.services import editorial_setup
from frontend.tasks import publish_scheduled_pages_task

pytestmark = pytest.mark.django_db


def news_form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "category": "work",
            "date": "2024-05-06",
            "source": "淮北市乡村振兴局",
            "summary": "春季农产品产销对接会在濉溪县举行。",
            "cover_image": "",
            "body": streamfield([("rich_text", rich_text("<p>共签约采购订单120万元。</p>"))]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("frontend", "newspage", parent.pk))


def test_an_editor_submits_and_a_reviewer_approves_which_publishes(client, tree, editor, reviewer):
    client.force_login(editor)
    response = client.post(
        add_url(tree["news_index"]),
        news_form("春季产销对接会举行", "spring-fair", **{"action-submit": "提交审核"}),
    )
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="spring-fair")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    public = Client()
    assert "春季产销对接会举行" not in public.get(tree["news_index"].url).content.decode()

    # The editor may not approve the task.
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    response = client.post(approve)
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live

    client.force_login(reviewer)
    response = client.post(approve)
    assert response.status_code == 302
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live
    assert state.status == WorkflowState.STATUS_APPROVED
    assert "春季产销对接会举行" in public.get("/").content.decode()
    assert "春季产销对接会举行" in public.get(tree["news_index"].url).content.decode()


def test_an_editor_cannot_publish_directly(client, tree, editor):
    client.force_login(editor)
    client.post(
        add_url(tree["news_index"]),
        news_form("未经审核的稿件", "unreviewed", **{"action-publish": "发布"}),
    )

    page = NewsPage.objects.get(slug="unreviewed")
    assert not page.live and page.latest_revision is not None
    assert "未经审核的稿件" not in Client().get(tree["news_index"].url).content.decode()


def test_a_reviewer_publishes_directly(client, tree, reviewer):
    client.force_login(reviewer)
    client.post(
        add_url(tree["news_index"]),
        news_form("审核人直接发布", "direct", **{"action-publish": "发布"}),
    )

    assert NewsPage.objects.get(slug="direct").live


def test_editors_and_reviewers_get_no_shop_procurement_or_dashboard_powers(
    client, tree, editor, reviewer
):
    assert editor.get_all_permissions() == {
        "wagtailadmin.access_admin",
        "simple_translation.submit_translation",
    }
    assert reviewer.get_all_permissions() == {
        "wagtailadmin.access_admin",
        "simple_translation.submit_translation",
        "frontend.change_sitechrome",
    }
    for user in (editor, reviewer):
        assert not user.is_staff and not user.is_superuser
        client.force_login(user)
        assert client.get("/cms/").status_code == 200
        for url in ("/dashboard/", "/dashboard/catalogue/", "/dashboard/orders/", "/django-admin/"):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), url
            if response.status_code == 302:
                assert "login" in response["Location"], url


def test_only_reviewers_edit_the_site_settings(client, tree, editor, reviewer):
    url = reverse("wagtailsettings:edit", args=("frontend", "sitechrome"))
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.force_login(reviewer)
    assert client.get(url, follow=True).status_code == 200


def test_the_setup_is_idempotent(tree, editorial):
    again = editorial_setup(root=tree["home"])

    assert again.workflow.pk == editorial.workflow.pk
    assert list(again.workflow.tasks.values_list("name", flat=True)) == ["审核组审批"]
    assert tree["home"].get_workflow() == editorial.workflow
    assert tree["news_index"].get_workflow() == editorial.workflow


def test_a_scheduled_page_goes_live_when_beat_runs_publish_scheduled(tree):
    page = NewsPage(title="定时发布的通知", slug="scheduled", live=False)
    tree["news_index"].add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live and page.go_live_at is not None

    publish_scheduled_pages_task()
    page.refresh_from_db()
    assert not page.live  # not yet

    with freeze_time(timezone.now() + datetime.timedelta(hours=3)):
        publish_scheduled_pages_task()

    page.refresh_from_db()
    assert page.live
    assert Page.objects.live().filter(slug="scheduled").exists()


def test_the_setup_command_creates_the_roles(home_page):
    call_command("cms_setup", stdout=io.StringIO())

    assert set(Group.objects.filter(name__in=["编辑", "审核"]).values_list("name", flat=True)) == {
        "编辑",
        "审核",
    }
    assert home_page.get_workflow().name == "内容审核发布"
