from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.phones import is_callable_number
from core.widgets import DateInput
from regions.models import Region

from .models import BudgetUnit, CanteenStatus, CountingEvent, MemberRole, UnitType
from .services.filings import percent


def _money_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={
            "invalid": _("请输入金额（元），如 120000.00。"),
            "min_value": _("金额不能为负数。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
            "required": _("请填写此项。"),
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class FilingForm(forms.Form):
    canteen_budget = _money_field(_("年度食堂食材采购预算（元）"))
    reserved_amount = _money_field(_("预留份额（元）"))
    union_demand = _money_field(_("工会采购需求（元）"), required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    zero_reason = forms.CharField(
        label=_("零预留原因"),
        max_length=300,
        required=False,
        help_text=_("无食堂且没有其他农副产品采购的单位，可填报零预留并说明原因，由审核部门认定。"),
    )
    contractor_name = forms.CharField(label=_("食堂承包方"), max_length=100, required=False)
    contract_no = forms.CharField(label=_("承包合同编号"), max_length=60, required=False)

    def __init__(self, *args, canteen_status: str = CanteenStatus.OWN, **kwargs):
        """The fields of the unit's canteen case: a unit without a canteen files its other
        farm-product purchases (union welfare and the like) or a zero reserve with a reason;
        an outsourced canteen names its contractor and contract."""
        super().__init__(*args, **kwargs)
        if canteen_status == CanteenStatus.NONE:
            self.fields["canteen_budget"].label = _("年度其他农副产品采购预算（元）")
            self.fields["canteen_budget"].help_text = _(
                "无食堂的单位填报食堂以外的农副产品采购，如工会福利；没有的可填 0。"
            )
        else:
            del self.fields["zero_reason"]
        if canteen_status != CanteenStatus.OUTSOURCED:
            del self.fields["contractor_name"], self.fields["contract_no"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=300,
        error_messages={"required": _("请填写原因。")},
        widget=forms.TextInput(),
    )


class AdjustmentForm(forms.Form):
    committed_delta = forms.DecimalField(
        label=_("已占用调整（元，可为负）"), max_digits=14, decimal_places=2, initial=0
    )
    completed_delta = forms.DecimalField(
        label=_("已完成调整（元，可为负）"), max_digits=14, decimal_places=2, initial=0
    )
    reason = forms.CharField(
        label=_("调整原因"), max_length=300, error_messages={"required": _("请填写调整原因。")}
    )


class CheckoutDetailsForm(forms.Form):
    """The order's delivery and invoice details: the checkout page's rules, which the API's
    order submission applies too."""

    canteen = forms.CharField(label=_("收货食堂"), max_length=100)
    delivery_address = forms.CharField(label=_("收货地址"), max_length=200)
    contact_name = forms.CharField(label=_("收货人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    invoice_title = forms.CharField(label=_("发票抬头"), max_length=100)
    tax_number = forms.RegexField(
        label=_("纳税人识别号"),
        regex=r"^[0-9A-Z]{15,20}$",
        error_messages={"invalid": _("纳税人识别号应为 15–20 位数字或大写字母。")},
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def clean_contact_phone(self):
        # The order's shipping address keeps a mobile as a phone number and anything else as
        # a note; both must be a number the supplier can call.
        phone = self.cleaned_data["contact_phone"]
        if not is_callable_number(phone):
            raise forms.ValidationError(_("请填写手机号或带区号的固定电话，如 0561-4611208。"))
        return phone


class CheckoutForm(CheckoutDetailsForm):
    filing = forms.ModelChoiceField(
        label=_("使用的预留份额"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("请选择已通过审核的本单位填报。")},
    )
    field_order = ["filing"]

    def __init__(self, *args, filings=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if filings is None:  # an organisation orders without a filing
            del self.fields["filing"]
            return
        self.fields["filing"].queryset = filings

        def label(f) -> str:
            text = _("%(year)s 年度（已完成 %(rate)s）") % {
                "year": f.policy_year.year,
                "rate": percent(f.completion_rate),
            }
            if unit is not None and f.unit_id != unit.pk:
                # A shared canteen's member orders against its host's filing.
                text += _(" · 共用食堂主办单位“%(host)s”的填报") % {"host": f.unit.name}
            return text

        self.fields["filing"].label_from_instance = label


class TransferForm(forms.Form):
    reference_no = forms.CharField(label=_("转账流水号"), max_length=60)


class InvoiceForm(forms.Form):
    invoice_number = forms.CharField(label=_("发票号码"), max_length=40)
    invoice_date = forms.DateField(label=_("开票日期"), widget=DateInput())
    amount = forms.DecimalField(label=_("发票金额（元）"), max_digits=14, decimal_places=2)


class GroupAddressUploadForm(forms.Form):
    """The address list of a group order (多地址配送), an Excel file of the template's form."""

    #: 2,000 rows of addresses are far below this; anything larger is not an address list.
    MAX_BYTES = 5 * 1024 * 1024

    addresses = forms.FileField(
        label=_("地址清单（Excel）"),
        error_messages={"required": _("请选择地址清单文件。"), "empty": _("文件为空。")},
    )

    def clean_addresses(self):
        upload = self.cleaned_data["addresses"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload

    def file_bytes(self) -> bytes:
        upload = self.cleaned_data["addresses"]
        upload.seek(0)
        return upload.read()


class ParcelAcceptanceForm(forms.Form):
    """One parcel of a group order accepted with what was really received: per product of
    the parcel the number 合格, 短少 and 破损 (adding up to what was shipped), and the reason
    when anything is short or damaged. ``shipped`` is the parcel's ``ShippingEventQuantity``
    rows; each field is named by its line (``accepted-<line id>``)."""

    PARTS = (("accepted", _("合格")), ("short", _("短少")), ("damaged", _("破损")))

    reason = forms.CharField(
        label=_("短少或破损的原因"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("如：外箱压坏 1 盒、快递丢件"),
                "class": "form-control form-control-sm pc-reason",
            }
        ),
    )

    def __init__(self, *args, shipped, **kwargs):
        super().__init__(*args, **kwargs)
        self.shipped = list(shipped)
        for q in self.shipped:
            for part, label in self.PARTS:
                self.fields[f"{part}-{q.line_id}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=q.quantity,
                    initial=q.quantity if part == "accepted" else 0,
                    error_messages={
                        "required": _("请填写数量。"),
                        "invalid": _("请填写整数。"),
                        "min_value": _("不能为负数。"),
                        "max_value": _("不能超过发货的 %(limit_value)s 件。"),
                    },
                    widget=forms.NumberInput(
                        attrs={"class": "form-control form-control-sm pc-qty"}
                    ),
                )

    def rows(self):
        """Per product: its shipped quantity and its three bound fields, for the template."""
        return [
            {
                "line": q.line,
                "shipped": q.quantity,
                "fields": [self[f"{p}-{q.line_id}"] for p, _l in self.PARTS],
            }
            for q in self.shipped
        ]

    def clean(self):
        data = super().clean()
        lacking = False
        for q in self.shipped:
            parts = [data.get(f"{p}-{q.line_id}") for p, _l in self.PARTS]
            if None in parts:
                continue
            if sum(parts) != q.quantity:
                self.add_error(
                    f"accepted-{q.line_id}",
                    _("合格、短少、破损之和应等于发货的 %(n)s 件。") % {"n": q.quantity},
                )
            lacking = lacking or bool(parts[1] or parts[2])
        if lacking and not (data.get("reason") or "").strip():
            self.add_error("reason", _("有短少或破损时，请填写原因。"))
        return data

    def quantities(self) -> dict[int, tuple[int, int, int]]:
        data = self.cleaned_data
        return {
            q.line_id: tuple(data[f"{p}-{q.line_id}"] for p, _l in self.PARTS) for q in self.shipped
        }


class PurchaseListForm(forms.Form):
    name = forms.CharField(label=_("清单名称"), max_length=50)


class CompletionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False)
    region = forms.ModelChoiceField(
        label=_("区域"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    unit_type = forms.ChoiceField(
        label=_("单位类型"), choices=[("", _("全部")), *UnitType.choices], required=False
    )
    supervising_unit = forms.ChoiceField(label=_("主管单位"), required=False)
    behind = forms.BooleanField(label=_("只看进度落后"), required=False)

    def __init__(self, *args, scope=None, supervising=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.within(scope).exclude(level="town")
        self.fields["supervising_unit"].choices = [("", _("全部"))] + [(s, s) for s in supervising]


class PolicyYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    min_ratio = forms.DecimalField(
        label=_("最低预留比例（%）"), max_digits=6, decimal_places=2, min_value=0, max_value=100
    )
    encouraged_ratio = forms.DecimalField(
        label=_("鼓励预留比例（%）"), max_digits=6, decimal_places=2, min_value=0, max_value=100
    )
    filing_deadline = forms.DateField(label=_("填报截止日期"), widget=DateInput())
    counting_event = forms.ChoiceField(label=_("计入完成的环节"), choices=CountingEvent.choices)
    is_open = forms.BooleanField(label=_("接受填报"), required=False, initial=True)
    cap_at_canteen_budget = forms.BooleanField(
        label=_("以年度食堂食材采购预算为采购上限"),
        required=False,
        help_text=_("预留份额是下限，单位可以超额采购；勾选后采购累计不得超过其填报的预算。"),
    )
    union_counts_for_parent = forms.BooleanField(
        label=_("工会采购计入所属单位预留份额"),
        required=False,
        help_text=_("默认不计入：工会采购只计入工会自己的消费帮扶任务。"),
    )
    supervisor_review_required = forms.BooleanField(
        label=_("申报须经主管预算单位初审"),
        required=False,
        help_text=_("勾选后，设有主管预算单位的单位的填报先由主管预算单位初审，再由审核部门审核。"),
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_ratio"), data.get("encouraged_ratio")
        if low is not None and high is not None and high < low:
            self.add_error("encouraged_ratio", _("鼓励比例不能低于最低比例。"))
        return data


class PolicyOverrideForm(forms.Form):
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.counties())
    min_ratio = forms.DecimalField(
        label=_("最低预留比例（%）"), max_digits=6, decimal_places=2, min_value=0, max_value=100
    )
    encouraged_ratio = forms.DecimalField(
        label=_("鼓励预留比例（%）"), max_digits=6, decimal_places=2, min_value=0, max_value=100
    )


class UnitForm(forms.ModelForm):
    """A unit's own details, for its self-registration and for bureau staff creating it.
    Duplicate names and credit codes are field errors the service reports (the model's unique
    constraints, which only the service can check: they depend on the registration status)."""

    class Meta:
        model = BudgetUnit
        fields = [
            "name",
            "credit_code",
            "region",
            "unit_type",
            "supervising_unit",
            "canteen_status",
            "address",
        ]
        error_messages = {
            "name": {"required": _("请填写单位名称。")},
            "credit_code": {"required": _("请填写统一社会信用代码。")},
            "region": {
                "required": _("请选择单位所在的县（区）。"),
                "invalid_choice": _("请选择管辖范围内的县（区）。"),
            },
            "unit_type": {"required": _("请选择单位类型。")},
        }
        help_texts = {
            "credit_code": _("18 位，见单位法人证书或营业执照。"),
            "supervising_unit": _("如：淮北市教育局。"),
        }

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            regions if regions is not None else Region.objects.counties()
        )
        self.fields["region"].empty_label = _("请选择县（区）")

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("成员邮箱"),
        error_messages={"required": _("请填写成员邮箱。"), "invalid": _("请输入有效的邮箱地址。")},
        help_text=_("对方须先在本站注册账号。"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=MemberRole.choices)


class RefundForm(forms.Form):
    reason = forms.CharField(
        label=_("退款原因"), max_length=300, error_messages={"required": _("请填写退款原因。")}
    )
    voucher = forms.CharField(label=_("凭证号码"), max_length=60, required=False)


class OrganisationForm(forms.Form):
    """A "八进" organisation's details, for its self-registration and for bureau staff
    creating it: the type is one of the policy year's, a union names its parent unit."""

    name = forms.CharField(
        label=_("单位名称"), max_length=100, error_messages={"required": _("请填写单位名称。")}
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        help_text=_("18 位，见营业执照、工会法人资格证书或单位法人证书。"),
        error_messages={"required": _("请填写统一社会信用代码。")},
    )
    region = forms.ModelChoiceField(
        label=_("所在区域"),
        queryset=Region.objects.none(),
        empty_label=_("请选择县（区）"),
        error_messages={
            "required": _("请选择单位所在的县（区）。"),
            "invalid_choice": _("请选择管辖范围内的县（区）。"),
        },
    )
    org_type = forms.ChoiceField(
        label=_("单位类型"), error_messages={"required": _("请选择“八进”单位类型。")}
    )
    parent = forms.ModelChoiceField(
        label=_("所属单位（工会填写）"),
        queryset=BudgetUnit.objects.none(),
        required=False,
        empty_label=_("（非工会不填）"),
        error_messages={"invalid_choice": _("所属单位须为已通过审核的预算单位或企业。")},
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, types=(), regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_type"].choices = [("", _("请选择"))] + [(t.code, t.name) for t in types]
        self.fields["region"].queryset = (
            regions if regions is not None else Region.objects.counties()
        )
        self.fields["parent"].queryset = BudgetUnit.objects.filter(is_active=True).filter(
            Q(kind="budget_unit") | Q(org_type="enterprise")
        )

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class UnionTargetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("任务金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("任务金额须为正数。")},
    )


class UnitLinksForm(forms.Form):
    """The bureau's settings of a unit's links: its supervising unit and its canteen case
    with the host of a shared canteen. Choices are the active units of the bureau's region."""

    supervisor = forms.ModelChoiceField(
        label=_("主管预算单位"),
        queryset=BudgetUnit.objects.none(),
        required=False,
        empty_label=_("（无）"),
        error_messages={"invalid_choice": _("请选择管辖范围内的单位。")},
        help_text=_("其主管审核人在年度政策要求时初审本单位的填报。"),
    )
    canteen_status = forms.ChoiceField(label=_("食堂情况"), choices=CanteenStatus.choices)
    canteen_host = forms.ModelChoiceField(
        label=_("共用食堂主办单位"),
        queryset=BudgetUnit.objects.none(),
        required=False,
        empty_label=_("（无）"),
        error_messages={"invalid_choice": _("请选择管辖范围内的单位。")},
        help_text=_("共用食堂的成员单位：由主办单位统一填报，本单位的采购计入主办单位的填报。"),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("supervisor", "canteen_host"):
            self.fields[name].queryset = units if units is not None else BudgetUnit.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("canteen_host") and data.get("canteen_status") != CanteenStatus.SHARED:
            self.add_error("canteen_host", _("只有共用食堂的成员单位填写主办单位。"))
        return data
