from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from phonenumber_field.phonenumber import PhoneNumber

from core.phones import MAINLAND_MOBILE, normalise_mobile
from orders.reference import country_cn
from regions.divisions import division_by_code, division_by_names


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """A mainland China delivery address: 收货人, 手机号, 省/市/区县, 详细地址.

    Oscar's address fields hold it as: first_name = recipient, state = province, line4 =
    city, line3 = county/district, line1 = street address; the country is always 中国 (CN).
    """

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = [
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
        labels = {
            "first_name": _("收货人"),
            "state": _("省/自治区/直辖市"),
            "line4": _("市"),
            "line3": _("区/县"),
            "line1": _("详细地址"),
            "postcode": _("邮政编码"),
            "notes": _("配送备注"),
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "region_code": forms.HiddenInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_number"].label = _("手机号码")
        self.fields["phone_number"].required = True
        for name in ("first_name", "phone_number", "state", "line4", "line3", "line1"):
            self.fields[name].required = True
        self.fields["first_name"].widget.attrs.update(autocomplete="name")
        self.fields["phone_number"].widget.attrs.update(
            autocomplete="tel-national", inputmode="numeric", placeholder="13812345678"
        )
        self.fields["state"].widget.attrs.update(placeholder=_("如：安徽省"))
        self.fields["line4"].widget.attrs.update(placeholder=_("如：淮北市"))
        self.fields["line3"].widget.attrs.update(placeholder=_("如：烈山区"))
        self.fields["line1"].widget.attrs.update(placeholder=_("街道、小区、门牌号"))

    def adjust_country_field(self):
        # Deliveries go to mainland China only (the data migration creates 中国, CN).
        self.fields.pop("country", None)
        self.instance.country = country_cn()

    def clean_phone_number(self):
        number = normalise_mobile(self.cleaned_data.get("phone_number", ""))
        if not MAINLAND_MOBILE.match(number):
            raise forms.ValidationError(_("请输入正确的 11 位手机号码，如 13812345678。"))
        return PhoneNumber.from_string(number, region="CN")

    def clean(self):
        """The picker sends the county's code and the names follow it; a form without
        JavaScript sends the names, which must name one province–city–county."""
        cleaned = super().clean()
        names = [cleaned.get(name, "") for name in ("state", "line4", "line3")]
        code = (cleaned.get("region_code") or "").strip()
        division = division_by_code(code) if code else None
        if division is None and all(names):
            division = division_by_names(*names)
        if division is None:
            if all(names) or code:
                self.add_error(
                    "line3", _("请从列表中选择省、市和区/县（如：安徽省 淮北市 烈山区）。")
                )
            return cleaned
        cleaned.update(
            state=division.province,
            line4=division.city,
            line3=division.county,
            region_code=division.code,
        )
        for name in ("state", "line4", "line3", "region_code"):
            setattr(self.instance, name, cleaned[name])
        return cleaned

    def clean_phone_number_field(self, field_name):
        # Oscar's international/local parsing is replaced by clean_phone_number above.
        return self.cleaned_data.get(field_name) or ""
