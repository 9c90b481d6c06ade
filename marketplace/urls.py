from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from oscar.views.decorators import login_forbidden
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from accounts.views import PasswordResetView
from frontend import views as frontend_views
from reports import views as reports_views

from .api import api
from .health import healthz

# The 500 page's inline style sheet runs only with the request's CSP nonce.
handler500 = "frontend.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("accounts/", include("accounts.urls")),
    # After-sales pages under /shop/, /supplier/ and /reports/ (before those apps' own URLs).
    path("", include("aftersales.urls")),
    # Oscar's password reset page, throttled (it stands before Oscar's, under the same name).
    path(
        "shop/password-reset/",
        login_forbidden(PasswordResetView.as_view()),
        name="password-reset",
    ),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    path("payments/", include("payments.urls")),
    path("supplier/", include("suppliers.urls")),
    path("procurement/", include("procurement.urls")),
    path("sitemap.xml", sitemap),
    path("reports/", include("reports.urls")),
    path("points/", include("points.urls")),
    path("stats/", reports_views.public_stats, name="public-stats"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's catch-all serves every other path, so it goes last; the home page first goes
# through the page cache (frontend.views.home); every page is served in the visitor's language
# (frontend.views.serve, before Wagtail's own view of the same address).
urlpatterns += [
    path("", frontend_views.home, name="home"),
    re_path(serve_pattern, frontend_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
