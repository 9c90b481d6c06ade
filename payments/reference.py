"""Rows the payment flow refers to by code. The data migration creates them; these getters
create any that went missing (e.g. a flushed test database) rather than fail a payment."""

from oscar.core.loading import get_model

PAYMENT_EVENT_PAID = ("paid", "付款")
PAYMENT_EVENT_REFUND = ("refund", "退款")
SOURCE_TYPE_STRIPE = ("stripe", "银行卡（Stripe）")


def payment_event_type(kind: tuple[str, str]):
    code, name = kind
    model = get_model("order", "PaymentEventType")
    return model.objects.get_or_create(code=code, defaults={"name": name})[0]


def source_type_stripe():
    code, name = SOURCE_TYPE_STRIPE
    model = get_model("payment", "SourceType")
    return model.objects.get_or_create(code=code, defaults={"name": name})[0]
