"""A supplier can act on a procurement delivery: the recipient, a phone it can call (the
canteen's landline too, written one way) and the address in its parts, not run together."""

import pytest
from django.urls import reverse

from procurement import services
from tests.factories.payments import basket_for

from .conftest import CHECKOUT_DETAILS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "shown", "dialled"),
    [
        ("0561-3012345", "0561-3012345", "05613012345"),
        ("+86 138 1234 5678", "138 1234 5678", "13812345678"),
    ],
)
def test_the_supplier_sees_recipient_phone_and_address_parts(
    client, unit, filing, purchaser, catalogue, supplier_staff, typed, shown, dialled
):
    details = {**CHECKOUT_DETAILS, "contact_phone": typed}
    order = services.procurement_order_submit(
        user=purchaser,
        unit=unit,
        filing=filing,
        basket=basket_for(purchaser, (catalogue["pomegranate"], 2)),
        **details,
    )
    client.force_login(supplier_staff)
    html = client.get(reverse("suppliers:order-detail", kwargs={"number": order.number}))
    html = html.content.decode()
    assert f"<dd data-recipient>{details['contact_name']}</dd>" in html
    assert f'<a href="tel:{dialled}" class="hn-tel">{shown}</a>' in html
    assert f"<dd data-unit>{details['canteen']}</dd>" in html
    assert f"<dd data-street>{details['delivery_address']}</dd>" in html
