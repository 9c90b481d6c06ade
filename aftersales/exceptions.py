"""Refusals of the after-sales domain: ``str()`` is the Chinese reason a page or the API shows."""


class AfterSalesError(Exception):
    """Base of every after-sales refusal."""


class AfterSalesNotFoundError(AfterSalesError):
    """The case or order line is not the user's (the pages answer 404)."""


class AfterSalesWindowClosedError(AfterSalesError):
    pass


class AfterSalesAmountInvalidError(AfterSalesError):
    pass


class AfterSalesCaseOpenError(AfterSalesError):
    pass


class AfterSalesLineNotEligibleError(AfterSalesError):
    pass


class AfterSalesStateError(AfterSalesError):
    pass


class AfterSalesInputError(AfterSalesError):
    """A missing reason, return address, tracking number or photo."""
