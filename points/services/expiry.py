"""Expiry (到期清零) per rule-book policy: on the book's ``expires_on``, the points credited
under that book and still unspent leave the ledger. Spending is counted first-in first-out,
so a household's unspent old points are its balance less what later books credited since."""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import EntryKind, Household, PointsEntry, RuleBook, Village
from .awards import rule_book_for
from .ledger import household_lock, ledger_append


def _household_expiry(*, household_id: int, book: RuleBook) -> int:
    household = household_lock(household_id=household_id)
    if PointsEntry.objects.filter(
        household=household, kind=EntryKind.EXPIRY, rule_book=book
    ).exists():
        return 0
    later = (
        PointsEntry.objects.filter(
            household=household,
            kind=EntryKind.AWARD,
            delta__gt=0,
            award__rule__aspect__rule_book__year__gt=book.year,
        ).aggregate(s=Sum("delta"))["s"]
        or 0
    )
    expiring = max(0, household.balance - later)
    if expiring:
        ledger_append(
            household=household,
            kind=EntryKind.EXPIRY,
            delta=-expiring,
            rule_book=book,
            reason=_("%(year)s 年度积分到期清零") % {"year": book.year},
        )
    return expiring


def points_expire_due(*, today: datetime.date | None = None) -> int:
    """Expire the unspent points of every book whose ``expires_on`` has come, once per book
    and household (each household in its own transaction); the points expired."""
    today = today or timezone.localdate()
    total = 0
    for book in RuleBook.objects.filter(expires_on__lte=today, expired_at__isnull=True):
        # A county's own book of the same year governs its villages, not the city's.
        villages = [
            v.pk
            for v in Village.objects.filter(town__path__startswith=book.region.path).select_related(
                "town"
            )
            if rule_book_for(village=v, year=book.year) == book
        ]
        households = Household.objects.filter(village__in=villages, balance__gt=0).values_list(
            "pk", flat=True
        )
        for pk in list(households):
            with transaction.atomic():
                total += _household_expiry(household_id=pk, book=book)
        RuleBook.objects.filter(pk=book.pk).update(expired_at=timezone.now())
    return total
