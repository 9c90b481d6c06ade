"""Supplier bank details (where settlements are paid) are never changed without a record of
who changed them, when, and from what to what."""

import pytest
from django.urls import reverse

from suppliers.forms import SupplierProfileForm
from suppliers.models import BankDetailsChange
from suppliers.services import supplier_profile_save
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

OLD = {"bank_name": "淮北农商银行烈山支行", "bank_account": "2000123456789012"}


@pytest.fixture
def tashan(suppliers):
    partner = suppliers["tashan"]
    partner.bank_name, partner.bank_account = OLD["bank_name"], OLD["bank_account"]
    partner.save()
    return partner


def test_a_bank_details_change_is_recorded_with_who_and_the_values_before_and_after(
    tashan, suppliers
):
    tashan.bank_account = "6228480012345678901"

    supplier_profile_save(partner=tashan, user=suppliers["user1"])

    change = BankDetailsChange.objects.get()
    assert (change.partner, change.changed_by) == (tashan, suppliers["user1"])
    assert change.before == OLD
    assert change.after == {"bank_name": OLD["bank_name"], "bank_account": "6228480012345678901"}
    assert change.changed_fields == ["bank_account"]
    tashan.refresh_from_db()
    assert tashan.bank_account == "6228480012345678901"


def test_a_profile_saved_with_the_same_bank_details_records_nothing(tashan, suppliers):
    tashan.contact_name = "李明"

    supplier_profile_save(partner=tashan, user=suppliers["user1"])

    assert not BankDetailsChange.objects.exists()
    tashan.refresh_from_db()
    assert tashan.contact_name == "李明"


def test_the_profile_page_records_the_change_it_saves(client, tashan, suppliers):
    form = SupplierProfileForm(instance=tashan)
    data = {name: form[name].value() or "" for name in form.fields}
    data["bank_name"] = "中国农业银行淮北分行"
    client.force_login(suppliers["user1"])

    response = client.post(reverse("suppliers:profile"), data)

    assert response.status_code == 302
    change = BankDetailsChange.objects.get()
    assert change.changed_by == suppliers["user1"]
    assert (change.before["bank_name"], change.after["bank_name"]) == (
        OLD["bank_name"],
        "中国农业银行淮北分行",
    )


def test_the_admin_shows_the_changes_and_allows_no_edits(client, tashan, suppliers):
    tashan.bank_account = "6228480012345678901"
    supplier_profile_save(partner=tashan, user=suppliers["user1"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:partner_bankdetailschange_changelist"))
    add = client.get(reverse("admin:partner_bankdetailschange_add"))

    assert listing.status_code == 200
    assert "6228480012345678901" in listing.content.decode()
    assert add.status_code == 403
