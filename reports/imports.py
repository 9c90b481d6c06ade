"""Spreadsheet imports of e-commerce entities and their monthly figures (Excel .xlsx or CSV).

Every row is validated before anything is written; bad rows are reported with their row
number, column and problem. A file with bad rows imports nothing unless the uploader chose
"import the valid rows". Entities are never duplicated (credit code, or platform + shop) and
an entity's month never twice. Cells that look like formulas (= + - @) are refused, so that a
sheet exported again later cannot carry one. Progress is written to the job as rows are read.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.validators import validate_credit_code
from regions.models import Region

from .exceptions import ImportFileInvalidError
from .models import (
    EcommerceEntity,
    EntityMonthlyFigure,
    ImportJob,
    ImportKind,
    ImportStatus,
    Platform,
)

FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_ERRORS_KEPT = 1000
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    required: bool
    help: str


ENTITY_COLUMNS = (
    Column("name", gettext_lazy("主体名称"), True, gettext_lazy("必填，如：濉溪县某某农产品电商")),
    Column(
        "credit_code", gettext_lazy("统一社会信用代码"), False, gettext_lazy("18 位，个体网店可空")
    ),
    Column(
        "platform",
        gettext_lazy("平台"),
        True,
        gettext_lazy("淘宝、天猫、京东、拼多多、抖音、快手、832平台、微信小店、其他"),
    ),
    Column("shop_name", gettext_lazy("店铺名称"), True, gettext_lazy("平台上的店铺名")),
    Column(
        "region_code",
        gettext_lazy("区划代码"),
        True,
        gettext_lazy("如 340621（濉溪县）或乡镇 9 位代码"),
    ),
    Column("registered_on", gettext_lazy("注册日期"), True, gettext_lazy("如 2025-03-18")),
    Column("active", gettext_lazy("是否在营"), False, gettext_lazy("是 / 否，空为是")),
)
FIGURE_COLUMNS = (
    Column(
        "credit_code",
        gettext_lazy("统一社会信用代码"),
        False,
        gettext_lazy("与“平台+店铺名称”二选一"),
    ),
    Column("platform", gettext_lazy("平台"), False, gettext_lazy("无信用代码时必填")),
    Column("shop_name", gettext_lazy("店铺名称"), False, gettext_lazy("无信用代码时必填")),
    Column("month", gettext_lazy("月份"), True, gettext_lazy("如 2025-03")),
    Column(
        "retail_amount",
        gettext_lazy("网络零售额（元）"),
        True,
        gettext_lazy("不小于 0，最多两位小数"),
    ),
    Column("order_count", gettext_lazy("订单数"), False, gettext_lazy("整数，可空")),
)
COLUMNS = {ImportKind.ENTITIES: ENTITY_COLUMNS, ImportKind.FIGURES: FIGURE_COLUMNS}


def _columns(kind: str) -> tuple[Column, ...]:
    # The 832 purchases import lives in its own module (reports/imports_832.py), which reads
    # with the helpers here.
    if kind == ImportKind.PURCHASES_832:
        from .imports_832 import PURCHASE_832_COLUMNS

        return PURCHASE_832_COLUMNS
    return COLUMNS[kind]


def _platform_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Platform.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    lookup["832"] = Platform.P832
    return lookup


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list]]]:
    """(header, [(row number as the user sees it, cells)]) of an .xlsx or .csv file; blank
    rows are skipped. Raises ImportFileInvalidError for an empty or unreadable file."""
    if not data:
        raise ImportFileInvalidError(_("文件为空。"))
    if data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileInvalidError(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。"))
    elif name.lower().endswith((".csv", ".txt")):
        rows = _read_csv(data)
    else:
        raise ImportFileInvalidError(_("文件类型不支持：请上传 Excel（.xlsx）或 CSV 文件。"))
    rows = [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]
    if not rows:
        raise ImportFileInvalidError(_("文件为空。"))
    header = [_text(c) for c in rows[0][1]]
    if len(rows) == 1:
        raise ImportFileInvalidError(_("文件只有表头，没有数据行。"))
    return header, rows[1:]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula stays its text ("=..."), and is refused below.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise ImportFileInvalidError(
            _("无法读取该 Excel 文件，请确认是有效的 .xlsx 文件。")
        ) from exc
    sheet = book.worksheets[0]
    rows = [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return rows


def _read_csv(data: bytes):
    if b"\x00" in data[:4096]:
        raise ImportFileInvalidError(_("文件类型不支持：请上传 Excel（.xlsx）或 CSV 文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileInvalidError(_("CSV 文件编码无法识别，请保存为 UTF-8 编码。"))
    try:
        return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error as exc:
        raise ImportFileInvalidError(_("CSV 文件格式有误：%(error)s") % {"error": exc}) from exc


def _column_map(kind: str, header: list[str]) -> dict[str, int]:
    positions = {label: i for i, label in enumerate(header) if label}
    mapping, missing = {}, []
    for column in _columns(kind):
        if str(column.label) in positions:
            mapping[column.field] = positions[str(column.label)]
        elif column.required:
            missing.append(str(column.label))
    if missing:
        raise ImportFileInvalidError(
            _("表头缺少必填列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)}
        )
    return mapping


# ---------------------------------------------------------------------------
# Validating rows
# ---------------------------------------------------------------------------
class RowErrors:
    def __init__(self):
        self.items: list[dict] = []
        self.count = 0
        self.bad_rows: set[int] = set()

    def add(self, row: int, column, message: str) -> None:
        self.count += 1
        self.bad_rows.add(row)
        if len(self.items) < MAX_ERRORS_KEPT:
            self.items.append({"row": row, "column": str(column), "message": str(message)})


def _cells(kind, mapping, cells) -> dict:
    return {field: cells[i] if i < len(cells) else None for field, i in mapping.items()} | {
        c.field: None for c in _columns(kind) if c.field not in mapping
    }


def _formula_check(values: dict, labels: dict, row: int, errors: RowErrors) -> bool:
    ok = True
    for field, value in values.items():
        if isinstance(value, str) and value.strip().startswith(FORMULA_PREFIXES):
            errors.add(row, labels[field], _("内容以 = + - @ 开头，疑似公式，为安全起见不予导入"))
            ok = False
    return ok


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _month(value) -> datetime.date | None:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _date(value).replace(day=1)
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").rstrip("月")
    for fmt in ("%Y-%m", "%Y%m", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def _validate_entities(rows, mapping, scope: Region, errors: RowErrors, progress):
    labels = {c.field: c.label for c in ENTITY_COLUMNS}
    platforms = _platform_lookup()
    regions = dict(Region.objects.within(scope).values_list("code", "pk"))
    values = [(n, _cells(ImportKind.ENTITIES, mapping, cells)) for n, cells in rows]
    codes = {_text(v["credit_code"]).upper() for _, v in values if _text(v["credit_code"])}
    shops = {_text(v["shop_name"]) for _, v in values if _text(v["shop_name"])}
    taken_codes = set(
        EcommerceEntity.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    )
    taken_shops = set(
        EcommerceEntity.objects.filter(shop_name__in=shops).values_list("platform", "shop_name")
    )
    seen_codes, seen_shops = {}, {}
    today = timezone.localdate()
    valid = []
    for i, (n, v) in enumerate(values, start=1):
        if i % PROGRESS_EVERY == 0:
            progress(i)
        if not _formula_check(v, labels, n, errors):
            continue
        ok = True
        name = _text(v["name"])
        if not name:
            errors.add(n, labels["name"], _("必填"))
            ok = False
        elif len(name) > 100:
            errors.add(n, labels["name"], _("不能超过 100 个字"))
            ok = False
        code = _text(v["credit_code"]).upper()
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                errors.add(n, labels["credit_code"], exc.messages[0])
                ok = False
            else:
                if code in taken_codes:
                    errors.add(n, labels["credit_code"], _("该信用代码的主体已存在"))
                    ok = False
                elif code in seen_codes:
                    errors.add(
                        n,
                        labels["credit_code"],
                        _("与第 %(row)s 行重复") % {"row": seen_codes[code]},
                    )
                    ok = False
                else:
                    seen_codes[code] = n
        platform = platforms.get(_text(v["platform"]).lower())
        if platform is None:
            errors.add(
                n,
                labels["platform"],
                _("平台无法识别：%(value)s") % {"value": _text(v["platform"]) or _("空")},
            )
            ok = False
        shop = _text(v["shop_name"])
        if not shop:
            errors.add(n, labels["shop_name"], _("必填"))
            ok = False
        elif len(shop) > 100:
            errors.add(n, labels["shop_name"], _("不能超过 100 个字"))
            ok = False
        elif platform:
            if (platform, shop) in taken_shops:
                errors.add(n, labels["shop_name"], _("该平台的此店铺已登记"))
                ok = False
            elif (platform, shop) in seen_shops:
                errors.add(
                    n,
                    labels["shop_name"],
                    _("与第 %(row)s 行重复") % {"row": seen_shops[(platform, shop)]},
                )
                ok = False
            else:
                seen_shops[(platform, shop)] = n
        region_code = _text(v["region_code"])
        region_id = regions.get(region_code)
        if region_id is None:
            errors.add(
                n,
                labels["region_code"],
                _("区划代码 %(code)s 不存在或不在您的管辖范围内")
                % {"code": region_code or _("空")},
            )
            ok = False
        registered = _date(v["registered_on"])
        if registered is None:
            errors.add(n, labels["registered_on"], _("日期格式应为 2025-03-18"))
            ok = False
        elif registered > today:
            errors.add(n, labels["registered_on"], _("注册日期不能晚于今天"))
            ok = False
        active_text = _text(v["active"])
        if active_text not in ("", "是", "否", "1", "0"):
            errors.add(n, labels["active"], _("请填“是”或“否”"))
            ok = False
        if ok:
            valid.append(
                EcommerceEntity(
                    name=name,
                    credit_code=code,
                    platform=platform,
                    shop_name=shop,
                    region_id=region_id,
                    registered_on=registered,
                    active=active_text not in ("否", "0"),
                )
            )
    return valid


def _validate_figures(rows, mapping, scope: Region, errors: RowErrors, progress):
    labels = {c.field: c.label for c in FIGURE_COLUMNS}
    platforms = _platform_lookup()
    values = [(n, _cells(ImportKind.FIGURES, mapping, cells)) for n, cells in rows]
    codes = {_text(v["credit_code"]).upper() for _, v in values if _text(v["credit_code"])}
    shops = {_text(v["shop_name"]) for _, v in values if _text(v["shop_name"])}
    entities = list(
        EcommerceEntity.objects.filter(region__path__startswith=scope.path)
        .filter(Q(credit_code__in=codes) | Q(shop_name__in=shops))
        .values_list("pk", "credit_code", "platform", "shop_name")
    )
    by_code = {code: pk for pk, code, _, _ in entities if code}
    by_shop = {(platform, shop): pk for pk, _, platform, shop in entities}
    taken = set(
        EntityMonthlyFigure.objects.filter(entity_id__in=[e[0] for e in entities]).values_list(
            "entity_id", "month"
        )
    )
    seen = {}
    this_month = timezone.localdate().replace(day=1)
    valid = []
    for i, (n, v) in enumerate(values, start=1):
        if i % PROGRESS_EVERY == 0:
            progress(i)
        if not _formula_check(v, labels, n, errors):
            continue
        ok = True
        code = _text(v["credit_code"]).upper()
        entity_id = None
        if code:
            entity_id = by_code.get(code)
            if entity_id is None:
                errors.add(
                    n,
                    labels["credit_code"],
                    _("找不到该信用代码的电商主体（或不在您的管辖范围内）"),
                )
                ok = False
        else:
            platform = platforms.get(_text(v["platform"]).lower())
            shop = _text(v["shop_name"])
            if platform is None or not shop:
                errors.add(n, labels["credit_code"], _("请填写信用代码，或填写平台和店铺名称"))
                ok = False
            else:
                entity_id = by_shop.get((platform, shop))
                if entity_id is None:
                    errors.add(
                        n,
                        labels["shop_name"],
                        _("找不到该平台店铺（或不在您的管辖范围内），请先登记电商主体"),
                    )
                    ok = False
        month = _month(v["month"])
        if month is None:
            errors.add(n, labels["month"], _("月份格式应为 2025-03"))
            ok = False
        elif month > this_month:
            errors.add(n, labels["month"], _("月份不能晚于本月"))
            ok = False
        raw_amount = _text(v["retail_amount"]).replace(",", "")
        try:
            amount = Decimal(raw_amount)
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.add(n, labels["retail_amount"], _("不是有效的金额"))
            ok = False
        else:
            if amount < 0:
                errors.add(n, labels["retail_amount"], _("不能小于 0"))
                ok = False
            elif amount != amount.quantize(Decimal("0.01")):
                errors.add(n, labels["retail_amount"], _("最多两位小数"))
                ok = False
            elif amount >= Decimal("1e14"):
                errors.add(n, labels["retail_amount"], _("金额过大"))
                ok = False
        count_text = _text(v["order_count"])
        order_count = 0
        if count_text:
            if count_text.isdigit():
                order_count = int(count_text)
            else:
                errors.add(n, labels["order_count"], _("应为不小于 0 的整数"))
                ok = False
        if ok:
            key = (entity_id, month)
            if key in taken:
                errors.add(
                    n,
                    labels["month"],
                    _("该主体 %(month)s 的数据已存在") % {"month": f"{month:%Y-%m}"},
                )
                continue
            if key in seen:
                errors.add(n, labels["month"], _("与第 %(row)s 行重复") % {"row": seen[key]})
                continue
            seen[key] = n
            valid.append(
                EntityMonthlyFigure(
                    entity_id=entity_id, month=month, retail_amount=amount, order_count=order_count
                )
            )
    return valid


# ---------------------------------------------------------------------------
# Running a job
# ---------------------------------------------------------------------------
def _entities_save(valid, job) -> None:
    EcommerceEntity.objects.bulk_create(valid, batch_size=1000)


def _figures_save(valid, job) -> None:
    from .services import retail_rollup_rebuild

    EntityMonthlyFigure.objects.bulk_create(valid, batch_size=1000)
    retail_rollup_rebuild()


def _handlers(kind: str):
    """(validate, save) of an import kind; save runs in the import's transaction."""
    if kind == ImportKind.PURCHASES_832:
        from .imports_832 import purchases_832_save, purchases_832_validate

        return purchases_832_validate, purchases_832_save
    if kind == ImportKind.ENTITIES:
        return _validate_entities, _entities_save
    return _validate_figures, _figures_save


