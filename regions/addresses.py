from django.db import models
from django.utils.translation import gettext_lazy as _

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
