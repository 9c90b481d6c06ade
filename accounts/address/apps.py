import oscar.apps.address.apps as oscar_apps


class AddressConfig(oscar_apps.AddressConfig):
    """Fork of Oscar's address app (label ``address``): an address book entry keeps the
    county's division code like a delivery address (``regions.addresses``), and its form
    picks province, city and county from the division table (``forms``)."""

    name = "accounts.address"
