from django import forms
from django.utils.translation import gettext_lazy as _

from .engines import PRICE_RANGES, Flag, SortOrder


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    """The header search box and the filter bar of product lists (search, browse, category).

    An invalid value is dropped from the search rather than failing the page: the filter
    bar shows what was applied.
    """

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("搜索"),
        widget=SearchInput(
            attrs={
                "placeholder": _("搜索农产品，如 石榴、酥梨"),
                "class": "form-control",
                "autocomplete": "off",
            }
        ),
    )
    origin = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    supplier = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    flag = forms.MultipleChoiceField(
        required=False, choices=Flag.choices, widget=forms.MultipleHiddenInput
    )
    price = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(r.key, r.label) for r in PRICE_RANGES],
        widget=forms.HiddenInput,
    )
    in_stock = forms.BooleanField(required=False, widget=forms.HiddenInput)
    sort_by = forms.ChoiceField(
        required=False,
        label=_("排序"),
        choices=SortOrder.choices,
        initial=SortOrder.RELEVANCE,
        widget=forms.Select(attrs={"class": "form-control form-control-sm"}),
    )

    def cleaned_or_default(self, name: str, default=""):
        """The field's clean value, or ``default`` when it is missing or invalid."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return value or default


# Oscar's templates and context processor import these names from ``search.forms``.
BrowseCategoryForm = SearchForm
CategoryForm = SearchForm
