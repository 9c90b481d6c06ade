from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("令牌名称"),
        max_length=100,
        help_text=_("用于区分不同的对接系统，如：仓储系统"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：仓储系统")}),
        error_messages={"required": _("请填写令牌名称。")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写令牌名称。"))
        return name
