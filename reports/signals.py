"""Signals of the reports app, declared in one place."""

from django.dispatch import Signal

#: Sent with ``facts`` (a list of ``SalesFact``) once they are written by ``bulk_create``,
#: which sends no ``post_save``: pages that show sales figures (the supplier portal home)
#: retire their cached copies. Receivers must not write.
sales_facts_written = Signal()
