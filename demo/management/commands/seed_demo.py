"""`manage.py seed_demo`: load the 惠农集市 demo data (idempotent; safe to run again)."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from accounts.models import User
from demo.exceptions import DemoHomePageMissingError
from demo.services import Tally, seed_demo
from points.models import Award, Household
from procurement.models import BudgetUnit
from regions.models import Region

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")


class Command(BaseCommand):
    help = (
        "载入演示数据：行政区划、分类、供应商、商品、预算单位、积分超市、演示账号和首页"
        "（可重复运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args, quiet: bool = False, **options):
        started = time.monotonic()
        # The page publishing and its background tasks log a line per object at INFO level:
        # noise next to the progress lines. Warnings and errors still show.
        logging.disable(logging.INFO)
        try:
            seed_demo(report=None if quiet else self._report_step)
        except DemoHomePageMissingError as error:
            raise CommandError(str(error)) from error
        finally:
            logging.disable(logging.NOTSET)
        if quiet:
            return
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（{elapsed:.1f} 秒）"))
        for label, count in self._summary():
            self.stdout.write(f"  {label}：{count}")

    def _report_step(self, step: int, steps: int, label: str, count: int, tally: Tally) -> None:
        dots = "." * max(3, 16 - 2 * len(label))  # CJK characters are two columns wide
        if tally.created or tally.updated:
            change = f"新增 {tally.created}，更新 {tally.updated}"
        else:
            change = "无变化"
        self.stdout.write(
            f"{self.style.MIGRATE_HEADING(f'[{step}/{steps}]')} {label} {dots} "
            f"{self.style.SUCCESS(str(count))}  （{change}）"
        )

    @staticmethod
    def _summary() -> list[tuple[str, int]]:
        return [
            ("行政区划", Region.objects.count()),
            ("商品分类", Category.objects.count()),
            ("认定供应商", Partner.objects.filter(certified_until__isnull=False).count()),
            ("供应商", Partner.objects.count()),
            ("可购买商品", Product.objects.purchasable().count()),
            ("商品", Product.objects.count()),
            ("商品图片", ProductImage.objects.count()),
            ("预算单位", BudgetUnit.objects.count()),
            ("积分农户", Household.objects.count()),
            ("积分记录", Award.objects.count()),
            ("用户", User.objects.count()),
        ]
