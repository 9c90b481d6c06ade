from django import template
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from oscar.core.loading import get_model

from regions.models import BureauStaff

register = template.Library()


@register.inclusion_tag("suppliers/partials/nav_link.html", takes_context=True)
def supplier_nav_link(context):
    """The header link to the supplier portal (supplier staff) or the review pages (bureau
    staff); one query for a signed-in user, none for a visitor."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"kind": ""}
    memberships = get_model("partner", "Partner").users.through.objects
    roles = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            supplier=Exists(memberships.filter(user_id=OuterRef("pk"))),
            reviewer=Exists(BureauStaff.objects.filter(user_id=OuterRef("pk"))),
        )
        .values("supplier", "reviewer")
        .first()
    ) or {}
    if roles.get("supplier"):
        return {"kind": "supplier"}
    if roles.get("reviewer"):
        return {"kind": "reviewer"}
    return {"kind": ""}
