"""Extension points of the procurement flow that other apps plug into from their ``ready()``
(procurement never imports them).

- ``acceptance``: what else happens, inside the acceptance's own transaction and with the
  order row locked, when a buyer accepts a shipment. The points app puts a village points
  supermarket's accepted quantities on its shelf (docs/points.md). A callback may refuse
  with a ``ProcurementError``: the whole acceptance is rolled back.
"""

from collections.abc import Callable

_acceptance: list[Callable] = []


def acceptance_register(*, callback: Callable) -> None:
    """Call ``callback(acceptance=, procurement=, lines=, user=, options=)`` for every
    accepted shipment: ``lines`` are its ``AcceptanceLine`` rows (with ``line``, the order
    line), ``options`` what the caller of ``procurement_shipment_accept`` passed for it."""
    if callback not in _acceptance:
        _acceptance.append(callback)


def acceptance_callbacks() -> tuple[Callable, ...]:
    return tuple(_acceptance)
