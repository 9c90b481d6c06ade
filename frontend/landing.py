"""Where a user lands after signing in on the storefront without a ``next`` page: the portal
of their role (issue #18), so that nobody has to find it in the menu first.

The storefront login (``accounts.customer.views.AccountAuthView``) calls the function named by
``settings.LOGIN_LANDING``; it lives here, in the top layer, because it reads the roles of
every domain (``frontend.selectors.user_portal_roles``, one query).
"""

from django.urls import reverse

from .selectors import user_portal_roles

#: Role -> URL name, first match wins for a user with several roles.
PORTALS = (
    ("unit", "procurement:portal"),
    ("supplier", "suppliers:home"),
    ("bureau", "reports:dashboard"),
    ("clerk", "points:clerk"),
    ("manager", "points:shop"),
)


def landing_url(user) -> str | None:
    """The portal ``user`` works in: a budget unit's purchaser or approver ``/procurement/``,
    supplier staff ``/supplier/``, bureau staff ``/reports/``, a village clerk or a
    supermarket manager their points page, a CMS editor ``/cms/``; None for anyone else
    (Oscar's own choice then: the dashboard for staff, the account page for shoppers)."""
    roles = user_portal_roles(user=user)
    for role, url_name in PORTALS:
        if roles.get(role):
            return reverse(url_name)
    if not user.is_superuser and user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return None
