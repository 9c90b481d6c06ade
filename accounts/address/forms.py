from oscar.apps.address import forms as oscar_forms

from regions.forms import ADDRESS_FIELDS, ADDRESS_LABELS, ADDRESS_WIDGETS, AddressFormMixin


class UserAddressForm(AddressFormMixin, oscar_forms.UserAddressForm):
    """An address book entry, asked for as checkout asks for a delivery address
    (``regions.forms``): province, city and county from the picker, kept as the county's
    code and the three names."""

    class Meta(oscar_forms.UserAddressForm.Meta):
        fields = ADDRESS_FIELDS
        labels = ADDRESS_LABELS
        widgets = ADDRESS_WIDGETS
