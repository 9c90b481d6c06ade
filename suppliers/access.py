"""Who acts for whom: a user's supplier, a user's reviewer role, and what a reviewer covers.

Every service and view that touches supplier data goes through these, so that "a supplier
sees only its own" and "a county reviewer decides only in its county" are stated once.
"""

from oscar.core.loading import get_model

from regions.models import BureauLevel, BureauStaff

Partner = get_model("partner", "Partner")


def supplier_for_user(user) -> "Partner | None":
    """The supplier the user works for (the first one, if several), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_supplier_cache", False)
    if cached is not False:
        return cached
    partner = Partner.objects.filter(users=user).select_related("region").order_by("pk").first()
    user._supplier_cache = partner
    return partner


def reviewer_for_user(user) -> BureauStaff | None:
    """The user's bureau role (county or city reviewer), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return BureauStaff.objects.select_related("region").get(user=user)
    except BureauStaff.DoesNotExist:
        return None


def reviewer_covers(staff: BureauStaff | None, partner) -> bool:
    """The supplier sits in the reviewer's region (its subtree)."""
    return (
        staff is not None
        and partner.region_id is not None
        and staff.region.contains(partner.region)
    )


def is_county_reviewer(staff: BureauStaff | None) -> bool:
    return staff is not None and staff.level == BureauLevel.COUNTY


def is_city_reviewer(staff: BureauStaff | None) -> bool:
    return staff is not None and staff.level == BureauLevel.CITY
