"""Prove that the rollups equal the facts and the facts equal the orders."""

from django.core.management.base import BaseCommand, CommandError

from reports import services


class Command(BaseCommand):
    help = (
        "核对销售汇总：汇总表与销售事实一致，销售事实与订单及832平台采购记录一致；"
        "有差异时以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="最多列出多少条差异")

    def handle(self, *args, limit, **options):
        from reports.imports.purchases_832 import purchases_832_differences

        rollups = services.rollups_differences()
        orders = services.orders_sales_differences()
        purchases = purchases_832_differences()
        for problem in (rollups + orders + purchases)[:limit]:
            self.stderr.write(problem)
        if rollups or orders or purchases:
            raise CommandError(
                f"{len(rollups)} rollup difference(s), {len(orders)} order difference(s), "
                f"{len(purchases)} 832 purchase difference(s)"
            )
        self.stdout.write(self.style.SUCCESS("rollups = facts = orders + 832 purchases"))
