"""Forms of the supplier portal and the review pages. Uploads are checked by their content
here (``services.documents``); a form's cleaned data holds ``CheckedFile`` objects."""

import html
import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.html import linebreaks, strip_tags
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.widgets import DateInput
from orders import carriers
from orders.shipping.models import SupplierShippingRule
from regions.models import Region, RegionLevel

from .exceptions import DocumentInvalidError
from .models import DocumentKind
from .services import document_check, product_image_check

Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

PHONE = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("请填写手机号或带区号的固定电话，如 0561-4611208。")
)
BANK_ACCOUNT = RegexValidator(r"^\d{8,30}$", _("银行账号应为 8 至 30 位数字。"))


def description_as_text(value: str) -> str:
    """A stored HTML description as the plain text the supplier edits."""
    text = re.sub(r"</p>\s*|<br\s*/?>", "\n", value or "")
    return html.unescape(strip_tags(text)).strip()


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' if obj.level == RegionLevel.TOWN else ''}{obj.name}"


def _region_choices():
    return Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWN])


class SupplierProfileForm(forms.ModelForm):
    """The supplier's profile as filed with an application (all of it) or edited later."""

    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所在区域"))

    class Meta:
        model = Partner
        fields = [
            "name",
            "credit_code",
            "supplier_type",
            "region",
            "address",
            "contact_name",
            "contact_phone",
            "households_helped",
            "introduction",
            "bank_name",
            "bank_account",
        ]
        labels = {"name": _("主体名称（与营业执照一致）")}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    #: Fields fixed once the supplier is certified (a change needs a new application).
    CERTIFIED_LOCKED = ("name", "credit_code", "supplier_type", "region")

    def __init__(self, *args, lock_identity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _region_choices()
        for name in ("name", "credit_code", "address", "contact_name", "contact_phone"):
            self.fields[name].required = True
        self.fields["bank_name"].required = True
        self.fields["bank_account"].required = True
        self.fields["contact_phone"].validators.append(PHONE)
        self.fields["bank_account"].validators.append(BANK_ACCOUNT)
        self.fields["credit_code"].help_text = _("18 位，含校验位，如 93340621MA2N0T1X4K")
        if lock_identity:
            for name in self.CERTIFIED_LOCKED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("已认定的主体信息不能在此修改。")

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def clean_bank_account(self):
        return re.sub(r"\s+", "", self.cleaned_data.get("bank_account") or "")


class DocumentsForm(forms.Form):
    """Application documents: PDF, JPG or PNG, checked by content, size-limited."""

    business_license = forms.FileField(label=_("营业执照"), required=False)
    poverty_proof = forms.FileField(label=_("带贫减贫证明"), required=False)
    quality_proof = forms.FileField(label=_("产品质量证明"), required=False)
    other = forms.FileField(label=_("其他材料"), required=False)

    def __init__(self, *args, require_license: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_license"].required = require_license
        for field in self.fields.values():
            field.widget.attrs["accept"] = (
                ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            )
            field.error_messages["required"] = _("请上传此项材料。")

    def _check(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            return document_check(upload)
        except DocumentInvalidError as error:
            raise forms.ValidationError(str(error))

    def clean_business_license(self):
        return self._check("business_license")

    def clean_poverty_proof(self):
        return self._check("poverty_proof")

    def clean_quality_proof(self):
        return self._check("quality_proof")

    def clean_other(self):
        return self._check("other")

    def documents(self) -> list:
        return [
            (DocumentKind(name), self.cleaned_data[name])
            for name in ("business_license", "poverty_proof", "quality_proof", "other")
            if self.cleaned_data.get(name)
        ]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    """A reviewer's decision; returning, rejecting and revoking need a reason."""

    ACTIONS = {
        "recommend": _("推荐"),
        "return": _("退回修改"),
        "approve": _("批准认定"),
        "reject": _("不予认定"),
        "revoke": _("撤销认定"),
    }
    NEEDS_REASON = ("return", "reject", "revoke")

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in self.NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回、不予认定或撤销时必须填写理由。"))
        return data


class ListingDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("通过上架")), ("reject", _("退回"))])
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回时必须填写理由。"))
        return data


