"""A mainland China address in an Oscar address form: 收货人, 手机号, 省/市/区县 picked from
the division table, 详细地址. Checkout's delivery address and the account's address book
share it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from core.phones import MAINLAND_MOBILE, normalise_mobile, phone_display
from orders.reference import country_cn
from regions.divisions import division_by_code, division_by_names

REGION_FIELDS = ("state", "line4", "line3")
# Oscar's address fields hold the address as: first_name = recipient, state = province,
# line4 = city, line3 = county/district, line1 = street address.
ADDRESS_FIELDS = [
    "first_name",
    "phone_number",
    "state",
    "line4",
    "line3",
    "line1",
    "postcode",
    "notes",
    "region_code",
]
ADDRESS_LABELS = {
    "first_name": _("收货人"),
    "state": _("省/自治区/直辖市"),
    "line4": _("市"),
    "line3": _("区/县"),
    "line1": _("详细地址"),
    "postcode": _("邮政编码"),
    "notes": _("配送备注"),
}
ADDRESS_WIDGETS = {
    "notes": forms.Textarea(attrs={"rows": 2}),
    "region_code": forms.HiddenInput,
}


class AddressFormMixin:
    """For a ModelForm of an Oscar address with ``region_code``, listed before Oscar's form
    class. The country is always 中国 (CN) and the phone a mainland mobile. The picker sends
    the county's code with its names; a form without JavaScript sends the names only, which
    must name one province–city–county of the table. A code that is not a county's, or that
    names another county than the names, is refused on 区/县; a valid address leaves the
    form (and its instance) with the code and the table's names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_number"].label = _("手机号码")
        if self.instance.phone_number and not self.is_bound:
            # Shown as everywhere else (138 1234 5678), not as stored (+8613812345678).
            self.initial["phone_number"] = phone_display(self.instance.phone_number)
        for name in ("first_name", "phone_number", "line1", *REGION_FIELDS):
            self.fields[name].required = True
        self.fields["region_code"].required = False
        self.fields["first_name"].widget.attrs.update(autocomplete="name")
        self.fields["phone_number"].widget.attrs.update(
            autocomplete="tel-national", inputmode="numeric", placeholder="13812345678"
        )
        self.fields["state"].widget.attrs.update(placeholder=_("如：安徽省"))
        self.fields["line4"].widget.attrs.update(placeholder=_("如：淮北市"))
        self.fields["line3"].widget.attrs.update(placeholder=_("如：烈山区"))
        self.fields["line1"].widget.attrs.update(placeholder=_("街道、小区、门牌号"))
        self.adjust_country_field()

    def adjust_country_field(self):
        # Deliveries go to mainland China only (the data migration creates 中国, CN).
        self.fields.pop("country", None)
        self.instance.country = country_cn()

    def clean_phone_number(self):
        number = normalise_mobile(self.cleaned_data.get("phone_number", ""))
        if not MAINLAND_MOBILE.match(number):
            raise forms.ValidationError(_("请输入正确的 11 位手机号码，如 13812345678。"))
        return PhoneNumber.from_string(number, region="CN")

    def clean_phone_number_field(self, field_name):
        # Oscar's international/local parsing is replaced by clean_phone_number above.
        return self.cleaned_data.get(field_name) or ""

    def clean(self):
        cleaned = super().clean()
        names = [(cleaned.get(name) or "").strip() for name in REGION_FIELDS]
        code = (cleaned.get("region_code") or "").strip()
        if code:
            division = division_by_code(code)
            if division is None:
                self.add_error(
                    "line3",
                    _("“%(code)s”不是区/县的区划代码，请从列表中选择区/县。") % {"code": code},
                )
                return cleaned
            if any(names) and tuple(names) != division.names():
                self.add_error("line3", _("所选的省、市、区/县与区划代码不一致，请重新选择。"))
                return cleaned
        elif all(names):
            division = division_by_names(*names)
            if division is None:
                self.add_error(
                    "line3", _("请从列表中选择省、市和区/县（如：安徽省 淮北市 烈山区）。")
                )
                return cleaned
        else:
            return cleaned  # the required fields say what is missing
        cleaned.update(
            state=division.province,
            line4=division.city,
            line3=division.county,
            region_code=division.code,
        )
        for name in (*REGION_FIELDS, "region_code"):
            setattr(self.instance, name, cleaned[name])
        return cleaned
