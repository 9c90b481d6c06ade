"""Households imported from a spreadsheet (Excel .xlsx or CSV) for one village, as the entity
imports do: every row is checked before anything is written, bad rows come back with their
row number, column and problem, and a file with bad rows imports nothing unless the clerk
chose to import the valid rows. A household code already on file is never imported twice."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import cell_text
from reports.exceptions import ImportFileInvalidError as ReportsImportFileInvalidError
from reports.imports.columns import FORMULA_PREFIXES
from reports.imports.reading import read_table
from reports.imports.validation import RowErrors

from ..access import clerk_or_bureau_require
from ..exceptions import ImportFileInvalidError
from ..models import Household, Village

COLUMNS = (
    ("code", gettext_lazy("户编码")),
    ("head_name", gettext_lazy("户主")),
    ("members", gettext_lazy("家庭人口")),
    ("phone_last4", gettext_lazy("联系电话后四位")),
)


@dataclass
class HouseholdImport:
    created: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0


def _row_household(village, values: dict, row: int, errors: RowErrors, seen: set):
    labels = dict(COLUMNS)
    bad = False
    for name, value in values.items():
        if value.startswith(FORMULA_PREFIXES):
            errors.add(row, labels[name], _("内容以 = + - @ 开头，疑似公式，为安全起见不予导入"))
            bad = True
    if bad:
        return None
    code, head, members, phone = (values[name] for name, _label in COLUMNS)
    if not code:
        errors.add(row, labels["code"], _("必填"))
    elif code in seen:
        errors.add(row, labels["code"], _("与文件中前面的行重复"))
    seen.add(code)
    if not head or len(head) > 30:
        errors.add(row, labels["head_name"], _("必填，不超过 30 个字"))
    if not members.isdigit() or not 1 <= int(members) <= 30:
        errors.add(row, labels["members"], _("须为 1 到 30 的整数"))
    if len(phone) == 3 and phone.isdigit():
        phone = "0" + phone  # Excel drops a leading zero of a number cell
    if not (len(phone) == 4 and phone.isdigit()):
        errors.add(row, labels["phone_last4"], _("须为 4 位数字"))
    if row in errors.bad_rows:
        return None
    household = Household(
        village=village, code=code, head_name=head, members=int(members), phone_last4=phone
    )
    try:
        household.full_clean(exclude=["village", "balance"], validate_unique=False)
    except Exception as exc:  # ValidationError: show its messages against the code column
        for messages in getattr(exc, "message_dict", {}).values():
            for message in messages:
                errors.add(row, labels["code"], message)
        return None
    return household


def households_import(
    *, user, village: Village, data: bytes, name: str, import_valid: bool = False
) -> HouseholdImport:
    """Import the households in the file into ``village``. Raises
    ``ClerkOutsideVillageError`` and ``ImportFileInvalidError`` (unreadable file, missing
    columns); row problems are returned, and then nothing is written unless
    ``import_valid``."""
    clerk_or_bureau_require(user=user, village=village)
    try:
        header, rows = read_table(data, name)
    except ReportsImportFileInvalidError as exc:
        raise ImportFileInvalidError(str(exc)) from exc
    positions = {label: i for i, label in enumerate(cell_text(h) for h in header)}
    missing = [str(label) for _name, label in COLUMNS if str(label) not in positions]
    if missing:
        raise ImportFileInvalidError(
            _("表头缺少必填列：%(columns)s。") % {"columns": "、".join(missing)}
        )
    errors, seen, households = RowErrors(), set(), []
    existing = set(
        Household.objects.filter(
            code__in=[cell_text(c[positions[str(COLUMNS[0][1])]]) for _n, c in rows]
        ).values_list("code", flat=True)
    )
    for row, cells in rows:
        values = {
            name: cell_text(
                cells[positions[str(label)]] if positions[str(label)] < len(cells) else ""
            )
            for name, label in COLUMNS
        }
        if values["code"] in existing:
            errors.add(row, COLUMNS[0][1], _("该户编码已登记"))
            continue
        household = _row_household(village, values, row, errors, seen)
        if household is not None:
            households.append(household)
    result = HouseholdImport(rows=len(rows), errors=errors.items, error_count=errors.count)
    if errors.count and not import_valid:
        return result
    with transaction.atomic():
        Household.objects.bulk_create(households)
    result.created = len(households)
    return result
