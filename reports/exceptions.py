class ReportsError(Exception):
    """Base of the reports app's errors."""


class SalesEventInvalidError(ReportsError):
    """A procurement sales event names a line that is not the order's."""


class RegionOutOfScopeError(ReportsError):
    """A region outside the staff member's subtree was asked for."""


class ImportFileInvalidError(ReportsError):
    """An uploaded file is empty, of the wrong type or cannot be read."""


class AnnualReportClosureError(ReportsError):
    """A statistics year cannot be closed or reopened (not ended, closed already, not
    closed, no reason, not the city's bureau); ``str()`` is the Chinese reason."""
