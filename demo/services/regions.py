"""行政区划."""

from regions.models import Region, RegionLevel

from .. import data
from .base import Tally, sync


def seed_regions(*, tally: Tally) -> dict[str, Region]:
    """安徽省 > 淮北市 > counties > towns, keyed by division code. A region found elsewhere
    in the tree (e.g. 淮北市 as a root) is moved under its parent."""
    regions: dict[str, Region] = {}

    def node(code: str, name: str, level: str, parent: Region | None) -> Region:
        # Read each node afresh: inserting or moving a sibling renumbers treebeard paths.
        region = Region.objects.filter(code=code).first()
        if parent is not None:
            parent.refresh_from_db()
        if region is None:
            if parent is None:
                region = Region.add_root(code=code, name=name, level=level)
            else:
                region = parent.add_child(code=code, name=name, level=level)
            tally.created += 1
        else:
            if parent is not None and region.get_parent() != parent:
                region.move(parent, pos="sorted-child")
                region.refresh_from_db()
                tally.updated += 1
            sync(region, {"name": name, "level": level}, tally)
        regions[code] = region
        return region

    province = node(*data.PROVINCE, RegionLevel.PROVINCE, None)
    city = node(*data.CITY, RegionLevel.CITY, province)
    for code, name, towns in data.COUNTIES:
        county = node(code, name, RegionLevel.COUNTY, city)
        for town_code, town_name in towns:
            node(town_code, town_name, RegionLevel.TOWN, county)
    return regions
