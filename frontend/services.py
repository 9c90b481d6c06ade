"""Writes of the CMS: the editorial roles and workflow, and rich text sanitising."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .blocks import RICH_TEXT_FEATURES

EDITORS_GROUP = "编辑"
REVIEWERS_GROUP = "审核"
WORKFLOW_NAME = "内容审核发布"
TASK_NAME = "审核组审批"

#: Page permissions on the home page's subtree. Editors draft and submit; reviewers approve,
#: publish and may unlock. Neither gets any shop, procurement or dashboard permission.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
REVIEWER_COLLECTION_PERMISSIONS = (
    *EDITOR_COLLECTION_PERMISSIONS,
    ("wagtailimages", "change_image"),
    ("wagtaildocs", "change_document"),
)
REVIEWER_MODEL_PERMISSIONS = (("frontend", "change_sitechrome"),)
#: Both translate pages into English (Wagtail's simple translation: 翻译 on a page).
TRANSLATION_PERMISSION = ("simple_translation", "submit_translation")


@dataclass
class EditorialSetup:
    editors: Group
    reviewers: Group
    workflow: Workflow


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group: Group, root: Page, codenames: tuple[str, ...]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=_permission("wagtailcore", codename)
        )


def _grant_collections(group: Group, collection: Collection, perms) -> None:
    for app_label, codename in perms:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


def english_home(*, root: Page) -> Page | None:
    """The English tree's home page: an alias of the Chinese ``root`` (Wagtail keeps it in
    step; its English texts are the home page's ``*_en`` fields), made when missing, so that
    the English translations of pages have a parent. None when there is no English locale."""
    english = Locale.objects.filter(language_code="en").first()
    if english is None or root.locale_id == english.pk:
        return None
    home = root.get_translation_or_none(english)
    if home is None:
        home = root.specific.copy_for_translation(english, alias=True)
    return home


@transaction.atomic
def editorial_setup(*, root: Page) -> EditorialSetup:
    """Create (or complete) the groups 编辑 and 审核 and the approval workflow on ``root``'s
    subtree and on its English tree (``english_home``): an editor's submission or translation
    waits for a reviewer, whose approval publishes it. Idempotent: running it again adds only
    what is missing."""
    admin_access = _permission("wagtailadmin", "access_admin")
    translate = _permission(*TRANSLATION_PERMISSION)
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    english = english_home(root=root)
    trees = [root] if english is None else [root, english]

    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(admin_access, translate)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    reviewers.permissions.add(
        admin_access, translate, *[_permission(a, c) for a, c in REVIEWER_MODEL_PERMISSIONS]
    )
    for tree in trees:
        _grant_pages(editors, tree, EDITOR_PAGE_PERMISSIONS)
        _grant_pages(reviewers, tree, REVIEWER_PAGE_PERMISSIONS)
    _grant_collections(editors, collection, EDITOR_COLLECTION_PERMISSIONS)
    _grant_collections(reviewers, collection, REVIEWER_COLLECTION_PERMISSIONS)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for tree in trees:
        WorkflowPage.objects.update_or_create(page=tree, defaults={"workflow": workflow})
    return EditorialSetup(editors=editors, reviewers=reviewers, workflow=workflow)


def rich_text_clean(html: str, *, features: list[str] | None = None) -> str:
    """HTML reduced to the elements and attributes of the rich text features (Wagtail's
    whitelister): scripts, event handlers, styles, javascript: links and unknown elements
    are dropped.
    For rich text that arrives by other routes (imports, the demo loader)."""
    return EditorHTMLConverter(features=features or RICH_TEXT_FEATURES).to_database_format(html)
