"""Reads of the regions app."""

from .models import BureauStaff


def bureau_staff_memberships():
    """Every bureau staff row (``user_id``, ``region``), as a queryset to filter or nest."""
    return BureauStaff.objects.all()
