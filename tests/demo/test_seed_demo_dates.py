"""`seed_demo` never dates anything after the moment it runs, wherever in the month (and the
year) that is: on the 1st of January before the working day and on the 31st of December late at
night (issue #19). Two whole demo loads, hence ``slow`` (``make test`` runs it: it deselects
only ``e2e``)."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Max
from django.utils import timezone
from freezegun import freeze_time

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: Dates that are meant to lie ahead: validity ends, deadlines, expiries and schedules.
AHEAD = {
    ("partner", "partner", "certified_until"),
    ("partner", "certification", "valid_until"),
    ("search", "productdocument", "certified_until"),
    ("procurement", "policyyear", "filing_deadline"),
    ("points", "award", "notice_ends_on"),
    ("sessions", "session", "expire_date"),
}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def latest_dates() -> dict[str, object]:
    """The latest value of every date and date-time field of every model (past or future by
    design excepted), by ``app_label.Model.field``."""
    latest = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            if (meta.app_label, meta.model_name, field.name) in AHEAD:
                continue
            value = model._default_manager.aggregate(latest=Max(field.name))["latest"]
            if value is not None:
                latest[f"{meta.label}.{field.name}"] = value
    return latest


def dated_after(moment: datetime.datetime, before: dict) -> list[str]:
    """The fields whose latest value is after ``moment`` (dates: after its local date),
    leaving out what was there before the demo was loaded (the home page the test's fixture
    made, at the real time)."""
    today = timezone.localtime(moment).date()
    late = []
    for name, value in latest_dates().items():
        limit = moment if isinstance(value, datetime.datetime) else today
        if value > limit and value != before.get(name):
            late.append(f"{name} = {value}")
    return late


@pytest.mark.parametrize("local_moment", ["01-01 07:00", "12-31 23:30"])
def test_nothing_is_dated_after_the_moment_the_demo_is_loaded(home_page, local_moment):
    year = timezone.localdate().year
    moment = timezone.make_aware(
        datetime.datetime.strptime(f"{year}-{local_moment}", "%Y-%m-%d %H:%M")
    )
    before = latest_dates()
    with freeze_time(moment):
        call_command("seed_demo", quiet=True)

        from procurement.models import Filing
        from procurement.services import quota_reconcile

        late = dated_after(moment, before)
        assert not late, "\n".join(late)
        school = Filing.objects.get(unit__name="淮北市第一中学", policy_year__year=year)
        assert school.completion_rate > 1  # bought past its reserve: 超额完成
        assert quota_reconcile() == []
