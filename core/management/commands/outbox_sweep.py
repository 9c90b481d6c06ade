"""Run every outbox sweep (``settings.OUTBOX_SWEEP_TASKS``) now, in this process: the work
recorded in the database whose task was lost while the broker was down, or gave up."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Process the recorded work whose task never ran (broker down) or gave up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=int,
            default=0,
            help="Leave work recorded less than this many seconds ago (it may be in flight).",
        )

    def handle(self, *args, min_age: int, **options):
        for path in settings.OUTBOX_SWEEP_TASKS:
            done = import_string(path)(min_age_seconds=min_age)
            self.stdout.write(f"{path}: {done}")
