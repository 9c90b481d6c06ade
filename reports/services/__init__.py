"""Writes of the reports app. See each module's docstring."""

from .closures import annual_report_close, annual_report_reopen  # noqa: F401
from .facts import (  # noqa: F401
    offline_sale_record,
    order_sales_differences,
    order_sales_expected,
    order_sales_recorded,
    orders_sales_differences,
    sales_facts_sync,
    sales_outbox_add,
    sales_outbox_process,
    sales_outbox_sweep,
    spread_fen,
)
from .registry import (  # noqa: F401
    ecommerce_entity_create,
    entity_figure_record,
    import_job_start,
    indicator_record_create,
)
from .rollups import (  # noqa: F401
    retail_rollup_rebuild,
    retail_rollups_differences,
    rollups_apply,
    rollups_differences,
    rollups_rebuild,
)
