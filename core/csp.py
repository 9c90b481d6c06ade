"""The Content-Security-Policy header (django-csp), with a relaxed policy for the paths of
``settings.CSP_RELAXED_PATH_PREFIXES`` (Wagtail's admin). docs/security.md says why."""

import functools

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view may set on its response to change its policy (django-csp's decorators).
VIEW_POLICY_ATTRIBUTES = tuple(
    f"_csp_{name}{suffix}"
    for name in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)
# Stands for the request's nonce in a policy built once (base64 never contains it).
NONCE_MARK = "~nonce~"


def _relaxed(request) -> bool:
    return request.path_info.startswith(tuple(settings.CSP_RELAXED_PATH_PREFIXES))


def _relaxed_config() -> dict:
    return default_config(settings.CONTENT_SECURITY_POLICY_RELAXED["DIRECTIVES"])


@functools.cache
def _site_policy(*, relaxed: bool, nonce: bool) -> str:
    """The site's policy (or the relaxed one) as django-csp builds it, with ``NONCE_MARK``
    where the request's nonce goes: built once per process, not for every response."""
    config = _relaxed_config() if relaxed else None
    return build_policy(config=config, nonce=NONCE_MARK if nonce else None)


@receiver(setting_changed)
def _site_policy_forget(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "CSP_RELAXED_PATH_PREFIXES":
        _site_policy.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """``settings.CONTENT_SECURITY_POLICY`` everywhere but under the relaxed prefixes, which get
    ``settings.CONTENT_SECURITY_POLICY_RELAXED``. A view's own ``csp_update``/``csp_replace``
    still applies on top of either; a view that sets its own ``Content-Security-Policy``
    header keeps it.

    A response that no view changed the policy of (almost every one) gets the header from a
    policy built once per process with the request's nonce put in: django-csp builds it
    anew for each response, about 6% of the CPU of a page served from the cache.
    The rest (a view's own policy, report-only, debug pages, excluded prefixes) goes through
    django-csp unchanged."""

    def process_response(self, request, response):
        if not self._site_policy_applies(request, response):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        policy = _site_policy(relaxed=_relaxed(request), nonce=bool(nonce))
        if policy:
            response[HEADER] = policy.replace(NONCE_MARK, nonce) if nonce else policy
        if nonce is None:
            # As django-csp: a nonce asked for after the header was written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _site_policy_applies(request, response) -> bool:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        return not (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or policy.get("EXCLUDE_URL_PREFIXES")
            or HEADER in response
            or any(hasattr(response, name) for name in VIEW_POLICY_ATTRIBUTES)
        )

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and _relaxed(request):
            parts.config = _relaxed_config()
        return parts
