"""Running an import job: read, validate, then write all rows (or the valid ones) at once."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import ImportFileInvalidError
from ..models import (
    EcommerceEntity,
    EntityMonthlyFigure,
    ImportJob,
    ImportKind,
    ImportStatus,
)
from .reading import column_map, read_table
from .validation import RowErrors, validate_entities, validate_figures


def _entities_save(valid, job) -> None:
    EcommerceEntity.objects.bulk_create(valid, batch_size=1000)


def _figures_save(valid, job) -> None:
    from ..services import retail_rollup_rebuild

    EntityMonthlyFigure.objects.bulk_create(valid, batch_size=1000)
    retail_rollup_rebuild()


#: Import kinds of other apps (kind -> (validate, save)), registered from their
#: ``AppConfig.ready`` so that this app never imports theirs (the 832 purchases: procurement).
IMPORT_HANDLERS: dict[str, tuple] = {}


def import_kind_register(*, kind: str, validate, save) -> None:
    """Run imports of ``kind`` with ``validate(rows, mapping, scope, errors, progress, job=job)``
    and ``save(valid, job)`` (the signatures of the entity imports; ``job`` tells the
    validator who uploaded the file)."""
    IMPORT_HANDLERS[kind] = (validate, save)


def _handlers(kind: str):
    """(validate, save) of an import kind; save runs in the import's transaction."""
    if kind in IMPORT_HANDLERS:
        return IMPORT_HANDLERS[kind]
    if kind == ImportKind.ENTITIES:
        return validate_entities, _entities_save
    return validate_figures, _figures_save


def import_job_run(*, job_id: int) -> ImportJob:
    """Validate the job's file and import it (all rows, or the valid ones when chosen).
    Safe to run again: a finished job is left as it is."""
    job = ImportJob.objects.select_related("scope_region").get(pk=job_id)
    if job.is_finished:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)

    def finish(status, **fields):
        fields.update(status=status, finished_at=timezone.now())
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
        return job

    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        header, rows = read_table(data, job.original_name)
        mapping = column_map(job.kind, header)
    except ImportFileInvalidError as exc:
        return finish(ImportStatus.FAILED, message=str(exc))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows), processed_rows=0)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    errors = RowErrors()
    validate, save = _handlers(job.kind)
    extra = {"job": job} if job.kind in IMPORT_HANDLERS else {}
    valid = validate(rows, mapping, job.scope_region, errors, progress, **extra)
    if errors.count and not job.import_valid_rows:
        return finish(
            ImportStatus.REJECTED,
            processed_rows=len(rows),
            errors=errors.items,
            message=_("%(bad)s 行有错误，整个文件未导入。请改正后重新上传，或勾选“仅导入有效行”。")
            % {"bad": len(errors.bad_rows)},
        )
    try:
        with transaction.atomic():
            save(valid, job)
    except IntegrityError:
        return finish(
            ImportStatus.FAILED,
            processed_rows=len(rows),
            errors=errors.items,
            message=_("导入期间数据被其他人修改，本文件未导入，请重新上传。"),
        )
    message = _("已导入 %(count)s 行。") % {"count": len(valid)}
    if errors.count:
        message += _("跳过有错误的 %(bad)s 行。") % {"bad": len(errors.bad_rows)}
    return finish(
        ImportStatus.DONE,
        processed_rows=len(rows),
        created_count=len(valid),
        errors=errors.items,
        message=message,
    )
