from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RefundForm(forms.Form):
    """Amount and reason of a refund; the service checks the amount against what is left."""

    amount = forms.DecimalField(
        label=_("退款金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label=_("退款原因"), max_length=200)

    def __init__(self, *args, refundable: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if refundable is not None:
            self.fields["amount"].initial = refundable
            self.fields["amount"].widget.attrs.update(max=str(refundable), step="0.01")
