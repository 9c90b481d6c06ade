from oscar.apps.dashboard.catalogue.apps import (
    CatalogueDashboardConfig as OscarCatalogueDashboardConfig,
)


class CatalogueDashboardConfig(OscarCatalogueDashboardConfig):
    """Oscar's catalogue dashboard with the category's English name on its category form
    (``catalog.dashboard.views``). Oscar's dashboard app looks this app up by label, so it
    keeps Oscar's name and label; only the two category views are swapped."""

    def ready(self):
        super().ready()
        from catalog.dashboard import views

        self.category_create_view = views.CategoryCreateView
        self.category_update_view = views.CategoryUpdateView
