"""Checks of ``manage.py reconcile_sales`` owned by other apps (the 832 purchase records:
procurement), registered from their ``AppConfig.ready`` so that reports never imports them.
A check returns one line per difference, saying which side is higher."""

from collections.abc import Callable

SALES_CHECKS: dict[str, Callable[[], list[str]]] = {}


def sales_check_register(*, name: str, check: Callable[[], list[str]]) -> None:
    SALES_CHECKS[name] = check
