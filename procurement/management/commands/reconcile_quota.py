"""`manage.py reconcile_quota`: check every filing's balance against its ledger entries and
every procurement order's entries against its state; exit 1 on any difference."""

import sys

from django.core.management.base import BaseCommand

from procurement.services import quota_reconcile


class Command(BaseCommand):
    help = "核对份额台账：每个填报的余额等于其台账合计，每个采购订单的台账与订单状态一致。"

    def handle(self, *args, **options):
        problems = quota_reconcile()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(self.style.ERROR(f"发现 {len(problems)} 处不一致"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("份额台账与订单全部一致"))
