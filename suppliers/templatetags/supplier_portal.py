from django import template

from ..access import reviewer_for_user, supplier_for_user

register = template.Library()


@register.inclusion_tag("suppliers/partials/nav_link.html", takes_context=True)
def supplier_nav_link(context):
    """The header link to the supplier portal (supplier staff) or the review pages (bureau)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"kind": ""}
    if supplier_for_user(user) is not None:
        return {"kind": "supplier"}
    if reviewer_for_user(user) is not None:
        return {"kind": "reviewer"}
    return {"kind": ""}
