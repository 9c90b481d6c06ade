"""Races on PostgreSQL: simultaneous approvals get distinct certificate numbers; simultaneous
shipments of one line never ship more than was ordered."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from suppliers.exceptions import ShipmentQuantityError
from suppliers.models import Certification, CertificationStatus
from suppliers.services import certification_approve, shipment_create
from tests.factories.catalog import SupplierFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite lets one writer in at a time, so it cannot show a race",
    ),
]

ShippingEventQuantity = get_model("order", "ShippingEventQuantity")


def race(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_get_distinct_consecutive_numbers(regions, reviewers):
    certs = []
    for n in range(8):
        partner = SupplierFactory(
            name=f"并发农场{n}", region=regions["濉溪镇"], certified_until=None
        )
        certs.append(
            Certification.objects.create(partner=partner, status=CertificationStatus.RECOMMENDED)
        )
    city = reviewers["city"]
    results = race([lambda c=c: certification_approve(certification=c, user=city) for c in certs])
    assert all(isinstance(r, Certification) for r in results), results
    year = timezone.localdate().year
    numbers = sorted(Certification.objects.values_list("certificate_no", flat=True))
    assert numbers == [f"淮北消帮认〔{year}〕{i:04d}" for i in range(1, 9)]


@pytest.mark.django_db(transaction=True)
def test_parallel_shipments_of_one_line_never_exceed_the_ordered_quantity(suppliers, shared_order):
    order, line = shared_order["order"], shared_order["own_line"]  # 3 ordered

    def ship(n):
        return lambda: shipment_create(
            partner=suppliers["tashan"],
            order=order,
            quantities={line.pk: 2},
            carrier="顺丰速运",
            tracking_number=f"SF00000000000{n:02d}",
            user=suppliers["user1"],
        )

    results = race([ship(n) for n in range(6)])
    shipped = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, ShipmentQuantityError)]
    assert (len(shipped), len(refused)) == (1, 5)
    assert (
        sum(ShippingEventQuantity.objects.filter(line=line).values_list("quantity", flat=True)) == 2
    )
