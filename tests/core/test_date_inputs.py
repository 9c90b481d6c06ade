"""Date and month pickers get ISO values in every language: a browser's date input shows
nothing for Django's Chinese format (2026/03/31), and a form sent back from such a page
would lose the date."""

import datetime

import pytest
from django.utils import translation

from procurement.forms import InvoiceForm, PolicyYearForm
from reports.forms import (
    EntityForm,
    FigureForm,
    IndicatorForm,
    OfflineSaleForm,
    ReportFilterForm,
)
from suppliers.forms import SalesFilterForm

DAY = datetime.date(2026, 3, 31)

PICKERS = [
    (InvoiceForm, "invoice_date", "2026-03-31"),
    (PolicyYearForm, "filing_deadline", "2026-03-31"),
    (ReportFilterForm, "date_from", "2026-03-31"),
    (EntityForm, "registered_on", "2026-03-31"),
    (OfflineSaleForm, "date", "2026-03-31"),
    (SalesFilterForm, "date_to", "2026-03-31"),
    (FigureForm, "month", "2026-03"),
    (IndicatorForm, "month", "2026-03"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("form_class", "name", "value"), PICKERS)
def test_a_picker_renders_its_date_in_iso_form(form_class, name, value, language):
    widget = form_class.base_fields[name].widget
    with translation.override(language):
        html = widget.render(name, DAY)
    assert f'value="{value}"' in html
    assert widget.input_type in ("date", "month")
