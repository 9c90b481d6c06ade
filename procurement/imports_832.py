"""The 832 purchases import: budget units' monthly purchases on the national 832 platform, from
the 832 purchaser system's statistics (Excel .xlsx or CSV), through the same machinery as the
entity imports (``reports.imports``: file reading, row errors, "import the valid rows"; the
kind is registered with it in ``ProcurementConfig.ready``, so reports never imports us).

A row is one unit's amount for one month and one supplier area. Each becomes a
``procurement.Purchase832`` with its ledger entry on the unit's approved filing of that year
(so it raises the unit's completion and the city's procurement total) and one sales fact of
channel 832 (so every report shows it, apart from on-site orders). A unit's month is taken in
once: a month already imported is refused, whatever the file.
"""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import FEN
from core.spreadsheets import cell_text as _text
from orders.models import SalesChannel
from regions.models import Region
from reports.imports.columns import PROGRESS_EVERY, PURCHASE_832_COLUMNS
from reports.imports.validation import RowErrors, _cells, _formula_check, _month
from reports.models import FactSource, ImportKind, SalesFact
from reports.services.attribution import region_county_ids
from reports.services.rollups import rollups_apply

from .access import bureau_region, unit_832_import_units
from .models import BudgetUnit, Filing, FilingStatus, Purchase832
from .services import Purchase832Row, purchases_832_record


def _amount(raw) -> tuple[Decimal | None, str]:
    """(amount, "") or (None, the problem) for a positive amount of whole fen."""
    try:
        amount = Decimal(_text(raw).replace(",", ""))
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return None, _("不是有效的金额")
    if amount <= 0:
        return None, _("应大于 0")
    if amount != amount.quantize(FEN):
        return None, _("最多两位小数")
    if amount >= Decimal("1e12"):
        return None, _("金额过大")
    return amount, ""


def purchases_832_validate(
    rows, mapping, scope: Region, errors: RowErrors, progress, *, job=None
) -> list[Purchase832Row]:
    """The rows that may be imported, as ``Purchase832Row``; every problem goes to
    ``errors`` with its row and column. A file uploaded from a unit's portal (by someone who
    is not bureau staff) may only name the units the uploader imports for
    (``unit_832_import_units``): their own units and their supervised units; a row naming
    any other unit is a row error."""
    allowed = _uploader_units(job)
    labels = {c.field: c.label for c in PURCHASE_832_COLUMNS}
    values = [(n, _cells(ImportKind.PURCHASES_832, mapping, cells)) for n, cells in rows]
    codes = {_text(v["unit_credit_code"]).upper() for _, v in values}
    units = {
        u.credit_code: u
        for u in BudgetUnit.objects.filter(
            credit_code__in=codes, is_active=True, region__path__startswith=scope.path
        )
    }
    filings = {
        (f.unit_id, f.policy_year.year): f.pk
        for f in Filing.objects.filter(
            unit__in=units.values(), status=FilingStatus.APPROVED
        ).select_related("policy_year")
    }
    taken = set(Purchase832.objects.filter(unit__in=units.values()).values_list("unit_id", "month"))
    region_codes = {_text(v["region_code"]) for _, v in values}
    regions = dict(Region.objects.filter(code__in=region_codes).values_list("code", "pk"))
    this_month = timezone.localdate().replace(day=1)
    seen = {}
    valid = []
    for i, (n, v) in enumerate(values, start=1):
        if i % PROGRESS_EVERY == 0:
            progress(i)
        if not _formula_check(v, labels, n, errors):
            continue
        ok = True
        unit = units.get(_text(v["unit_credit_code"]).upper())
        if unit is None:
            errors.add(
                n,
                labels["unit_credit_code"],
                _("找不到该信用代码的预算单位（或不在您的管辖范围内）"),
            )
            ok = False
        elif allowed is not None and unit.pk not in allowed:
            errors.add(
                n,
                labels["unit_credit_code"],
                _("只能导入本单位或下属单位的832平台采购数据（该行为“%(name)s”）")
                % {"name": unit.name},
            )
            ok = False
        elif _text(v["unit_name"]) and _text(v["unit_name"]) != unit.name:
            errors.add(
                n,
                labels["unit_name"],
                _("与信用代码对应的单位“%(name)s”不符") % {"name": unit.name},
            )
            ok = False
        month = _month(v["month"])
        if month is None:
            errors.add(n, labels["month"], _("月份格式应为 2025-03"))
            ok = False
        elif month > this_month:
            errors.add(n, labels["month"], _("月份不能晚于本月"))
            ok = False
        region_id = regions.get(_text(v["region_code"]))
        if region_id is None:
            errors.add(
                n,
                labels["region_code"],
                _("区划代码 %(code)s 不存在") % {"code": _text(v["region_code"]) or _("空")},
            )
            ok = False
        amount, problem = _amount(v["amount"])
        if problem:
            errors.add(n, labels["amount"], problem)
            ok = False
        count_text = _text(v["order_count"])
        if count_text and not count_text.isdigit():
            errors.add(n, labels["order_count"], _("应为不小于 0 的整数"))
            ok = False
        if not ok:
            continue
        filing_id = filings.get((unit.pk, month.year))
        if filing_id is None:
            errors.add(
                n,
                labels["month"],
                _("该单位 %(year)s 年度没有已通过审核的预留份额填报，无法计入")
                % {"year": month.year},
            )
            continue
        if (unit.pk, month) in taken:
            errors.add(
                n,
                labels["month"],
                _("该单位 %(month)s 的832平台采购数据已导入过，不重复导入")
                % {"month": f"{month:%Y-%m}"},
            )
            continue
        key = (unit.pk, month, region_id)
        if key in seen:
            errors.add(n, labels["region_code"], _("与第 %(row)s 行重复") % {"row": seen[key]})
            continue
        seen[key] = n
        valid.append(
            Purchase832Row(
                unit_id=unit.pk,
                filing_id=filing_id,
                month=month,
                supplier_region_id=region_id,
                amount=amount,
                order_count=int(count_text or 0),
            )
        )
    return valid


