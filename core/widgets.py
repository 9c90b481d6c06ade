"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It takes only an ISO value (``2026-03-31``) whatever the
    page's language; Django's localized rendering (``2026/03/31`` in Chinese) would leave
    the picker empty, and a bound form sent back would lose the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    """The browser's month picker, ``2026-03``; the field needs ``input_formats`` with
    ``%Y-%m``."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")
