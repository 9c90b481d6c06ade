import pytest

from regions.models import Region

pytestmark = pytest.mark.django_db


def test_a_subtree_query_returns_the_county_and_its_towns_only(regions):
    county = regions["濉溪县"]

    names = set(Region.objects.within(county).values_list("name", flat=True))

    assert names == {"濉溪县", "濉溪镇"}
    assert county.contains(regions["濉溪镇"])
    assert not county.contains(regions["烈山镇"])


def test_the_city_contains_all_four_counties(regions):
    city = regions["淮北市"]

    counties = Region.objects.within(city).counties()

    assert sorted(counties.values_list("code", flat=True)) == [
        "340602",
        "340603",
        "340604",
        "340621",
    ]
