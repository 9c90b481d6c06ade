"""The Content-Security-Policy header (django-csp), with a relaxed policy for the paths of
``settings.CSP_RELAXED_PATH_PREFIXES`` (Wagtail's admin). docs/security.md says why."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """``settings.CONTENT_SECURITY_POLICY`` everywhere but under the relaxed prefixes, which get
    ``settings.CONTENT_SECURITY_POLICY_RELAXED``. A view's own ``csp_update``/``csp_replace``
    still applies on top of either; a view that sets its own ``Content-Security-Policy``
    header keeps it."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.CSP_RELAXED_PATH_PREFIXES))
        ):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_RELAXED["DIRECTIVES"])
        return parts
