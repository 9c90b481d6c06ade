"""Error pages that Django's defaults cannot serve under the Content-Security-Policy."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

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
