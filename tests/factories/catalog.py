import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import ListingStatus
from core.validators import credit_code_check_char
from suppliers.models import Certification, CertificationStatus, SupplierType

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def make_credit_code(n: int) -> str:
    body = f"93340621MA{n:07d}"[:17]
    return body + credit_code_check_char(body)


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ("slug",)

    name = "农产品"
    slug = "farm-product"
    requires_shipping = True
    track_stock = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"分类{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.add_root(**kwargs)


class SupplierFactory(factory.django.DjangoModelFactory):
    """A certified supplier (valid for a year from today) unless ``certified_until`` is given."""

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"测试合作社{n}")
    code = factory.Sequence(lambda n: f"supplier-{n}")
    credit_code = factory.Sequence(make_credit_code)
    supplier_type = SupplierType.COOPERATIVE
    households_helped = 12
    certified_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=365)
    )

    @factory.post_generation
    def certification(self, create, extracted, **kwargs):
        if not create or self.certified_until is None:
            return
        Certification.objects.create(
            partner=self,
            status=CertificationStatus.CERTIFIED,
            certificate_no=f"HB-TEST-{self.pk:05d}",
            valid_from=self.certified_until - datetime.timedelta(days=730),
            valid_until=self.certified_until,
            decided_at=timezone.now(),
        )


class ProductFactory(factory.django.DjangoModelFactory):
    """A listed product with one stock record of a certified supplier."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试农产品{n}")
    upc = factory.Sequence(lambda n: f"HN{n:08d}")
    structure = "standalone"
    product_class = factory.SubFactory(ProductClassFactory)
    listing_status = ListingStatus.LISTED
    is_public = True
    spec = "5kg/箱"
    shelf_life = "30天"
    storage = "阴凉干燥处"

    @factory.post_generation
    def stockrecord(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        partner = kwargs.pop("partner", None) or SupplierFactory()
        StockRecord.objects.create(
            product=self,
            partner=partner,
            partner_sku=f"SKU-{self.upc}",
            price_currency="CNY",
            price=kwargs.pop("price", Decimal("39.90")),
            num_in_stock=kwargs.pop("num_in_stock", 100),
        )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            for category in extracted:
                ProductCategory.objects.create(product=self, category=category)
