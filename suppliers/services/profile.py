"""The supplier's profile: contacts, address and bank details. A change of the bank details
(where settlements are paid) is recorded with who made it and the values before and after."""

from django.db import transaction
from oscar.core.loading import get_model

from core.locks import row_lock

from ..models import BANK_DETAILS_FIELDS, BankDetailsChange

Partner = get_model("partner", "Partner")


def bank_details_stored(*, partner) -> dict:
    """The supplier's bank details as stored (locked by the caller), empty for a new one."""
    if partner.pk is None:
        return {}
    return BankDetailsChange.values_of(row_lock(Partner, pk=partner.pk), BANK_DETAILS_FIELDS)


def bank_details_change_record(*, partner, user, before: dict) -> BankDetailsChange | None:
    """Record the change of ``partner``'s (saved) bank details from ``before``
    (``bank_details_stored`` read before the save); None when they did not change."""
    after = BankDetailsChange.values_of(partner, BANK_DETAILS_FIELDS)
    if after == before or (not before and not any(after.values())):
        return None
    return BankDetailsChange.objects.create(
        partner=partner, changed_by=user, before=before, after=after
    )


@transaction.atomic
def supplier_profile_save(*, partner, user):
    """Save the supplier's edited profile (``partner`` with the form's changes, not yet
    saved) and, in the same transaction, a ``BankDetailsChange`` when its bank details
    changed. The supplier's row is locked first, so two edits at once record one change
    each, in order."""
    before = bank_details_stored(partner=partner)
    partner.save()
    bank_details_change_record(partner=partner, user=user, before=before)
    return partner