class ProductForm(forms.Form):
    """A supplier's product with its own stock record (price, stock, SKU)."""

    title = forms.CharField(label=_("商品名称"), max_length=255)
    category = forms.ModelChoiceField(
        label=_("商品分类"), queryset=Category.objects.none(), empty_label=_("请选择分类")
    )
    description = forms.CharField(
        label=_("商品介绍"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    spec = forms.CharField(label=_("规格"), max_length=100, help_text=_("如：5kg/箱"))
    origin_region = RegionChoiceField(label=_("产地区划"), queryset=Region.objects.none())
    origin_detail = forms.CharField(
        label=_("产地"), max_length=100, required=False, help_text=_("如：濉溪县段园镇")
    )
    shelf_life = forms.CharField(label=_("保质期"), max_length=50, required=False)
    storage = forms.CharField(label=_("储存条件"), max_length=100, required=False)
    is_geo_indication = forms.BooleanField(label=_("地理标志"), required=False)
    is_green = forms.BooleanField(label=_("绿色食品"), required=False)
    is_organic = forms.BooleanField(label=_("有机产品"), required=False)
    partner_sku = forms.CharField(
        label=_("商品编码（SKU）"),
        max_length=128,
        validators=[
            RegexValidator(r"^[A-Za-z0-9._-]+$", _("SKU 只能包含字母、数字、点、下划线和短横线。"))
        ],
    )
    price = forms.DecimalField(
        label=_("售价（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), _("售价必须大于 0。"))],
    )
    num_in_stock = forms.IntegerField(
        label=_("库存（件）"),
        validators=[
            MinValueValidator(0, _("库存不能为负数。")),
            MaxValueValidator(10_000_000),
        ],
    )
    low_stock_threshold = forms.IntegerField(
        label=_("低库存提醒（件）"),
        required=False,
        validators=[MinValueValidator(0, _("不能为负数。"))],
    )
    min_order_quantity = forms.IntegerField(
        label=_("起订量"), initial=1, validators=[MinValueValidator(1, _("起订量至少为 1。"))]
    )
    order_increment = forms.IntegerField(
        label=_("购买增量"), initial=1, validators=[MinValueValidator(1, _("增量至少为 1。"))]
    )
    image = forms.FileField(
        label=_("商品图片"), required=False, help_text=_("JPG 或 PNG，5 MB 以内")
    )

    def __init__(self, *args, partner, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.record = record
        self.fields["category"].queryset = Category.objects.all()
        self.fields["origin_region"].queryset = _region_choices()
        self.fields["image"].widget.attrs["accept"] = ".jpg,.jpeg,.png,image/jpeg,image/png"
        for name in ("price", "num_in_stock", "min_order_quantity", "order_increment"):
            self.fields[name].error_messages["invalid"] = _("请输入有效的数字。")

    @classmethod
    def initial_for(cls, product, record) -> dict:
        first = product.categories.first()
        return {
            "title": product.title,
            "category": first.pk if first else None,
            "description": description_as_text(product.description),
            "spec": product.spec,
            "origin_region": product.origin_region_id,
            "origin_detail": product.origin_detail,
            "shelf_life": product.shelf_life,
            "storage": product.storage,
            "is_geo_indication": product.is_geo_indication,
            "is_green": product.is_green,
            "is_organic": product.is_organic,
            "partner_sku": record.partner_sku,
            "price": record.price,
            "num_in_stock": record.num_in_stock,
            "low_stock_threshold": record.low_stock_threshold,
            "min_order_quantity": product.min_order_quantity,
            "order_increment": product.order_increment,
        }

    def clean_description(self):
        """Suppliers write plain text; the shop shows product descriptions as HTML, so the
        text is escaped and its paragraphs kept (no markup of the supplier's reaches a page)."""
        text = (self.cleaned_data.get("description") or "").strip()
        return linebreaks(text, autoescape=True) if text else ""

    def clean_partner_sku(self):
        sku = self.cleaned_data["partner_sku"].strip()
        clash = StockRecord.objects.filter(partner=self.partner, partner_sku=sku)
        if self.record is not None:
            clash = clash.exclude(pk=self.record.pk)
        if clash.exists():
            raise forms.ValidationError(_("您已有商品使用这个 SKU，请换一个。"))
        return sku

    def clean_num_in_stock(self):
        value = self.cleaned_data["num_in_stock"]
        allocated = (self.record.num_allocated or 0) if self.record else 0
        if value < allocated:
            raise forms.ValidationError(
                _("库存不能少于已被订单占用的 %(n)s 件。") % {"n": allocated}
            )
        return value

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        try:
            return product_image_check(upload)
        except DocumentInvalidError as error:
            raise forms.ValidationError(str(error))

    def product_fields(self) -> dict:
        names = (
            "title",
            "description",
            "spec",
            "origin_region",
            "origin_detail",
            "shelf_life",
            "storage",
            "is_geo_indication",
            "is_green",
            "is_organic",
            "min_order_quantity",
            "order_increment",
        )
        return {name: self.cleaned_data[name] for name in names}

    def stock_fields(self) -> dict:
        names = ("partner_sku", "price", "num_in_stock", "low_stock_threshold")
        return {name: self.cleaned_data[name] for name in names}


class ShipmentForm(forms.Form):
    """Ship some of the supplier's lines of one order: a quantity per line left to ship, the
    carrier picked from the list (其他 with a name of its own) and a tracking number in the
    carrier's format."""

    carrier = forms.ChoiceField(
        label=_("承运商"),
        choices=carriers.carrier_choices,
        error_messages={"invalid_choice": _("请从列表中选择承运商。")},
    )
    carrier_other = forms.CharField(
        label=_("其他承运商名称"),
        max_length=64,
        required=False,
        help_text=_("承运商选“其他”时填写。"),
    )
    tracking_number = forms.CharField(label=_("运单号"), max_length=40)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.to_ship > 0]
        for line in self.lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=line.title,
                required=False,
                initial=line.to_ship,
                min_value=0,
                error_messages={
                    "min_value": _("发货数量不能为负数。"),
                    "invalid": _("请输入整数。"),
                },
            )

    def quantities(self) -> dict[int, int]:
        return {
            line.pk: self.cleaned_data.get(f"qty_{line.pk}") or 0
            for line in self.lines
            if self.cleaned_data.get(f"qty_{line.pk}")
        }

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("carrier")
        if code == carriers.OTHER:
            name = (cleaned.get("carrier_other") or "").strip()
            if not name:
                self.add_error("carrier_other", _("请填写承运商名称。"))
        else:
            name = carriers.BY_CODE[code].name if code else ""
        cleaned["carrier_name"] = name
        if name and "tracking_number" in cleaned:
            number = carriers.tracking_normalise(cleaned["tracking_number"])
            cleaned["tracking_number"] = number
            error = carriers.tracking_error(carrier_name=name, tracking_number=number)
            if error:
                self.add_error("tracking_number", error)
        return cleaned

    def line_fields(self):
        return [(line, self[f"qty_{line.pk}"]) for line in self.lines]


class ShippingRuleForm(forms.ModelForm):
    class Meta:
        model = SupplierShippingRule
        fields = ["fee", "free_threshold"]
        labels = {"fee": _("每单运费（元）"), "free_threshold": _("包邮门槛（元）")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee"].error_messages["min_value"] = _("运费不能为负数。")
        self.fields["free_threshold"].error_messages["min_value"] = _("包邮门槛不能为负数。")
        for field in self.fields.values():
            field.validators = [
                MinValueValidator(Decimal("0"), _("不能为负数。"))
                if isinstance(v, MinValueValidator)
                else v
                for v in field.validators
            ]


class SalesFilterForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期"), widget=DateInput())
    date_to = forms.DateField(label=_("结束日期"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("结束日期不能早于开始日期。"))
            elif (end - start).days > 366:
                self.add_error("date_to", _("一次最多查询一年。"))
        return data
