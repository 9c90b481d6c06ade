"""Site settings editable in Wagtail (设置 > 站点设置): name, logo, hotline, footer, menus."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from core.localized import english_field

from ..blocks import MenuItemBlock
from .base import with_english


@register_setting(icon="cog")
class SiteChrome(BaseSiteSetting):
    """The header and footer of every storefront page (cached; see ``site_chrome``)."""

    site_name = models.CharField(_("网站名称"), max_length=30, default="惠农集市")
    site_name_en = english_field(site_name, default="Huinong Market")
    tagline = models.CharField(_("标语"), max_length=60, default="消费帮扶 · 脱贫地区农副产品")
    tagline_en = english_field(
        tagline, default="Consumption assistance · Farm products from areas lifted out of poverty"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("标志"),
        help_text=_("方形图片；不设置时使用默认标志"),
    )
    hotline = models.CharField(_("客服热线"), max_length=30, default="0561-3123456")
    service_hours = models.CharField(
        _("服务时间"), max_length=60, blank=True, default="工作日 8:30-17:30"
    )
    service_hours_en = english_field(service_hours, default="Weekdays 8:30–17:30")
    footer_about = models.TextField(
        _("页脚简介"),
        max_length=300,
        blank=True,
        default=(
            "惠农集市是淮北市消费帮扶线上平台，汇集经认定的脱贫地区农副产品。市民可直接选购，"
            "预算单位可在此完成预留份额采购，每一笔订单都帮助当地脱贫户增收。"
        ),
    )
    footer_about_en = english_field(
        footer_about,
        default=(
            "Huinong Market is Huaibei's online consumption-assistance marketplace: certified farm "
            "produce from areas lifted out of poverty. Residents buy directly, budget units "
            "order their reserved share here, and every order adds to local households' income."
        ),
    )
    copyright = models.CharField(
        _("版权信息"), max_length=100, blank=True, default="© 淮北市乡村振兴局 惠农集市"
    )
    copyright_en = english_field(
        copyright, default="© Huaibei Rural Revitalisation Bureau · Huinong Market"
    )
    icp_number = models.CharField(_("备案号"), max_length=40, blank=True)
    main_menu = StreamField(
        [("item", MenuItemBlock())], verbose_name=_("主菜单"), blank=True, max_num=8
    )
    footer_links = StreamField(
        [("item", MenuItemBlock())], verbose_name=_("页脚链接"), blank=True, max_num=8
    )

    panels = [
        MultiFieldPanel(
            [*with_english("site_name", "tagline"), FieldPanel("logo")],
            heading=_("品牌"),
        ),
        FieldPanel("main_menu"),
        MultiFieldPanel(
            [
                FieldPanel("hotline"),
                *with_english("service_hours", "footer_about"),
                FieldPanel("footer_links"),
                *with_english("copyright"),
                FieldPanel("icp_number"),
            ],
            heading=_("页脚"),
        ),
    ]

    class Meta:
        verbose_name = _("站点设置")
