from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.localized import english_active
from regions.divisions import english_name


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWN = "town", _("乡镇/街道")


class RegionQuerySet(MP_NodeQuerySet):
    def counties(self):
        return self.filter(level=RegionLevel.COUNTY)

    def within(self, region: "Region"):
        """``region`` and every region below it (a subtree query on the materialised path)."""
        return self.filter(path__startswith=region.path)


class RegionManager(MP_NodeManager):
    # Treebeard's manager builds its own queryset class; keep ours (and its path order).
    def get_queryset(self) -> RegionQuerySet:
        return RegionQuerySet(self.model, using=self._db).order_by("path")

    def counties(self) -> RegionQuerySet:
        return self.get_queryset().counties()

    def within(self, region: "Region") -> RegionQuerySet:
        return self.get_queryset().within(region)


class Region(MP_Node):
    """An administrative division keyed by its national code (e.g. 濉溪县 340621)."""

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(r"^\d{6}(\d{3}|\d{6})?$", _("区划代码应为 6、9 或 12 位数字。"))
        ],
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)

    node_order_by = ["code"]
    objects = RegionManager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name for this visitor: on English pages a province's, city's or county's
        English name (``regions.divisions``), the stored name otherwise and for towns."""
        if english_active():
            return english_name(self.code) or self.name
        return self.name

    def contains(self, other: "Region | None") -> bool:
        return other is not None and other.path.startswith(self.path)


class BureauLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class BureauOffice(models.TextChoices):
    """Which bureau a staff member works for: both review filings and see the same views;
    the kind names their review (财政局审核 / 乡村振兴局审核) and their office."""

    RURAL = "rural", _("乡村振兴局")
    FINANCE = "finance", _("财政局")


class BureauStaff(models.Model):
    """A member of a rural-revitalisation or finance bureau, scoped to a region's subtree."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bureau_staff",
        verbose_name=_("用户"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="bureau_staff", verbose_name=_("所辖区域")
    )
    level = models.CharField(_("层级"), max_length=10, choices=BureauLevel.choices)
    bureau_name = models.CharField(_("单位"), max_length=100)
    office_kind = models.CharField(
        _("部门类别"), max_length=10, choices=BureauOffice.choices, default=BureauOffice.RURAL
    )

    class Meta:
        verbose_name = _("帮扶工作人员")
        verbose_name_plural = _("帮扶工作人员")

    def __str__(self) -> str:
        return f"{self.bureau_name} · {self.user}"

    @property
    def office_name(self) -> str:
        """The office's own name (e.g. 淮北市财政局); the region's name and the office kind
        when no name was entered."""
        return self.bureau_name or f"{self.region.name}{self.get_office_kind_display()}"

    @property
    def review_role(self) -> str:
        """The review this staff member gives, as the UI names it (财政局审核)."""
        return _("%(office)s审核") % {"office": self.get_office_kind_display()}
