"""Forms of the after-sales pages: Chinese field errors; the rules themselves are the services'."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from orders import carriers

from .models import AfterSalesKind


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AfterSalesRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("售后类型"), choices=AfterSalesKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("申请原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("请描述遇到的问题")}),
        error_messages={"required": _("请填写申请原因。")},
    )
    amount = forms.DecimalField(
        label=_("退款金额（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("请填写退款金额。"),
            "invalid": _("请填写正确的金额。"),
            "min_value": _("退款金额须大于 0。"),
            "max_decimal_places": _("金额最多两位小数。"),
        },
    )
    photos = MultipleImageField(
        label=_("照片"),
        required=False,
        help_text=_("商品破损请上传照片（JPG 或 PNG，最多 %(n)s 张）")
        % {"n": settings.AFTERSALES_MAX_PHOTOS},
    )

    def __init__(self, *args, refundable: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = refundable
        self.fields["amount"].widget.attrs.update({"max": str(refundable), "step": "0.01"})


class ReturnShipForm(forms.Form):
    carrier = forms.ChoiceField(
        label=_("快递公司"),
        choices=[("", _("请选择"))] + [(c.name, c.name) for c in carriers.CARRIERS],
        error_messages={"required": _("请选择快递公司。")},
    )
    tracking_number = forms.CharField(
        label=_("运单号"), max_length=40, error_messages={"required": _("请填写运单号。")}
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("拒绝原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("拒绝售后必须填写原因。")},
    )


class ReturnRequestForm(forms.Form):
    return_address = forms.CharField(
        label=_("退货地址"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写退货地址。")},
    )


class PolicyForm(forms.Form):
    window_days = forms.IntegerField(
        label=_("售后期限（签收后天数）"),
        min_value=1,
        max_value=60,
        error_messages={
            "required": _("请填写售后期限。"),
            "min_value": _("售后期限须为 1 到 60 天。"),
            "max_value": _("售后期限须为 1 到 60 天。"),
        },
    )
    return_address = forms.CharField(
        label=_("默认退货地址"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
