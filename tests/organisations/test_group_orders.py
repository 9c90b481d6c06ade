"""Holiday group orders (多地址配送): a union's order delivered to many addresses. The
address list comes from Excel with every bad row reported and nothing imported; the order is
split into one parcel per supplier and address; each supplier ships only its own parcels;
the union accepts each parcel and the order is 已验收 when the last one is. Refusals write
nothing, and the pages' query counts do not grow with the addresses."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from orders.group_orders import address_rows_read, address_template
from orders.models import OrderStatus, Shipment, ShipmentAddress
from procurement import exceptions, services
from procurement.models import Acceptance, QuotaEntry, Settlement
from procurement.selectors.organisations import union_progress
from suppliers.exceptions import (
    ShipmentLineNotFoundError,
    ShipmentNotAllowedError,
    ShipmentTrackingError,
)
from suppliers.services import group_shipment_ship
from tests.factories.group_orders import address_rows, address_xlsx
from tests.factories.procurement import procurement_order_submit
from tests.factories.procurement import shipment as ship

ShippingEvent = get_model("order", "ShippingEvent")

pytestmark = pytest.mark.django_db

THREE = [
    ("王芳", "13812345678", "安徽省", "淮北市", "相山区", "", "淮海西路1号", 1),
    ("李强", "+86 139-1234-5678", "", "", "", "340621", "濉溪镇沱河路8号", 1),
    ("赵敏", "13712345678", "安徽省", "淮北市", "烈山区", "", "烈山镇榴园村", 2),
]


@pytest.fixture
def order(catalogue, union, union_buyer):
    """4 × 塔山石榴 (¥68, 塔山合作社) and 4 × 濉溪大米 (¥59.90, 濉河公司), no approval."""
    return procurement_order_submit(
        union_buyer, union, None, (catalogue["pomegranate"], 4), (catalogue["rice"], 4)
    )


@pytest.fixture
def group_order(order, union_buyer):
    services.group_order_addresses_import(order=order, user=union_buyer, data=address_xlsx(THREE))
    return order


def parcels(order, partner) -> list[Shipment]:
    return list(Shipment.objects.filter(order=order, partner=partner).select_related("address"))


def ship_parcel(shipment, user, number):
    return group_shipment_ship(
        partner=shipment.partner,
        order=shipment.order,
        shipment_id=shipment.pk,
        carrier="顺丰速运",
        tracking_number=number,
        user=user,
    )


# --- the address list ------------------------------------------------------------------


def test_the_list_splits_the_order_into_a_parcel_per_supplier_and_address(group_order, catalogue):
    addresses = list(ShipmentAddress.objects.filter(order=group_order))
    assert [(a.row, a.recipient, a.mobile, a.region_code, a.county, a.sets) for a in addresses] == [
        (2, "王芳", "13812345678", "340603", "相山区", 1),
        (3, "李强", "13912345678", "340621", "濉溪县", 1),
        (4, "赵敏", "13712345678", "340604", "烈山区", 2),
    ]
    tashan = catalogue["supplier"]
    rice_supplier = catalogue["rice"].stockrecords.get().partner
    assert [p.address.recipient for p in parcels(group_order, tashan)] == ["王芳", "李强", "赵敏"]
    assert Shipment.objects.filter(order=group_order).count() == 6
    assert len(parcels(group_order, rice_supplier)) == 3


def test_every_bad_row_is_reported_and_nothing_is_imported(order, union_buyer):
    rows = [
        THREE[0],
        ("", "13812345678", "安徽省", "淮北市", "相山区", "", "淮海西路2号", 1),
        ("钱七", "1381234567", "安徽省", "淮北市", "相山区", "", "淮海西路3号", 1),
        ("孙八", "13812345679", "安徽省", "淮北市", "火星区", "", "淮海西路4号", 1),
        ("周九", "13812345670", "", "", "", "999999", "淮海西路5号", 1),
        ("吴十", "13812345671", "安徽省", "淮北市", "相山区", "", "淮海西路6号", 0),
        ("郑十一", "13812345672", "安徽省", "淮北市", "相山区", "", "淮海西路7号", -2),
    ]
    with pytest.raises(exceptions.GroupAddressListRefusedError) as refused:
        services.group_order_addresses_import(
            order=order, user=union_buyer, data=address_xlsx(rows)
        )
    assert refused.value.errors == [
        (3, "收货人未填写"),
        (4, "手机号“1381234567”不是有效的 11 位手机号"),
        (5, "地区“安徽省 淮北市 火星区”不是有效的省、市、区县"),
        (6, "区划代码“999999”不存在"),
        (7, "份数“0”应为正整数"),
        (8, "份数“-2”应为正整数"),
    ]
    assert str(refused.value) == "地址清单有 6 处错误，未导入任何地址。"
    assert (ShipmentAddress.objects.count(), Shipment.objects.count()) == (0, 0)


def test_a_bad_list_leaves_the_earlier_list_as_it_was(group_order, union_buyer):
    before = list(ShipmentAddress.objects.values_list("pk", "recipient"))
    bad = [THREE[0], ("钱七", "12345", "安徽省", "淮北市", "相山区", "", "x", 1)]
    with pytest.raises(exceptions.GroupAddressListRefusedError):
        services.group_order_addresses_import(
            order=group_order, user=union_buyer, data=address_xlsx(bad)
        )
    assert list(ShipmentAddress.objects.values_list("pk", "recipient")) == before
    assert Shipment.objects.count() == 6


def test_sets_that_do_not_divide_the_lines_are_refused(order, union_buyer):
    with pytest.raises(exceptions.GroupAddressListRefusedError) as refused:
        services.group_order_addresses_import(
            order=order, user=union_buyer, data=address_xlsx(address_rows(3))
        )
    assert refused.value.errors[0] == (
        0,
        "地址清单合计 3 份，订单中“塔山石榴 精品礼盒 6枚装”共 4 件，"
        "不能平均分到每份（每份须为整数件）。",
    )
    assert ShipmentAddress.objects.count() == 0


def test_a_file_that_is_not_the_template_is_refused(order, union_buyer):
    for data, message in (
        (b"", "文件为空。"),
        (b"name,mobile\n", "请上传 Excel（.xlsx）文件，可先下载模板填写。"),
        (
            address_xlsx([("a", "b")], header=("收货人", "电话")),
            "缺少列：手机号、省、市、区县、详细地址、份数。请使用模板。",
        ),
        (address_xlsx([]), "文件只有表头，没有地址。"),
    ):
        with pytest.raises(exceptions.GroupAddressListRefusedError) as refused:
            services.group_order_addresses_import(order=order, user=union_buyer, data=data)
        assert refused.value.errors == [(0, message)]
    assert ShipmentAddress.objects.count() == 0


def test_the_template_reads_back_as_its_example_row():
    rows = address_rows_read(address_template())
    assert [(r.recipient, r.mobile, r.region_code, r.detail, r.sets) for r in rows] == [
        ("张三", "13812345678", "340603", "淮海西路1号", 1)
    ]


def test_only_the_unions_purchasers_import_and_only_before_shipping(
    order, union_buyer, union_approver, purchaser, supplier_staff, catalogue
):
    data = address_xlsx(THREE)
    for user in (union_approver, purchaser):  # an approver of the union; another unit's buyer
        with pytest.raises(exceptions.ProcurementPermissionError):
            services.group_order_addresses_import(order=order, user=user, data=data)
    assert ShipmentAddress.objects.count() == 0

    ship(order, partner=catalogue["supplier"], user=supplier_staff)  # shipped before any list
    with pytest.raises(exceptions.ProcurementOrderStateError):
        services.group_order_addresses_import(order=order, user=union_buyer, data=data)
    assert ShipmentAddress.objects.count() == 0


# --- shipping -----------------------------------------------------------------------------


def test_a_supplier_ships_its_parcel_to_one_address(group_order, catalogue, supplier_staff):
    parcel = parcels(group_order, catalogue["supplier"])[2]  # 赵敏, 2 sets

    ship_parcel(parcel, supplier_staff, "SF1234567890123")

    parcel.refresh_from_db()
    event = parcel.shipping_event
    assert (event.partner, event.carrier, event.tracking_number) == (
        catalogue["supplier"],
        "顺丰速运",
        "SF1234567890123",
    )
    assert [(q.line.title, q.quantity) for q in event.line_quantities.all()] == [
        ("塔山石榴 精品礼盒 6枚装", 2)
    ]
    group_order.refresh_from_db()
    assert group_order.status == OrderStatus.APPROVED  # three parcels still to ship


def test_shipping_refusals_write_nothing(group_order, catalogue, supplier_staff, rice_staff):
    tashan = catalogue["supplier"]
    rice_supplier = catalogue["rice"].stockrecords.get().partner
    mine, other = parcels(group_order, tashan)[0], parcels(group_order, rice_supplier)[0]
    ship_parcel(mine, supplier_staff, "SF1234567890123")
    events = ShippingEvent.objects.count()

    with pytest.raises(ShipmentLineNotFoundError):  # another supplier's parcel
        group_shipment_ship(
            partner=tashan,
            order=group_order,
            shipment_id=other.pk,
            carrier="顺丰速运",
            tracking_number="SF1234567890124",
            user=supplier_staff,
        )
    with pytest.raises(ShipmentNotAllowedError):  # shipped already
        ship_parcel(mine, supplier_staff, "SF1234567890125")
    with pytest.raises(ShipmentTrackingError):  # one waybill, two addresses
        ship_parcel(parcels(group_order, tashan)[1], supplier_staff, "SF1234567890123")
    with pytest.raises(ShipmentTrackingError):  # not 顺丰's format
        ship_parcel(parcels(group_order, tashan)[1], supplier_staff, "ABC")
    with pytest.raises(ShipmentNotAllowedError):  # the lines in bulk, past the list
        ship(group_order, partner=tashan, user=supplier_staff)
    assert ShippingEvent.objects.count() == events
    assert Shipment.objects.filter(shipping_event__isnull=False).count() == 1


def test_the_supplier_page_shows_only_its_own_parcels(client, group_order, catalogue, rice_staff):
    rice_supplier = catalogue["rice"].stockrecords.get().partner
    client.force_login(rice_staff)
    url = reverse("suppliers:order-detail", args=[group_order.number])

    html = client.get(url).content.decode()

    own = {p.pk for p in parcels(group_order, rice_supplier)}
    shown = {int(pk) for pk in __import__("re").findall(r'data-shipment="(\d+)"', html)}
    assert shown == own
    assert "138 1234 5678" in html and 'href="tel:13812345678"' in html
    assert "濉溪镇沱河路8号" in html and "濉溪大米 10kg × 2" in html
    assert "塔山石榴" not in html.split('id="group-shipments"')[1]


def test_the_supplier_page_refuses_another_suppliers_parcel(
    client, group_order, catalogue, rice_staff
):
    other = parcels(group_order, catalogue["supplier"])[0]
    client.force_login(rice_staff)
    url = reverse("suppliers:order-detail", args=[group_order.number])
    response = client.post(
        url, {"shipment": other.pk, "carrier": "sf", "tracking_number": "SF1234567890123"}
    )
    assert response.status_code == 404
    assert ShippingEvent.objects.count() == 0


def test_a_supplier_without_lines_in_the_order_does_not_see_it(client, group_order, regions):
    from tests.factories.accounts import UserFactory
    from tests.factories.catalog import SupplierFactory

    outsider = UserFactory(email="outsider@example.com")
    SupplierFactory(name="无关合作社").users.add(outsider)
    client.force_login(outsider)
    url = reverse("suppliers:order-detail", args=[group_order.number])
    assert client.get(url).status_code == 404


def test_the_supplier_ships_from_the_page(client, group_order, catalogue, rice_staff):
    parcel = parcels(group_order, catalogue["rice"].stockrecords.get().partner)[1]
    client.force_login(rice_staff)
    url = reverse("suppliers:order-detail", args=[group_order.number])

    response = client.post(
        url, {"shipment": parcel.pk, "carrier": "zto", "tracking_number": "7312 3456 7890"}
    )

    assert response.status_code == 302
    parcel.refresh_from_db()
    assert (parcel.shipping_event.carrier, parcel.shipping_event.tracking_number) == (
        "中通快递",
        "731234567890",
    )


# --- acceptance ---------------------------------------------------------------------------


def test_the_order_is_accepted_when_every_parcel_is(
    group_order, catalogue, union_buyer, supplier_staff, rice_staff
):
    tashan = catalogue["supplier"]
    rice_supplier = catalogue["rice"].stockrecords.get().partner
    for i, parcel in enumerate(parcels(group_order, tashan)):
        ship_parcel(parcel, supplier_staff, f"SF12345678901{i:02d}")
    for i, parcel in enumerate(parcels(group_order, rice_supplier)):
        ship_parcel(parcel, rice_staff, f"SF22345678901{i:02d}")
    group_order.refresh_from_db()
    assert group_order.status == OrderStatus.SHIPPED

    first = parcels(group_order, tashan)[0]
    services.procurement_shipment_accept(shipping_event=first.shipping_event, user=union_buyer)
    group_order.refresh_from_db()
    assert group_order.status == OrderStatus.SHIPPED  # five parcels to go

    assert services.group_order_accept_shipped(order=group_order, user=union_buyer) == 5
    group_order.refresh_from_db()
    assert group_order.status == OrderStatus.ACCEPTED
    assert sorted(
        (s.partner.name, s.amount)
        for s in Settlement.objects.filter(procurement__order=group_order)
    ) == [
        ("淮北塔山石榴专业合作社", Decimal("272.00")),
        ("濉溪县濉河农业发展有限公司", Decimal("239.60")),
    ]
    assert services.quota_reconcile() == []


def test_the_union_accepts_a_parcel_on_its_page(
    client, group_order, catalogue, union_buyer, purchaser, supplier_staff
):
    parcel = ship_parcel(
        parcels(group_order, catalogue["supplier"])[0], supplier_staff, "SF1234567890123"
    )
    url = reverse(
        "procurement:order-action-target",
        args=[group_order.number, "accept-parcel", parcel.shipping_event_id],
    )
    client.force_login(purchaser)  # another unit's purchaser: the order does not exist
    assert client.post(url).status_code == 404
    parcel.refresh_from_db()
    assert not hasattr(parcel.shipping_event, "acceptance")
    client.force_login(union_buyer)
    assert client.post(url).status_code == 302
    parcel.refresh_from_db()
    assert parcel.shipping_event.acceptance.accepted_by == union_buyer


# --- a parcel short or damaged ---------------------------------------------------------


@pytest.fixture
def shipped(group_order, catalogue, supplier_staff, rice_staff):
    """Every parcel of the group order shipped; the first address's parcels (one 塔山石榴
    at ¥68 and one 濉溪大米 at ¥59.90) first in the list."""
    rice_supplier = catalogue["rice"].stockrecords.get().partner
    for i, parcel in enumerate(parcels(group_order, catalogue["supplier"])):
        ship_parcel(parcel, supplier_staff, f"SF12345678901{i:02d}")
    for i, parcel in enumerate(parcels(group_order, rice_supplier)):
        ship_parcel(parcel, rice_staff, f"SF22345678901{i:02d}")
    return group_order


def first_parcel(order, partner):
    parcel = parcels(order, partner)[0]
    parcel.refresh_from_db()
    return parcel, parcel.shipping_event.line_quantities.get().line


def test_a_damaged_box_is_left_out_of_the_settlement_and_the_unions_completion(
    shipped, catalogue, union, union_buyer
):
    parcel, line = first_parcel(shipped, catalogue["supplier"])
    acceptance = services.group_parcel_accept(
        order=shipped,
        shipping_event_id=parcel.shipping_event_id,
        user=union_buyer,
        quantities={line.pk: (0, 0, 1)},
        reason="外箱压坏，石榴破损",
    )
    assert [(a.shipped, a.accepted, a.short, a.damaged) for a in acceptance.lines.all()] == [
        (1, 0, 0, 1)
    ]
    assert acceptance.note == "外箱压坏，石榴破损"
    assert services.group_order_accept_shipped(order=shipped, user=union_buyer) == 5
    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.ACCEPTED
    assert sorted(
        (s.partner.name, s.amount) for s in Settlement.objects.filter(procurement__order=shipped)
    ) == [
        ("淮北塔山石榴专业合作社", Decimal("204.00")),  # 3 × ¥68, the broken box unpaid
        ("濉溪县濉河农业发展有限公司", Decimal("239.60")),
    ]
    year = acceptance.accepted_at.year
    progress = union_progress(union=union, year=year)
    assert (progress["committed"], progress["completed"]) == (Decimal("0"), Decimal("443.60"))
    assert services.quota_reconcile() == []


@pytest.mark.parametrize(
    ("quantities", "reason", "message"),
    [
        ((0, 1, 0), "  ", "包裹有短少或破损时，请填写原因。"),
        ((1, 1, 0), "少了一盒", "合格、短少、破损数量之和应等于发货数量"),
        ((-1, 1, 1), "少了一盒", "验收数量不能为负数。"),
    ],
)
def test_a_parcel_accepted_short_is_refused_without_a_reason_or_a_sum(
    shipped, catalogue, union_buyer, quantities, reason, message
):
    parcel, line = first_parcel(shipped, catalogue["supplier"])
    with pytest.raises(exceptions.AcceptanceQuantityError, match=message):
        services.group_parcel_accept(
            order=shipped,
            shipping_event_id=parcel.shipping_event_id,
            user=union_buyer,
            quantities={line.pk: quantities},
            reason=reason,
        )
    assert not Acceptance.objects.exists()
    assert not QuotaEntry.objects.filter(order=shipped, kind__in=["complete", "release"]).exists()


def test_a_parcel_of_another_order_is_not_found(shipped, catalogue, union, union_buyer):
    other = procurement_order_submit(union_buyer, union, None, (catalogue["pomegranate"], 1))
    parcel, line = first_parcel(shipped, catalogue["supplier"])
    with pytest.raises(exceptions.GroupParcelNotFoundError):
        services.group_parcel_accept(
            order=other,
            shipping_event_id=parcel.shipping_event_id,
            user=union_buyer,
            quantities={line.pk: (0, 1, 0)},
            reason="丢件",
        )
    assert not Acceptance.objects.exists()


def test_the_unions_page_accepts_a_parcel_short_with_field_errors_first(
    client, shipped, catalogue, union_buyer, purchaser
):
    parcel, line = first_parcel(shipped, catalogue["supplier"])
    url = reverse("procurement:order-detail", args=[shipped.number])
    prefix = f"parcel-{parcel.shipping_event_id}"

    def post(accepted, short, damaged, reason=""):
        return client.post(
            url,
            {
                "parcel": parcel.shipping_event_id,
                f"{prefix}-accepted-{line.pk}": accepted,
                f"{prefix}-short-{line.pk}": short,
                f"{prefix}-damaged-{line.pk}": damaged,
                f"{prefix}-reason": reason,
            },
        )

    client.force_login(purchaser)  # another unit's purchaser: the order does not exist
    assert post(0, 1, 0, "丢件").status_code == 404
    client.force_login(union_buyer)
    for args, error in (
        ((0, 1, 0), "有短少或破损时，请填写原因。"),
        ((1, 1, 0, "丢件"), "合格、短少、破损之和应等于发货的 1 件。"),
        ((-1, 1, 1, "丢件"), "不能为负数。"),
        (("一", 0, 0), "请填写整数。"),
        ((0, 2, 0, "丢件"), "不能超过发货的 1 件。"),
    ):
        response = post(*args)
        assert response.status_code == 400, args
        html = response.content.decode()
        assert error in html
        assert f'id="parcel-{parcel.shipping_event_id}"' in html
        assert '<details class="pc-parcel-partial" open>' in html
    assert not Acceptance.objects.exists()

    response = post(0, 1, 0, "快递丢件")
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert (acceptance.note, acceptance.accepted_by) == ("快递丢件", union_buyer)
    assert [(a.accepted, a.short, a.damaged) for a in acceptance.lines.all()] == [(0, 1, 0)]
    html = client.get(url).content.decode()
    assert f"{line.title} 短少 1、破损 0" in html
    assert "快递丢件" in html


def test_the_unions_page_uploads_and_reports_row_errors(client, order, union_buyer):
    client.force_login(union_buyer)
    url = reverse("procurement:order-detail", args=[order.number])
    bad = address_xlsx([THREE[0], ("钱七", "1234", "安徽省", "淮北市", "相山区", "", "x", 1)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"addresses": SimpleUploadedFile("a.xlsx", bad)})
    assert response.status_code == 400
    assert "第 3 行：手机号“1234”不是有效的 11 位手机号" in response.content.decode()
    assert ShipmentAddress.objects.count() == 0

    response = client.post(url, {"addresses": SimpleUploadedFile("a.xlsx", address_xlsx(THREE))})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "3 个地址，共 6 个包裹" in html
    template = client.get(reverse("procurement:group-address-template"))
    assert address_rows_read(template.content)[0].recipient == "张三"


# --- query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["supplier", "union"])
def test_the_pages_query_counts_do_not_grow_with_the_addresses(
    client,
    page,
    catalogue,
    union,
    union_buyer,
    supplier_staff,
    django_assert_max_num_queries,
):
    def order_with(n):
        order = procurement_order_submit(
            union_buyer, union, None, (catalogue["pomegranate"], n), (catalogue["rice"], n)
        )
        services.group_order_addresses_import(
            order=order, user=union_buyer, data=address_xlsx(address_rows(n))
        )
        for i, parcel in enumerate(parcels(order, catalogue["supplier"])[: n // 2]):
            ship_parcel(parcel, supplier_staff, f"SF{order.pk:05d}{i:07d}")
        return order

    def url(order):
        if page == "supplier":
            return reverse("suppliers:order-detail", args=[order.number])
        return reverse("procurement:order-detail", args=[order.number])

    client.force_login(supplier_staff if page == "supplier" else union_buyer)
    small, large = order_with(4), order_with(12)
    client.get(url(small))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url(small)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url(large)).content.decode()
    assert html.count("data-shipment=" if page == "supplier" else "data-address=") == 12
