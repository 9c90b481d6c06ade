import oscar.apps.catalogue.apps as oscar_apps


class CatalogueConfig(oscar_apps.CatalogueConfig):
    """Fork of Oscar's catalogue (label ``catalogue``) with the farm-product model."""

    name = "catalog"
