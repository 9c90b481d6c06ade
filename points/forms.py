"""The points pages' forms: they check the shape of the input; the rules (caps, rule in
force, village, balance, stock) are the services'."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput

from .models import Rule


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, rule: Rule) -> str:
        return gettext("%(year)s · %(aspect)s · %(code)s %(title)s（%(points)+d 分/%(unit)s）") % {
            "year": rule.aspect.rule_book.year,
            "aspect": rule.aspect.name,
            "code": rule.code,
            "title": rule.title,
            "points": rule.points,
            "unit": rule.get_unit_display(),
        }


class AwardForm(forms.Form):
    household_code = forms.CharField(label=_("户编码"), max_length=20)
    rule = RuleChoiceField(label=_("评分细则"), queryset=Rule.objects.none())
    awarded_on = forms.DateField(label=_("事项日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    photo = forms.FileField(label=_("佐证照片"), required=False)

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules if rules is not None else Rule.objects.none()


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("评议结果"),
        choices=[("1", _("评议通过，进入公示")), ("0", _("评议不通过"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("评议意见"), max_length=300, required=False)


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(label=_("异议人"), max_length=50)
    content = forms.CharField(
        label=_("异议内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[
            ("1", _("异议成立，撤销该积分")),
            ("0", _("异议不成立，继续公示")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("处理理由"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class LookupForm(forms.Form):
    code = forms.CharField(label=_("户编码"), max_length=20)
    phone_last4 = forms.RegexField(
        label=_("联系电话后四位"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("请填写 4 位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class HouseholdImportForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村"), queryset=None)
    file = forms.FileField(label=_("农户表（.xlsx 或 .csv）"))
    import_valid = forms.BooleanField(label=_("有错误行时仍导入其余正确的行"), required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class RestockForm(forms.Form):
    goods = forms.ModelChoiceField(label=_("商品"), queryset=None)
    quantity = forms.IntegerField(label=_("入库数量"), min_value=1, max_value=100_000)
    reason = forms.CharField(label=_("来源或说明"), max_length=300)

    def __init__(self, *args, goods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goods"].queryset = goods
