"""A unit imports its own 832 statistics from its portal through the same import as the
bureau's: rows for other units are row errors, a supervising unit's reviewer imports for its
subordinate units, a month is imported once, and members without the role are refused."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from procurement.models import Purchase832
from reports.models import ImportJob
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import BudgetUnitFactory, BudgetUnitMemberFactory, FilingFactory

from .conftest import balance
from .test_purchases_832 import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

URL = reverse("procurement:imports-832")


@pytest.fixture
def other_unit(regions, policy_year, city_staff):
    unit = BudgetUnitFactory(name="淮北市人民医院", credit_code=make_credit_code(990031))
    filing = FilingFactory(unit=unit, year=policy_year.year, approved_by=city_staff)
    return unit, filing


def upload(client, rows, *, valid_only=False, capture):
    data = {"file": SimpleUploadedFile("832.csv", csv_bytes([HEADER, *rows]))}
    if valid_only:
        data["import_valid_rows"] = "on"
    with capture(execute=True):
        response = client.post(URL, data)
    return response, ImportJob.objects.order_by("-pk").first()


def month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_a_purchaser_imports_their_units_rows_and_another_units_row_is_an_error(
    client, unit, filing, purchaser, other_unit, django_capture_on_commit_callbacks
):
    other, other_filing = other_unit
    rows = [
        [unit.credit_code, unit.name, month(), "340621", "300.00", "4"],
        [other.credit_code, other.name, month(), "340621", "500.00", "2"],
    ]
    client.force_login(purchaser)

    response, job = upload(client, rows, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert job.status == "rejected" and not Purchase832.objects.exists()
    assert job.errors == [
        {
            "row": 3,
            "column": "单位统一社会信用代码",
            "message": "只能导入本单位或下属单位的832平台采购数据（该行为“淮北市人民医院”）",
        }
    ]

    _, job = upload(client, rows, valid_only=True, capture=django_capture_on_commit_callbacks)
    assert job.status == "done"
    assert list(Purchase832.objects.values_list("unit__name", "amount")) == [
        ("淮北市第一中学", Decimal("300.00"))
    ]
    assert balance(filing)[2] == Decimal("300.00")
    assert balance(other_filing)[2] == Decimal("0.00")
    page = client.get(URL).content.decode()
    assert "只能导入本单位或下属单位的832平台采购数据" in page and "已导入 1 行" in page

    # The same month again: refused per unit and month, nothing counted twice.
    _, job = upload(client, rows[:1], capture=django_capture_on_commit_callbacks)
    assert job.status == "rejected" and "已导入过" in job.errors[0]["message"]
    assert balance(filing)[2] == Decimal("300.00")


def test_a_supervisors_reviewer_imports_for_subordinate_units_only(
    client, unit, filing, other_unit, django_capture_on_commit_callbacks
):
    education = BudgetUnitFactory(name="淮北市教育局", unit_type="agency")
    unit.supervisor = education
    unit.save(update_fields=["supervisor"])
    reviewer = BudgetUnitMemberFactory(unit=education, role="reviewer").user
    other, _ = other_unit
    client.force_login(reviewer)

    _, job = upload(
        client,
        [
            [unit.credit_code, unit.name, month(), "340621", "120.00", ""],
            [other.credit_code, "", month(), "340621", "80.00", ""],
        ],
        valid_only=True,
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == "done"
    assert [e["row"] for e in job.errors] == [3]
    assert balance(filing)[2] == Decimal("120.00")
    assert Purchase832.objects.get().created_by == reviewer


def test_an_approver_is_refused_the_import_and_nothing_is_written(
    client, unit, filing, approver, django_capture_on_commit_callbacks
):
    client.force_login(approver)

    assert client.get(URL).status_code == 403
    response, job = upload(
        client,
        [[unit.credit_code, unit.name, month(), "340621", "120.00", ""]],
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 403
    assert job is None and not Purchase832.objects.exists()
