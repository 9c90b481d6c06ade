"""Wagtail rows that its migrations create and that a transactional test's flush removes."""


def root_collection():
    """Wagtail's root collection, made again if an earlier transactional test flushed it
    (every image and document belongs to a collection, the root by default)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")
