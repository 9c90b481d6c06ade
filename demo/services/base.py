"""What every seed step shares: the tally, the upsert helpers and the stable codes."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from core.validators import CREDIT_CODE_CHARSET, credit_code_check_char


@dataclass
class Tally:
    """How many rows a seed step created and how many it changed."""

    created: int = 0
    updated: int = 0


def upsert(model: type[models.Model], lookup: dict, values: dict, tally: Tally) -> models.Model:
    """The row matching ``lookup``, created with ``values`` or brought up to date."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        tally.created += 1
        return model.objects.create(**lookup, **values)
    sync(obj, values, tally)
    return obj


def sync(obj: models.Model, values: dict, tally: Tally) -> bool:
    """Set the fields of ``obj`` that differ from ``values`` and save only those."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_one:
            current, value = getattr(obj, field.attname), (value.pk if value else None)
            name = field.attname
        else:
            current = getattr(obj, name)
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj.save(update_fields=changed)
        tally.updated += 1
    return bool(changed)


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class PastClock:
    """Maps the moments the demo plans onto moments on or before ``now``.

    The demo plans the year's story by the calendar (this month's orders on the 8th to the
    17th, shipped a day later, paid a week later), which runs past today for most of a month.
    The planned moments up to ``cutoff`` stay as they are; the tail from ``cutoff`` to
    ``horizon`` (later than anything the demo plans) is squeezed, in order, into ``cutoff`` ..
    ``now``. The cutoff is 45 days before now, never before 1 January, so a run on the 1st of
    January still keeps this year's events in this year."""

    #: Beyond every moment the demo plans: the latest filing date (12 April, approved two days
    #: later) and this month's orders with their whole life (17th + 12 days).
    TAIL = datetime.timedelta(days=45)

    def __init__(self, now: datetime.datetime):
        self.now = now
        local = timezone.localtime(now)
        year_start = at(datetime.date(local.year, 1, 1), 0, 0)
        self.cutoff = max(now - self.TAIL, year_start)
        self.horizon = max(now + self.TAIL, at(datetime.date(local.year, 4, 20), 0, 0))

    def __call__(self, planned: datetime.datetime) -> datetime.datetime:
        if planned <= self.cutoff:
            return planned
        if planned >= self.horizon:  # never planned; kept in bounds all the same
            return self.now
        share = (planned - self.cutoff) / (self.horizon - self.cutoff)
        return self.cutoff + (self.now - self.cutoff) * share


def _hash(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def digits(text: str, length: int) -> str:
    return "".join(str(b % 10) for b in _hash(text)[:length])


def credit_code(prefix: str, region_code: str, name: str) -> str:
    """A valid 18-character unified social credit code, stable for a given name."""
    if prefix.startswith("9"):  # market entities registered since 2015: "MA" + 7 characters
        charset = CREDIT_CODE_CHARSET
        org = "MA" + "".join(charset[b % len(charset)] for b in _hash(name)[:7])
    else:
        org = digits(name, 9)
    body = f"{prefix}{region_code[:6]}{org}"
    return body + credit_code_check_char(body)


def ean13(body: str) -> str:
    """An EAN-13 barcode (GS1 China prefix 69x) from its first 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)
