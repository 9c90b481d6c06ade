from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("网站前台")

    def ready(self):
        from oscar.core.loading import get_model

        from core.caching import catalogue_changed, stockrecord_saved

        for app_label, model_name in [
            ("catalogue", "Product"),
            ("catalogue", "ProductImage"),
            ("catalogue", "ProductCategory"),
            ("catalogue", "Category"),
            ("partner", "StockRecord"),
            ("partner", "Partner"),
        ]:
            model = get_model(app_label, model_name)
            uid = f"frontend-catalogue-changed-{app_label}-{model_name}"
            # Every stock allocation saves its record: only a change shoppers see counts.
            saved = stockrecord_saved if model_name == "StockRecord" else catalogue_changed
            post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}-delete")

        self._connect_cms_signals()
        self._connect_chrome_signals()

    def _connect_chrome_signals(self):
        """What retires a signed-in user's cached header figures (``frontend.chrome``)."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from oscar.core.loading import get_model

        from points.models import Supermarket, Village
        from procurement.models import BudgetUnitMember
        from regions.models import BureauStaff

        from . import chrome

        User = get_user_model()
        for name, signal in (("save", post_save), ("delete", post_delete)):
            for model, receiver in [
                (get_model("communication", "Notification"), chrome.notification_saved),
                (get_model("basket", "Basket"), chrome.basket_saved),
                (get_model("basket", "Line"), chrome.basket_line_saved),
                (User, chrome.user_saved),
                (BudgetUnitMember, chrome.access_changed),
                (BureauStaff, chrome.access_changed),
            ]:
                uid = f"frontend-chrome-{model._meta.label_lower}-{name}"
                signal.connect(receiver, sender=model, dispatch_uid=uid)
        for through in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(
                chrome.user_links_changed,
                sender=through,
                dispatch_uid=f"frontend-chrome-{through._meta.label_lower}",
            )
        for through in (
            Group.permissions.through,
            get_model("partner", "Partner").users.through,
            Village.clerks.through,
            Supermarket.managers.through,
        ):
            m2m_changed.connect(
                chrome.role_links_changed,
                sender=through,
                dispatch_uid=f"frontend-chrome-{through._meta.label_lower}",
            )

    def _connect_cms_signals(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import SiteChrome

        # Cached page lists and menus (which link to pages by id) follow every change.
        for name, signal in [
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
        ]:
            signal.connect(_pages_changed, dispatch_uid=f"frontend-pages-{name}")
        post_delete.connect(_page_deleted, dispatch_uid="frontend-pages-deleted")
        # Site settings are in every page's header and footer: a cached page must follow.
        post_save.connect(_pages_changed, sender=SiteChrome, dispatch_uid="frontend-chrome")


def _pages_changed(**kwargs):
    from core.caching import pages_changed

    from .context_processors import cms_chrome_clear

    pages_changed(then=cms_chrome_clear)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _pages_changed()
