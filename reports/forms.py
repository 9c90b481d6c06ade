"""Forms of the bureau pages. Region choices are always limited to the staff member's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.validators import validate_credit_code
from core.widgets import DateInput, MonthInput
from orders.models import SalesChannel
from regions.models import Region

from .imports.columns import FORMULA_PREFIXES
from .models import EcommerceEntity, EntityMonthlyFigure, ImportKind, IndicatorRecord, SalesFact

Category = get_model("catalogue", "Category")


def _region_field(scope: Region, label, required=True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Region.objects.within(scope), label=label, required=required
    )


class NoFormulaMixin:
    """Text that would start a formula in a spreadsheet is refused at entry."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and value.strip().startswith(FORMULA_PREFIXES):
                self.add_error(name, _("不能以 = + - @ 开头。"))
        return data


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    region = forms.ChoiceField(label=_("区域"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), required=False)

    def __init__(self, *args, scope: Region, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.within(scope).filter(level__in=("province", "city", "county"))
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["channel"].choices = [("", _("全部渠道")), *SalesChannel.choices]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["date_to"] = data.get("date_to") or today
        data["date_from"] = data.get("date_from") or data["date_to"].replace(month=1, day=1)
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        if (data["date_to"] - data["date_from"]).days > 366 * 3:
            raise forms.ValidationError(_("日期范围最长三年。"))
        return data


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2015, max_value=2100)
    region = forms.ChoiceField(label=_("区域"), required=False)

    def __init__(self, *args, scope: Region, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.within(scope).filter(level__in=("province", "city", "county"))
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class AnnualReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写重新打开的原因。")},
        help_text=_("将与您的姓名和时间一起记录，并显示在年度统计报告上。"),
    )


class EntityForm(NoFormulaMixin, forms.ModelForm):
    class Meta:
        model = EcommerceEntity
        fields = [
            "name",
            "credit_code",
            "platform",
            "shop_name",
            "region",
            "registered_on",
            "active",
        ]
        widgets = {"registered_on": DateInput()}

    def __init__(self, *args, scope: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(scope, _("所在区划"))

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code:
            validate_credit_code(code)
        return code

    def clean_registered_on(self):
        day = self.cleaned_data["registered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("注册日期不能晚于今天。"))
        return day


class FigureForm(forms.ModelForm):
    month = forms.DateField(
        label=_("月份"),
        widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    class Meta:
        model = EntityMonthlyFigure
        fields = ["entity", "month", "retail_amount", "order_count"]

    def __init__(self, *args, scope: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = EcommerceEntity.objects.filter(
            region__path__startswith=scope.path
        ).order_by("name")

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("月份不能晚于本月。"))
        return month

    def clean_retail_amount(self):
        amount = self.cleaned_data["retail_amount"]
        if amount < 0:
            raise forms.ValidationError(_("不能小于 0。"))
        return amount


class IndicatorForm(NoFormulaMixin, forms.ModelForm):
    month = forms.DateField(
        label=_("月份"),
        widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    class Meta:
        model = IndicatorRecord
        fields = ["indicator", "region", "month", "value", "source", "note"]

    def __init__(self, *args, scope: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(scope, _("区划"))

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)


class OfflineSaleForm(NoFormulaMixin, forms.Form):
    date = forms.DateField(label=_("活动日期"), widget=DateInput())
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("产地区县"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(depth=1), label=_("品类"), required=False
    )
    amount = forms.DecimalField(label=_("销售额（元）"), max_digits=14, decimal_places=2)
    quantity = forms.IntegerField(label=_("件数"), required=False, initial=0)
    note = forms.CharField(
        label=_("活动说明"), max_length=200, help_text=_("如：进机关、进学校、进医院…")
    )
    organisation_code = forms.CharField(
        label=_("采购单位统一社会信用代码（选填）"),
        max_length=18,
        required=False,
        help_text=_("填写后，对账时核对该单位同月在本平台的订单没有重复录入。"),
    )

    def __init__(self, *args, scope: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.within(scope)
        self.scope = scope

    def clean_organisation_code(self):
        """The registered unit or organisation of that credit code within the scope (the
        model comes from the fact's own field: reports does not import procurement)."""
        code = (self.cleaned_data.get("organisation_code") or "").strip().upper()
        if not code:
            return None
        units = SalesFact._meta.get_field("organisation").related_model.objects
        unit = units.filter(
            credit_code=code, is_active=True, region__path__startswith=self.scope.path
        ).first()
        if unit is None:
            raise forms.ValidationError(_("没有找到管辖范围内该统一社会信用代码的已审核单位。"))
        return unit

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return day

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("金额不能为 0（更正请录入负数）。"))
        return amount


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("Excel（.xlsx）或 CSV，请使用模板"))
    import_valid_rows = forms.BooleanField(
        label=_("仅导入有效行（跳过有错误的行）"), required=False
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("文件为空。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("文件类型不支持：请上传 Excel（.xlsx）或 CSV 文件。"))
        return upload


def default_year() -> int:
    """The last full year: what the annual report is usually asked for."""
    return timezone.localdate().year - 1
