from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from regions.divisions import division_by_names


class RegionCodedAddress(models.Model):
    """Mixed in after an Oscar address model (its Meta comes from the first parent): an
    Oscar address (state = 省, line4 = 市, line3 = 区/县) that keeps the county's
    six-digit division code (``regions.divisions``) beside the names. An address saved
    without a code gets it from its names when they name one province–city–county of the
    table; free text that does not (addresses typed before the picker) keeps an empty code
    and still displays as typed."""

    region_code = models.CharField(_("区划代码"), max_length=6, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.region_code:
            division = division_by_names(self.state, self.line4, self.line3)
            self.region_code = division.code if division else ""
        super().save(*args, **kwargs)

    @property
    def chinese_summary(self) -> str:
        """收件人 省 市 区县 详细地址: the address as one line, the way Chinese addresses are
        written (Oscar's ``summary`` is name, street, city, …, country, joined by commas)."""
        name = f"{self.first_name}{self.last_name}"
        parts = [name, self.state, self.line4, self.line3, self.line2, self.line1]
        return " ".join(part for part in parts if part)


def country_cn():
    """China, the one shipping country: created here if a flushed database lost it."""
    model = get_model("address", "Country")
    return model.objects.get_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "iso_3166_1_numeric": "156",
            "printable_name": "中国",
            "name": "中华人民共和国",
            "display_order": 100,
            "is_shipping_country": True,
        },
    )[0]
