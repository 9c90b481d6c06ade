import oscar.apps.search.apps as oscar_apps


class SearchConfig(oscar_apps.SearchConfig):
    """Fork of Oscar's search app (label ``search``).

    Oscar's haystack views are replaced by views over our own search engines; the
    database engine serves when no search cluster is configured.
    """

    name = "search"
