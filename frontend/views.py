"""Error pages that Django's defaults cannot serve under the Content-Security-Policy, the
CMS pages in the visitor's language, and the home page through the page cache."""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from wagtail.models import Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from core.caching import anonymous_page
from core.localized import default_language_active
from core.middleware import API_PREFIX

#: What a database that cannot be reached raises (down, restarting, too many connections).
DATABASE_DOWN = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's 500 view, with the request's CSP nonce for the page's inline style sheet.

    Still no request context (no context processor, so no query: the database may be what
    failed), only the nonce. The API answers JSON like its other errors: 503 with
    ``Retry-After`` when the database could not be reached, 500 otherwise."""
    if request.path.startswith(API_PREFIX):
        exc = sys.exc_info()[1]
        if isinstance(exc, DATABASE_DOWN) or (
            isinstance(exc, DatabaseError) and isinstance(exc.__cause__, DATABASE_DOWN)
        ):
            response = JsonResponse({"detail": _("服务暂时不可用，请稍后重试。")}, status=503)
            response["Retry-After"] = "30"
            return response
        return JsonResponse({"detail": _("服务器出错了，我们已记录，请稍后重试。")}, status=500)
    template = loader.get_template(template_name)
    nonce = getattr(request, "csp_nonce", "")
    return HttpResponseServerError(template.render({"CSP_NONCE": nonce}))


def page_route(request, path: str) -> RouteResult | None:
    """The page at ``path`` in the visitor's language, or None.

    The English pages have the addresses of the Chinese pages they translate: the path is
    looked up among the English pages first (an editor may give one its own slug), then
    among the Chinese ones, and a Chinese page found is served as its published English
    translation when there is one, as itself otherwise. A Chinese visitor, and an English
    one when no English home page is published, route as before."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    root = site.root_page
    translated = settings.WAGTAIL_I18N_ENABLED and not default_language_active()
    roots = [root.localized, root] if translated else [root]
    for index, tree_root in enumerate(roots):
        if index and tree_root.pk == roots[0].pk:
            break
        try:
            page, args, kwargs = tree_root.specific.route(request, components)
        except Http404:
            continue
        if translated:
            page = page.localized.specific
        return RouteResult(page, args=args, kwargs=kwargs)
    return None


def serve(request, path: str):
    """Wagtail's page view (hooks, privacy, previews) with the route of ``page_route``."""
    request._wagtail_route_for_request = page_route(request, path)
    return wagtail_serve(request, path)


def home(request):
    """The home page (Wagtail's root page), served whole from the page cache to visitors
    without a session, basket or messages cookie, and as the signed-in copy with the user's
    own header to signed-in users (``core.caching.anonymous_page``: retired with the
    catalogue and CMS pages versions); Wagtail's own view for everyone else."""
    return anonymous_page(request, lambda: serve(request, ""), signed_in=True)
