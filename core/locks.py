"""Row locks, taken one way: read the row again with ``SELECT ... FOR UPDATE`` inside the
caller's transaction, so that what a service checks is what it changes.

Each domain states its lock order in its services' docstrings (an order before its payments,
stock records by primary key, a filing last); the domains' own lock helpers are built on
``row_lock``.
"""

from django.db.models import Model, QuerySet


def row_lock(
    source: type[Model] | QuerySet, *, pk, related: tuple[str, ...] = (), own_row_only=False
):
    """The row ``pk`` of ``source`` (a model or a queryset of it), locked until the caller's
    transaction ends, with ``related`` joined (``select_related``). ``own_row_only`` locks
    that row alone, not the joined ones (PostgreSQL's ``FOR UPDATE OF``). Raises the model's
    ``DoesNotExist`` for a missing row."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    queryset = queryset.select_for_update(of=("self",) if own_row_only else ())
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=pk)
