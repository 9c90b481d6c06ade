"""Oscar's flatpages dashboard without its views: the CMS (/cms/) is the one place for pages.

Oscar's dashboard app looks this app up by label, so it stays installed, with no URLs.
"""

from oscar.apps.dashboard.pages.apps import PagesDashboardConfig as OscarPagesDashboardConfig


class PagesDashboardConfig(OscarPagesDashboardConfig):
    def get_urls(self):
        return []
