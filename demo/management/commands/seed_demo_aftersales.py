"""`manage.py seed_demo_aftersales`: consumer@example.com's card-paid orders and after-sales
cases of supplier@example.com's co-op, paid at localstripe (run by `make demo` after it
starts localstripe; idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.services.aftersales import SHOPPER, SUPPLIER, seed_aftersales
from demo.services.base import Tally
from payments.exceptions import PaymentError


class Command(BaseCommand):
    help = "载入售后演示数据（需要 localstripe 已启动；可重复运行）。"

    def handle(self, *args, **options):
        users = {u.email: u for u in User.objects.filter(email__in=(SHOPPER, SUPPLIER))}
        try:
            count = seed_aftersales(users=users, tally=Tally())
        except PaymentError as exc:
            raise CommandError(f"localstripe 不可用：{exc}") from exc
        self.stdout.write(f"售后演示数据：{count} 个售后单")
