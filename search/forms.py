from django import forms
from django.utils.translation import gettext_lazy as _

from .engines import SortOrder


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    """The header search box and the filter bar of product lists."""

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
    sort_by = forms.ChoiceField(
        required=False,
        label=_("排序"),
        choices=SortOrder.choices,
        initial=SortOrder.RELEVANCE,
        widget=forms.Select(attrs={"class": "form-control form-control-sm"}),
    )

    def cleaned_or_default(self, name: str, default: str = "") -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


# Oscar's templates and context processor import these names from ``search.forms``.
BrowseCategoryForm = SearchForm
CategoryForm = SearchForm
