"""Error pages that Django's defaults cannot serve under the Content-Security-Policy."""

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's 500 view, with the request's CSP nonce for the page's inline style sheet.

    Still no request context (no context processor, so no query: the database may be what
    failed), only the nonce."""
    template = loader.get_template(template_name)
    nonce = getattr(request, "csp_nonce", "")
    return HttpResponseServerError(template.render({"CSP_NONCE": nonce}))
