"""The reserved share is a floor, not a ceiling (issue #19): the database no longer refuses
committed + completed above the reserved amount, and a policy year may cap spending at each
unit's filed canteen budget instead (off by default: the cap is the unit's approval rules).

Existing balances need no rewrite: ``committed`` and ``completed`` are the sums of the
append-only ledger, which this migration leaves untouched; every existing filing was within its
reserve, hence within its canteen budget (the filing rules keep reserve <= budget), so it also
satisfies a cap a year may switch on later."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0006_unitaction_rules_changed'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='filing',
            name='filing_committed_plus_completed_within_reserved',
        ),
        migrations.AddField(
            model_name='policyyear',
            name='cap_at_canteen_budget',
            field=models.BooleanField(default=False, help_text='预留份额是应达到的下限，单位可以超额采购；勾选后，单位本年度已占用与已完成之和不得超过其填报的年度食堂食材采购预算。', verbose_name='以年度食堂食材采购预算为采购上限'),
        ),
    ]
