"""`manage.py seed_demo_aftersales`: consumer@example.com's card-paid orders and after-sales
cases of supplier@example.com's co-op, and the personal orders of the ten staff linked to
淮北市第一中学, paid at localstripe (run by `make demo` after it starts localstripe;
idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.services.aftersales import SHOPPER, SUPPLIER, seed_aftersales, seed_staff_orders
from demo.services.base import Tally
from payments.exceptions import PaymentError


class Command(BaseCommand):
    help = "载入售后演示数据（需要 localstripe 已启动；可重复运行）。"

    def handle(self, *args, **options):
        users = {u.email: u for u in User.objects.filter(email__in=(SHOPPER, SUPPLIER))}
        try:
            count = seed_aftersales(users=users, tally=Tally())
            staff = seed_staff_orders(users=users, tally=Tally())
        except PaymentError as exc:
            raise CommandError(f"localstripe 不可用：{exc}") from exc
        self.stdout.write(f"售后演示数据：{count} 个售后单")
        self.stdout.write(f"职工个人消费：{staff} 笔（计入淮北市第一中学）")
