"""Reports: sales facts (offline entries by default; order facts come from the sync), the
rollups, rural e-commerce entities with their monthly figures, and official indicators.
Dates are Asia/Shanghai."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from orders.models import SalesChannel
from reports.models import (
    EcommerceEntity,
    EntityMonthlyFigure,
    FactSource,
    Indicator,
    IndicatorRecord,
    Platform,
    SalesDailyRollup,
    SalesFact,
    SalesMonthlyRollup,
)
from tests.factories.regions import region_tree

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai: at("2025-03-01", 23)."""
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=SHANGHAI
    )


def _county():
    return region_tree()["濉溪县"]


class SalesFactFactory(factory.django.DjangoModelFactory):
    """An offline "八进" sale of ¥100 in 濉溪县 on 1 March 2025."""

    class Meta:
        model = SalesFact

    date = datetime.date(2025, 3, 1)
    month = factory.LazyAttribute(lambda o: o.date.replace(day=1))
    channel = SalesChannel.OFFLINE
    source = FactSource.OFFLINE
    region = factory.LazyFunction(_county)
    amount = Decimal("100.00")


class SalesDailyRollupFactory(factory.django.DjangoModelFactory):
    """One day × county × category × channel cell of the daily rollup."""

    class Meta:
        model = SalesDailyRollup

    date = datetime.date(2025, 3, 1)
    month = factory.LazyAttribute(lambda o: o.date.replace(day=1))
    region_key = factory.LazyFunction(lambda: _county().pk)
    channel = SalesChannel.CONSUMER
    amount = Decimal("100.00")


class SalesMonthlyRollupFactory(factory.django.DjangoModelFactory):
    """One month × county × category × channel cell of the monthly rollup."""

    class Meta:
        model = SalesMonthlyRollup

    month = datetime.date(2025, 3, 1)
    region_key = factory.LazyFunction(lambda: _county().pk)
    channel = SalesChannel.CONSUMER
    amount = Decimal("100.00")


class EcommerceEntityFactory(factory.django.DjangoModelFactory):
    """A Taobao shop of 濉溪县, registered on 1 February 2025."""

    class Meta:
        model = EcommerceEntity

    name = factory.Sequence(lambda n: f"测试电商{n}")
    platform = Platform.TAOBAO
    shop_name = factory.Sequence(lambda n: f"测试店铺{n}")
    region = factory.LazyFunction(_county)
    registered_on = datetime.date(2025, 2, 1)


class EntityMonthlyFigureFactory(factory.django.DjangoModelFactory):
    """An entity's online retail in March 2025."""

    class Meta:
        model = EntityMonthlyFigure

    entity = factory.SubFactory(EcommerceEntityFactory)
    month = datetime.date(2025, 3, 1)
    retail_amount = Decimal("10000.00")


class IndicatorRecordFactory(factory.django.DjangoModelFactory):
    """The county commerce bureau's 农产品网络零售额 for 濉溪县, March 2025."""

    class Meta:
        model = IndicatorRecord

    indicator = Indicator.AG_ONLINE_RETAIL
    region = factory.LazyFunction(_county)
    month = datetime.date(2025, 3, 1)
    value = Decimal("10000.00")
    source = "县商务局"
