"""The daily task: reminders 30 and 7 days ahead (once each, portal and email), expiry with
a system decision, and the delisting of the expired supplier's products."""

import datetime

import pytest
from django.core import mail
from freezegun import freeze_time
from oscar.core.loading import get_model

from catalog.models import ListingDecision, ListingStatus
from suppliers.models import CertificationStatus, NoticeKind, SupplierNotice
from suppliers.tasks import certification_daily_sweep_task

Product = get_model("catalogue", "Product")

START = datetime.date(2026, 3, 1)


@pytest.fixture
def expiring(suppliers):
    """塔山's certificate ends on 2026-03-31; 口子's runs on for a year."""
    tashan = suppliers["tashan"]
    cert = tashan.certifications.get()
    cert.valid_until = datetime.date(2026, 3, 31)
    cert.valid_from = datetime.date(2024, 4, 1)
    cert.save()
    tashan.certified_until = cert.valid_until
    tashan.save()
    kouzi = suppliers["kouzi"]
    kcert = kouzi.certifications.get()
    kcert.valid_until = datetime.date(2027, 3, 1)
    kcert.save()
    kouzi.certified_until = kcert.valid_until
    kouzi.save()
    return {**suppliers, "cert": cert}


def run(day, capture):
    with freeze_time(f"{day.isoformat()} 00:30:00+08:00"), capture(execute=True):
        return certification_daily_sweep_task.delay().get()


def test_reminders_go_out_30_and_7_days_ahead_once_each(
    expiring, django_capture_on_commit_callbacks
):
    tashan = expiring["tashan"]
    assert run(datetime.date(2026, 2, 28), django_capture_on_commit_callbacks) == {
        "expired": [],
        "reminded": [],
    }
    cert_id = expiring["cert"].pk
    assert run(datetime.date(2026, 3, 1), django_capture_on_commit_callbacks)["reminded"] == [
        f"30:{cert_id}"
    ]
    assert run(datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)["reminded"] == []
    assert run(datetime.date(2026, 3, 24), django_capture_on_commit_callbacks)["reminded"] == [
        f"7:{cert_id}"
    ]
    assert run(datetime.date(2026, 3, 25), django_capture_on_commit_callbacks)["reminded"] == []
    notices = list(
        SupplierNotice.objects.filter(partner=tashan)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert notices == [NoticeKind.EXPIRY_30, NoticeKind.EXPIRY_7]
    assert "还剩 30 天" in SupplierNotice.objects.get(kind=NoticeKind.EXPIRY_30).message
    assert "还剩 7 天" in SupplierNotice.objects.get(kind=NoticeKind.EXPIRY_7).message
    assert [m.to for m in mail.outbox] == [["supplier@example.com"], ["supplier@example.com"]]
    assert "2026-03-31" in mail.outbox[0].body
    assert SupplierNotice.objects.filter(partner=expiring["kouzi"]).count() == 0


def test_a_supplier_first_seen_within_7_days_gets_only_the_7_day_reminder(
    expiring, django_capture_on_commit_callbacks
):
    cert_id = expiring["cert"].pk
    assert run(datetime.date(2026, 3, 28), django_capture_on_commit_callbacks)["reminded"] == [
        f"7:{cert_id}"
    ]
    assert SupplierNotice.objects.get().kind == NoticeKind.EXPIRY_7


def test_an_expired_certification_delists_the_products(
    expiring, django_capture_on_commit_callbacks
):
    pomegranate, liquor = expiring["pomegranate"], expiring["liquor"]
    with freeze_time("2026-03-31 12:00:00+08:00"):
        assert pomegranate in Product.objects.purchasable()
    assert run(datetime.date(2026, 3, 31), django_capture_on_commit_callbacks)["expired"] == []

    result = run(datetime.date(2026, 4, 1), django_capture_on_commit_callbacks)
    cert = expiring["cert"]
    assert result["expired"] == [cert.pk]
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.EXPIRED
    decision = cert.decisions.get()
    assert (decision.from_status, decision.to_status, decision.actor, decision.actor_label) == (
        "certified",
        "expired",
        None,
        "系统",
    )
    assert decision.reason == "有效期已于 2026-03-31 届满"
    tashan = expiring["tashan"]
    tashan.refresh_from_db()
    assert tashan.certified_until is None
    pomegranate.refresh_from_db()
    assert pomegranate.listing_status == ListingStatus.DELISTED
    assert ListingDecision.objects.get(product=pomegranate).to_status == ListingStatus.DELISTED
    with freeze_time("2026-04-01 12:00:00+08:00"):
        purchasable = list(Product.objects.purchasable())
    assert purchasable == [liquor]
    assert SupplierNotice.objects.filter(partner=tashan, kind=NoticeKind.EXPIRED).count() == 1
    assert mail.outbox[-1].to == ["supplier@example.com"]

    # The next day's run changes nothing more.
    outbox = len(mail.outbox)
    assert run(datetime.date(2026, 4, 2), django_capture_on_commit_callbacks) == {
        "expired": [],
        "reminded": [],
    }
    assert ListingDecision.objects.filter(product=pomegranate).count() == 1
    assert len(mail.outbox) == outbox


def test_the_daily_task_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["suppliers-certification-daily"]
    assert entry["task"] == "suppliers.tasks.certification_daily_sweep_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {30})
