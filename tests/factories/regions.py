import factory

from regions.models import BureauLevel, BureauStaff, Region, RegionLevel


def region_tree() -> dict[str, Region]:
    """淮北市 with its four counties/districts and one town each, keyed by name."""
    city = Region.objects.filter(code="340600").first() or Region.add_root(
        code="340600", name="淮北市", level=RegionLevel.CITY
    )
    regions = {"淮北市": city}
    counties = [
        ("340602", "杜集区", "340602100", "朔里镇"),
        ("340603", "相山区", "340603100", "渠沟镇"),
        ("340604", "烈山区", "340604100", "烈山镇"),
        ("340621", "濉溪县", "340621100", "濉溪镇"),
    ]
    for code, name, town_code, town_name in counties:
        county = Region.objects.filter(code=code).first() or city.add_child(
            code=code, name=name, level=RegionLevel.COUNTY
        )
        city.refresh_from_db()
        town = Region.objects.filter(code=town_code).first() or county.add_child(
            code=town_code, name=town_name, level=RegionLevel.TOWN
        )
        regions[name] = county
        regions[town_name] = town
    return regions


class RegionFactory(factory.django.DjangoModelFactory):
    """A root region; use ``region_tree()`` for the Huaibei tree."""

    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"{440000 + n * 100}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = RegionLevel.PROVINCE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.add_root(**kwargs)


class BureauStaffFactory(factory.django.DjangoModelFactory):
    """A member of a bureau's staff: city level for 淮北市 unless ``region`` and ``level`` are
    given (the Huaibei region tree is made if missing)."""

    class Meta:
        model = BureauStaff

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    region = factory.LazyFunction(lambda: region_tree()["淮北市"])
    level = BureauLevel.CITY
    bureau_name = "淮北市乡村振兴局"
