from oscar.apps.address.abstract_models import AbstractUserAddress

from regions.addresses import RegionCodedAddress


class UserAddress(AbstractUserAddress, RegionCodedAddress):
    """An address book entry (常用地址), written the Chinese way like a delivery address
    (state = 省, line4 = 市, line3 = 区/县, line1 = 详细地址) with the county's division code;
    checkout copies it, code included, into the order's delivery address."""

    #: Oscar's messages ("Address '%s' created", updated, deleted) and pages show ``summary``.
    summary = RegionCodedAddress.chinese_summary


from oscar.apps.address.models import *  # noqa: E402, F403
