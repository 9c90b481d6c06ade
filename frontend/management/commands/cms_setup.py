"""`manage.py cms_setup`: create the editorial groups 编辑 and 审核 and the approval workflow."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from frontend.models import HomePage
from frontend.services import editorial_setup


class Command(BaseCommand):
    help = "创建编辑、审核用户组和内容审核发布工作流（可重复运行）。"

    def handle(self, *args, **options):
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home is None:
            raise CommandError("首页不存在：请先运行 manage.py migrate。")
        setup = editorial_setup(root=home)
        self.stdout.write(
            self.style.SUCCESS(
                f"用户组“{setup.editors.name}”“{setup.reviewers.name}”与工作流"
                f"“{setup.workflow.name}”已就绪。"
            )
        )
