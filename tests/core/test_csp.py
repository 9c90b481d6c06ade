"""The Content-Security-Policy header built once per process is the one django-csp builds
for each response: with and without the request's nonce, on the relaxed paths, after the
settings change; a view's own policy still goes through django-csp."""

import pytest
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.csp import ContentSecurityPolicyMiddleware


class LibraryBuilt(ContentSecurityPolicyMiddleware):
    """django-csp's own response handling (a policy built per response), with our parts."""

    process_response = CSPMiddleware.process_response


def _header(middleware_class, path: str, *, nonce: bool, **response_attributes):
    """The header a response to ``path`` gets, and the request's nonce (None if unused)."""
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda r: HttpResponse())
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # as a page with an inline script does
    response = HttpResponse()
    for name, value in response_attributes.items():
        setattr(response, name, value)
    response = middleware.process_response(request, response)
    return response.get("Content-Security-Policy", ""), getattr(request, "_csp_nonce", None)


@pytest.mark.parametrize("path", ["/", "/shop/catalogue/", "/cms/pages/"])
@pytest.mark.parametrize("nonce", [True, False])
def test_the_header_is_django_csps_own(path, nonce):
    ours, our_nonce = _header(ContentSecurityPolicyMiddleware, path, nonce=nonce)
    theirs, their_nonce = _header(LibraryBuilt, path, nonce=nonce)
    assert ours == theirs.replace(str(their_nonce), str(our_nonce))
    relaxed = path.startswith("/cms/")  # inline scripts allowed: no nonce in the policy
    assert ("'nonce-" in ours) is (nonce and not relaxed)
    assert ("'unsafe-inline'" in ours.split("script-src ")[1].split(";")[0]) is relaxed


def test_each_request_gets_its_own_nonce_in_the_header():
    first, first_nonce = _header(ContentSecurityPolicyMiddleware, "/", nonce=True)
    second, second_nonce = _header(ContentSecurityPolicyMiddleware, "/", nonce=True)
    assert first_nonce != second_nonce
    assert f"'nonce-{first_nonce}'" in first and f"'nonce-{second_nonce}'" in second


def test_a_settings_change_is_followed():
    before, _ = _header(ContentSecurityPolicyMiddleware, "/", nonce=False)
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://img"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        during, _ = _header(ContentSecurityPolicyMiddleware, "/", nonce=False)
    after, _ = _header(ContentSecurityPolicyMiddleware, "/", nonce=False)
    assert "https://img" in during and "https://img" not in before
    assert after == before


def test_a_views_own_policy_goes_through_django_csp():
    update = {"script-src": ["https://js.stripe.com"]}
    ours, _ = _header(ContentSecurityPolicyMiddleware, "/pay/", nonce=True, _csp_update=update)
    assert "https://js.stripe.com" in ours.split("script-src ")[1].split(";")[0]
    exempt, _ = _header(ContentSecurityPolicyMiddleware, "/", nonce=False, _csp_exempt=True)
    assert exempt == ""


def test_a_nonce_asked_for_after_the_header_is_an_error():
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
