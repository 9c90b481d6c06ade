"""Bureau staff set a unit's supervising unit and shared-canteen host on the unit's page, with
Chinese field errors for links that cannot hold and an audit row for each change."""

import pytest
from django.urls import reverse

from procurement.models import BudgetUnit, UnitDecision
from tests.factories.procurement import BudgetUnitFactory

pytestmark = pytest.mark.django_db


def links(unit) -> tuple:
    unit = BudgetUnit.objects.get(pk=unit.pk)
    return unit.supervisor_id, unit.canteen_status, unit.canteen_host_id, unit.supervising_unit


def test_the_bureau_links_a_unit_to_its_supervisor_and_canteen_host(client, unit, city_staff):
    education = BudgetUnitFactory(name="淮北市教育局", unit_type="agency")
    host = BudgetUnitFactory(name="淮北市实验高级中学")
    client.force_login(city_staff)
    url = reverse("procurement:bureau-unit", kwargs={"pk": unit.pk})

    response = client.post(
        url,
        {
            "action": "links",
            "supervisor": education.pk,
            "canteen_status": "shared",
            "canteen_host": host.pk,
        },
        follow=True,
    )

    assert "已保存“淮北市第一中学”的主管单位和食堂情况。" in response.content.decode()
    assert links(unit) == (education.pk, "shared", host.pk, "淮北市教育局")
    decision = UnitDecision.objects.get(unit=unit, action="links_changed")
    assert decision.detail == (
        "主管预算单位：淮北市教育局；食堂情况：共用食堂（主办单位：淮北市实验高级中学）"
    )


@pytest.mark.parametrize(
    "change, field_error",
    [
        ({"canteen_status": "own", "canteen_host": "host"}, "只有共用食堂的成员单位填写主办单位。"),
        ({"supervisor": "subordinate"}, "不能选择本单位或本单位的下属单位作为主管预算单位。"),
        ({"canteen_host": "member"}, "本身是共用食堂的成员单位，不能作为主办单位。"),
    ],
)
def test_links_that_cannot_hold_are_field_errors_and_change_nothing(
    client, unit, city_staff, change, field_error
):
    host = BudgetUnitFactory(name="淮北市实验高级中学")
    subordinate = BudgetUnitFactory(name="淮北市第一中学附属小学", supervisor=unit)
    member = BudgetUnitFactory(name="淮北市第二中学", canteen_status="shared", canteen_host=host)
    named = {"host": host.pk, "subordinate": subordinate.pk, "member": member.pk}
    data = {"action": "links", "supervisor": "", "canteen_status": "shared", "canteen_host": ""}
    data.update({k: named.get(v, v) for k, v in change.items()})
    before = links(unit)
    client.force_login(city_staff)

    response = client.post(reverse("procurement:bureau-unit", kwargs={"pk": unit.pk}), data)

    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert links(unit) == before
    assert not UnitDecision.objects.filter(action="links_changed").exists()


def test_county_staff_cannot_link_a_city_unit_or_pick_one_outside_their_county(
    client, unit, county_staff, regions
):
    county_unit = BudgetUnitFactory(name="濉溪县中学", region=regions["濉溪县"])
    client.force_login(county_staff)

    city_page = reverse("procurement:bureau-unit", kwargs={"pk": unit.pk})
    assert client.post(city_page, {"action": "links", "canteen_status": "own"}).status_code == 404
    response = client.post(
        reverse("procurement:bureau-unit", kwargs={"pk": county_unit.pk}),
        {"action": "links", "supervisor": unit.pk, "canteen_status": "own"},
    )
    assert "请选择管辖范围内的单位。" in response.content.decode()
    assert links(county_unit)[0] is None and links(unit)[0] is None
