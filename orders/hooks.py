"""Extension points of the order flow that other apps plug into from their ``ready()``.

``orders`` sits below ``procurement``, ``suppliers`` and ``reports``: it never imports them.
Where the order flow needs a channel-specific rule, the owning app registers it here:

- ``shipping_sync``: how an order of a sales channel follows its shipping events. Consumer
  orders use ``orders.services.order_sync_shipping_status``'s own rule; the procurement app
  registers its rule (acceptance, not delivery, ends a procurement order) for
  ``SalesChannel.PROCUREMENT``.

- ``order_paid``: what else happens, in the payment's own transaction, when a consumer
  order is paid (the procurement app attributes a linked staff member's order to their
  organisation, channel ``staff``, before the sales facts are written after commit).

Events (an order's sales changed) are signals: ``orders.signals``.
"""

from collections.abc import Callable

_shipping_sync: dict[str, Callable] = {}


def shipping_sync_register(*, channel: str, sync: Callable) -> None:
    """Let ``sync(order=...)`` bring orders of ``channel`` in line with their shipping events
    (called with the order after a shipping event was recorded; returns the order)."""
    _shipping_sync[channel] = sync


def shipping_sync_for(*, channel: str) -> Callable | None:
    return _shipping_sync.get(channel)


_order_paid: list[Callable] = []


def order_paid_register(*, callback: Callable) -> None:
    """Call ``callback(order=...)`` inside the transaction that moves a consumer order to
    已付款, with the order row locked; a refusal there rolls the payment record back, so
    callbacks must not refuse."""
    if callback not in _order_paid:
        _order_paid.append(callback)


def order_paid_callbacks() -> tuple[Callable, ...]:
    return tuple(_order_paid)
