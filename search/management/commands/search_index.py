"""``manage.py search_index --rebuild`` / ``--check`` / ``--process``."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search import services
from search.engines import SearchUnavailableError


class Command(BaseCommand):
    help = (
        "商品搜索索引：--rebuild 重建（新索引建好后切换别名，不停机），"
        "--check 检查索引与数据库是否一致（不一致时退出码为 1），--process 处理待更新队列。"
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true", help="重建全部索引")
        group.add_argument("--check", action="store_true", help="报告索引与数据库的差异")
        group.add_argument("--process", action="store_true", help="处理待更新队列（outbox）")

    def handle(self, *args, rebuild=False, check=False, process=False, **options):
        try:
            if rebuild:
                self._rebuild()
            elif check:
                self._check()
            else:
                done = services.search_outbox_drain()
                self.stdout.write(self.style.SUCCESS(f"已处理待更新记录 {done} 条"))
        except SearchUnavailableError as error:
            raise CommandError(f"搜索集群不可用：{error}") from error

    def _rebuild(self):
        started = time.monotonic()
        last = {"at": 0.0}

        def progress(engine: str, done: int, total: int) -> None:
            now = time.monotonic()
            if done < total and now - last["at"] < 1.0:
                return
            last["at"] = now
            percent = 100 * done / total if total else 100
            self.stdout.write(f"  {engine}: {done}/{total} ({percent:.0f}%)")
            self.stdout.flush()

        report = services.search_index_rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"数据库检索文档 {report['database']} 条，用时 {time.monotonic() - started:.1f} 秒"
            )
        )
        if "elasticsearch" in report:
            es = report["elasticsearch"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Elasticsearch 索引 {es['index']}：{es['documents']} 条，"
                    f"{es['seconds']:.1f} 秒，别名已切换"
                )
            )

    def _check(self):
        report = services.search_index_check()
        drift = False
        for engine, result in report.items():
            if "error" in result:
                drift = True
                self.stdout.write(self.style.ERROR(f"{engine}: 无法检查（{result['error']}）"))
                continue
            counts = {k: len(v) for k, v in result.items()}
            if any(counts.values()):
                drift = True
                self.stdout.write(
                    self.style.WARNING(
                        f"{engine}: 缺失 {counts['missing']}，多余 {counts['extra']}，"
                        f"过期 {counts['stale']}"
                    )
                )
                for kind, ids in result.items():
                    if ids:
                        shown = ", ".join(str(pk) for pk in ids[:20])
                        more = f" …（共 {len(ids)} 个）" if len(ids) > 20 else ""
                        self.stdout.write(f"  {kind}: {shown}{more}")
            else:
                self.stdout.write(self.style.SUCCESS(f"{engine}: 一致"))
        if drift:
            sys.exit(1)
