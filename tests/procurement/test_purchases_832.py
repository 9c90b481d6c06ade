"""832 platform purchases imported from the 832 purchaser system's statistics (issue #19
item 2): row errors, the valid rows when chosen, never a unit's month twice; each row raises
its unit's completion and the city's procurement total once, shows as channel 832 in the
reports, and both reconcile commands check it."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from orders.models import SalesChannel
from procurement import services
from procurement.imports_832 import purchases_832_differences
from procurement.models import Purchase832, QuotaEntry, QuotaEntryKind
from procurement.selectors import procurement_completion_totals
from reports.imports.jobs import import_job_run
from reports.imports.templates import import_template
from reports.models import ImportJob, ImportStatus, SalesFact, SalesMonthlyRollup
from reports.selectors.annual import annual_report
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import BudgetUnitFactory, FilingFactory

from .conftest import balance

pytestmark = pytest.mark.django_db

HEADER = [
    "单位统一社会信用代码",
    "单位名称",
    "月份",
    "供应商所在地区代码",
    "采购金额（元）",
    "订单数",
]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def run(scope, rows, valid_only=False):
    job = ImportJob.objects.create(
        kind="purchases_832",
        file=SimpleUploadedFile("832.csv", csv_bytes([HEADER, *rows])),
        original_name="832.csv",
        import_valid_rows=valid_only,
        scope_region=scope,
    )
    return import_job_run(job_id=job.pk)


@pytest.fixture
def county_unit(regions, policy_year, city_staff):
    unit = BudgetUnitFactory(
        name="濉溪县人民医院", credit_code=make_credit_code(990002), region=regions["濉溪县"]
    )
    filing = FilingFactory(unit=unit, year=policy_year.year, approved_by=city_staff)
    return unit, filing


@pytest.fixture
def sheet(unit, filing, county_unit):
    month = f"{timezone.localdate():%Y-%m}"
    other, _ = county_unit
    return [
        [unit.credit_code, unit.name, month, "340621", "800.00", "12"],
        [unit.credit_code, "", month, "340604", "400", ""],
        [other.credit_code, other.name, month, "340621", "250.50", "3"],
        [make_credit_code(990099), "", month, "340621", "10", ""],
        [unit.credit_code, "别的单位", "2099-01", "999999", "0", "x"],
        [unit.credit_code, unit.name, month, "340621", "1.00", ""],
        ["=cmd|' /C calc'!A0", "", month, "340621", "1", ""],
    ]


def test_a_sheet_with_bad_rows_imports_nothing_and_says_why(regions, unit, filing, sheet):
    job = run(regions["淮北市"], sheet)

    assert (job.status, job.created_count) == (ImportStatus.REJECTED, 0)
    assert job.errors == [
        {
            "row": 5,
            "column": "单位统一社会信用代码",
            "message": "找不到该信用代码的预算单位（或不在您的管辖范围内）",
        },
        {"row": 6, "column": "单位名称", "message": "与信用代码对应的单位“淮北市第一中学”不符"},
        {"row": 6, "column": "月份", "message": "月份不能晚于本月"},
        {"row": 6, "column": "供应商所在地区代码", "message": "区划代码 999999 不存在"},
        {"row": 6, "column": "采购金额（元）", "message": "应大于 0"},
        {"row": 6, "column": "订单数", "message": "应为不小于 0 的整数"},
        {"row": 7, "column": "供应商所在地区代码", "message": "与第 2 行重复"},
        {
            "row": 8,
            "column": "单位统一社会信用代码",
            "message": "内容以 = + - @ 开头，疑似公式，为安全起见不予导入",
        },
    ]
    assert Purchase832.objects.count() == QuotaEntry.objects.count() == 0
    assert SalesFact.objects.count() == 0
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_the_valid_rows_count_once_toward_completion_and_in_the_reports(
    regions, unit, filing, county_unit, sheet
):
    _other, other_filing = county_unit
    year = timezone.localdate().year

    job = run(regions["淮北市"], sheet, valid_only=True)

    assert (job.status, job.created_count) == (ImportStatus.DONE, 3)
    # ¥1,200 on a ¥1,000 reserve: 超额完成, through the ledger like any completion.
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("1200.00"))
    assert balance(other_filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("250.50"))
    assert sorted(
        QuotaEntry.objects.values_list("filing_id", "kind", "completed_delta", "order")
    ) == sorted(
        [
            (filing.pk, QuotaEntryKind.PURCHASE_832, Decimal("800.00"), None),
            (filing.pk, QuotaEntryKind.PURCHASE_832, Decimal("400.00"), None),
            (other_filing.pk, QuotaEntryKind.PURCHASE_832, Decimal("250.50"), None),
        ]
    )
    totals = procurement_completion_totals(year=year, region=regions["淮北市"])
    assert totals["completed"] == Decimal("1450.50")
    # Sales facts of channel 832, by the supplier area's county, never tied to an order.
    assert sorted(
        SalesFact.objects.values_list("channel", "region__name", "amount", "order_id")
    ) == [
        (SalesChannel.P832, "濉溪县", Decimal("250.50"), None),
        (SalesChannel.P832, "濉溪县", Decimal("800.00"), None),
        (SalesChannel.P832, "烈山区", Decimal("400.00"), None),
    ]
    assert sum(r.amount for r in SalesMonthlyRollup.objects.filter(channel="p832")) == Decimal(
        "1450.50"
    )
    report = annual_report(year=year, region=regions["淮北市"])
    channels = {c["channel"]: c["amount"] for c in report["channels"]}
    assert channels["p832"] == Decimal("1450.50")
    assert channels["procurement"] == Decimal("0")
    assert report["headline"]["procurement"]["completed"] == Decimal("1450.50")
    assert services.quota_reconcile() == []
    assert purchases_832_differences() == []
    call_command("reconcile_sales")
    call_command("reconcile_quota")

    # The same statistics again: every month is already in, nothing counts twice.
    again = run(regions["淮北市"], sheet[:3], valid_only=True)
    assert again.created_count == 0
    assert {
        "row": 2,
        "column": "月份",
        "message": f"该单位 {timezone.localdate():%Y-%m} 的832平台采购数据已导入过，不重复导入",
    } in again.errors
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("1200.00"))
    assert Purchase832.objects.count() == 3 and SalesFact.objects.count() == 3


def test_reconcile_sales_says_which_side_of_an_832_record_is_higher(
    regions, unit, filing, county_unit, sheet
):
    run(regions["淮北市"], sheet, valid_only=True)
    record = Purchase832.objects.get(amount=Decimal("800.00"))
    fact = SalesFact.objects.get(purchase_832=record)
    # A fact written behind the services' back (and its rollups rebuilt, so only the 832
    # check can see it).
    SalesFact.objects.create(
        date=fact.date,
        month=fact.month,
        channel=fact.channel,
        source=fact.source,
        purchase_832=record,
        region=fact.region,
        amount=Decimal("100.00"),
    )
    from reports.services import rollups_rebuild

    rollups_rebuild()
    assert purchases_832_differences() == [
        f"832 purchase #{record.pk} 淮北市第一中学 {record.month:%Y-%m}: record amount=800.00, "
        "facts amount=900.00 (销售事实较高)"
    ]
    with pytest.raises(CommandError, match="1 832 purchase difference"):
        call_command("reconcile_sales")


def test_a_unit_without_an_approved_filing_for_the_year_is_refused(regions, policy_year):
    unit = BudgetUnitFactory(name="无填报单位", credit_code=make_credit_code(990003))
    job = run(
        regions["淮北市"], [[unit.credit_code, "", f"{timezone.localdate():%Y-%m}", "340621", "5"]]
    )
    assert job.errors == [
        {
            "row": 2,
            "column": "月份",
            "message": f"该单位 {policy_year.year} 年度没有已通过审核的预留份额填报，无法计入",
        }
    ]
    assert Purchase832.objects.count() == 0


def test_the_template_carries_the_header():
    assert import_template("purchases_832", "csv").decode("utf-8-sig").strip() == ",".join(HEADER)
