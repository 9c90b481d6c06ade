import oscar.apps.order.admin  # noqa: F401
