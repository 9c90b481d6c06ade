"""Group orders (多地址配送): one order delivered to many addresses.

The buyer gives an address list (Excel, one row per address: recipient, mobile, county,
street address, sets). A *set* (份) is the order's lines divided by the list's total of sets,
so every address receives the same mix of products; each line's quantity must therefore be a
multiple of that total. The order is then split into one ``Shipment`` per supplier and
address: what a supplier can act on (one parcel, one tracking number) and what the buyer
accepts when that parcel arrives.

This module reads and checks lists and writes them; who may do so (and in which order state)
is the caller's rule (``procurement.services.group_orders``).
"""

import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.phones import MAINLAND_MOBILE, normalise_mobile
from core.spreadsheets import cell_text
from regions.divisions import division_by_code, division_by_names

from .exceptions import GroupAddressListError
from .models import Shipment, ShipmentAddress

#: The template's columns, in order; 区划代码 or the three names locate the county.
COLUMNS = (
    ("recipient", gettext_lazy("收货人"), gettext_lazy("必填，最多 50 字")),
    ("mobile", gettext_lazy("手机号"), gettext_lazy("必填，11 位大陆手机号")),
    ("province", gettext_lazy("省"), gettext_lazy("与市、区县一起填写，如 安徽省")),
    ("city", gettext_lazy("市"), gettext_lazy("如 淮北市")),
    ("county", gettext_lazy("区县"), gettext_lazy("如 相山区")),
    (
        "region_code",
        gettext_lazy("区划代码"),
        gettext_lazy("选填，6 位县级区划代码（如 340603 相山区）；填写后以代码为准"),
    ),
    ("detail", gettext_lazy("详细地址"), gettext_lazy("必填，街道、门牌号，最多 200 字")),
    ("sets", gettext_lazy("份数"), gettext_lazy("必填，正整数：该地址收几份")),
)
MAX_ROWS = 2000


@dataclass(frozen=True)
class AddressRow:
    row: int
    recipient: str
    mobile: str
    region_code: str
    province: str
    city: str
    county: str
    detail: str
    sets: int


