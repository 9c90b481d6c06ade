"""StreamField blocks of the CMS pages: each has a template and a preview in the block picker."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .choosers import ProductChooserBlock, SupplierChooserBlock

#: What editors may put in rich text: no embeds, no raw HTML. Wagtail keeps only these
#: elements and attributes when it converts the editor's content to HTML.
RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "blockquote",
    "link",
    "document-link",
    "image",
]


def link_is_safe(url: str) -> bool:
    """A path of this site (``/news/``) or an absolute http(s) URL with a host, nothing else.

    ``//evil.example/x`` and ``/\\evil.example`` start with a slash but browsers read them as
    other hosts; backslashes, whitespace and control characters have no place in a link an
    editor types (an encoded URL carries none), and ``javascript:`` or ``data:`` never pass."""
    if not url or any(c == "\\" or c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


LINK_UNSAFE_MESSAGE = _(
    "链接地址须是本站路径（以单个 / 开头）或完整的 http(s):// 地址，且不含空格和反斜杠。"
)


def link_errors(value) -> dict:
    """Errors of a block with a ``page`` and a ``url`` child: one of them, and a safe URL."""
    url = (value.get("url") or "").strip()
    if not value.get("page") and not url:
        return {"url": ValidationError(_("请选择页面或填写链接地址。"))}
    if url and not link_is_safe(url):
        return {"url": ValidationError(LINK_UNSAFE_MESSAGE)}
    return {}


def county_choices() -> list[tuple[str, str]]:
    from regions.models import Region

    return [(r.code, r.name) for r in Region.objects.counties().order_by("code")]


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        template = "frontend/blocks/rich_text.html"
        icon = "pilcrow"
        label = _("正文")
        description = _("带标题、列表和链接的正文段落")
        preview_value = (
            "<h2>年度工作情况</h2><p>2023年，全市新增农村电商主体<b>205家</b>，"
            "实现上行农产品网络零售额<b>15.98亿元</b>，同比增长5.2%。</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=120)
    alt = blocks.CharBlock(
        label=_("替代文字"), required=False, max_length=120, help_text=_("供读屏软件朗读")
    )

    class Meta:
        template = "frontend/blocks/captioned_image.html"
        icon = "image"
        label = _("图片")
        description = _("一张图片及其说明")

    def get_preview_value(self):
        from wagtail.images import get_image_model

        image = get_image_model().objects.order_by("-pk").first()
        return self.to_python(
            {"image": image.pk if image else None, "caption": "塔山石榴园", "alt": ""}
        )


class ProductGridBlock(blocks.StructBlock):
    """Products from the shop, live: only purchasable ones are ever shown."""

    title = blocks.CharBlock(label=_("标题"), required=False, max_length=40)
    source = blocks.ChoiceBlock(
        label=_("商品来源"),
        choices=[
            ("chosen", _("手动选择的商品")),
            ("county", _("某区县的最新商品")),
            ("latest", _("全站最新商品")),
        ],
        default="chosen",
    )
    products = blocks.ListBlock(
        ProductChooserBlock(label=_("商品")), label=_("商品"), required=False
    )
    county = blocks.ChoiceBlock(label=_("区县"), choices=county_choices, required=False)
    limit = blocks.IntegerBlock(label=_("最多显示"), default=8, min_value=1, max_value=24)

    class Meta:
        template = "frontend/blocks/product_grid.html"
        icon = "list-ul"
        label = _("商品列表")
        description = _("手选商品，或按规则自动显示某区县的最新商品")
        preview_value = {"title": "精选好物", "source": "latest", "limit": 4}

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["source"] == "chosen" and not value["products"]:
            errors["products"] = ValidationError(_("请至少选择一件商品。"))
        if value["source"] == "county" and not value["county"]:
            errors["county"] = ValidationError(_("请选择区县。"))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        from regions.models import Region

        from .selectors import product_cards_by_ids, product_cards_latest

        context = super().get_context(value, parent_context=parent_context)
        limit = value["limit"] or 8
        if value["source"] == "chosen":
            ids = [p.pk for p in value["products"] if p is not None]
            context["products"] = product_cards_by_ids(ids)[:limit]
        else:
            region = None
            if value["source"] == "county":
                region = Region.objects.filter(code=value["county"]).first()
            context["products"] = (
                []
                if value["source"] == "county" and region is None
                else product_cards_latest(region=region, limit=limit)
            )
        return context


class SupplierCardBlock(blocks.StructBlock):
    supplier = SupplierChooserBlock(label=_("供应商"))
    note = blocks.TextBlock(label=_("推荐语"), required=False, max_length=200)

    class Meta:
        template = "frontend/blocks/supplier_card.html"
        icon = "group"
        label = _("供应商卡片")
        description = _("一家认定供应商：类型、所在地、带动脱贫户数")

    def get_preview_value(self):
        from oscar.core.loading import get_model

        Partner = get_model("partner", "Partner")
        supplier = Partner.objects.filter(certified_until__isnull=False).order_by("pk").first()
        return self.to_python({"supplier": supplier.pk if supplier else None, "note": ""})


class StatisticsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("标题"), required=False, max_length=40)
    figures = blocks.MultipleChoiceBlock(
        label=_("显示的数据"),
        choices=[
            ("sales_total", _("平台销售额")),
            ("supplier_count", _("认定供应商")),
            ("product_count", _("在售商品")),
            ("households_helped", _("带动脱贫户")),
        ],
        default=["sales_total", "supplier_count", "product_count", "households_helped"],
    )

    class Meta:
        template = "frontend/blocks/statistics.html"
        icon = "table"
        label = _("实时数据")
        description = _("平台销售额、认定供应商、在售商品和带动脱贫户数，实时更新")
        preview_value = {
            "title": "帮扶成效",
            "figures": ["sales_total", "supplier_count", "product_count", "households_helped"],
        }

    def get_context(self, value, parent_context=None):
        from .selectors import site_statistics

        context = super().get_context(value, parent_context=parent_context)
        context["stats"] = site_statistics()
        return context


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("标题"), max_length=60)
    text = blocks.TextBlock(label=_("说明"), required=False, max_length=200)
    button_text = blocks.CharBlock(label=_("按钮文字"), max_length=20)
    page = blocks.PageChooserBlock(label=_("链接到页面"), required=False)
    url = blocks.CharBlock(
        label=_("或链接地址"), required=False, max_length=200, help_text=_("如 /shop/catalogue/")
    )

    class Meta:
        template = "frontend/blocks/call_to_action.html"
        icon = "link"
        label = _("行动按钮")
        description = _("一句号召和一个按钮，如“预算单位采购指南”")
        preview_value = {
            "title": "预算单位如何采购？",
            "text": "食堂预留份额在线填报、下单、验收，一站完成。",
            "button_text": "查看采购指南",
            "url": "/",
        }

    def clean(self, value):
        value = super().clean(value)
        if errors := link_errors(value):
            raise StructBlockValidationError(block_errors=errors)
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文档"))
    title = blocks.CharBlock(label=_("显示名称"), required=False, max_length=120)

    class Meta:
        template = "frontend/blocks/document_link.html"
        icon = "doc-full"
        label = _("文档下载")
        description = _("附件下载链接，显示文件类型和大小")

    def get_preview_value(self):
        from wagtail.documents import get_document_model

        document = get_document_model().objects.order_by("-pk").first()
        return self.to_python({"document": document.pk if document else None, "title": ""})


class HuinongTableBlock(TableBlock):
    class Meta:
        template = "frontend/blocks/table.html"
        icon = "table"
        label = _("表格")
        description = _("简单表格，如各区县完成情况")
        preview_value = {
            "first_row_is_table_header": True,
            "data": [["区县", "认定供应商"], ["濉溪县", "8"], ["烈山区", "5"]],
        }


class BodyBlock(blocks.StreamBlock):
    rich_text = RichTextBlock()
    image = CaptionedImageBlock()
    product_grid = ProductGridBlock()
    supplier_card = SupplierCardBlock()
    statistics = StatisticsBlock()
    call_to_action = CallToActionBlock()
    table = HuinongTableBlock()
    document = DocumentLinkBlock()

    class Meta:
        block_counts = {}


class CarouselSlideBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"), required=False)
    title = blocks.CharBlock(label=_("标题"), max_length=60)
    title_en = blocks.CharBlock(label=_("标题（英文）"), required=False, max_length=180)
    subtitle = blocks.CharBlock(label=_("副标题"), required=False, max_length=120)
    subtitle_en = blocks.CharBlock(label=_("副标题（英文）"), required=False, max_length=360)
    button_text = blocks.CharBlock(label=_("按钮文字"), required=False, max_length=20)
    button_text_en = blocks.CharBlock(label=_("按钮文字（英文）"), required=False, max_length=60)
    page = blocks.PageChooserBlock(label=_("链接到页面"), required=False)
    url = blocks.CharBlock(label=_("或链接地址"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("轮播图")

    def clean(self, value):
        value = super().clean(value)
        url = (value.get("url") or "").strip()
        if url and not link_is_safe(url):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(LINK_UNSAFE_MESSAGE)}
            )
        return value


class MenuItemBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("名称"), max_length=20)
    label_en = blocks.CharBlock(
        label=_("名称（英文）"),
        required=False,
        max_length=60,
        help_text=_("英文网站显示的文字；留空时显示中文。"),
    )
    page = blocks.PageChooserBlock(label=_("页面"), required=False)
    url = blocks.CharBlock(label=_("或链接地址"), required=False, max_length=200)

    class Meta:
        icon = "link"
        label = _("菜单项")

    def clean(self, value):
        value = super().clean(value)
        if errors := link_errors(value):
            raise StructBlockValidationError(block_errors=errors)
        return value
