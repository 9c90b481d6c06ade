"""Writes of the bureau's own records: e-commerce entities, their monthly figures, official
indicators and spreadsheet import jobs. Each takes what its form cleaned."""

from django.db import transaction

from core.tasks import enqueue_on_commit

from ..models import EcommerceEntity, EntityMonthlyFigure, ImportJob, IndicatorRecord
from ..tasks import ecommerce_import_task
from .rollups import retail_rollup_rebuild


def ecommerce_entity_create(**fields) -> EcommerceEntity:
    """Register one e-commerce entity (the fields of ``EcommerceEntity``)."""
    return EcommerceEntity.objects.create(**fields)


@transaction.atomic
def entity_figure_record(**fields) -> EntityMonthlyFigure:
    """Record an entity's figure for a month and rebuild the retail rollup in the same
    transaction, so that the dashboards never show the figure half counted."""
    figure = EntityMonthlyFigure.objects.create(**fields)
    retail_rollup_rebuild()
    return figure


def indicator_record_create(*, created_by, **fields) -> IndicatorRecord:
    """Record an officially reported figure; ``created_by`` is kept with it."""
    return IndicatorRecord.objects.create(created_by=created_by, **fields)


@transaction.atomic
def import_job_start(
    *, kind: str, upload, import_valid_rows: bool, scope_region, created_by
) -> ImportJob:
    """Store the uploaded file as a job and run it in a task once the job is committed (a
    broker that is down leaves the job pending for the sweep)."""
    job = ImportJob.objects.create(
        kind=kind,
        file=upload,
        original_name=upload.name[:200],
        import_valid_rows=import_valid_rows,
        scope_region=scope_region,
        created_by=created_by,
    )
    enqueue_on_commit(ecommerce_import_task, job.pk)
    return job
