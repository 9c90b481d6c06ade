"""Rows the checkout relies on: 中国 as the shipping country, and the payment, shipping and
email event types (looked up by code; their Chinese names may be edited)."""

from django.db import migrations

PAYMENT_EVENT_TYPES = [("paid", "付款"), ("refund", "退款")]
SHIPPING_EVENT_TYPES = [("shipped", "已发货"), ("delivered", "已签收")]


def create(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    PaymentEventType = apps.get_model("order", "PaymentEventType")
    ShippingEventType = apps.get_model("order", "ShippingEventType")
    SourceType = apps.get_model("payment", "SourceType")
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")

    Country.objects.update_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "iso_3166_1_numeric": "156",
            "printable_name": "中国",
            "name": "中华人民共和国",
            "display_order": 100,
            "is_shipping_country": True,
        },
    )
    for code, name in PAYMENT_EVENT_TYPES:
        PaymentEventType.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in SHIPPING_EVENT_TYPES:
        ShippingEventType.objects.get_or_create(code=code, defaults={"name": name})
    SourceType.objects.get_or_create(code="stripe", defaults={"name": "银行卡（Stripe）"})
    CommunicationEventType.objects.get_or_create(
        code="ORDER_PAID", defaults={"name": "订单支付成功", "category": "Order related"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("address", "0007_useraddress_code"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("payment", "0005_auto_20200801_0817"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
