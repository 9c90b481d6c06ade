"""Errors of the order flow (``<Thing><Problem>Error``); ``str()`` is the Chinese reason."""

from django.utils.translation import gettext as _


class InsufficientStockError(Exception):
    """An order line asked for more units than its stock record has free; nothing was
    allocated. Raised by the stock record (``suppliers``) while Oscar places an order."""

    def __init__(self, *, stockrecord, requested: int, available: int):
        self.stockrecord = stockrecord
        self.requested = requested
        self.available = max(available, 0)
        super().__init__(
            _("“%(product)s”库存不足：需要 %(requested)s 件，仅剩 %(available)s 件。")
            % {
                "product": stockrecord.product.get_title(),
                "requested": requested,
                "available": self.available,
            }
        )
