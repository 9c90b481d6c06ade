from oscar.apps.checkout import forms as oscar_forms

from regions.forms import ADDRESS_FIELDS, ADDRESS_LABELS, ADDRESS_WIDGETS, AddressFormMixin


class ShippingAddressForm(AddressFormMixin, oscar_forms.ShippingAddressForm):
    """A mainland China delivery address: 收货人, 手机号, 省/市/区县, 详细地址
    (``regions.forms``)."""

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = ADDRESS_FIELDS
        labels = ADDRESS_LABELS
        widgets = ADDRESS_WIDGETS
