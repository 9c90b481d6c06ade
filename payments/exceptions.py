"""What can go wrong with a payment, in words a customer or staff member can act on."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class PaymentError(Exception):
    """Base class: ``str(error)`` is a message fit to show the user."""


class PaymentDeclinedError(PaymentError):
    """The card issuer (or 3-D Secure) refused the payment; another card may work."""

    def __init__(self, *, code: str = "", decline_code: str = "", intent_id: str | None = None):
        self.code = code or "card_declined"
        self.decline_code = decline_code
        self.intent_id = intent_id
        super().__init__(decline_message(decline_code or self.code))


class PaymentProviderUnavailableError(PaymentError):
    """Stripe could not be reached or failed on its side; the same request may succeed later."""

    def __init__(self, detail: str = ""):
        self.detail = detail
        super().__init__(_("支付服务暂时不可用，请稍后再试。"))


class PaymentProviderError(PaymentError):
    """Stripe refused the request itself (configuration or programming error); logged."""

    def __init__(self, detail: str = "", *, code: str = ""):
        self.detail = detail
        self.code = code
        super().__init__(_("支付请求未被受理，请稍后再试或联系客服。"))


class WebhookSignatureError(PaymentError):
    """A webhook request without a valid Stripe signature for our endpoint secret."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class OrderNotPayableError(PaymentError):
    """The order is not waiting for payment (paid, cancelled) or is not the user's."""

    def __init__(self, *, status: str):
        self.status = status
        super().__init__(_("该订单当前状态为“%(status)s”，无需付款。") % {"status": _(status)})


class OrderPaymentInProgressError(PaymentError):
    """A payment of the order is still being processed, so the order cannot be cancelled."""

    def __init__(self):
        super().__init__(_("该订单有一笔支付正在处理中，请稍后再试。"))


class OrderNotRefundableError(PaymentError):
    def __init__(self, *, status: str):
        self.status = status
        super().__init__(_("订单状态为“%(status)s”，不能退款。") % {"status": _(status)})


class RefundNotPermittedError(PaymentError):
    def __init__(self):
        super().__init__(_("只有平台工作人员可以发起退款。"))


class RefundAmountInvalidError(PaymentError):
    def __init__(self, *, amount: Decimal, refundable: Decimal):
        self.amount = amount
        self.refundable = refundable
        super().__init__(
            _("退款金额须大于 0 且不超过可退金额 ¥%(refundable)s（申请 ¥%(amount)s）。")
            % {"refundable": refundable, "amount": amount}
        )


# Stripe decline codes (https://docs.stripe.com/declines/codes) in the customer's words.
_DECLINE_MESSAGES = {
    "insufficient_funds": gettext_noop("银行卡余额不足，请更换银行卡。"),
    "expired_card": gettext_noop("银行卡已过期，请更换银行卡。"),
    "incorrect_cvc": gettext_noop("银行卡安全码（CVC）不正确。"),
    "invalid_cvc": gettext_noop("银行卡安全码（CVC）不正确。"),
    "incorrect_number": gettext_noop("银行卡号不正确。"),
    "invalid_number": gettext_noop("银行卡号不正确。"),
    "invalid_expiry_month": gettext_noop("银行卡有效期不正确。"),
    "invalid_expiry_year": gettext_noop("银行卡有效期不正确。"),
    "lost_card": gettext_noop("该银行卡无法使用，请更换银行卡。"),
    "stolen_card": gettext_noop("该银行卡无法使用，请更换银行卡。"),
    "pickup_card": gettext_noop("该银行卡无法使用，请更换银行卡。"),
    "card_velocity_exceeded": gettext_noop("该银行卡交易过于频繁或超出限额，请更换银行卡。"),
    "processing_error": gettext_noop("银行卡处理出错，请稍后重试。"),
    "authentication_required": gettext_noop("该银行卡需要验证身份，请重试并完成验证。"),
    "payment_intent_authentication_failure": gettext_noop(
        "银行卡身份验证未通过，请重试或更换银行卡。"
    ),
    "currency_not_supported": gettext_noop("该银行卡不支持人民币支付，请更换银行卡。"),
}


def decline_message(code: str) -> str:
    message = _DECLINE_MESSAGES.get(code)
    if message:
        return _(message)
    return _("银行卡被拒绝，未扣款。请更换银行卡或联系发卡银行。")
