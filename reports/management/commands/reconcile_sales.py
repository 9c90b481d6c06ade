"""Prove that every figure a headline reads reconciles: the sales rollups equal the facts, the
facts equal the orders and the 832 purchase records, and the reported-retail rollup equals the
entities' monthly figures. Every difference says which side is higher; any exits non-zero.
(Official indicators are summed from their records on every read: nothing derived to check.)"""

from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.reconcile import SALES_CHECKS


class Command(BaseCommand):
    help = (
        "核对销售汇总：汇总表与销售事实一致，销售事实与订单及832平台采购记录一致，"
        "网络零售额汇总与电商主体月度数据一致；有差异时以非零状态退出，并说明哪一方较高。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="最多列出多少条差异")

    def handle(self, *args, limit, **options):
        found = {
            "rollup": services.rollups_differences(),
            "order": services.orders_sales_differences(),
            **{name: check() for name, check in SALES_CHECKS.items()},
            "retail rollup": services.retail_rollups_differences(),
        }
        problems = [p for group in found.values() for p in group]
        for problem in problems[:limit]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                ", ".join(f"{len(group)} {name} difference(s)" for name, group in found.items())
            )
        self.stdout.write(
            self.style.SUCCESS("rollups = facts = orders + 832 purchases; retail = entity figures")
        )
