"""`manage.py reconcile_points`: balances against entries, stock against moves, redemptions
and credited awards against both; exits 1 on any difference."""

import sys

from django.core.management.base import BaseCommand

from points.services import points_reconcile


class Command(BaseCommand):
    help = "核对积分台账：农户余额与台账、库存与库存变动、兑换单与台账和库存、已入账积分记录。"

    def handle(self, *args, **options):
        problems = points_reconcile()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            self.stderr.write(self.style.ERROR(f"发现 {len(problems)} 处不一致。"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("积分台账核对一致。"))
