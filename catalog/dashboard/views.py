from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue import views as oscar_views


class CategoryForm(oscar_forms.CategoryForm):
    """Oscar's category form with the English name (``name_en``, ``core.localized``) right
    after the Chinese one."""

    class Meta(oscar_forms.CategoryForm.Meta):
        fields = ["name", "name_en", *oscar_forms.CategoryForm.Meta.fields[1:]]


class CategoryCreateView(oscar_views.CategoryCreateView):
    form_class = CategoryForm


class CategoryUpdateView(oscar_views.CategoryUpdateView):
    form_class = CategoryForm