def address_template() -> bytes:
    """The blank list to fill in (.xlsx): the header, one example row and the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("配送地址")
    sheet.append([str(label) for _f, label, _h in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["张三", "13812345678", "安徽省", "淮北市", "相山区", "", "淮海西路1号", 1])
    for i in range(len(COLUMNS)):
        sheet.column_dimensions[chr(65 + i)].width = 18
    # The mobile column is text, so Excel keeps every digit.
    for row in sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 1, min_col=2, max_col=2):
        row[0].number_format = "@"
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("说明")])
    for _f, label, help_text in COLUMNS:
        notes.append([str(label), str(help_text)])
    notes.append([_("份数"), _("订单的每种商品按全部地址的份数之和平均分配，每份相同。")])
    notes.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read_rows(data: bytes) -> list[tuple[int, list]]:
    if not data:
        raise GroupAddressListError([(0, _("文件为空。"))])
    if data[:4] != b"PK\x03\x04":
        raise GroupAddressListError([(0, _("请上传 Excel（.xlsx）文件，可先下载模板填写。"))])
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [
            (n, list(cells))
            for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(cell_text(c) for c in cells)
        ]
        book.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise GroupAddressListError(
            [(0, _("无法读取该 Excel 文件，请确认是有效的 .xlsx 文件。"))]
        ) from exc
    return rows


def address_rows_read(data: bytes) -> list[AddressRow]:
    """The checked rows of an uploaded list, or ``GroupAddressListError`` with every row's
    problems (a missing recipient or street address, a mobile that is not a mainland mobile,
    a county not in the division table, sets not a positive whole number)."""
    rows = _read_rows(data)
    if not rows:
        raise GroupAddressListError([(0, _("文件为空。"))])
    header = [cell_text(c) for c in rows[0][1]]
    positions = {label: i for i, label in enumerate(header) if label}
    missing = [
        str(label)
        for field, label, _h in COLUMNS
        if field != "region_code" and str(label) not in positions
    ]
    if missing:
        raise GroupAddressListError(
            [(0, _("缺少列：%(columns)s。请使用模板。") % {"columns": "、".join(missing)})]
        )
    body = rows[1:]
    if not body:
        raise GroupAddressListError([(0, _("文件只有表头，没有地址。"))])
    if len(body) > MAX_ROWS:
        raise GroupAddressListError([(0, _("一次最多导入 %(n)s 个地址。") % {"n": MAX_ROWS})])
    errors, good = [], []
    for number, cells in body:
        values = {
            field: cell_text(cells[positions[str(label)]])
            if str(label) in positions and positions[str(label)] < len(cells)
            else ""
            for field, label, _h in COLUMNS
        }
        problems = []
        if not values["recipient"]:
            problems.append(_("收货人未填写"))
        elif len(values["recipient"]) > 50:
            problems.append(_("收货人超过 50 字"))
        mobile = normalise_mobile(values["mobile"])
        if not MAINLAND_MOBILE.match(mobile):
            problems.append(
                _("手机号“%(value)s”不是有效的 11 位手机号") % {"value": values["mobile"]}
            )
        if values["region_code"]:
            division = division_by_code(values["region_code"])
            if division is None:
                problems.append(_("区划代码“%(code)s”不存在") % {"code": values["region_code"]})
        else:
            division = division_by_names(values["province"], values["city"], values["county"])
            if division is None:
                problems.append(
                    _("地区“%(place)s”不是有效的省、市、区县")
                    % {
                        "place": " ".join(
                            v for v in (values["province"], values["city"], values["county"]) if v
                        )
                        or _("（未填写）")
                    }
                )
        if not values["detail"]:
            problems.append(_("详细地址未填写"))
        elif len(values["detail"]) > 200:
            problems.append(_("详细地址超过 200 字"))
        try:
            sets = int(values["sets"])
        except ValueError:
            sets = 0
        if sets < 1:
            problems.append(
                _("份数“%(value)s”应为正整数") % {"value": values["sets"] or _("（未填写）")}
            )
        if problems:
            errors.extend((number, problem) for problem in problems)
            continue
        good.append(
            AddressRow(
                row=number,
                recipient=values["recipient"],
                mobile=mobile,
                region_code=division.code,
                province=division.province,
                city=division.city,
                county=division.county,
                detail=values["detail"],
                sets=sets,
            )
        )
    if errors:
        raise GroupAddressListError(errors)
    return good


def set_quantities(*, lines, total_sets: int) -> dict[int, int]:
    """Line id → units in one set. Raises ``GroupAddressListError`` when a line's quantity
    does not divide by the list's total of sets."""
    errors = [
        (
            0,
            _(
                "地址清单合计 %(sets)s 份，订单中“%(title)s”共 %(qty)s 件，"
                "不能平均分到每份（每份须为整数件）。"
            )
            % {"sets": total_sets, "title": line.title, "qty": line.quantity},
        )
        for line in lines
        if line.quantity % total_sets
    ]
    if errors:
        raise GroupAddressListError(errors)
    return {line.pk: line.quantity // total_sets for line in lines}


@transaction.atomic
def group_addresses_replace(*, order, rows: list[AddressRow]) -> list[ShipmentAddress]:
    """Make ``rows`` the order's address list, replacing any earlier list, and split the
    order into one shipment per supplier and address. The caller holds the order's lock and
    has checked that nothing was shipped yet. Refuses (nothing written) a list whose total of
    sets does not divide every line."""
    lines = list(order.lines.all())
    set_quantities(lines=lines, total_sets=sum(r.sets for r in rows))
    order.group_shipments.all().delete()
    order.group_addresses.all().delete()
    addresses = ShipmentAddress.objects.bulk_create(
        ShipmentAddress(
            order=order,
            row=r.row,
            recipient=r.recipient,
            mobile=r.mobile,
            region_code=r.region_code,
            province=r.province,
            city=r.city,
            county=r.county,
            detail=r.detail,
            sets=r.sets,
        )
        for r in rows
    )
    if any(a.pk is None for a in addresses):  # backends that do not return ids
        addresses = list(order.group_addresses.all())
    partners = sorted({line.partner_id for line in lines})
    Shipment.objects.bulk_create(
        Shipment(order=order, address=address, partner_id=partner_id)
        for address in addresses
        for partner_id in partners
    )
    return addresses


def shipment_quantities(*, shipment, lines, total_sets: int) -> dict[int, int]:
    """Line id → units this shipment carries: the supplier's lines, its address's sets."""
    per_set = set_quantities(lines=lines, total_sets=total_sets)
    return {
        line.pk: per_set[line.pk] * shipment.address.sets
        for line in lines
        if line.partner_id == shipment.partner_id
    }
