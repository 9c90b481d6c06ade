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


class OrderStatusTransitionError(ValueError):
    """A status move that ``ORDER_STATUS_MOVES`` does not allow (a bug in the caller, never a
    user's choice: services check the state before they move it). Nothing was written."""


class BasketAlreadySubmittedError(Exception):
    """The basket was already placed as an order (a double click, a retry, a second tab):
    nothing was written. ``order`` is the basket's live order, when there is one."""

    def __init__(self, *, order=None):
        self.order = order
        if order is not None:
            message = _("该购物车已提交为订单 %(number)s，没有重复下单。") % {
                "number": order.number
            }
        else:
            message = _("该购物车已提交，没有重复下单。")
        super().__init__(message)


class GroupAddressListError(Exception):
    """An address list (多地址配送) that cannot be taken: ``errors`` holds (row, message)
    pairs, row 0 for the file or the list as a whole. Nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        first = errors[0][1] if errors else ""
        if len(errors) == 1:
            message = first
        else:
            message = _("地址清单有 %(n)s 处错误，未导入任何地址。") % {"n": len(errors)}
        super().__init__(message)