def _uploader_units(job) -> set[int] | None:
    """The units a unit-side upload may name; None (no limit beyond the scope) for bureau
    staff, superusers and jobs without an uploader."""
    user = getattr(job, "created_by", None)
    if user is None or user.is_superuser or bureau_region(user) is not None:
        return None
    return unit_832_import_units(user=user)


def _fact_date(month: datetime.date) -> datetime.date:
    """The month's last day, or today for the current month (never a date to come)."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, timezone.localdate())


def purchases_832_save(rows: list[Purchase832Row], job) -> int:
    """Record the rows (ledger entries included) and their sales facts of channel 832, in the
    caller's transaction; returns how many were written."""
    records = purchases_832_record(
        rows=rows,
        source=_("导入任务 #%(pk)s %(name)s") % {"pk": job.pk, "name": job.original_name},
        by=job.created_by,
    )
    paths = dict(
        Region.objects.filter(pk__in={r.supplier_region_id for r in records}).values_list(
            "pk", "path"
        )
    )
    counties = region_county_ids(set(paths.values()))
    facts = SalesFact.objects.bulk_create(
        SalesFact(
            date=_fact_date(record.month),
            month=record.month,
            channel=SalesChannel.P832,
            source=FactSource.P832,
            purchase_832=record,
            region_id=counties.get(paths[record.supplier_region_id]) or record.supplier_region_id,
            quantity=0,
            amount=record.amount,
            note=(_("832平台采购 · %(unit)s") % {"unit": record.unit.name})[:200],
            created_by=job.created_by,
        )
        for record in records
    )
    rollups_apply(facts=facts)
    return len(records)


def purchases_832_differences() -> list[str]:
    """Every 832 record whose sales facts do not add up to its amount, and every order that
    claims the 832 channel (832 purchases are never orders here), one line each, saying
    which side is higher."""
    from django.db.models import Sum

    problems = []
    sums = dict(
        SalesFact.objects.filter(purchase_832__isnull=False)
        .values("purchase_832_id")
        .annotate(total=Sum("amount"))
        .values_list("purchase_832_id", "total")
    )
    for record in Purchase832.objects.select_related("unit").order_by("pk"):
        facts = (sums.get(record.pk) or Decimal("0")).quantize(FEN)
        if facts != record.amount:
            higher = _("销售事实较高") if facts > record.amount else _("832采购记录较高")
            problems.append(
                f"832 purchase #{record.pk} {record.unit.name} {record.month:%Y-%m}: "
                f"record amount={record.amount}, facts amount={facts} ({higher})"
            )
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    for number in Order.objects.filter(channel=SalesChannel.P832).values_list("number", flat=True):
        problems.append(f"order {number}: channel p832 is for imported 832 purchases only")
    stray = SalesFact.objects.filter(Q(channel=SalesChannel.P832) & ~Q(source=FactSource.P832))
    for fact in stray.values_list("pk", flat=True):
        problems.append(f"sales fact #{fact}: channel p832 without an 832 purchase record")
    return problems
