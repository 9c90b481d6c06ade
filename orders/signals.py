from django.dispatch import Signal
from oscar.apps.order.signals import *  # noqa: F403

#: Sent with ``order`` when what the order counts as sales may have changed: it was paid,
#: refunded (in full or in part), cancelled, or a procurement counting event happened
#: (acceptance, payment). Receivers only enqueue work (the reports app rebuilds the
#: order's sales facts from its current state), so sending twice is harmless.
order_sales_changed = Signal()