def import_job_run(*, job_id: int) -> ImportJob:
    """Validate the job's file and import it (all rows, or the valid ones when chosen).
    Safe to run again: a finished job is left as it is."""
    job = ImportJob.objects.select_related("scope_region").get(pk=job_id)
    if job.is_finished:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)

    def finish(status, **fields):
        fields.update(status=status, finished_at=timezone.now())
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
        return job

    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        header, rows = read_table(data, job.original_name)
        mapping = _column_map(job.kind, header)
    except ImportFileInvalidError as exc:
        return finish(ImportStatus.FAILED, message=str(exc))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows), processed_rows=0)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    errors = RowErrors()
    validate, save = _handlers(job.kind)
    valid = validate(rows, mapping, job.scope_region, errors, progress)
    if errors.count and not job.import_valid_rows:
        return finish(
            ImportStatus.REJECTED,
            processed_rows=len(rows),
            errors=errors.items,
            message=_("%(bad)s 行有错误，整个文件未导入。请改正后重新上传，或勾选“仅导入有效行”。")
            % {"bad": len(errors.bad_rows)},
        )
    try:
        with transaction.atomic():
            save(valid, job)
    except IntegrityError:
        return finish(
            ImportStatus.FAILED,
            processed_rows=len(rows),
            errors=errors.items,
            message=_("导入期间数据被其他人修改，本文件未导入，请重新上传。"),
        )
    message = _("已导入 %(count)s 行。") % {"count": len(valid)}
    if errors.count:
        message += _("跳过有错误的 %(bad)s 行。") % {"bad": len(errors.bad_rows)}
    return finish(
        ImportStatus.DONE,
        processed_rows=len(rows),
        created_count=len(valid),
        errors=errors.items,
        message=message,
    )


def import_template(kind: str, fmt: str) -> bytes:
    """The template to fill in: the header row (and, in Excel, a sheet explaining columns)."""
    columns = _columns(kind)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerow([str(c.label) for c in columns])
        return out.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = str(ImportKind(kind).label)
    sheet.append([str(c.label) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F3EC")
    for i, _c in enumerate(columns, start=1):
        sheet.column_dimensions[chr(64 + i)].width = 20
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("说明")])
    for c in columns:
        notes.append([str(c.label), _("必填") if c.required else _("选填"), str(c.help)])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
